import { afterAll, afterEach, beforeAll, expect, test } from "vitest";
import { prisma } from "~/utils/db.server.ts";
import { HttpClient, startAppServer } from "../support/app-server.ts";
import { GOOD_PASSWORD, makeUser } from "../support/factories.ts";
import { startCraftedProvider, startOidcProvider, type TestAccount, type TokenTrick } from "../support/oidc-provider.ts";

/**
 * Issue 22, single sign-on (ADR 065): sign-in through a real OpenID Connect provider (oidc-provider,
 * on loopback), and every refusal of a forged or mismatched answer.
 */
const ACCOUNTS: Record<string, TestAccount> = {
  ana: { email: "ana.sso@example.com", email_verified: true, name: "Ana Ștefănescu", preferred_username: "ana.ștefănescu" },
  wang: { email: "王小明@example.cn", email_verified: true, name: "王小明" },
  clash: { email: "Local.Person@example.com", email_verified: true, name: "Somebody Else" },
  mod: { email: "mod.sso@example.com", email_verified: true, name: "Mod", groups: ["forum-mods", "everyone"] },
  boss: { email: "boss.sso@example.com", email_verified: true, name: "Boss", groups: ["admins"] },
  sus: { email: "sus.sso@example.com", email_verified: true, name: "Sus" },
};

let server: Awaited<ReturnType<typeof startAppServer>>;
let idp: Awaited<ReturnType<typeof startOidcProvider>>;
const SSO_ENV = ["OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET", "OIDC_DISPLAY_NAME", "OIDC_ALLOW_HTTP", "OIDC_ROLE_CLAIM", "OIDC_ROLE_MAP", "SSO_ONLY"];

function useProvider(issuer: string, clientId: string, clientSecret: string) {
  Object.assign(process.env, { OIDC_ISSUER: issuer, OIDC_CLIENT_ID: clientId, OIDC_CLIENT_SECRET: clientSecret, OIDC_DISPLAY_NAME: "Local ID", OIDC_ALLOW_HTTP: "true" });
}

beforeAll(async () => {
  server = await startAppServer();
  idp = await startOidcProvider({ redirectUris: [`${server.url}/auth/oidc/callback`], accounts: ACCOUNTS });
});
afterAll(async () => {
  await idp?.close();
  await server?.close();
});
afterEach(() => {
  for (const name of SSO_ENV) delete process.env[name];
});

/** Follows the app's redirect to the provider, signs in there as `login`, and returns the app's answer to the callback. */
async function signInWithProvider(app: HttpClient, login: string, redirectTo?: string) {
  const provider = new HttpClient(idp.issuer);
  const start = await app.get(`/auth/oidc/start${redirectTo ? `?redirectTo=${encodeURIComponent(redirectTo)}` : ""}`);
  expect(start.status).toBe(302);
  let location = start.headers.get("location")!;
  for (let hop = 0; hop < 12; hop++) {
    const url = new URL(location, idp.issuer);
    if (url.origin === server.url) return app.get(url.pathname + url.search);
    const response = await provider.get(url.pathname + url.search);
    if (response.status >= 300 && response.status < 400) {
      location = response.headers.get("location")!;
      continue;
    }
    const html = await response.text();
    const action = html.match(/<form[^>]*action="([^"]+)"/)?.[1];
    if (!action) throw new Error(`no form on the provider's page: ${response.status} ${html.slice(0, 300)}`);
    const target = new URL(action.replaceAll("&amp;", "&"), idp.issuer);
    const posted = await provider.post(target.pathname + target.search, { prompt: "login", login, password: "anything" }, { csrf: false });
    location = posted.headers.get("location")!;
  }
  throw new Error("too many redirects");
}

test("a visitor signs in through the provider: a member account is made, linked by issuer and subject, and the next sign-in reuses it", async () => {
  useProvider(idp.issuer, idp.clientId, idp.clientSecret);
  const login = await new HttpClient(server.url).get("/login");
  expect(await login.text()).toContain("Sign in with Local ID");

  const app = new HttpClient(server.url);
  const callback = await signInWithProvider(app, "ana", "/questions?sort=new");
  expect(callback.status).toBe(302);
  expect(callback.headers.get("location")).toBe("/questions?sort=new");
  const identity = await prisma.ssoIdentity.findUniqueOrThrow({ where: { issuer_subject: { issuer: idp.issuer, subject: "ana" } }, include: { user: true } });
  expect(identity.user).toMatchObject({ handle: "ana-stefanescu", displayName: "Ana Ștefănescu", email: "ana.sso@example.com", role: "member" });
  expect((await app.get("/account")).status).toBe(200);

  // Again, from another browser, with a hostile return address: the same account, sent home.
  const again = new HttpClient(server.url);
  const second = await signInWithProvider(again, "ana", "//evil.example/steal");
  expect(second.status).toBe(302);
  expect(second.headers.get("location")).toBe("/");
  expect(await prisma.user.count({ where: { emailNormalized: "ana.sso@example.com" } })).toBe(1);
  expect((await again.get("/account")).status).toBe(200);
});

test("a name with no Latin letters gets a safe unique handle and keeps its own display name", async () => {
  useProvider(idp.issuer, idp.clientId, idp.clientSecret);
  const app = new HttpClient(server.url);
  expect((await signInWithProvider(app, "wang")).status).toBe(302);
  const identity = await prisma.ssoIdentity.findUniqueOrThrow({ where: { issuer_subject: { issuer: idp.issuer, subject: "wang" } }, include: { user: true } });
  expect(identity.user.handle).toMatch(/^member(-\d+)?$/);
  expect(identity.user.displayName).toBe("王小明");
});

test("an e-mail that matches a local account links only after that account's password is given", async () => {
  useProvider(idp.issuer, idp.clientId, idp.clientSecret);
  const local = await makeUser({ email: "local.person@example.com" });
  const app = new HttpClient(server.url);
  const callback = await signInWithProvider(app, "clash");
  expect(callback.status).toBe(302);
  expect(callback.headers.get("location")).toBe("/auth/oidc/link");
  expect(await prisma.ssoIdentity.count({ where: { userId: local.id } })).toBe(0);
  expect((await app.get("/account")).status).toBe(302);

  const page = await app.get("/auth/oidc/link");
  expect(await page.text()).toContain("local.person@example.com".replace("local.person", "Local.Person"));
  const csrf = await app.csrfToken("/auth/oidc/link");
  const wrong = await app.post("/auth/oidc/link", { password: "not the password at all" }, { csrf });
  expect(wrong.status).toBe(400);
  expect(await prisma.ssoIdentity.count({ where: { userId: local.id } })).toBe(0);

  const right = await app.post("/auth/oidc/link", { password: GOOD_PASSWORD });
  expect(right.status).toBe(302);
  expect(await prisma.ssoIdentity.count({ where: { userId: local.id, issuer: idp.issuer, subject: "clash" } })).toBe(1);
  expect((await app.get("/account")).status).toBe(200);

  // From now on the provider signs straight into that account.
  const later = new HttpClient(server.url);
  expect((await signInWithProvider(later, "clash")).headers.get("location")).toBe("/");
  expect(await prisma.user.count({ where: { emailNormalized: "local.person@example.com" } })).toBe(1);
});

test("a suspended member cannot sign in through the provider", async () => {
  useProvider(idp.issuer, idp.clientId, idp.clientSecret);
  expect((await signInWithProvider(new HttpClient(server.url), "sus")).status).toBe(302);
  const { userId } = await prisma.ssoIdentity.findUniqueOrThrow({ where: { issuer_subject: { issuer: idp.issuer, subject: "sus" } } });
  await prisma.user.update({ where: { id: userId }, data: { status: "suspended" } });
  const app = new HttpClient(server.url);
  const refused = await signInWithProvider(app, "sus");
  expect(refused.status).toBe(403);
  expect(await refused.text()).toContain("suspended");
  expect(app.cookieHeader()).not.toContain("tw_session");
});

test("roles follow a mapped claim, never grant admin unless mapped, and a lost group demotes", async () => {
  useProvider(idp.issuer, idp.clientId, idp.clientSecret);
  Object.assign(process.env, { OIDC_ROLE_CLAIM: "groups", OIDC_ROLE_MAP: "forum-mods=moderator,support=staff" });
  expect((await signInWithProvider(new HttpClient(server.url), "mod")).status).toBe(302);
  expect((await signInWithProvider(new HttpClient(server.url), "boss")).status).toBe(302);
  const role = async (sub: string) => (await prisma.ssoIdentity.findUniqueOrThrow({ where: { issuer_subject: { issuer: idp.issuer, subject: sub } }, include: { user: true } })).user.role;
  expect(await role("mod")).toBe("moderator");
  expect(await role("boss")).toBe("member");
  const audit = await prisma.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM audit_log WHERE action = 'user.role_changed'`;
  expect(Number(audit[0]!.n)).toBeGreaterThanOrEqual(1);

  ACCOUNTS.mod!.groups = ["everyone"];
  try {
    expect((await signInWithProvider(new HttpClient(server.url), "mod")).status).toBe(302);
    expect(await role("mod")).toBe("member");
  } finally {
    ACCOUNTS.mod!.groups = ["forum-mods", "everyone"];
  }
  // Only a map that names admin gives it.
  process.env.OIDC_ROLE_MAP = "admins=admin";
  expect((await signInWithProvider(new HttpClient(server.url), "boss")).status).toBe(302);
  expect(await role("boss")).toBe("admin");
});

test("SSO only turns off members' passwords but not admins'", async () => {
  useProvider(idp.issuer, idp.clientId, idp.clientSecret);
  process.env.SSO_ONLY = "true";
  const member = await makeUser();
  const admin = await makeUser({ role: "admin" });
  const refused = await new HttpClient(server.url).post("/login", { email: member.email, password: GOOD_PASSWORD });
  expect(refused.status).toBe(403);
  expect(await refused.text()).toContain("Local ID");
  await new HttpClient(server.url).signIn(admin.email, GOOD_PASSWORD);
  delete process.env.SSO_ONLY;
  await new HttpClient(server.url).signIn(member.email, GOOD_PASSWORD);
});

test("forged or mismatched answers are refused: wrong state, nonce, issuer, audience, an expired token and a bad signature", async () => {
  const crafted = await startCraftedProvider("crafted-client");
  try {
    useProvider(crafted.issuer, "crafted-client", "crafted-secret");
    const attempt = async (trick: TokenTrick | "wrong-state", sub: string) => {
      const app = new HttpClient(server.url);
      const start = await app.get("/auth/oidc/start");
      const authorize = new URL(start.headers.get("location")!);
      expect(authorize.searchParams.get("code_challenge_method")).toBe("S256");
      crafted.state.nonce = authorize.searchParams.get("nonce")!;
      crafted.state.trick = trick === "wrong-state" ? "none" : trick;
      crafted.state.sub = sub;
      crafted.state.email = `${sub}@example.com`;
      const state = trick === "wrong-state" ? "not-the-state" : authorize.searchParams.get("state")!;
      const callback = await app.get(`/auth/oidc/callback?code=some-code&state=${encodeURIComponent(state)}`);
      return { status: callback.status, signedIn: app.cookieHeader().includes("tw_session"), created: await prisma.ssoIdentity.count({ where: { subject: sub } }) };
    };
    for (const trick of ["wrong-state", "wrong-nonce", "wrong-issuer", "wrong-audience", "expired", "bad-signature"] as const) {
      expect(await attempt(trick, `refused-${trick}`), trick).toEqual({ status: 400, signedIn: false, created: 0 });
    }
    // The same harness with an honest token signs in: the refusals above are the checks, not the harness.
    expect(await attempt("none", "crafted-honest")).toEqual({ status: 302, signedIn: true, created: 1 });
    // A callback without a flow this browser started is refused too.
    const stranger = await new HttpClient(server.url).get("/auth/oidc/callback?code=x&state=y");
    expect(stranger.status).toBe(400);
  } finally {
    await crafted.close();
  }
});

// Last in this file: it locks sign-in for this address.
test("failed returns from the provider count against the address like wrong passwords, up to a 429 with Retry-After", async () => {
  useProvider(idp.issuer, idp.clientId, idp.clientSecret);
  let locked: Response | undefined;
  for (let attempt = 0; attempt < 21 && !locked; attempt++) {
    const response = await new HttpClient(server.url).get("/auth/oidc/callback?code=guess&state=guess");
    if (response.status === 429) locked = response;
    else expect(response.status).toBe(400);
  }
  expect(locked?.headers.get("retry-after")).toMatch(/^\d+$/);
  // Now even an honest sign-in from this address waits, as the password form does.
  expect((await signInWithProvider(new HttpClient(server.url), "ana")).status).toBe(429);
});

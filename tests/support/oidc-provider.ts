import http from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, SignJWT, type JWK } from "jose";
import Provider, { type Configuration } from "oidc-provider";

export type TestAccount = { email?: string; email_verified?: boolean; name?: string; preferred_username?: string; groups?: string[] };

/** The provider's people in the end-to-end journey (tests/e2e-sso). */
export const E2E_SSO_ACCOUNTS: Record<string, TestAccount> = {
  "lena": { email: "lena.sso@example.com", email_verified: true, name: "Lena Ionescu", preferred_username: "lena-sso" },
  "mei": { email: "mei.sso@example.cn", email_verified: true, name: "李美" },
};

/**
 * A real OpenID Connect provider (the `oidc-provider` package) on 127.0.0.1 at a random port, with
 * its development login form (any password) and consent skipped. Accounts are looked up by the
 * login typed on that form.
 */
export async function startOidcProvider(options: { redirectUris: string[]; accounts: Record<string, TestAccount>; clientId?: string; clientSecret?: string }) {
  const clientId = options.clientId ?? "threadwise";
  const clientSecret = options.clientSecret ?? "threadwise-test-secret-0123456789";
  let handler: http.RequestListener = (_req, res) => res.end();
  const server = http.createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { privateKey } = await generateKeyPair("RS256", { extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), kid: "test-key", alg: "RS256", use: "sig" };
  const configuration: Configuration = {
    clients: [{ client_id: clientId, client_secret: clientSecret, redirect_uris: options.redirectUris, grant_types: ["authorization_code"], response_types: ["code"], token_endpoint_auth_method: "client_secret_post" }],
    jwks: { keys: [jwk as never] },
    cookies: { keys: ["oidc-test-cookie-key-0123456789"] },
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name", "preferred_username", "groups"] },
    features: { devInteractions: { enabled: true } },
    pkce: { required: () => true },
    async findAccount(_ctx: unknown, sub: string) {
      const account = options.accounts[sub];
      if (!account) return undefined;
      return { accountId: sub, claims: async () => ({ sub, ...account }) };
    },
    // Consent is skipped: the test client is first-party.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- oidc-provider is untyped
    async loadExistingGrant(ctx: any) {
      const grantId = ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope("openid email profile");
      await grant.save();
      return grant;
    },
  };
  const provider = new Provider(issuer, configuration);
  provider.on("server_error", (_ctx: unknown, error: unknown) => console.error("oidc-provider:", error));
  handler = provider.callback();
  return { issuer, clientId, clientSecret, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

export type TokenTrick = "none" | "wrong-nonce" | "wrong-issuer" | "wrong-audience" | "expired" | "bad-signature";

/**
 * A minimal provider that only answers discovery, its keys and the token endpoint, with an ID token
 * crafted by `jose` as the test asks: for refusals that a well-behaved provider never produces.
 * The authorization step is skipped: the test reads `state` and `nonce` from the app's redirect.
 */
export async function startCraftedProvider(clientId: string) {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });
  const other = await generateKeyPair("RS256", { extractable: true });
  const publicJwk: JWK = { ...(await exportJWK(publicKey)), kid: "k1", alg: "RS256", use: "sig" };
  const state = { trick: "none" as TokenTrick, nonce: "", sub: "crafted-user", email: "crafted@example.com" };
  server.on("request", async (req, res) => {
    const url = new URL(req.url!, issuer);
    const send = (body: unknown) => {
      res.writeHead(200, { "Content-Type": "application/json", "Cache-Control": "no-store" });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === "/.well-known/openid-configuration") {
      return send({
        issuer,
        authorization_endpoint: `${issuer}/auth`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/jwks`,
        response_types_supported: ["code"],
        subject_types_supported: ["public"],
        id_token_signing_alg_values_supported: ["RS256"],
        code_challenge_methods_supported: ["S256"],
      });
    }
    if (url.pathname === "/jwks") return send({ keys: [publicJwk] });
    if (url.pathname === "/token") {
      for await (const _chunk of req) void _chunk;
      const now = Math.floor(Date.now() / 1000);
      const t = state.trick;
      const idToken = await new SignJWT({ nonce: t === "wrong-nonce" ? "not-the-nonce" : state.nonce, email: state.email, email_verified: true, name: "Crafted" })
        .setProtectedHeader({ alg: "RS256", kid: "k1" })
        .setIssuer(t === "wrong-issuer" ? "http://127.0.0.1:1/evil" : issuer)
        .setAudience(t === "wrong-audience" ? "someone-else" : clientId)
        .setSubject(state.sub)
        .setIssuedAt(t === "expired" ? now - 7200 : now)
        .setExpirationTime(t === "expired" ? now - 3600 : now + 300)
        .sign(t === "bad-signature" ? other.privateKey : privateKey);
      return send({ access_token: "crafted-access-token", token_type: "Bearer", expires_in: 300, id_token: idToken });
    }
    res.writeHead(404).end();
  });
  return { issuer, state, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

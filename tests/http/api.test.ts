import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createApiKey, revokeApiKey } from "~/modules/api/api-keys.server.ts";
import { API_OPERATIONS } from "~/modules/api/openapi.server.ts";
import { setPostHidden } from "~/modules/questions/moderate-post.server.ts";
import type { Actor } from "~/modules/users/roles.ts";
import { prisma } from "~/utils/db.server.ts";
import { HttpClient, startAppServer } from "../support/app-server.ts";
import { docJson, GOOD_PASSWORD, makeAnswer, makeCategory, makeQuestion, makeUser } from "../support/factories.ts";

/**
 * The JSON API (issue 22, ADR 063) against the built server: keys, scopes, the same rules as the pages,
 * problem details, idempotency, rate-limit headers and the generated OpenAPI document.
 */
let server: Awaited<ReturnType<typeof startAppServer>>;
beforeAll(async () => {
  server = await startAppServer();
});
afterAll(() => server?.close());

const actorOf = (u: { id: string; role?: string }): Actor => ({ id: u.id, role: (u.role ?? "member") as Actor["role"], status: "active" });

async function keyFor(user: { id: string; role?: string }, scope: "read" | "write" = "write"): Promise<string> {
  const made = await createApiKey(actorOf(user), { name: `key ${scope}`, scope });
  if (!made.ok || !made.value.token) throw new Error(JSON.stringify(made));
  return made.value.token;
}

function api(method: "GET" | "POST", pathname: string, options: { key?: string; body?: unknown; headers?: Record<string, string>; raw?: string } = {}) {
  const headers: Record<string, string> = { ...options.headers };
  if (options.key) headers.Authorization = `Bearer ${options.key}`;
  if (options.body !== undefined || options.raw !== undefined) headers["Content-Type"] ??= "application/json";
  return fetch(server.url + pathname, { method, headers, body: options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body)) });
}

const askBody = (categoryId: number, title = "How do I export my invoices as CSV files?") => ({
  title, categoryId, tags: ["billing", "导出"], body: JSON.parse(docJson("I looked in the billing settings and found no export button anywhere.")) as object,
});

describe("keys", () => {
  test("a key is shown once and stored hashed; it lists its last use; revoked, it stops at once", async () => {
    const member = await makeUser();
    const made = await createApiKey(actorOf(member), { name: "Zapier 集成", scope: "read", expiresInDays: "30" });
    if (!made.ok || !made.value.token) throw new Error(JSON.stringify(made));
    const token = made.value.token;
    expect(token).toMatch(/^tw_[A-Za-z0-9_-]{43}$/);
    const row = await prisma.apiKey.findUniqueOrThrow({ where: { id: made.value.id } });
    expect(JSON.stringify(row)).not.toContain(token.slice(3));
    expect(row.expiresAt!.getTime()).toBeGreaterThan(Date.now() + 29 * 24 * 3600_000);
    expect((await api("GET", "/api/v1/users/" + member.handle, { key: token })).status).toBe(200);
    expect((await prisma.apiKey.findUniqueOrThrow({ where: { id: made.value.id } })).lastUsedAt).not.toBeNull();
    expect((await revokeApiKey(actorOf(member), { keyId: made.value.id })).ok).toBe(true);
    const refused = await api("GET", "/api/v1/users/" + member.handle, { key: token });
    expect(refused.status).toBe(401);
    expect(refused.headers.get("content-type")).toContain("application/problem+json");
  });

  test("another member cannot revoke my key (not found); bad input is a 400 with field errors", async () => {
    const [owner, other] = [await makeUser(), await makeUser()];
    const made = await createApiKey(actorOf(owner), { name: "CRM", scope: "write" });
    if (!made.ok) throw new Error(JSON.stringify(made));
    expect(await revokeApiKey(actorOf(other), { keyId: made.value.id })).toMatchObject({ ok: false, kind: "not-found" });
    expect(await createApiKey(actorOf(owner), { name: "\u200b\u200b", scope: "admin", expiresInDays: "0" })).toMatchObject({ ok: false, kind: "invalid", fieldErrors: { name: expect.any(Array), scope: expect.any(Array), expiresInDays: expect.any(Array) } });
    expect(await createApiKey(null, { name: "x", scope: "read" })).toMatchObject({ ok: false, kind: "forbidden" });
    expect(await createApiKey(actorOf(owner), { name: "site", scope: "read", actAs: owner.handle }, "site")).toMatchObject({ ok: false, kind: "forbidden" });
  });

  test("a key stops when its member is suspended; a site key stops when its admin is demoted", async () => {
    const member = await makeUser();
    const token = await keyFor(member, "read");
    expect((await api("GET", "/api/v1/questions", { key: token })).status).toBe(200);
    await prisma.user.update({ where: { id: member.id }, data: { status: "suspended" } });
    expect((await api("GET", "/api/v1/questions", { key: token })).status).toBe(401);

    const admin = await makeUser({ role: "admin" });
    const bot = await makeUser();
    const site = await createApiKey(actorOf({ id: admin.id, role: "admin" }), { name: "Help desk bridge", scope: "write", actAs: bot.handle }, "site");
    if (!site.ok || !site.value.token) throw new Error(JSON.stringify(site));
    expect(await prisma.auditEntry.count({ where: { action: "user.api_key_created", actorId: admin.id, targetId: bot.id } })).toBe(1);
    const category = await makeCategory();
    const asked = await api("POST", "/api/v1/questions", { key: site.value.token, body: askBody(category.id) });
    expect(asked.status).toBe(201);
    expect((await prisma.thread.findFirstOrThrow({ where: { id: BigInt(((await asked.json()) as { id: string }).id) } })).authorId).toBe(bot.id);
    await prisma.user.update({ where: { id: admin.id }, data: { role: "member" } });
    expect((await api("GET", "/api/v1/questions", { key: site.value.token })).status).toBe(401);
  });

  test("a key works again the moment its member's suspension ends; a silenced member's key reads but cannot write (ADR 068)", async () => {
    const member = await makeUser();
    const token = await keyFor(member);
    await prisma.user.update({ where: { id: member.id }, data: { status: "suspended", suspendedUntil: new Date(Date.now() + 60_000) } });
    expect((await api("GET", "/api/v1/questions", { key: token })).status).toBe(401);
    // The end passed a second ago; no sign-in, no job: the key is its member's again.
    await prisma.user.update({ where: { id: member.id }, data: { suspendedUntil: new Date(Date.now() - 1000) } });
    expect((await api("GET", "/api/v1/questions", { key: token })).status).toBe(200);

    await prisma.user.update({ where: { id: member.id }, data: { silencedAt: new Date(), silencedUntil: null } });
    expect((await api("GET", "/api/v1/questions", { key: token })).status).toBe(200);
    const category = await makeCategory();
    expect((await api("POST", "/api/v1/questions", { key: token, body: askBody(category.id) })).status).toBe(403);
    expect(await prisma.thread.count({ where: { authorId: member.id } })).toBe(0);
  });
});

describe("reading", () => {
  test("questions list and get without a key; hidden threads are not there (404 as problem details)", async () => {
    const asker = await makeUser();
    const { threadId } = await makeQuestion(asker.id, { title: "如何把发票导出为 CSV 文件？" });
    await makeAnswer((await makeUser()).id, threadId, "打开账单，然后选择发票，再点击导出。");
    const hidden = await makeQuestion(asker.id, { title: "A hidden question about the billing roadmap" });
    const moderator = await makeUser({ role: "moderator" });
    expect((await setPostHidden(moderator.id, hidden.postId, true)).ok).toBe(true);

    const list = await api("GET", "/api/v1/questions?sort=newest");
    expect(list.status).toBe(200);
    expect(list.headers.get("ratelimit-policy")).toBe('"apiPerIp";q=120;w=60');
    expect(list.headers.get("ratelimit")).toMatch(/^"apiPerIp";r=\d+;t=\d+$/);
    const page = (await list.json()) as { items: { id: string; title: string; url: string }[] };
    expect(page.items.map((i) => i.id)).toContain(String(threadId));
    expect(page.items.map((i) => i.id)).not.toContain(String(hidden.threadId));
    expect(page.items.find((i) => i.id === String(threadId))!.url).toMatch(new RegExp(`/questions/${threadId}/`));

    const one = await api("GET", `/api/v1/questions/${threadId}`);
    expect(one.status).toBe(200);
    expect(await one.json()).toMatchObject({ title: "如何把发票导出为 CSV 文件？", answers: [{ bodyHtml: expect.stringContaining("导出") }] });

    const gone = await api("GET", `/api/v1/questions/${hidden.threadId}`);
    expect(gone.status).toBe(404);
    expect(await gone.json()).toMatchObject({ type: "/api/v1/problems#not-found", status: 404 });
    expect((await api("GET", `/api/v1/questions/${hidden.threadId}`, { key: await keyFor({ id: moderator.id, role: "moderator" }, "read") })).status).toBe(200);
    expect((await api("GET", "/api/v1/questions/99999999999999999999")).status).toBe(404);
    expect((await api("GET", "/api/v1/questions?sort=bogus")).status).toBe(400);
  });
});

describe("a long thread", () => {
  test("GET /questions/{id} gives a page of 100 answers, accepted first, with the next page's address; the pages hold every answer once", async () => {
    const asker = await makeUser();
    const { threadId } = await makeQuestion(asker.id, { title: "Exportul facturilor în CSV: 101 răspunsuri" });
    const helpers = [await makeUser(), await makeUser(), await makeUser()];
    const ids: bigint[] = [];
    for (let i = 0; i < 101; i++) ids.push(await makeAnswer(helpers[i % 3]!.id, threadId, `Răspunsul ${i}: deschide Facturare, apoi Export (${i}).`));
    const { acceptAnswer } = await import("~/modules/questions/accept-answer.server.ts");
    expect((await acceptAnswer(asker.id, threadId, ids[100]!)).ok).toBe(true);

    type Page = { answerCount: number; answers: { id: string; accepted: boolean }[]; answersPage: { page: number; pageCount: number; perPage: number; total: number; next: string | null } };
    const first = (await (await api("GET", `/api/v1/questions/${threadId}`)).json()) as Page;
    expect(first.answers).toHaveLength(100);
    expect(first.answers[0]).toMatchObject({ id: String(ids[100]), accepted: true });
    expect(first.answersPage).toEqual({ page: 1, pageCount: 2, perPage: 100, total: 101, next: `${server.url}/api/v1/questions/${threadId}?page=2` });
    const second = (await (await api("GET", new URL(first.answersPage.next!).pathname + new URL(first.answersPage.next!).search)).json()) as Page;
    expect(second.answers).toHaveLength(1);
    expect(second.answersPage).toMatchObject({ page: 2, pageCount: 2, next: null });
    const seen = [...first.answers, ...second.answers].map((a) => a.id);
    expect(new Set(seen).size).toBe(101);
    expect([...seen].sort()).toEqual(ids.map(String).sort());

    for (const bad of ["0", "-1", "abc", "1.5"]) expect((await api("GET", `/api/v1/questions/${threadId}?page=${bad}`)).status).toBe(400);
  }, 120_000);
});

describe("writing", () => {
  test("cookies never authenticate a write: a signed-in browser without a key gets 401 and nothing is written", async () => {
    const member = await makeUser();
    const category = await makeCategory();
    const browser = new HttpClient(server.url);
    await browser.signIn(member.email, GOOD_PASSWORD);
    const response = await fetch(server.url + "/api/v1/questions", { method: "POST", headers: { Cookie: browser.cookieHeader(), "Content-Type": "application/json" }, body: JSON.stringify(askBody(category.id)) });
    expect(response.status).toBe(401);
    expect(await prisma.thread.count({ where: { authorId: member.id } })).toBe(0);
  });

  test("a read key cannot write (403); a write key asks, answers, comments and votes by the pages' rules", async () => {
    const [asker, helper] = [await makeUser(), await makeUser()];
    const category = await makeCategory();
    const readKey = await keyFor(asker, "read");
    expect((await api("POST", "/api/v1/questions", { key: readKey, body: askBody(category.id) })).status).toBe(403);

    const askerKey = await keyFor(asker);
    const asked = await api("POST", "/api/v1/questions", { key: askerKey, body: askBody(category.id, "Cum export facturile în format CSV?") });
    expect(asked.status).toBe(201);
    const { id: threadId } = (await asked.json()) as { id: string };
    const helperKey = await keyFor(helper);
    const answered = await api("POST", `/api/v1/questions/${threadId}/answers`, { key: helperKey, body: { bodyText: "Deschide Facturare, apoi Facturi, apoi Export." } });
    expect(answered.status).toBe(201);
    const { id: answerId, url: answerUrl } = (await answered.json()) as { id: string; url: string };
    // The same rules as the page: no vote on one's own post, accepting is the asker's.
    expect((await api("POST", `/api/v1/posts/${answerId}/votes`, { key: helperKey, body: { value: 1 } })).status).toBe(403);
    expect(await (await api("POST", `/api/v1/posts/${answerId}/votes`, { key: askerKey, body: { value: 1 } })).json()).toMatchObject({ value: 1, score: 1 });
    expect((await api("POST", `/api/v1/questions/${threadId}/accept`, { key: helperKey, body: { answerId } })).status).toBe(403);
    expect((await api("POST", `/api/v1/questions/${threadId}/accept`, { key: askerKey, body: { answerId } })).status).toBe(200);
    expect((await api("POST", `/api/v1/posts/${answerId}/comments`, { key: askerKey, body: { body: "Mulțumesc, a mers!" } })).status).toBe(201);
    const thread = (await (await api("GET", `/api/v1/questions/${threadId}`)).json()) as { resolved: boolean; answers: { accepted: boolean; url: string; comments: { body: string }[] }[] };
    expect(thread.resolved).toBe(true);
    // The address given when answering is the answer's address in the thread (the title has a Romanian letter).
    expect(answerUrl).toBe(thread.answers[0]!.url);
    expect(thread.answers[0]).toMatchObject({ accepted: true, comments: [{ body: "Mulțumesc, a mers!" }] });
  });

  test("bad input: field errors as problem details (400), a body that is not JSON (400 / 415)", async () => {
    const member = await makeUser();
    const key = await keyFor(member);
    const category = await makeCategory();
    const short = await api("POST", "/api/v1/questions", { key, body: { ...askBody(category.id), title: "csv?" } });
    expect(short.status).toBe(400);
    expect(short.headers.get("content-type")).toContain("application/problem+json");
    expect(await short.json()).toMatchObject({ status: 400, errors: { title: expect.any(Array) } });
    expect((await api("POST", "/api/v1/questions", { key, raw: "{not json" })).status).toBe(400);
    expect((await api("POST", "/api/v1/questions", { key, raw: "title=x", headers: { "Content-Type": "application/x-www-form-urlencoded" } })).status).toBe(415);
    expect(await prisma.thread.count({ where: { authorId: member.id } })).toBe(0);
  });

  test("Idempotency-Key: the same key and body give the same answer and one row; another body gives 409", async () => {
    const member = await makeUser();
    const key = await keyFor(member);
    const category = await makeCategory();
    const headers = { "Idempotency-Key": "ask-7f3c" };
    const body = askBody(category.id, "Why does the CSV export stop at 1000 rows?");
    const replies = await Promise.all([api("POST", "/api/v1/questions", { key, body, headers }), api("POST", "/api/v1/questions", { key, body, headers })]);
    const later = await api("POST", "/api/v1/questions", { key, body, headers });
    const answers = await Promise.all([...replies, later].map(async (r) => ({ status: r.status, body: await r.json() })));
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201]);
    expect(new Set(answers.map((a) => JSON.stringify(a.body))).size).toBe(1);
    expect(await prisma.thread.count({ where: { authorId: member.id } })).toBe(1);
    const other = await api("POST", "/api/v1/questions", { key, body: { ...body, title: "Another question about the CSV export limit" }, headers });
    expect(other.status).toBe(409);
    expect(await prisma.thread.count({ where: { authorId: member.id } })).toBe(1);
  });
});

describe("the OpenAPI document", () => {
  test("is OpenAPI 3.1, generated, and documents exactly the api.v1 routes", async () => {
    const response = await fetch(server.url + "/api/v1/openapi.json");
    expect(response.status).toBe(200);
    const doc = (await response.json()) as { openapi: string; paths: Record<string, Record<string, unknown>>; components: { schemas: Record<string, unknown> } };
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.components.schemas).toHaveProperty("Problem");
    const documented = Object.entries(doc.paths).flatMap(([p, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${p}`)).sort();
    expect(documented).toEqual(API_OPERATIONS.map((op) => `${op.method.toUpperCase()} /api/v1${op.path}`).sort());
    // Every route file under /api/v1 is documented, with the methods it answers.
    const files = fs.readdirSync(path.resolve("app/routes")).filter((f) => f.startsWith("api.v1.") && !f.startsWith("api.v1.openapi"));
    const fromFiles = files.flatMap((f) => {
      const source = fs.readFileSync(path.resolve("app/routes", f), "utf8");
      const route = "/api/v1/" + f.replace(/^api\.v1\./, "").replace(/\.tsx?$/, "").replace(/\._index$|^_index$/, "").split(".").map((s) => (s.startsWith("$") ? `{${s.slice(1)}}` : s)).join("/");
      return [...(/export (async )?function loader/.test(source) ? [`GET ${route}`] : []), ...(/export (async )?function action/.test(source) ? [`POST ${route}`] : [])];
    });
    expect(fromFiles.sort()).toEqual(documented);
    expect((await fetch(server.url + "/api/docs")).status).toBe(200);
  });
});

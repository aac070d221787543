import http from "node:http";
import zlib from "node:zlib";
import { afterAll, beforeAll, expect, test } from "vitest";
import { BODY_LIMITS, bodyLimitFor } from "~/server/body-limit.ts";
import { prisma } from "~/utils/db.server.ts";
import { HttpClient, startAppServer } from "../support/app-server.ts";
import { GOOD_PASSWORD, makeQuestion, makeUser } from "../support/factories.ts";

/**
 * Request bodies are capped before anything parses them (app/server/body-limit.ts, ADR 032). Before
 * the cap, a 10 MB plain-text answer was parsed for about 3 s, and /healthz waited as long.
 */
let server: Awaited<ReturnType<typeof startAppServer>>;
let member: HttpClient;
let threadPath: string;
let csrf: string;

beforeAll(async () => {
  server = await startAppServer();
  const user = await makeUser();
  const { threadId } = await makeQuestion(user.id);
  member = new HttpClient(server.url);
  await member.signIn(user.email, GOOD_PASSWORD);
  threadPath = (await member.get(`/questions/${threadId}`)).headers.get("location")!;
  csrf = await member.csrfToken(threadPath);
});
afterAll(() => server?.close());

/** Sends a request and, while it runs, asks /healthz every 20 ms: how long each took. */
async function whileHealthIsWatched<T>(send: () => Promise<T>) {
  const health: number[] = [];
  let done = false;
  const watch = (async () => {
    while (!done) {
      const started = performance.now();
      await new Promise((resolve, reject) => http.get(`${server.url}/healthz`, { agent: false }, (response) => response.resume().on("end", resolve)).on("error", reject));
      health.push(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  const started = performance.now();
  const response = await send();
  const elapsed = performance.now() - started;
  done = true;
  await watch;
  return { response, elapsed, slowestHealth: Math.max(...health) };
}

function answerForm(bodyText: string) {
  return new URLSearchParams({ csrf, intent: "answer", bodyText }).toString();
}

const formHeaders = () => ({ Cookie: member.cookieHeader(), Origin: server.url, "Content-Type": "application/x-www-form-urlencoded" });

/**
 * A POST on a connection of its own (fetch would reuse an idle keep-alive connection, which the
 * server may close just as a long upload starts). A Buffer body is sent with its length; chunks
 * are sent chunked, without one, as fast as the connection takes them.
 */
function rawPost(path: string, headers: Record<string, string>, body: Buffer | (() => Iterable<Buffer>)): Promise<{ status: number; type: string; text: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(server.url + path, { method: "POST", headers, agent: false }, (response) => {
      let text = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (text += chunk));
      response.on("end", () => resolve({ status: response.statusCode!, type: String(response.headers["content-type"]), text }));
    });
    request.on("error", reject);
    if (Buffer.isBuffer(body)) return void request.end(body);
    const chunks = body()[Symbol.iterator]();
    const write = () => {
      for (let next = chunks.next(); !next.done; next = chunks.next()) if (!request.write(next.value)) return void request.once("drain", write);
      request.end();
    };
    write();
  });
}

// Before the cap the answer below took about 3.5 s to refuse (400), and /healthz waited as long.
test("a 10 MB plain-text answer is refused with 413 at once while /healthz keeps answering", async () => {
  // What the browser sends for 5 Mi "a " pairs typed into the answer box, 10 MB URL-encoded.
  const body = Buffer.concat([Buffer.from(`csrf=${encodeURIComponent(csrf)}&intent=answer&bodyText=`), Buffer.alloc(10 * 1024 * 1024, "a+")]);
  const { response, elapsed, slowestHealth } = await whileHealthIsWatched(() => rawPost(threadPath, { ...formHeaders(), Accept: "text/html" }, body));
  expect(response.status).toBe(413);
  expect(response.text).toContain("too large");
  expect(elapsed).toBeLessThan(1000);
  expect(slowestHealth).toBeLessThan(500);
  expect(await prisma.post.count({ where: { kind: "answer" } })).toBe(0);
});

test("a chunked 10 MB body without a Content-Length is refused as it streams in", async () => {
  const chunk = Buffer.from("a+".repeat(32 * 1024));
  function* body() {
    yield Buffer.from(`csrf=${encodeURIComponent(csrf)}&intent=answer&bodyText=`);
    for (let sent = 0; sent < 10 * 1024 * 1024; sent += chunk.length) yield chunk;
  }
  const { response, elapsed, slowestHealth } = await whileHealthIsWatched(() => rawPost(threadPath, formHeaders(), body));
  expect(response.status).toBe(413);
  expect(JSON.parse(response.text)).toMatchObject({ ok: false, formErrors: [expect.stringContaining("at most 1 MB")] });
  expect(elapsed).toBeLessThan(1000);
  expect(slowestHealth).toBeLessThan(500);
});

test("a refusal is a page for a form sent without JavaScript and JSON for a Remix fetcher", async () => {
  const body = answerForm("x".repeat(BODY_LIMITS.richTextFormBytes));
  const page = await fetch(server.url + threadPath, { method: "POST", body, headers: { ...formHeaders(), Accept: "text/html,application/xhtml+xml" } });
  expect(page.status).toBe(413);
  expect(page.headers.get("content-type")).toContain("text/html");
  expect(await page.text()).toMatch(/<h1>Too much to send<\/h1>.*at most 1 MB/s);

  const data = await fetch(`${server.url}${threadPath}?_data=routes%2Fquestions.%24id.%24slug`, { method: "POST", body, headers: { ...formHeaders(), Accept: "text/html" } });
  expect(data.status).toBe(413);
  expect(await data.json()).toMatchObject({ ok: false, formErrors: [expect.stringContaining("at most 1 MB")], fieldErrors: {} });
});

test("forms without post text take 64 KB, while a long Chinese answer fits the larger cap of post forms", async () => {
  const login = await fetch(`${server.url}/login`, {
    method: "POST",
    body: new URLSearchParams({ csrf, email: "someone@example.com", password: "p".repeat(BODY_LIMITS.formBytes) }),
    headers: { Origin: server.url, Accept: "text/html" },
  });
  expect(login.status).toBe(413);
  expect(await login.text()).toContain("at most 64 KB");

  // 20,000 Chinese characters are 60 KB of UTF-8 and 180 KB once URL-encoded.
  const answer = "圖書館的借書期限是三週，可以續借兩次。".repeat(1053).slice(0, 20_000);
  const response = await fetch(server.url + threadPath, { method: "POST", body: answerForm(answer), headers: formHeaders() });
  expect(response.status).toBe(200);
  expect(await prisma.post.findFirst({ where: { kind: "answer" }, select: { bodyText: true } })).toEqual({ bodyText: answer });
});

test("a form of thousands of tiny fields is refused before it is parsed", async () => {
  const body = `csrf=${encodeURIComponent(csrf)}&intent=vote&` + "v=1&".repeat(BODY_LIMITS.maxFields + 1);
  const response = await fetch(server.url + threadPath, { method: "POST", body, headers: formHeaders() });
  expect(response.status).toBe(413);
  expect(await response.json()).toMatchObject({ formErrors: [expect.stringContaining("too many fields")] });

  const parts = new FormData();
  for (let i = 0; i <= BODY_LIMITS.maxFields; i++) parts.append("v", "1");
  const multipart = await fetch(`${server.url}/search/log`, { method: "POST", body: parts, headers: { Cookie: member.cookieHeader(), Origin: server.url } });
  expect(multipart.status).toBe(413);
});

test("a compressed body is refused rather than inflated", async () => {
  const response = await fetch(server.url + threadPath, {
    method: "POST",
    body: zlib.gzipSync(answerForm("short and compressed")),
    headers: { ...formHeaders(), "Content-Encoding": "gzip" },
  });
  expect(response.status).toBe(415);
});

test("an upload sent chunked without a length is refused at the upload cap", async () => {
  const chunk = Buffer.alloc(64 * 1024);
  function* body() {
    for (let sent = 0; sent <= BODY_LIMITS.uploadBytes + chunk.length; sent += chunk.length) yield chunk;
  }
  const response = await rawPost("/uploads", { Cookie: member.cookieHeader(), Origin: server.url, "Content-Type": "multipart/form-data; boundary=x" }, body);
  expect(response.status).toBe(413);
  expect(JSON.parse(response.text)).toMatchObject({ formErrors: [expect.stringContaining("at most 5.1 MB")] });
});

/** Every route module with an action, as a concrete path (parameters become "1"). */
function actionPaths(): string[] {
  const routes = server.build.routes;
  const fullPath = (id: string): string => {
    const route = routes[id]!;
    const parent = route.parentId && route.parentId !== "root" ? fullPath(route.parentId) : "";
    return [parent, route.path ?? ""].filter(Boolean).join("/");
  };
  return Object.values(routes)
    .filter((route) => (route.module as { action?: unknown }).action)
    .map((route) => "/" + fullPath(route.id).replace(/:[^/]+/g, "1").replace(/\*$/, "1"))
    .sort();
}

test("every route with an action takes a body up to its cap and refuses one byte more, sent without a length", async () => {
  const paths = actionPaths();
  expect(paths.length).toBeGreaterThan(15);
  expect(paths.filter((path) => bodyLimitFor(path) === BODY_LIMITS.richTextFormBytes)).toEqual(["/api/v1/questions", "/api/v1/questions/1/answers", "/kb/articles/1/edit", "/kb/new", "/posts/1/edit", "/questions/1/1", "/questions/new"]);
  expect(paths.filter((path) => bodyLimitFor(path) === BODY_LIMITS.uploadBytes)).toEqual(["/account/avatar", "/uploads"]);
  // "aaa…": one field, cheap to parse; in chunks of 64 KiB, without a length.
  const send = (path: string, bytes: number) =>
    rawPost(path, formHeaders(), function* () {
      for (let at = 0; at < bytes; at += 64 * 1024) yield Buffer.alloc(Math.min(64 * 1024, bytes - at), "a");
    });
  for (const path of paths) {
    const cap = bodyLimitFor(path);
    expect((await send(path, cap + 1)).status, `POST ${path} with ${cap + 1} bytes`).toBe(413);
    expect((await send(path, cap)).status, `POST ${path} with ${cap} bytes`).not.toBe(413);
  }
});

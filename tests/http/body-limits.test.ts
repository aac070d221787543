import zlib from "node:zlib";
import { afterAll, beforeAll, expect, test } from "vitest";
import { BODY_LIMITS } from "~/server/body-limit.ts";
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
async function whileHealthIsWatched(send: () => Promise<Response>) {
  const health: number[] = [];
  let done = false;
  const watch = (async () => {
    while (!done) {
      const started = performance.now();
      await (await fetch(`${server.url}/healthz`)).text();
      health.push(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  const started = performance.now();
  const response = await send();
  const text = await response.text();
  const elapsed = performance.now() - started;
  done = true;
  await watch;
  return { response, text, elapsed, slowestHealth: Math.max(...health) };
}

function answerForm(bodyText: string) {
  return new URLSearchParams({ csrf, intent: "answer", bodyText }).toString();
}

const formHeaders = () => ({ Cookie: member.cookieHeader(), Origin: server.url, "Content-Type": "application/x-www-form-urlencoded" });

test("a 10 MB plain-text answer is refused with 413 at once while /healthz keeps answering", async () => {
  const body = answerForm("a ".repeat(5 * 1024 * 1024));
  const { response, text, elapsed, slowestHealth } = await whileHealthIsWatched(() =>
    fetch(server.url + threadPath, { method: "POST", body, headers: { ...formHeaders(), Accept: "text/html" } }),
  );
  expect(response.status).toBe(413);
  expect(text).toContain("too large");
  expect(elapsed).toBeLessThan(1000);
  expect(slowestHealth).toBeLessThan(250);
  expect(await prisma.post.count({ where: { kind: "answer" } })).toBe(0);
});

test("a chunked 10 MB body without a Content-Length is refused as it streams in", async () => {
  const chunk = new TextEncoder().encode("a+".repeat(32 * 1024));
  let sent = 0;
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode(`csrf=${encodeURIComponent(csrf)}&intent=answer&bodyText=`));
    },
    pull(controller) {
      if (sent >= 10 * 1024 * 1024) return controller.close();
      sent += chunk.length;
      controller.enqueue(chunk);
    },
  });
  const { response, text, elapsed, slowestHealth } = await whileHealthIsWatched(() =>
    fetch(server.url + threadPath, { method: "POST", body: stream, duplex: "half", headers: formHeaders() } as RequestInit),
  );
  expect(response.status).toBe(413);
  expect(JSON.parse(text)).toMatchObject({ ok: false, formErrors: [expect.stringContaining("at most 1 MB")] });
  expect(elapsed).toBeLessThan(1000);
  expect(slowestHealth).toBeLessThan(250);
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
  const chunk = new Uint8Array(64 * 1024);
  let sent = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent > BODY_LIMITS.uploadBytes + chunk.length) return controller.close();
      sent += chunk.length;
      controller.enqueue(chunk);
    },
  });
  const response = await fetch(`${server.url}/uploads`, {
    method: "POST",
    body: stream,
    duplex: "half",
    headers: { Cookie: member.cookieHeader(), Origin: server.url, "Content-Type": "multipart/form-data; boundary=x" },
  } as RequestInit);
  expect(response.status).toBe(413);
  expect(await response.json()).toMatchObject({ formErrors: [expect.stringContaining("at most 5.1 MB")] });
});

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { HttpClient } from "../support/app-server.ts";
import { drainEvents, GOOD_PASSWORD, makeQuestion, makeUser } from "../support/factories.ts";
import { killProcessGroup, startServerProcess, waitForExit, type ServerProcess } from "../support/server-process.ts";

/** An open /notifications/stream: the counts it has pushed so far, and a way to wait for one. */
function openStream(url: string, cookie: string) {
  const counts: number[] = [];
  const waiters: { check: () => boolean; resolve: () => void }[] = [];
  const controller = new AbortController();
  const ready = fetch(`${url}/notifications/stream`, { headers: { Cookie: cookie, Accept: "text/event-stream" }, signal: controller.signal }).then(async (response) => {
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    void (async () => {
      for (;;) {
        const chunk = await reader.read().catch(() => ({ done: true, value: undefined }));
        if (chunk.done) return;
        buffer += decoder.decode(chunk.value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (/^event: count$/m.test(block)) counts.push(Number(/^data: (.*)$/m.exec(block)![1]));
          for (const w of waiters.splice(0)) (w.check() ? w.resolve : () => waiters.push(w))();
        }
      }
    })();
  });
  return {
    counts,
    ready: async () => {
      await ready;
      await new Promise<void>((resolve) => {
        const check = () => counts.length > 0;
        if (check()) resolve();
        else waiters.push({ check, resolve });
      });
    },
    /** Resolves once a count of at least `value` arrives; rejects after `ms`. */
    waitFor(value: number, ms: number): Promise<void> {
      return new Promise((resolve, reject) => {
        const check = () => counts.some((c) => c >= value);
        if (check()) return resolve();
        const timer = setTimeout(() => reject(new Error(`count ${value} did not arrive within ${ms} ms (got ${counts.join(", ")})`)), ms);
        waiters.push({ check, resolve: () => (clearTimeout(timer), resolve()) });
      });
    },
    close: () => controller.abort(),
  };
}

async function stop(server: ServerProcess | undefined) {
  if (!server) return;
  killProcessGroup(server.child, "SIGTERM");
  await waitForExit(server.child);
}

/** Posts an answer through the thread page's form (the no-JavaScript field) and checks it was taken. */
async function answerOver(client: HttpClient, threadPath: string, text: string) {
  const response = await client.post(threadPath, { intent: "answer", bodyText: text }, { csrf: await client.csrfToken(threadPath) });
  expect(response.status).toBeLessThan(400);
}

describe("live counts reach every app server", () => {
  test("two app server processes both push the new count to a connected client within 5 s (PostgreSQL LISTEN/NOTIFY)", async () => {
    const asker = await makeUser();
    const helper = await makeUser();
    const { threadId } = await makeQuestion(asker.id);
    // The fixtures' events (reputation, the question) grant badges, and a badge is a notification:
    // handle them all now, so no server's worker adds one to the count while the streams open.
    await drainEvents();
    let a: ServerProcess | undefined;
    let b: ServerProcess | undefined;
    try {
      [a, b] = await Promise.all([startServerProcess({ DATABASE_URL: process.env.DATABASE_URL }), startServerProcess({ DATABASE_URL: process.env.DATABASE_URL })]);
      const askerClient = new HttpClient(a.url);
      await askerClient.signIn(asker.email, GOOD_PASSWORD);
      // The same session cookie on both servers: one browser tab on each.
      const onA = openStream(a.url, askerClient.cookieHeader());
      const onB = openStream(b.url, askerClient.cookieHeader());
      await Promise.all([onA.ready(), onB.ready()]);
      const before = onA.counts.at(-1)!;
      expect(onB.counts.at(-1)).toBe(before);

      const helperClient = new HttpClient(b.url);
      await helperClient.signIn(helper.email, GOOD_PASSWORD);
      const page = await helperClient.get(`/questions/${threadId}`);
      const threadPath = page.headers.get("location")!;
      const started = Date.now();
      await answerOver(helperClient, threadPath, "Open Billing, then Invoices, then use the Export menu.");
      await Promise.all([onA.waitFor(before + 1, 5_000), onB.waitFor(before + 1, 5_000)]);
      expect(Date.now() - started).toBeLessThan(5_000);
      onA.close();
      onB.close();
    } finally {
      await Promise.all([stop(a), stop(b)]);
    }
  }, 180_000);

  test("on the embedded database (no LISTEN/NOTIFY through pglite-socket) the count still arrives within 5 s, by polling", async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "threadwise-live-embedded-"));
    let server: ServerProcess | undefined;
    try {
      server = await startServerProcess({ DATABASE_URL: undefined, DATA_DIR: dataDir });
      // The embedded demo's accounts: Max asked "How do I download all my invoices as a CSV file?".
      const max = new HttpClient(server.url);
      await max.signIn("member@threadwise.demo", "demo-member-pass");
      const stream = openStream(server.url, max.cookieHeader());
      await stream.ready();
      // The demo's own events are being handled in the background: wait until the count settles.
      let before = stream.counts.at(-1)!;
      for (let i = 0; i < 20; i++) {
        await new Promise((r) => setTimeout(r, 500));
        if (stream.counts.at(-1) === before && i > 6) break;
        before = stream.counts.at(-1)!;
      }
      const sam = new HttpClient(server.url);
      await sam.signIn("staff@threadwise.demo", "demo-staff-pass");
      const list = await (await sam.get("/questions")).text();
      const threadPath = /href="(\/questions\/\d+\/how-do-i-download-all-my-invoices[^"]*)"/.exec(list)![1]!;
      const started = Date.now();
      await answerOver(sam, threadPath, "One more way: Reports, then Invoices, then CSV.");
      await stream.waitFor(before + 1, 5_000);
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(server.output()).not.toMatch(/live counts: could not read/);
      stream.close();
    } finally {
      await stop(server);
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 180_000);
});

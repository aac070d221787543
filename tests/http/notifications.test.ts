import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { unsubscribeToken } from "~/modules/notifications/unsubscribe.server.ts";
import { prisma } from "~/utils/db.server.ts";
import { HttpClient, startAppServer } from "../support/app-server.ts";
import { drainEvents, GOOD_PASSWORD, makeAnswer, makeQuestion, makeUser } from "../support/factories.ts";

let server: Awaited<ReturnType<typeof startAppServer>>;
beforeAll(async () => {
  server = await startAppServer();
});
afterAll(() => server?.close());

async function signedIn(email: string) {
  const client = new HttpClient(server.url);
  await client.signIn(email, GOOD_PASSWORD);
  return client;
}

async function readAllFor(userId: string) {
  await prisma.notification.updateMany({ where: { recipientId: userId }, data: { readAt: new Date() } });
}

/** Reads server-sent events from a stream until `until` is satisfied (or the time is up). */
async function readEvents(response: Response, until: (counts: number[]) => boolean, timeoutMs = 5_000): Promise<number[]> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const counts: number[] = [];
  let buffer = "";
  const deadline = Date.now() + timeoutMs;
  try {
    while (!until(counts) && Date.now() < deadline) {
      const chunk = await Promise.race([reader.read(), new Promise<null>((r) => setTimeout(() => r(null), Math.max(1, deadline - Date.now())))]);
      if (!chunk || chunk.done) break;
      buffer += decoder.decode(chunk.value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (/^event: count$/m.test(block)) counts.push(Number(/^data: (.*)$/m.exec(block)![1]));
      }
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  return counts;
}

describe("the bell and the notifications page", () => {
  test("the header shows the unread count in the bell's name; opening a notice marks it read and goes to the exact post", async () => {
    const asker = await makeUser();
    const helper = await makeUser();
    const { threadId } = await makeQuestion(asker.id, { title: "Where do I download <b>invoices</b> as PDF?" });
    await drainEvents();
    await readAllFor(asker.id);
    const answerId = await makeAnswer(helper.id, threadId);
    await drainEvents();

    const client = await signedIn(asker.email);
    const home = await (await client.get("/")).text();
    expect(home).toContain('aria-label="Notifications, 1 unread"');
    const page = await client.get("/notifications");
    expect(page.status).toBe(200);
    const html = await page.text();
    // The title is text, escaped, never markup.
    expect(html).toContain("answered your question “Where do I download &lt;b&gt;invoices&lt;/b&gt; as PDF?”");
    const ids = /name="intent" value="open"\/><input type="hidden" name="ids" value="([\d,]+)"/.exec(html)?.[1];
    expect(ids).toBeTruthy();

    const opened = await client.post("/notifications", { intent: "open", ids: ids! }, { csrf: await client.csrfToken("/notifications") });
    expect(opened.status).toBe(303);
    expect(opened.headers.get("location")).toMatch(new RegExp(`^/questions/${threadId}/[a-z0-9-]+\\?answer=${answerId}#post-${answerId}$`));
    expect(await (await client.get("/")).text()).toContain('aria-label="Notifications"');
  });

  test("another member's notification id is 404 and stays unread; a malformed id is 400", async () => {
    const asker = await makeUser();
    const stranger = await makeUser();
    const { threadId } = await makeQuestion(asker.id);
    await makeAnswer(stranger.id, threadId);
    await drainEvents();
    const notice = await prisma.notification.findFirstOrThrow({ where: { recipientId: asker.id, kind: "answer_on_question" } });
    const client = await signedIn(stranger.email);
    const csrf = await client.csrfToken("/notifications");
    expect((await client.post("/notifications", { intent: "open", ids: notice.id.toString() }, { csrf })).status).toBe(404);
    expect((await client.post("/notifications", { intent: "read", ids: notice.id.toString() }, { csrf })).status).toBe(404);
    expect((await client.post("/notifications", { intent: "read", ids: "12;34" }, { csrf })).status).toBe(400);
    expect((await prisma.notification.findUniqueOrThrow({ where: { id: notice.id } })).readAt).toBeNull();
    expect((await new HttpClient(server.url).get("/notifications")).status).toBe(302);
  });

  test("the count follows server-sent events on /notifications/stream", async () => {
    const asker = await makeUser();
    const helper = await makeUser();
    const { threadId } = await makeQuestion(asker.id);
    await drainEvents();
    await readAllFor(asker.id);
    const client = await signedIn(asker.email);
    const controller = new AbortController();
    const stream = await fetch(`${server.url}/notifications/stream`, { headers: { Cookie: client.cookieHeader(), Accept: "text/event-stream" }, signal: controller.signal });
    expect(stream.headers.get("content-type")).toMatch(/^text\/event-stream/);
    expect(stream.headers.get("content-encoding")).toBeNull();
    const reading = readEvents(stream, (counts) => counts.includes(1));
    await new Promise((r) => setTimeout(r, 300));
    await makeAnswer(helper.id, threadId);
    await drainEvents();
    const counts = await reading;
    controller.abort();
    expect(counts[0]).toBe(0);
    expect(counts).toContain(1);
    // Signed out: 204, which stops EventSource from reconnecting.
    expect((await fetch(`${server.url}/notifications/stream`)).status).toBe(204);
  });
});

/** Reads a stream's events until it ends or the time is up: the event names seen, and whether the server ended it. */
async function watchStream(response: Response, timeoutMs: number): Promise<{ events: string[]; ended: boolean }> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const events: string[] = [];
  let buffer = "";
  const deadline = Date.now() + timeoutMs;
  try {
    while (Date.now() < deadline) {
      const chunk = await Promise.race([reader.read(), new Promise<null>((r) => setTimeout(() => r(null), Math.max(1, deadline - Date.now())))]);
      if (!chunk) break;
      if (chunk.done) return { events, ended: true };
      buffer += decoder.decode(chunk.value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const name = /^event: (.*)$/m.exec(buffer.slice(0, end))?.[1];
        if (name) events.push(name);
        buffer = buffer.slice(end + 2);
      }
    }
    return { events, ended: false };
  } finally {
    await reader.cancel().catch(() => {});
  }
}

describe("an open stream ends with its session", () => {
  const openStream = (client: HttpClient, signal: AbortSignal) =>
    fetch(`${server.url}/notifications/stream`, { headers: { Cookie: client.cookieHeader(), Accept: "text/event-stream" }, signal });

  test("revoking a browser's session from another ends that browser's stream within seconds; the other's stays open", async () => {
    const member = await makeUser();
    const laptop = await signedIn(member.email);
    const [laptopSession] = await prisma.session.findMany({ where: { userId: member.id }, select: { id: true } });
    const phone = await signedIn(member.email);
    const controller = new AbortController();
    const laptopStream = watchStream(await openStream(laptop, controller.signal), 5_000);
    const phoneStream = watchStream(await openStream(phone, controller.signal), 5_000);
    await new Promise((r) => setTimeout(r, 300));

    const revoked = await phone.post("/account", { intent: "revoke", sessionId: laptopSession!.id }, { csrf: await phone.csrfToken("/account") });
    expect(revoked.status).toBe(200);
    const [onLaptop, onPhone] = await Promise.all([laptopStream, phoneStream]);
    controller.abort();
    expect(onLaptop.ended).toBe(true);
    expect(onLaptop.events.at(-1)).toBe("end");
    expect(onPhone).toMatchObject({ ended: false });
    expect(onPhone.events).not.toContain("end");
    // Reconnecting with the revoked cookie: 204, EventSource stops.
    expect((await openStream(laptop, new AbortController().signal)).status).toBe(204);
  });

  test("a session that expires while its stream is open: the stream ends at the next count it would get", async () => {
    const asker = await makeUser();
    const helper = await makeUser();
    const { threadId } = await makeQuestion(asker.id);
    await drainEvents();
    const client = await signedIn(asker.email);
    const controller = new AbortController();
    const stream = watchStream(await openStream(client, controller.signal), 5_000);
    await new Promise((r) => setTimeout(r, 300));
    await prisma.session.updateMany({ where: { userId: asker.id }, data: { expiresAt: new Date(Date.now() - 1_000) } });
    // A new notice for the member: the count is re-read, and the session with it.
    await makeAnswer(helper.id, threadId);
    await drainEvents();
    const seen = await stream;
    controller.abort();
    expect(seen.ended).toBe(true);
    expect(seen.events.at(-1)).toBe("end");
  });
});

describe("settings and unsubscribing", () => {
  test("settings save per group; a bad value is 400 with a message and changes nothing", async () => {
    const member = await makeUser();
    const client = await signedIn(member.email);
    const csrf = await client.csrfToken("/account/notifications");
    const good = { answers: "daily", comments: "in_app", accepts: "immediate", mentions: "weekly", achievements: "in_app", watching: "weekly", moderation: "immediate" };
    expect((await client.post("/account/notifications", good, { csrf })).status).toBe(200);
    const stored = await prisma.notificationSetting.findMany({ where: { userId: member.id }, orderBy: { kind: "asc" } });
    expect(Object.fromEntries(stored.map((s) => [s.kind, s.delivery]))).toEqual(good);
    const bad = await client.post("/account/notifications", { ...good, answers: "hourly", userId: "someone-else" }, { csrf });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("Choose in-app only, at once, daily or weekly");
    expect((await prisma.notificationSetting.findFirstOrThrow({ where: { userId: member.id, kind: "answers" } })).delivery).toBe("daily");
  });

  test("RFC 8058 one-click unsubscribe needs no sign-in, changes only that group, and refuses a forged token with 400", async () => {
    const member = await makeUser();
    const token = unsubscribeToken(member.id, "answers");
    const anonymous = new HttpClient(server.url);
    const page = await anonymous.get(`/unsubscribe/${token}`);
    expect(page.status).toBe(200);
    expect(await prisma.notificationSetting.count({ where: { userId: member.id } })).toBe(0);

    // What a mail provider sends: a bare POST with this body, no cookie, no CSRF token, no Origin.
    const oneClick = await fetch(`${server.url}/unsubscribe/${token}`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "List-Unsubscribe=One-Click",
      redirect: "manual",
    });
    expect(oneClick.status).toBe(200);
    const settings = await prisma.notificationSetting.findMany({ where: { userId: member.id } });
    expect(settings.map((s) => [s.kind, s.delivery])).toEqual([["answers", "in_app"]]);

    const forged = [
      `${member.id}.answers.${"A".repeat(43)}`,
      `${member.id}.comments.${token.split(".")[2]}`,
      token.replace(member.id, (await makeUser()).id),
      "not-a-token",
      `${member.id}.nosuchgroup.${token.split(".")[2]}`,
    ];
    for (const bad of forged) {
      const get = await anonymous.get(`/unsubscribe/${encodeURIComponent(bad)}`);
      expect(get.status, bad).toBe(400);
      expect(await get.text()).toContain("This unsubscribe link is not valid");
      const post = await fetch(`${server.url}/unsubscribe/${encodeURIComponent(bad)}`, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "List-Unsubscribe=One-Click" });
      expect(post.status, bad).toBe(400);
    }
    expect(await prisma.notificationSetting.count({ where: { userId: member.id } })).toBe(1);
  });
});

describe("watching", () => {
  test("Watch / Stop watching on a tag page and a thread, without JavaScript, and the Watching tab lists them", async () => {
    const asker = await makeUser();
    const member = await makeUser();
    const { threadId } = await makeQuestion(asker.id, { tags: ["exports"] });
    const tag = await prisma.tag.findUniqueOrThrow({ where: { name: "exports" } });
    const client = await signedIn(member.email);
    const tagPage = await (await client.get("/tags/exports")).text();
    expect(tagPage).toContain('aria-label="Watch the tag exports"');
    const csrf = await client.csrfToken("/tags/exports");
    const watched = await client.post("/watches", { targetType: "tag", targetId: String(tag.id), watching: "true", returnTo: "/tags/exports" }, { csrf });
    expect(watched.status).toBe(303);
    expect(watched.headers.get("location")).toBe("/tags/exports");
    expect(await (await client.get("/tags/exports")).text()).toContain('aria-label="Stop watching the tag exports"');

    const thread = await prisma.thread.findUniqueOrThrow({ where: { id: threadId } });
    for (const returnTo of ["//evil.example/x", "/\\evil.example", "/\t/evil.example", "https://evil.example/"]) {
      const r = await client.post("/watches", { targetType: "thread", targetId: String(threadId), watching: "true", returnTo }, { csrf });
      expect(r.headers.get("location"), returnTo).toBe("/account/watching");
    }
    const list = await (await client.get("/account/watching")).text();
    expect(list).toContain(thread.title);
    expect(list).toContain(">exports</a>");
    const missing = await client.post("/watches", { targetType: "thread", targetId: "999999999", watching: "true" }, { csrf });
    expect(missing.status).toBe(404);
    const bad = await client.post("/watches", { targetType: "forum", targetId: "1", watching: "true" }, { csrf });
    expect(bad.status).toBe(400);
  });
});

import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { sendDigests, sendNotificationEmail } from "~/modules/notifications/send-notification-mail.server.ts";
import { storeDeliveries } from "~/modules/notifications/notification-settings.server.ts";
import { prisma } from "~/utils/db.server.ts";
import { startAppServer } from "../support/app-server.ts";
import { drainEvents, makeAnswer, makeQuestion, makeUser } from "../support/factories.ts";
import { readMailbox, startMailCapture, type CapturedMail } from "../support/mail-capture.ts";

// A real SMTP server on 127.0.0.1, as the password reset's journey uses: the app sends through it
// exactly as it would through a provider.
const mailbox = fs.mkdtempSync(path.join(os.tmpdir(), "threadwise-notify-mail-"));
const refuse = new Map<string, { code: number; message: string }>();
let stall: { address: string; reached: () => void } | undefined;
const capture = await startMailCapture(mailbox, 0, {
  refuse,
  beforeAccept: (mail) => (stall && mail.to.includes(stall.address) ? (stall.reached(), new Promise<void>(() => {})) : undefined),
});
process.env.SMTP_URL = `smtp://127.0.0.1:${capture.port}`;
process.env.APP_URL = "https://support.example.com";

let server: Awaited<ReturnType<typeof startAppServer>>;
beforeAll(async () => {
  server = await startAppServer();
});
afterAll(async () => {
  await server?.close();
  await capture.close();
  fs.rmSync(mailbox, { recursive: true, force: true });
});

const mailsTo = (email: string): CapturedMail[] => readMailbox(mailbox).filter((m) => m.to.includes(email.toLowerCase()));

/** A member whose only unread notice is a fresh answer to their question; returns the notice. */
async function answeredQuestion(title = "How do I export my invoices as CSV?") {
  const asker = await makeUser();
  const helper = await makeUser();
  const { threadId } = await makeQuestion(asker.id, { title });
  await drainEvents();
  const answerId = await makeAnswer(helper.id, threadId, "Open Billing, then Invoices, then use the Export menu at the top right.");
  await drainEvents();
  const notice = await prisma.notification.findFirstOrThrow({ where: { recipientId: asker.id, kind: "answer_on_question" } });
  return { asker, helper, threadId, answerId, notice };
}

describe("an e-mail at once", () => {
  test("is multipart, says why, links the exact post, escapes the title, and one-click unsubscribe works without signing in", async () => {
    const { asker, threadId, answerId, notice } = await answeredQuestion('Export <script>alert("x")</script> & totals as CSV?');
    expect(await sendNotificationEmail(notice.id)).toBe("sent");
    expect(await sendNotificationEmail(notice.id)).toBe("skipped");
    const mails = mailsTo(asker.email);
    expect(mails).toHaveLength(1);
    const mail = mails[0]!;
    expect(mail.subject).toMatch(/answered your question “Export <script>alert\("x"\)<\/script> & totals as CSV\?”$/);
    expect(mail.text).toContain('“Export <script>alert("x")</script> & totals as CSV?”');
    expect(mail.html).toContain("Export &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; totals as CSV?");
    expect(mail.html).not.toContain("<script>");
    const { slug } = await prisma.thread.findUniqueOrThrow({ where: { id: threadId } });
    const postUrl = `https://support.example.com/questions/${threadId}/${slug}?answer=${answerId}#post-${answerId}`;
    expect(mail.text).toContain(postUrl);
    expect(mail.html).toContain(`href="${postUrl}"`);
    expect(mail.text).toContain("You get this because you asked this question.");
    expect(mail.text).toContain("Open Billing, then Invoices");
    expect(mail.messageId).toBe(`<n-${notice.id}@support.example.com>`);
    expect(mail.headers!["list-unsubscribe-post"]).toBe("List-Unsubscribe=One-Click");
    const unsubscribeUrl = /^<(https:\/\/support\.example\.com\/unsubscribe\/[^>]+)>$/.exec(mail.headers!["list-unsubscribe"]!)?.[1];
    expect(unsubscribeUrl).toBeTruthy();
    expect(mail.text).toContain(unsubscribeUrl!);

    // The one-click POST as a mail provider sends it: no cookie, no CSRF token.
    const response = await fetch(unsubscribeUrl!.replace("https://support.example.com", server.url), {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "List-Unsubscribe=One-Click",
    });
    expect(response.status).toBe(200);
    expect(await prisma.notificationSetting.findMany({ where: { userId: asker.id }, select: { kind: true, delivery: true } })).toEqual([{ kind: "answers", delivery: "in_app" }]);
  });

  test("is not sent for a notice already read in the app, nor after the member chose in-app only", async () => {
    const first = await answeredQuestion();
    await prisma.notification.update({ where: { id: first.notice.id }, data: { readAt: new Date() } });
    expect(await sendNotificationEmail(first.notice.id)).toBe("skipped");
    const second = await answeredQuestion();
    await storeDeliveries(second.asker.id, { answers: "in_app" });
    expect(await sendNotificationEmail(second.notice.id)).toBe("skipped");
    expect([...mailsTo(first.asker.email), ...mailsTo(second.asker.email)]).toEqual([]);
  });

  test("a bounced address stops e-mail but not in-app notices; a temporary refusal is retried and sent once", async () => {
    const bounced = await answeredQuestion();
    refuse.set(bounced.asker.email.toLowerCase(), { code: 550, message: "No such mailbox" });
    expect(await sendNotificationEmail(bounced.notice.id)).toBe("bounced");
    expect(await prisma.mailBounce.findUnique({ where: { userId: bounced.asker.id } })).toMatchObject({ email: bounced.asker.email.toLowerCase() });
    // The next answer still reaches them in the app, and no e-mail job is queued for it.
    const later = await makeAnswer(bounced.helper.id, bounced.threadId, "One more idea: try the CSV button in Reports.");
    await drainEvents();
    const notice = await prisma.notification.findFirstOrThrow({ where: { recipientId: bounced.asker.id, postId: later } });
    const jobs = await prisma.$queryRaw<{ n: bigint }[]>`
      SELECT count(*) AS n FROM graphile_worker._private_jobs WHERE payload->>'notificationId' = ${notice.id.toString()}`;
    expect(Number(jobs[0]!.n)).toBe(0);

    const flaky = await answeredQuestion();
    refuse.set(flaky.asker.email.toLowerCase(), { code: 451, message: "Try again later" });
    await expect(sendNotificationEmail(flaky.notice.id)).rejects.toThrow();
    expect((await prisma.notificationMail.findFirstOrThrow({ where: { userId: flaky.asker.id } })).status).toBe("failed");
    refuse.delete(flaky.asker.email.toLowerCase());
    expect(await sendNotificationEmail(flaky.notice.id)).toBe("sent");
    expect(await sendNotificationEmail(flaky.notice.id)).toBe("skipped");
    expect(mailsTo(flaky.asker.email)).toHaveLength(1);
  });

  test("a job killed in the middle of the SMTP exchange is retried without sending the same e-mail twice", async () => {
    const { asker, notice } = await answeredQuestion();
    const reached = new Promise<void>((resolve) => (stall = { address: asker.email.toLowerCase(), reached: resolve }));
    const child = spawn(path.resolve("node_modules/.bin/tsx"), ["tests/support/send-notification-mail-child.ts", notice.id.toString()], {
      env: { ...process.env, LOG_LEVEL: "warn" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    await Promise.race([reached, new Promise((_, reject) => child.once("exit", () => reject(new Error(`child exited early:\n${output}`))))]);
    // The whole message is at the SMTP server, which has not answered yet: kill -9 now.
    child.kill("SIGKILL");
    await new Promise((resolve) => child.once("exit", resolve));
    stall = undefined;
    expect(mailsTo(asker.email)).toHaveLength(1);
    expect((await prisma.notificationMail.findFirstOrThrow({ where: { userId: asker.id } })).status).toBe("sending");
    // The queue retries the job: the claim is there, so nothing is sent again.
    expect(await sendNotificationEmail(notice.id)).toBe("skipped");
    expect(mailsTo(asker.email)).toHaveLength(1);
  });
});

describe("digests", () => {
  test("one e-mail per member with everything unread; nothing for a member with nothing new; a second run sends nothing", async () => {
    const asker = await makeUser();
    const watcher = await makeUser();
    const quiet = await makeUser();
    const weekly = await makeUser();
    const { threadId } = await makeQuestion(asker.id);
    await drainEvents();
    for (const member of [watcher, quiet, weekly]) {
      await prisma.watch.create({ data: { userId: member.id, targetType: "thread", targetId: threadId, level: member === quiet ? "muted" : "watching" } });
    }
    await storeDeliveries(weekly.id, { watching: "weekly" });
    const helper = await makeUser();
    await makeAnswer(helper.id, threadId, "First idea: the Export menu in Billing.");
    await makeAnswer(helper.id, threadId, "Second idea: Reports, then CSV.");
    await drainEvents();
    // One of the watcher's notices was read in the app: only the other goes out.
    const [read] = await prisma.notification.findMany({ where: { recipientId: watcher.id, kind: "watched_thread" }, orderBy: { id: "asc" } });
    await prisma.notification.update({ where: { id: read!.id }, data: { readAt: new Date() } });

    const report = await sendDigests("daily", new Date());
    expect(report.sent).toBeGreaterThanOrEqual(1);
    const digest = mailsTo(watcher.email);
    expect(digest).toHaveLength(1);
    expect(digest[0]!.subject).toBe("Your daily digest: 1 new notification");
    expect(digest[0]!.text).toContain("posted in “How do I export my invoices as CSV?”, which you watch");
    expect(digest[0]!.html).toContain("<ul");
    expect(digest[0]!.headers!["list-unsubscribe-post"]).toBe("List-Unsubscribe=One-Click");
    expect(digest[0]!.headers!["list-unsubscribe"]).toMatch(/\/unsubscribe\/[^.]+\.watching\./);
    expect(mailsTo(quiet.email)).toEqual([]);
    expect(mailsTo(weekly.email)).toEqual([]);

    await sendDigests("daily", new Date());
    expect(mailsTo(watcher.email)).toHaveLength(1);
    await sendDigests("weekly", new Date());
    expect(mailsTo(weekly.email).map((m) => m.subject)).toEqual(["Your weekly digest: 2 new notifications"]);
  });
});

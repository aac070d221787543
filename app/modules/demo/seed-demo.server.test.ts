import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, expect, test } from "vitest";
import { sendDigests, sendNotificationEmail } from "~/modules/notifications/send-notification-mail.server.ts";
import { prisma } from "~/utils/db.server.ts";
import { drainEvents, makeAnswer, makeUser } from "../../../tests/support/factories.ts";
import { readMailbox, startMailCapture } from "../../../tests/support/mail-capture.ts";
import { DEMO_THREADS } from "./demo-threads.ts";
import { seedDemo } from "./seed-demo.server.ts";

// A real SMTP server: whatever the queued jobs would send arrives here.
const mailbox = fs.mkdtempSync(path.join(os.tmpdir(), "threadwise-demo-mail-"));
const capture = await startMailCapture(mailbox);
process.env.SMTP_URL = `smtp://127.0.0.1:${capture.port}`;
afterAll(async () => {
  await capture.close();
  fs.rmSync(mailbox, { recursive: true, force: true });
});

/** The notification e-mails the queue holds, by notice id. */
async function queuedNotificationMails(): Promise<bigint[]> {
  const rows = await prisma.$queryRaw<{ id: string }[]>`
    SELECT j.payload->>'notificationId' AS id FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks t ON t.id = j.task_id
    WHERE t.identifier = 'send-notification-email'`;
  return rows.map((r) => BigInt(r.id));
}

test("the demo's history shows in the members' notifications, read, and sends no e-mail, at once or in a digest; new activity does", async () => {
  expect(await seedDemo()).toBe(true);
  // What the worker does after the start: every event's handlers, and every queued notification e-mail.
  await drainEvents();
  const results = await Promise.all((await queuedNotificationMails()).map((id) => sendNotificationEmail(id)));
  const digests = [(await sendDigests("daily")).sent, (await sendDigests("weekly")).sent];
  expect(readMailbox(mailbox).map((m) => `${m.to.join(",")}: ${m.subject}`)).toEqual([]);
  expect(results.every((r) => r === "skipped")).toBe(true);
  expect(digests).toEqual([0, 0]);
  // The history is there to look at: in the lists, already read.
  expect(await prisma.notification.count()).toBeGreaterThan(0);
  expect(await prisma.notification.count({ where: { readAt: null } })).toBe(0);

  // After the seed, an answer to a demo question notifies and e-mails its asker as usual.
  const thread = await prisma.thread.findFirstOrThrow({ where: { title: DEMO_THREADS[0]!.title }, select: { id: true, authorId: true } });
  const helper = await makeUser();
  await makeAnswer(helper.id, thread.id);
  await drainEvents();
  const notice = await prisma.notification.findFirstOrThrow({ where: { recipientId: thread.authorId, readAt: null, kind: "answer_on_question" } });
  expect(await sendNotificationEmail(notice.id)).toBe("sent");
  expect(readMailbox(mailbox)).toHaveLength(1);
});

import { prisma } from "~/utils/db.server.ts";

export type QueuedMail = { to: string; subject: string; text: string };

/** E-mails waiting in the job queue (graphile-worker's tables), newest first. */
export async function queuedMails(): Promise<QueuedMail[]> {
  const rows = await prisma.$queryRaw<{ payload: QueuedMail }[]>`
    SELECT j.payload FROM graphile_worker._private_jobs j
    JOIN graphile_worker._private_tasks t ON t.id = j.task_id
    WHERE t.identifier = 'send-email' ORDER BY j.id DESC`;
  return rows.map((r) => r.payload);
}

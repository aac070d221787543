/**
 * Runs the `send-notification-email` job for one notification in a process of its own, so a test
 * can kill it in the middle of the SMTP exchange (tests/http/notification-mail.test.ts).
 * Usage: tsx tests/support/send-notification-mail-child.ts <notification id>
 */
import { tasks } from "~/modules/jobs/tasks.server.ts";

const id = process.argv[2] ?? "";
const task = tasks["send-notification-email"] as (payload: unknown, helpers: unknown) => Promise<void>;
await task({ notificationId: id }, {});
process.stdout.write("finished\n");
process.exit(0);

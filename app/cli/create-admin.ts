/**
 * `npm run create-admin -- --email ann@example.com --handle ann --name "Ann Admin" [--password …]`
 * creates an admin account (the first one, typically). Without --password it asks for one.
 * Uses DATABASE_URL; without it, the embedded demo database in .data/ (stop `npm start` first).
 */
import path from "node:path";
import readline from "node:readline/promises";
import { parseArgs } from "node:util";
import { startEmbeddedPostgres } from "~/server/embedded-postgres.ts";
import { migrateDatabase } from "~/server/migrate.ts";

const { values } = parseArgs({
  options: { email: { type: "string" }, handle: { type: "string" }, name: { type: "string" }, password: { type: "string" } },
});
if (!values.email || !values.handle || !values.name) {
  console.error('Usage: npm run create-admin -- --email <e-mail> --handle <handle> --name "<display name>" [--password <password>]');
  process.exit(2);
}

let password = values.password;
if (!password) {
  const rl = readline.createInterface({ input: process.stdin, output: process.stdout });
  password = await rl.question("Password (at least 10 characters): ");
  rl.close();
}

const embedded = process.env.DATABASE_URL ? undefined : await startEmbeddedPostgres({ dataDir: path.resolve(process.env.DATA_DIR ?? ".data", "pg") });
if (embedded) process.env.DATABASE_URL = embedded.url;
let exitCode = 0;
try {
  await migrateDatabase(process.env.DATABASE_URL!, (line) => console.log(line));
  const { migrateJobs } = await import("~/utils/jobs.server.ts");
  await migrateJobs();
  const { SignupSchema } = await import("~/modules/users/users.schema.ts");
  const { isCommonPassword } = await import("~/modules/users/password.server.ts");
  const { createAccount } = await import("~/modules/users/sign-up.server.ts");
  const { disconnectDb } = await import("~/utils/db.server.ts");
  const parsed = SignupSchema.safeParse({ email: values.email, handle: values.handle, displayName: values.name, password });
  if (!parsed.success) {
    for (const [field, messages] of Object.entries(parsed.error.flatten().fieldErrors)) console.error(`${field}: ${messages?.join("; ")}`);
    exitCode = 1;
  } else if (isCommonPassword(parsed.data.password)) {
    console.error("password: this password is too common");
    exitCode = 1;
  } else {
    const result = await createAccount(parsed.data, "admin", null);
    if (result.ok) console.log(`Admin ${parsed.data.email} (@${parsed.data.handle.toLowerCase()}) created.`);
    else {
      console.error("message" in result ? result.message : JSON.stringify(result));
      exitCode = 1;
    }
  }
  await disconnectDb();
} finally {
  await embedded?.stop();
}
process.exit(exitCode);

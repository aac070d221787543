/**
 * Section "backfill" of `npm run bench` (issue 17, item 9): `npm run reputation:backfill` on the large
 * dataset, from the state `npm run seed:large` leaves (1 M votes, ~41,000 accepted answers, no ledger).
 *
 * BENCH_LARGE_SEED_DATABASE_URL names a database filled by `npm run seed:large` and never backfilled,
 * kept as a template: nobody may be connected to it (CREATE DATABASE … TEMPLATE refuses otherwise),
 * and it is never changed. Each run:
 * 1. copies it into a fresh database (`CREATE DATABASE bench_backfill_<time> TEMPLATE …`) and brings
 *    the copy to the current schema (`npm run db:migrate`), neither of them timed;
 * 2. runs `tsx app/cli/reputation-backfill.ts --json` on the copy in a child process and times it from
 *    spawn to exit (process start included): target ≤ 120 s;
 * 3. runs `npm run reputation:verify` on the copy (not timed against the target): it must report no
 *    drift, or the figures are not a valid measurement;
 * 4. drops the copy (also when the run is interrupted).
 * Without the variable the section is skipped.
 */
import os from "node:os";
import pg from "pg";
import { onCleanup, type SectionContext, type SectionOutcome } from "./lib/section.ts";
import { loadAverage, masked, runCli } from "./lib/large-dataset.ts";

const TARGET_MS = 120_000;
const TITLE = "Reputation backfill on the large dataset (issue 17)";
const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** "cached 0, leaderboard rows 0, entries behind 0, badges 0 / 0" from reputation:verify's lines. */
function verifySummary(lines: string[]): string {
  const figure = (start: string) => lines.find((l) => l.startsWith(start))?.split(": ").pop() ?? "?";
  return `reputations off their ledger ${figure("Members whose cached")}, leaderboard rows off ${figure("Leaderboard totals")}, entries missing ${figure("Ledger entries")}, badges to grant / revoke ${figure("Badges")}`;
}

async function withClient<T>(url: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, application_name: "threadwise bench backfill" });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

export async function runBackfillSection({ say }: SectionContext): Promise<SectionOutcome> {
  const templateUrl = process.env.BENCH_LARGE_SEED_DATABASE_URL;
  if (!templateUrl) return { skipped: "skipped: set BENCH_LARGE_SEED_DATABASE_URL to a database filled by npm run seed:large and never backfilled (it is copied, not changed)" };
  const template = new URL(templateUrl).pathname.slice(1);
  const seeded = await withClient(templateUrl, async (c) => {
    const r = await c.query<{ entries: string; votes: string; accepted: string; users: string; version: string }>(
      `SELECT (SELECT count(*) FROM reputation_entries) AS entries, (SELECT count(*) FROM votes) AS votes,
        (SELECT count(*) FROM threads WHERE accepted_answer_id IS NOT NULL) AS accepted, (SELECT count(*) FROM users) AS users,
        current_setting('server_version') AS version`,
    );
    return r.rows[0]!;
  });
  if (+seeded.entries > 0) return { skipped: `skipped: ${template} already has ${fmt(+seeded.entries)} ledger entries; point BENCH_LARGE_SEED_DATABASE_URL at a database as seed:large left it` };

  // The copy is made through the server's maintenance database: the template must have no connection.
  const adminUrl = withDatabase(templateUrl, "postgres");
  const copy = `bench_backfill_${Date.now().toString(36)}`;
  const copyUrl = withDatabase(templateUrl, copy);
  const drop = () => withClient(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS "${copy}" WITH (FORCE)`)).then(() => undefined);
  const removeCleanup = onCleanup(drop);
  try {
    say(`  Copying ${template} (${fmt(+seeded.votes)} votes, ${fmt(+seeded.accepted)} accepted answers, ${fmt(+seeded.users)} members) into ${copy}…`);
    let t = performance.now();
    await withClient(adminUrl, (c) => c.query(`CREATE DATABASE "${copy}" TEMPLATE "${template}"`));
    const copyMs = performance.now() - t;
    const migrated = await runCli("migrate.ts", [], copyUrl);
    if (migrated.code !== 0) throw new Error(`db:migrate on the copy exited ${migrated.code}`);
    say(`  Copied in ${seconds(copyMs)} and migrated; running npm run reputation:backfill (target ≤ ${TARGET_MS / 1000} s)…`);

    const loadBefore = loadAverage();
    const backfill = await runCli("reputation-backfill.ts", ["--json"], copyUrl, { onLine: (line) => say(`    ${line}`) });
    const loadAfter = loadAverage();
    if (backfill.code !== 0) throw new Error(`reputation:backfill exited ${backfill.code}`);
    const json = backfill.stdout.trim().split("\n").filter((l) => l.startsWith("{")).pop();
    if (!json) throw new Error("reputation:backfill printed no JSON summary");
    const r = JSON.parse(json) as { entries: number; cached: number; granted: number; revoked: number; passes: number; totalMs: number; ms: { stage: number; apply: number } };
    const met = backfill.wallMs <= TARGET_MS;
    say(`  Backfill: ${seconds(backfill.wallMs)} wall (target ≤ ${TARGET_MS / 1000} s ${met ? "✓" : "✗ missed"}); ${fmt(r.entries)} entries, ${fmt(r.granted)} badges`);

    say("  Checking with npm run reputation:verify…");
    t = performance.now();
    const verify = await runCli("reputation-verify.ts", [], copyUrl);
    const verifyMs = performance.now() - t;
    const verifyLines = verify.stdout.trim().split("\n").filter((l) => !l.startsWith("@"));
    for (const line of verifyLines) say(`    ${line}`);
    const counts = await withClient(copyUrl, async (c) => {
      const q = await c.query<{ totals: string; badges: string }>(`SELECT (SELECT count(*) FROM reputation_period_totals) AS totals, (SELECT count(*) FROM user_badges WHERE revoked_at IS NULL) AS badges`);
      return q.rows[0]!;
    });

    const sections = process.env.BENCH_SECTIONS ? `BENCH_SECTIONS=${process.env.BENCH_SECTIONS} ` : "";
    const extra = [
      "| Step | Time |",
      "|------|-----:|",
      `| Read votes and acceptances, stage the ${fmt(r.entries)} entries (one statement) | ${seconds(r.ms.stage)} |`,
      `| Batches of 1,000 members, two at a time: append (leaderboard rollup by trigger), cached reputation of ${fmt(r.cached)} members, ${fmt(r.granted)} badges and expert marks | ${seconds(r.ms.apply)} |`,
      `| **Command, spawn to exit** (target ≤ ${TARGET_MS / 1000} s) | **${seconds(backfill.wallMs)}** ${met ? "✓" : "✗ missed"} |`,
      `| \`npm run reputation:verify\` afterwards (not part of the target) | ${seconds(verifyMs)} |`,
    ].join("\n");
    return {
      report: {
        id: "backfill",
        title: TITLE,
        results: [],
        database: `PostgreSQL ${seeded.version.split(" ")[0]} at ${new URL(templateUrl).host}: a fresh copy of \`${template}\` (seed:large, scale 1, never backfilled), dropped afterwards`,
        commands: [`DATABASE_URL=<fresh database> npm run seed:large`, `BENCH_LARGE_SEED_DATABASE_URL=${masked(templateUrl)} ${sections}npm run bench`],
        facts: [
          `\`npm run reputation:backfill\`: ${seconds(backfill.wallMs)} from spawn to exit, target ≤ ${TARGET_MS / 1000} s ${met ? "✓" : "✗ missed"}; ${fmt(r.entries)} ledger entries appended, ${fmt(+counts.totals)} leaderboard rows, ${fmt(r.cached)} cached reputations set, ${fmt(r.granted)} badges granted${r.passes > 1 ? `, ${r.passes} passes` : ""}`,
          `\`npm run reputation:verify\` afterwards: ${verify.code === 0 ? "no drift" : `exit ${verify.code}`} (${verifySummary(verifyLines)})`,
          `Copy of the template ${seconds(copyMs)} and migration, not timed`,
          `Load average (1, 5, 15 min) before and after the backfill: ${loadBefore} and ${loadAfter} on ${os.availableParallelism()} CPUs, shared with other engineers' test runs`,
        ],
        extra,
        missed: met ? [] : [`reputation:backfill ${seconds(backfill.wallMs)} > ${TARGET_MS / 1000} s`],
        invalid: verify.code === 0 ? [] : [`reputation:verify found drift after the backfill (exit ${verify.code})`],
      },
    };
  } finally {
    await drop().catch((error: unknown) => console.error(`Could not drop ${copy}:`, error));
    removeCleanup();
  }
}

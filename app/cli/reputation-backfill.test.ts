import { spawn } from "node:child_process";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { castVote } from "~/modules/votes/cast-vote.server.ts";
import { prisma } from "~/utils/db.server.ts";
import { makeAnswer, makeQuestion, makeUser } from "../../tests/support/factories.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");

/** Runs `npm run reputation:backfill` as the command line does, with stderr a pipe (not a terminal). */
function runBackfill(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(ROOT, "node_modules/.bin/tsx"), ["app/cli/reputation-backfill.ts", ...args], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: process.env.DATABASE_URL, LOG_LEVEL: "warn" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("npm run reputation:backfill", () => {
  test("shows its progress one line per 10 % when stderr is not a terminal, prints the totals, and refuses a bad batch size without writing", async () => {
    const asker = await makeUser();
    const author = await makeUser({ reputation: 100 });
    const { threadId } = await makeQuestion(asker.id);
    const answer = await makeAnswer(author.id, threadId);
    // Ten upvotes whose events no handler has run: ten ledger entries for the backfill.
    for (let i = 0; i < 10; i++) await castVote((await makeUser()).id, answer, { value: 1 });
    const before = await prisma.reputationEntry.count();

    const refused = await runBackfill(["--batch-size", "0"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("--batch-size must be a whole number");
    expect((await runBackfill(["--workers", "many"])).code).toBe(2);
    expect(await prisma.reputationEntry.count()).toBe(before);

    // One member per batch: more batches than ten, so the bar has a line for each tenth.
    const members = await prisma.user.count();
    expect(members).toBeGreaterThan(10);
    const run = await runBackfill(["--batch-size", "1", "--json"]);
    expect(run.code, run.stderr).toBe(0);
    const bar = run.stderr.split("\n").filter((line) => line.startsWith("members "));
    const percents = bar.map((line) => Number(/\]\s+(\d+)%/.exec(line)?.[1]));
    expect(percents.map((p) => Math.floor(p / 10))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(bar.at(-1)).toMatch(new RegExp(`\\[█{24}\\] 100% {2}${members}/${members} {2}entries 10/10 `));
    expect(run.stderr).toContain(`Votes and acceptances read: 10 ledger entries to append, in ${members} batches of members`);
    expect(run.stdout).toContain("ledger: 10 entries appended");
    const summary = JSON.parse(run.stdout.trim().split("\n").at(-1)!) as { entries: number; totalMs: number };
    expect(summary.entries).toBe(10);
    expect((await prisma.user.findUniqueOrThrow({ where: { id: author.id } })).reputation).toBe(200);
  }, 60_000);
});

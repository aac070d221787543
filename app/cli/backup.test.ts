import { spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, test } from "vitest";
import { LocalDiskStorage } from "~/utils/storage.server.ts";
import { prisma } from "~/utils/db.server.ts";
import { makeAnswer, makeQuestion, makeUser } from "../../tests/support/factories.ts";
import { needsRealServer } from "../../tests/support/real-postgres.ts";

// pg_dump and pg_restore against a PostgreSQL server (the embedded database has its own backup path).
needsRealServer();

const ROOT = path.resolve(import.meta.dirname, "../..");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "threadwise-backup-test-"));
const restoredName = `threadwise_restore_${Date.now().toString(36)}_${crypto.randomBytes(3).toString("hex")}`;

function run(script: "backup" | "restore", args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(ROOT, "node_modules/.bin/tsx"), [`app/cli/${script}.ts`, ...args], { cwd: ROOT, env: { ...process.env, LOG_LEVEL: "warn", ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function admin<T>(work: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await c.connect();
  try {
    return await work(c);
  } finally {
    await c.end();
  }
}

async function counts(url: string): Promise<Record<string, number>> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const { rows } = await c.query<{ name: string }>(`SELECT format('%I.%I', schemaname, tablename) AS name FROM pg_tables WHERE schemaname IN ('public', 'graphile_worker') ORDER BY 1`);
    const out: Record<string, number> = {};
    for (const { name } of rows) out[name] = Number((await c.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${name}`)).rows[0]!.n);
    return out;
  } finally {
    await c.end();
  }
}

afterAll(async () => {
  await admin((c) => c.query(`DROP DATABASE IF EXISTS "${restoredName}" WITH (FORCE)`));
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe("npm run backup and npm run restore", () => {
  test("a round trip into a new database keeps every table's rows, the content in three languages and the uploads, with progress shown", async () => {
    const asker = await makeUser();
    const helper = await makeUser();
    const { threadId, postId } = await makeQuestion(asker.id, { title: "Cum export facturile? 如何导出发票？", body: "Exportul se oprește la 500 de rânduri. 导出在五百行停止。" });
    await makeAnswer(helper.id, threadId, "Deschide Facturare → Export. 打开账单页面。");
    const uploadsFrom = path.join(tmp, "uploads-from");
    const key = `${crypto.randomBytes(12).toString("hex")}.png`;
    const bytes = crypto.randomBytes(2048);
    await new LocalDiskStorage(uploadsFrom).put(key, bytes);

    const out = path.join(tmp, "backup");
    const backup = await run("backup", ["--out", out], { DATABASE_URL: process.env.DATABASE_URL!, UPLOAD_DIR: uploadsFrom });
    expect(backup.code, backup.stderr).toBe(0);
    expect(backup.stderr).toMatch(/database .*100%/);
    expect(backup.stderr).toMatch(/uploads .*100%/);
    // Password hashes and session ids are in it: only its owner may read it.
    expect(fs.statSync(out).mode & 0o777).toBe(0o700);
    expect(fs.statSync(path.join(out, "database.dump")).mode & 0o777).toBe(0o600);
    const manifest = JSON.parse(fs.readFileSync(path.join(out, "manifest.json"), "utf8"));
    expect(manifest.uploads).toEqual({ count: 1, bytes: 2048 });
    expect(manifest.tables["public.threads"]).toBeGreaterThan(0);

    await admin((c) => c.query(`CREATE DATABASE "${restoredName}"`));
    const restoredUrl = withDatabase(process.env.DATABASE_URL!, restoredName);
    const uploadsTo = path.join(tmp, "uploads-to");
    const restore = await run("restore", [out], { DATABASE_URL: restoredUrl, UPLOAD_DIR: uploadsTo });
    expect(restore.code, restore.stderr + restore.stdout).toBe(0);
    expect(restore.stderr).toMatch(/database .*100%/);
    expect(restore.stdout).toContain("match their row counts");

    // Row counts of every table, compared by the test itself, and a sample of content.
    expect(await counts(restoredUrl)).toEqual(await counts(process.env.DATABASE_URL!));
    const original = await prisma.post.findUniqueOrThrow({ where: { id: postId }, select: { bodyText: true, bodyHtml: true } });
    const c = new pg.Client({ connectionString: restoredUrl });
    await c.connect();
    try {
      const { rows } = await c.query<{ title: string; body_text: string; body_html: string }>(
        `SELECT t.title, p.body_text, p.body_html FROM threads t JOIN posts p ON p.id = t.question_post_id WHERE t.id = $1`,
        [threadId],
      );
      expect(rows[0]).toEqual({ title: "Cum export facturile? 如何导出发票？", body_text: original.bodyText, body_html: original.bodyHtml });
    } finally {
      await c.end();
    }
    expect(fs.readFileSync(path.join(uploadsTo, key)).equals(bytes)).toBe(true);

    // A second restore into the same, now filled database is refused unless forced; nothing changes.
    const again = await run("restore", [out], { DATABASE_URL: restoredUrl, UPLOAD_DIR: uploadsTo });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain("already has");
  }, 180_000);
});

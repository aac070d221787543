/**
 * Section "notifications" of `npm run bench` (issue 18): the three figures of the issue, on the
 * large dataset of `npm run seed:large` in the database named by BENCH_LARGE_DATABASE_URL (used as
 * it is, never dropped; what the run adds is removed again at the end, except its answers in the
 * member's benchmark thread).
 *
 * 1. Write p99 of an answer to a thread with 5,000 watchers: a seeded member's benchmark thread
 *    gets 5,000 watchers (seeded members, `watches` rows); the member posts 10 unmeasured, then 100
 *    measured answers there, one at a time, as Remix's client sends them (`?_data=`), against the
 *    production server with its in-process job worker, so every answer's fan-out (one INSERT …
 *    SELECT of 5,000 rows) runs beside the next writes. Target: p99 ≤ 50 ms (issue 4's write target).
 * 2. Fan-out time: 5 more answers, 3 s apart, each timed from the POST's response until all its
 *    notices exist (the job queue's pick-up included). Target: < 2 s.
 * 3. Daily digest for 20,000 members (or every member, when the dataset has fewer): one unread notice
 *    of a daily-digest kind for each, then `npm run notifications:digest -- --period daily` in a
 *    child process against an SMTP sink on 127.0.0.1 (it receives and discards). Target: < 60 s.
 */
import os from "node:os";
import pg from "pg";
import { SMTPServer } from "smtp-server";
import { onCleanup, type SectionContext, type SectionOutcome } from "./lib/section.ts";
import { processTreeMemory, startServer, type BenchServer } from "./lib/server.ts";
import { percentile, Visitor } from "./lib/visitor.ts";
import { SEED_PASSWORD, SKIP_LARGE, loadAverage, masked, runCliOrThrow, lastJsonLine } from "./lib/large-dataset.ts";

const TARGET = { writeP99Ms: 50, fanOutMs: 2_000, digestMs: 60_000 };
const WATCHERS = 5_000;
const DIGEST_MEMBERS = 20_000;
const WRITES = 100;
const WRITE_WARMUP = 10;
const FAN_OUTS = 5;
const SEED_EMAIL_DOMAIN = "large.threadwise.test";
const THREAD_ROUTE = "routes/questions.$id.$slug";
const TITLE = "Benchmark notification thread: npm run bench answers here, 5,000 members watch it";
const fmt = (n: number) => Math.round(n).toLocaleString("en-US");

function check(value: number, target: number): string {
  return `${value <= target ? "✓" : "✗ missed"}`;
}

/** An SMTP server that accepts and discards every message (the digest's far end). */
async function startSink(): Promise<{ port: number; received: () => number; close: () => Promise<void> }> {
  let count = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    closeTimeout: 1_000,
    onData(stream, _session, callback) {
      stream.on("data", () => {});
      stream.on("end", () => {
        count += 1;
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const address = server.server.address();
  return { port: typeof address === "object" && address ? address.port : 0, received: () => count, close: () => new Promise<void>((r) => server.close(() => r())) };
}

export async function runNotificationsSection({ say }: SectionContext): Promise<SectionOutcome> {
  const url = process.env.BENCH_LARGE_DATABASE_URL;
  if (!url) return { skipped: SKIP_LARGE };
  const loadBefore = loadAverage();
  const client = new pg.Client({ connectionString: url, application_name: "threadwise bench notifications" });
  await client.connect();
  const q = async <T extends pg.QueryResultRow>(sql: string, params: unknown[] = []) => (await client.query<T>(sql, params)).rows;

  let server: BenchServer | undefined;
  let sink: Awaited<ReturnType<typeof startSink>> | undefined;
  let threadId: string | undefined;
  const digestTag = `bench-digest:${Date.now().toString(36)}:`;
  const cleanUp = async () => {
    // What the run added: the watchers, the notices of its thread and the digest's synthetic notices and e-mails.
    if (threadId) {
      await q("DELETE FROM notifications WHERE thread_id = $1", [threadId]);
      await q("DELETE FROM watches WHERE target_type = 'thread' AND target_id = $1 AND reason = 'manual'", [threadId]);
    }
    await q("DELETE FROM notification_mails WHERE id IN (SELECT DISTINCT mail_id FROM notifications WHERE subject_key LIKE $1 AND mail_id IS NOT NULL)", [`${digestTag}%`]);
    await q("DELETE FROM notifications WHERE subject_key LIKE $1", [`${digestTag}%`]);
  };
  const removeCleanup = onCleanup(async () => {
    await server?.stop();
    await sink?.close();
    await cleanUp().catch(() => {});
    await client.end().catch(() => {});
  });
  try {
    const [member] = await q<{ id: string; email: string }>(
      `SELECT id, email FROM users WHERE email_normalized LIKE $1 AND role = 'member' AND status = 'active' AND reputation >= 10
         AND created_at < now() - interval '1 day' ORDER BY created_at, id LIMIT 1`,
      [`%@${SEED_EMAIL_DOMAIN}`],
    );
    if (!member) throw new Error("No seeded member with reputation >= 10: run `npm run reputation:backfill` on BENCH_LARGE_DATABASE_URL first.");
    const [{ users }] = await q<{ users: string }>("SELECT count(*) AS users FROM users WHERE status = 'active'");
    const watchers = Math.min(WATCHERS, Number(users) - 1);
    const digestMembers = Math.min(DIGEST_MEMBERS, Number(users));

    server = await startServer(url);
    const visitor = new Visitor(server.origin);
    await visitor.signIn(member.email, SEED_PASSWORD);
    let [thread] = await q<{ id: string; slug: string }>("SELECT id::text, slug FROM threads WHERE author_id = $1 AND title = $2 AND deleted_at IS NULL ORDER BY id LIMIT 1", [member.id, TITLE]);
    if (!thread) {
      const [category] = await q<{ id: number }>("SELECT id FROM categories WHERE archived_at IS NULL ORDER BY position, id LIMIT 1");
      const [tag] = await q<{ name: string }>("SELECT name FROM tags ORDER BY thread_count DESC, id LIMIT 1");
      await visitor.page("/questions/new");
      const created = await visitor.post("/questions/new", { title: TITLE, categoryId: String(category?.id ?? ""), tags: tag?.name ?? "api", bodyText: "The notification benchmark posts its answers here. Nothing to read." });
      const match = created.location ? /^\/questions\/(\d+)\/([^/?#]+)/.exec(created.location) : null;
      if (created.status !== 302 || !match) throw new Error(`Could not create the benchmark thread (HTTP ${created.status})`);
      thread = { id: match[1]!, slug: decodeURIComponent(match[2]!) };
    }
    threadId = thread.id;
    const threadPath = `/questions/${thread.id}/${encodeURIComponent(thread.slug)}`;
    await q(
      `INSERT INTO watches (user_id, target_type, target_id, level, reason)
       SELECT id, 'thread', $1, 'watching', 'manual' FROM users WHERE id <> $2 AND status = 'active' ORDER BY id LIMIT $3
       ON CONFLICT (target_type, target_id, user_id) DO UPDATE SET level = 'watching'`,
      [thread.id, member.id, watchers],
    );
    const [{ n: watching }] = await q<{ n: string }>(
      "SELECT count(*) AS n FROM watches w JOIN users u ON u.id = w.user_id WHERE w.target_type = 'thread' AND w.target_id = $1 AND w.level = 'watching' AND u.status = 'active' AND w.user_id <> $2",
      [thread.id, member.id],
    );
    say(`  Thread ${thread.id} has ${fmt(+watching)} watchers; ${member.email} answers there`);

    // 1. Write p99 with the fan-out running beside the writes.
    await visitor.page(threadPath);
    const samples: number[] = [];
    let errors = 0;
    let firstError = "";
    for (let i = 0; i < WRITE_WARMUP + WRITES; i++) {
      const r = await visitor.post(threadPath, { intent: "answer", bodyText: `Benchmark answer ${i + 1} for the watchers: restart the sync, then check the settings page.` }, THREAD_ROUTE);
      const ok = r.status === 200 && !/"ok":false/.test(r.text);
      if (!ok) {
        errors += 1;
        firstError ||= `HTTP ${r.status} ${r.text.slice(0, 200)}`;
      }
      if (i >= WRITE_WARMUP) samples.push(r.ms);
    }
    const writeP50 = percentile(samples, 50);
    const writeP99 = percentile(samples, 99);
    say(`  Answer to a thread with ${fmt(+watching)} watchers: p50 ${writeP50.toFixed(1)} ms, p99 ${writeP99.toFixed(1)} ms (target p99 ≤ ${TARGET.writeP99Ms} ms) ${check(writeP99, TARGET.writeP99Ms)}${errors ? `, ${errors} errors (${firstError})` : ""}`);

    // Let the queue catch up before timing single fan-outs.
    const drainStarted = performance.now();
    const pending = async () => Number((await q<{ n: string }>("SELECT count(*) AS n FROM graphile_worker.jobs WHERE task_identifier = 'handle-event'"))[0]!.n);
    while ((await pending()) > 0 && performance.now() - drainStarted < 300_000) await new Promise((r) => setTimeout(r, 250));
    const drainMs = performance.now() - drainStarted;
    say(`  The ${WRITE_WARMUP + WRITES} answers' fan-outs (${fmt((WRITE_WARMUP + WRITES) * +watching)} notices) caught up ${(drainMs / 1000).toFixed(1)} s after the last write`);

    // 2. Fan-out time of single answers.
    const fanOuts: number[] = [];
    for (let i = 0; i < FAN_OUTS; i++) {
      await new Promise((r) => setTimeout(r, 3_000));
      const r = await visitor.post(threadPath, { intent: "answer", bodyText: `Timed fan-out ${i + 1}: one answer, every watcher hears of it.` }, THREAD_ROUTE);
      const answered = performance.now();
      if (r.status !== 200) throw new Error(`Timed answer failed: HTTP ${r.status} ${r.text.slice(0, 200)}`);
      const [post] = await q<{ id: string }>("SELECT max(id)::text AS id FROM posts WHERE thread_id = $1 AND author_id = $2", [thread.id, member.id]);
      let done = false;
      while (!done && performance.now() - answered < 30_000) {
        const [{ n }] = await q<{ n: string }>("SELECT count(*) AS n FROM notifications WHERE post_id = $1", [post!.id]);
        done = Number(n) >= Number(watching);
        if (!done) await new Promise((r2) => setTimeout(r2, 20));
      }
      fanOuts.push(performance.now() - answered);
    }
    const fanOutMax = Math.max(...fanOuts);
    say(`  Fan-out to ${fmt(+watching)} watchers: ${fanOuts.map((ms) => `${Math.round(ms)}`).join(", ")} ms (target < ${TARGET.fanOutMs} ms) ${check(fanOutMax, TARGET.fanOutMs)}`);
    const rssMiB = (processTreeMemory(server.pid)[0]?.rssKiB ?? 0) / 1024;
    await server.stop();
    server = undefined;

    // 3. The daily digest: the fan-out's notices go first (5,000 members with 115 unread notices each
    // is not a day's digest), then one synthetic unread notice per member.
    await q("DELETE FROM notifications WHERE thread_id = $1", [thread.id]);
    const at = new Date();
    await q(
      `INSERT INTO notifications (recipient_id, kind, subject_key, thread_id, created_at)
       SELECT id, 'watched_thread', $1 || id, $2, $3::timestamptz - interval '1 hour'
       FROM users WHERE status = 'active' ORDER BY id LIMIT $4
       ON CONFLICT DO NOTHING`,
      [digestTag, thread.id, at.toISOString(), digestMembers],
    );
    // Earlier runs the same day hold this period's claims: free them, or those members would be skipped.
    await q("DELETE FROM notification_mails WHERE mail_key = $1", [`daily:${at.toISOString().slice(0, 10)}`]);
    sink = await startSink();
    say(`  Daily digest for ${fmt(digestMembers)} members…`);
    const run = await runCliOrThrow("notifications:digest", "notification-digests.ts", ["--period", "daily", "--at", at.toISOString()], url, {
      env: { SMTP_URL: `smtp://127.0.0.1:${sink.port}`, APP_URL: "https://support.example.com" },
    });
    const digest = { wallMs: run.wallMs, line: lastJsonLine<{ members: number; sent: number; failed: number; bounced: number; wallMs: number }>(run, "notifications:digest") };
    const received = sink.received();
    await sink.close();
    sink = undefined;
    say(`  Digest: ${fmt(digest.line.sent)} e-mails to ${fmt(digest.line.members)} members in ${(digest.wallMs / 1000).toFixed(1)} s including process start (${(digest.line.wallMs / 1000).toFixed(1)} s inside; target < ${TARGET.digestMs / 1000} s) ${check(digest.wallMs, TARGET.digestMs)}; the sink received ${fmt(received)}`);

    const missed = [
      ...(writeP99 > TARGET.writeP99Ms ? ["answer write p99 beside the fan-out"] : []),
      ...(fanOutMax >= TARGET.fanOutMs ? ["fan-out to 5,000 watchers"] : []),
      ...(digest.wallMs >= TARGET.digestMs ? ["daily digest"] : []),
      ...(digestMembers < DIGEST_MEMBERS ? [`digest measured for ${fmt(digestMembers)} members only (the dataset has no more)`] : []),
      ...(+watching < WATCHERS ? [`fan-out measured for ${fmt(+watching)} watchers only (the dataset has no more members)`] : []),
    ];
    const sections = process.env.BENCH_SECTIONS ? `BENCH_SECTIONS=${process.env.BENCH_SECTIONS} ` : "";
    const extra = [
      "| Figure | measured | target | |",
      "|--------|---------:|--------|---|",
      `| Answer write to a thread with ${fmt(+watching)} watchers, p99 (p50 ${writeP50.toFixed(1)} ms, ${samples.length} requests) | ${writeP99.toFixed(1)} ms | ≤ ${TARGET.writeP99Ms} ms | ${check(writeP99, TARGET.writeP99Ms)} |`,
      `| Fan-out to ${fmt(+watching)} watchers, worst of ${FAN_OUTS} (all: ${fanOuts.map((ms) => Math.round(ms)).join(", ")} ms) | ${Math.round(fanOutMax)} ms | < ${fmt(TARGET.fanOutMs)} ms | ${check(fanOutMax, TARGET.fanOutMs)} |`,
      `| Daily digest for ${fmt(digest.line.members)} members (${fmt(digest.line.sent)} e-mails sent) | ${(digest.wallMs / 1000).toFixed(1)} s | < ${TARGET.digestMs / 1000} s | ${check(digest.wallMs, TARGET.digestMs)} |`,
    ].join("\n");
    return {
      report: {
        id: "notifications",
        title: "Notifications: fan-out and digests on the large dataset (issue 18)",
        results: [],
        serverRssMiB: Math.round(rssMiB),
        database: `database \`${new URL(url).pathname.slice(1)}\` at ${new URL(url).host} (kept, not dropped)`,
        commands: [`BENCH_LARGE_DATABASE_URL=${masked(url)} ${sections}npm run bench`],
        facts: [
          `Writes: ${WRITE_WARMUP} unmeasured, then ${WRITES} measured answers, one at a time, as Remix's client sends them (\`?_data=${THREAD_ROUTE}\`), by a seeded member in a thread ${fmt(+watching)} seeded members watch; the server runs its job worker in-process (the default), so the fan-outs run beside the writes`,
          `Fan-out: from the POST's response until all ${fmt(+watching)} notices of that answer exist (job pick-up included), ${FAN_OUTS} answers 3 s apart; the ${WRITE_WARMUP + WRITES} earlier fan-outs caught up ${(drainMs / 1000).toFixed(1)} s after the last write`,
          `Digest: the fan-out's notices removed, then one synthetic unread "watched thread" notice per member (daily digest is the default for it), then \`npm run notifications:digest -- --period daily\` in a child process; e-mails over a pooled SMTP connection to a sink on 127.0.0.1 in the bench process (it receives and discards); time includes the child's start`,
          `Load average (1 min) before and after: ${loadBefore} and ${loadAverage()} on ${os.availableParallelism()} CPUs; other work on the machine lowers every figure`,
        ],
        extra,
        missed,
        invalid: errors ? [`${errors} answers failed (${firstError})`] : [],
      },
    };
  } finally {
    removeCleanup();
    await server?.stop();
    await sink?.close();
    await cleanUp().catch((error: unknown) => say(`  Clean-up failed: ${String(error)}`));
    await client.end().catch(() => {});
  }
}

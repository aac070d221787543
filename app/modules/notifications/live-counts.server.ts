import type pg from "pg";
import { rawQuery } from "~/utils/db.server.ts";
import { logger } from "~/utils/logger.server.ts";
import { openProvenListener } from "~/utils/pg-listener.server.ts";
import { COUNT_CHANNEL } from "./fan-out.server.ts";

/** How the counts reach this server: pushed by PostgreSQL (LISTEN), or polled (ADR 041). */
export type LiveMode = "starting" | "listen" | "poll";

/** One open stream: the session it was opened with, how to push a count to it, and how to end it. */
type Listener = { sessionId: string; push: (count: number) => void; end: () => void };

/** How often the counts of connected members are re-read when NOTIFY cannot reach us. */
const POLL_MS = 2_000;
/**
 * A safety net while LISTEN works (a notification lost during a reconnect is caught up), and the
 * longest an open stream outlives its session when it expires (revoking one is signalled at once).
 */
const SAFETY_POLL_MS = 30_000;
/** Notifications arriving within this window are read in one statement. */
const DEBOUNCE_MS = 50;
const RECONNECT_MS = 5_000;

/**
 * Live unread counts for the members connected to this app server (server-sent events). One
 * dedicated `LISTEN` connection per process receives the recipient ids that every writer announces
 * with pg_notify (fan-out, read, withdrawn); the counts of those of our subscribers are re-read in
 * one statement and pushed. The connection proves itself with a probe when it starts; when the
 * probe does not come back (the embedded PGlite database, a transaction-pooling PgBouncer) or the
 * connection drops, the subscribers' counts are polled every 2 s instead. Nothing is kept that
 * another server needs: a member connected to any server gets their count from the database.
 *
 * Every read of the counts also re-checks the sessions the streams were opened with: a stream whose
 * session was revoked, ended or expired, or whose member is no longer active, is ended. Ending a
 * session signals its member on the same channel (a trigger on `sessions`), so a revoked browser
 * loses its stream at once on every server; an expiry is caught by the next poll (30 s, or 2 s).
 */
class LiveCounts {
  private readonly subscribers = new Map<string, Set<Listener>>();
  private readonly last = new Map<string, number>();
  private readonly dirty = new Set<string>();
  private client: pg.Client | undefined;
  private starting: Promise<void> | undefined;
  private flushTimer: NodeJS.Timeout | undefined;
  private pollTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  mode: LiveMode = "starting";

  /**
   * Pushes the member's count to `listener` now and whenever it changes, while `listener.sessionId`
   * is a live session of theirs (`listener.end()` once it is not); returns the unsubscribe.
   */
  subscribe(userId: string, listener: Listener): () => void {
    let set = this.subscribers.get(userId);
    if (!set) this.subscribers.set(userId, (set = new Set()));
    set.add(listener);
    void this.ensureStarted();
    this.markDirty([userId], true);
    return () => {
      set.delete(listener);
      if (set.size === 0) {
        this.subscribers.delete(userId);
        this.last.delete(userId);
      }
    };
  }

  /** After a commit on this server: re-read these members' counts now (other servers hear NOTIFY). */
  signal(userIds: readonly string[]): void {
    this.markDirty(userIds.filter((id) => this.subscribers.has(id)));
  }

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  private markDirty(userIds: readonly string[], force = false): void {
    if (userIds.length === 0 || this.stopped) return;
    for (const id of userIds) {
      this.dirty.add(id);
      if (force) this.last.delete(id);
    }
    this.flushTimer ??= setTimeout(() => void this.flush(), DEBOUNCE_MS);
  }

  private async flush(): Promise<void> {
    this.flushTimer = undefined;
    const ids = [...this.dirty].filter((id) => this.subscribers.has(id));
    this.dirty.clear();
    if (ids.length === 0) return;
    try {
      await this.push(ids);
    } catch (error) {
      logger.warn({ err: error }, "live counts: could not read unread counts");
    }
  }

  /**
   * One statement for every member in `ids`: their counts, and which of their streams' sessions are
   * still live (as getCurrentUser() decides: the row exists, has not expired, its member is active).
   * Streams of dead sessions end; the others hear only counts that changed.
   */
  private async push(ids: string[]): Promise<void> {
    const sessionIds = ids.flatMap((id) => [...(this.subscribers.get(id) ?? [])].map((l) => l.sessionId));
    const rows = await rawQuery<{ id: string; unread: number; live: string[] }>(
      `SELECT x.id, unread_notification_count(x.id) AS unread,
         ARRAY(SELECT s.id FROM sessions s JOIN users u ON u.id = s.user_id
               WHERE s.id = ANY($2::text[]) AND s.user_id = x.id AND s.expires_at > now() AND u.status = 'active') AS live
       FROM unnest($1::text[]) AS x(id)`,
      [ids, sessionIds],
    );
    for (const row of rows) {
      const live = new Set(row.live);
      for (const listener of [...(this.subscribers.get(row.id) ?? [])]) if (!live.has(listener.sessionId)) listener.end();
      if (!this.subscribers.has(row.id) || this.last.get(row.id) === row.unread) continue;
      this.last.set(row.id, row.unread);
      for (const listener of this.subscribers.get(row.id) ?? []) listener.push(row.unread);
    }
  }

  private ensureStarted(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.starting ??= this.start().catch((error: unknown) => {
      logger.warn({ err: error }, "live counts: LISTEN is unavailable; polling instead");
      this.usePolling();
    });
    return this.starting;
  }

  private async start(): Promise<void> {
    const client = await openProvenListener({
      channel: COUNT_CHANNEL,
      applicationName: "threadwise-live-counts",
      onPayload: (payload) => this.markDirty(payload.split(",").filter((id) => this.subscribers.has(id))),
      onLost: (lostClient, error) => this.lost(lostClient, error),
    });
    if (!client) {
      // NOTIFY does not reach this connection (embedded PGlite, a transaction pooler): poll.
      logger.info("live counts: NOTIFY does not reach this server (embedded database or a pooler); polling every 2 s");
      this.usePolling();
      return;
    }
    if (this.stopped) {
      await client.end().catch(() => {});
      return;
    }
    this.client = client;
    this.mode = "listen";
    this.schedulePoll(SAFETY_POLL_MS);
    // Anything that happened while we were connecting.
    this.markDirty([...this.subscribers.keys()]);
  }

  /** The LISTEN connection went away: poll until a new one works. */
  private lost(client: pg.Client, error?: Error): void {
    if (this.client !== client) return;
    this.client = undefined;
    if (error) logger.warn({ err: error }, "live counts: the LISTEN connection failed; polling until it is back");
    this.usePolling();
    if (this.stopped) return;
    setTimeout(() => {
      this.starting = undefined;
      if (this.mode === "poll" && this.subscribers.size > 0) void this.ensureStarted();
    }, RECONNECT_MS).unref();
  }

  private usePolling(): void {
    this.mode = "poll";
    if (this.stopped) return;
    this.schedulePoll(POLL_MS);
  }

  private schedulePoll(ms: number): void {
    if (this.pollTimer) clearInterval(this.pollTimer);
    this.pollTimer = setInterval(() => {
      if (this.subscribers.size > 0) this.markDirty([...this.subscribers.keys()]);
    }, ms);
    this.pollTimer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.pollTimer) clearInterval(this.pollTimer);
    if (this.flushTimer) clearTimeout(this.flushTimer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => {});
  }
}

declare global {
  // One per process, also across development rebuilds.
  var __threadwiseLiveCounts: LiveCounts | undefined;
}

export function liveCounts(): LiveCounts {
  globalThis.__threadwiseLiveCounts ??= new LiveCounts();
  return globalThis.__threadwiseLiveCounts;
}

/** Closes the LISTEN connection (on shutdown). */
export async function stopLiveCounts(): Promise<void> {
  const instance = globalThis.__threadwiseLiveCounts;
  globalThis.__threadwiseLiveCounts = undefined;
  await instance?.stop();
}

/** A comment line keeps proxies and the browser from timing the stream out. */
const HEARTBEAT_MS = 25_000;

/**
 * The bell's server-sent event stream for one signed-in member: `event: count` with the unread count
 * now and on every change, until the browser goes away (the request's signal) or the session it was
 * opened with ends (then `event: end`, and the stream closes). `no-transform` keeps compression
 * (which would buffer events) away from it.
 */
export function countEventStream(signal: AbortSignal, user: { id: string; sessionId: string; unreadNotifications: number }): Response {
  const encoder = new TextEncoder();
  let close: (() => void) | undefined;
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      let open = true;
      const send = (chunk: string) => {
        if (!open) return;
        try {
          controller.enqueue(encoder.encode(chunk));
        } catch {
          close?.();
        }
      };
      send(`retry: 5000\nevent: count\ndata: ${user.unreadNotifications}\n\n`);
      const unsubscribe = liveCounts().subscribe(user.id, {
        sessionId: user.sessionId,
        push: (count) => send(`event: count\ndata: ${count}\n\n`),
        end: () => {
          // Signed out: the bell stops listening (a reconnect would get 204 anyway).
          send("event: end\ndata: signed-out\n\n");
          close?.();
        },
      });
      const heartbeat = setInterval(() => send(": keep-alive\n\n"), HEARTBEAT_MS);
      close = () => {
        if (!open) return;
        open = false;
        clearInterval(heartbeat);
        unsubscribe();
        try {
          controller.close();
        } catch {
          // already closed
        }
      };
      if (signal.aborted) close();
      else signal.addEventListener("abort", () => close?.(), { once: true });
    },
    cancel() {
      close?.();
    },
  });
  return new Response(stream, {
    headers: { "Content-Type": "text/event-stream; charset=utf-8", "Cache-Control": "no-cache, no-transform", "X-Accel-Buffering": "no" },
  });
}

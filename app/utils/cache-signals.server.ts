import crypto from "node:crypto";
import type pg from "pg";
import { getPool, isEmbeddedDatabase } from "./db.server.ts";
import { logger } from "./logger.server.ts";
import { openProvenListener } from "./pg-listener.server.ts";

/**
 * What an app server keeps in its own memory and must forget when another server changes it
 * (docs/decisions/060-cache-invalidation-across-servers.md):
 * - `pages`: the anonymous page cache (app/server/anonymous-page-cache.ts), after any successful mutation;
 * - `categories`: the category map behind expert marks and pickers (expert-marks.server.ts);
 * - `dashboard`: computed dashboards (dashboard-queries.server.ts), after a category change or a rollup rebuild.
 */
export type CacheTopic = "pages" | "categories" | "dashboard";
const TOPICS: readonly CacheTopic[] = ["pages", "categories", "dashboard"];

export const CACHE_CHANNEL = "threadwise_cache";
/** Announcements made within this window are sent as one NOTIFY (a burst of posts costs one round trip). */
const COALESCE_MS = 25;
const RECONNECT_MS = 2_000;

export type CacheSignalMode = "starting" | "listen" | "local";

/**
 * Cross-server invalidation over PostgreSQL LISTEN/NOTIFY, the design of the notification live counts
 * (ADR 041): one dedicated connection per process, on the direct URL (a transaction pooler cannot keep
 * a LISTEN), that proves itself with a probe. A change runs this process's handlers at once and, a
 * moment later, sends `pg_notify('threadwise_cache', '<server id>|<topics>')` through the pool (NOTIFY
 * works through PgBouncer in transaction mode; only LISTEN needs the direct connection). Every other
 * server runs its handlers when the notification arrives: within milliseconds of the commit.
 *
 * When the listener is lost, every cache is dropped once it is back (what was announced meanwhile is
 * unknown). Where NOTIFY cannot arrive (the embedded database: one server by definition) the handlers
 * run locally only, and each cache's own time-to-live bounds what another process could have missed.
 */
class CacheSignals {
  readonly serverId = crypto.randomBytes(6).toString("hex");
  mode: CacheSignalMode = "starting";
  private readonly handlers = new Map<CacheTopic, Set<() => void>>();
  private readonly pending = new Set<CacheTopic>();
  private sendTimer: NodeJS.Timeout | undefined;
  private client: pg.Client | undefined;
  private starting: Promise<void> | undefined;
  private stopped = false;
  private listened = false;
  /** Announcements heard from other servers, for /metrics and tests. */
  received = 0;

  /** Runs `handler` whenever `topic` changes on any server; returns the unsubscribe. */
  on(topic: CacheTopic, handler: () => void): () => void {
    let set = this.handlers.get(topic);
    if (!set) this.handlers.set(topic, (set = new Set()));
    set.add(handler);
    return () => set.delete(handler);
  }

  /** After a commit: forget `topics` here now, and on every other server when the NOTIFY arrives. */
  announce(...topics: CacheTopic[]): void {
    this.run(topics);
    if (this.stopped) return;
    for (const topic of topics) this.pending.add(topic);
    this.sendTimer ??= setTimeout(() => void this.send(), COALESCE_MS);
  }

  private run(topics: Iterable<CacheTopic>): void {
    for (const topic of topics) {
      for (const handler of this.handlers.get(topic) ?? []) {
        try {
          handler();
        } catch (error) {
          logger.warn({ err: error, topic }, "cache signals: a handler failed");
        }
      }
    }
  }

  private async send(): Promise<void> {
    this.sendTimer = undefined;
    const topics = [...this.pending];
    this.pending.clear();
    if (topics.length === 0 || this.mode === "local") return;
    try {
      await getPool().query({ text: "SELECT pg_notify($1, $2)", values: [CACHE_CHANNEL, `${this.serverId}|${topics.join(",")}`] });
    } catch (error) {
      // Other servers then see the change when their copies expire (each cache's time-to-live).
      logger.warn({ err: error, topics }, "cache signals: could not announce a change to the other servers");
    }
  }

  /** Starts listening (idempotent); resolves once the listener works or is known not to. */
  start(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.starting ??= this.listen().catch((error: unknown) => {
      logger.warn({ err: error }, "cache signals: LISTEN is unavailable; caches expire by their time-to-live instead");
      this.retryLater();
    });
    return this.starting;
  }

  private async listen(): Promise<void> {
    if (await isEmbeddedDatabase()) {
      // One process holds the embedded database: nobody else to tell (and NOTIFY does not cross pglite-socket).
      this.mode = "local";
      return;
    }
    const client = await openProvenListener({
      channel: CACHE_CHANNEL,
      applicationName: "threadwise-cache-signals",
      onPayload: (payload) => this.onNotification(payload),
      onLost: (lostClient, error) => this.lost(lostClient, error),
    });
    if (!client) throw new Error("the probe NOTIFY did not arrive (is DATABASE_DIRECT_URL a pooler in transaction mode?)");
    if (this.stopped) {
      await client.end().catch(() => {});
      return;
    }
    this.client = client;
    this.mode = "listen";
    // Whatever was announced while this server did not listen is unknown: forget everything once.
    if (this.listened) this.run(TOPICS);
    this.listened = true;
  }

  private onNotification(payload: string): void {
    const bar = payload.indexOf("|");
    if (bar < 0 || payload.slice(0, bar) === this.serverId) return;
    const topics = payload
      .slice(bar + 1)
      .split(",")
      .filter((t): t is CacheTopic => (TOPICS as readonly string[]).includes(t));
    this.received += 1;
    this.run(topics);
  }

  private lost(client: pg.Client, error?: Error): void {
    if (this.client !== client) return;
    this.client = undefined;
    if (error) logger.warn({ err: error }, "cache signals: the LISTEN connection failed; reconnecting");
    this.mode = "starting";
    this.retryLater();
  }

  private retryLater(): void {
    if (this.stopped) return;
    setTimeout(() => {
      this.starting = undefined;
      void this.start();
    }, RECONNECT_MS).unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.sendTimer) clearTimeout(this.sendTimer);
    this.sendTimer = undefined;
    await this.send();
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => {});
  }
}

declare global {
  // One per process, also across development rebuilds.
  var __threadwiseCacheSignals: CacheSignals | undefined;
}

export function cacheSignals(): CacheSignals {
  globalThis.__threadwiseCacheSignals ??= new CacheSignals();
  return globalThis.__threadwiseCacheSignals;
}

/** Shorthand for use cases: forget `topics` on every app server (after the change committed). */
export function announceCacheChange(...topics: CacheTopic[]): void {
  cacheSignals().announce(...topics);
}

/** Shorthand for caches: `handler` runs whenever `topic` changes on any server. */
export function onCacheChange(topic: CacheTopic, handler: () => void): () => void {
  return cacheSignals().on(topic, handler);
}

/** Closes the LISTEN connection (on shutdown), after sending what is still pending. */
export async function stopCacheSignals(): Promise<void> {
  const instance = globalThis.__threadwiseCacheSignals;
  globalThis.__threadwiseCacheSignals = undefined;
  await instance?.stop();
}

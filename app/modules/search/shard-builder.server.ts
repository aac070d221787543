import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import zlib from "node:zlib";
import { logger } from "../../utils/logger.server.ts";
import { analyzeDocuments, buildAnalyzed, compactShard, distinctTerms, encodeShard, type IndexedDocument } from "./search-index.server.ts";

/**
 * Building a shard (analyze, lunr's build, the stored layout), the same whether it runs on the
 * builder thread or, when that cannot start, in the calling one. Server-only, no path aliases:
 * the builder thread imports it (ADR 076).
 */

/** Per term (in the order asked), its document frequency in the base, and the base's size. */
export type Frequencies = { documents: number; df: Int32Array };

export type ShardBuilderRequest =
  | { kind: "build"; id: number; documents: IndexedDocument[]; gzip: boolean; withFrequencies: boolean }
  | { kind: "frequencies"; id: number; documents: number; df: Int32Array };

export type ShardBuilderReply =
  | { kind: "terms"; id: number; terms: string[] }
  | { kind: "built"; id: number; bytes: Uint8Array }
  | { kind: "failed"; id: number; message: string };

/** The shard's bytes in the stored layout (gzipped, as stored, or not, to load at once). */
export async function buildEncodedShard(
  documents: IndexedDocument[],
  options: { gzip: boolean; frequencies?: (terms: string[]) => Promise<Frequencies> },
): Promise<Uint8Array> {
  const analyzed = analyzeDocuments(documents);
  let base;
  if (options.frequencies) {
    const terms = distinctTerms(analyzed);
    const { documents: baseDocuments, df } = await options.frequencies(terms);
    base = { documents: baseDocuments, df: new Map(terms.map((term, i) => [term, df[i]!])) };
  }
  const encoded = encodeShard(compactShard(buildAnalyzed(analyzed, base)));
  return options.gzip ? zlib.gzipSync(encoded, { level: 3 }) : encoded;
}

/**
 * The builder thread of this process: started on first use, one build at a time, stopped after a
 * minute without builds (unref'd meanwhile: it never keeps the process alive). When it cannot start (no worker file beside the
 * code, a loader failure) builds run in the calling thread, as before ADR 076, and that is logged once.
 */
const WORKER_FILE = "shard-builder.worker.ts";

function workerFile(): string | null {
  const candidates = [
    new URL(`./${WORKER_FILE}`, import.meta.url), // this module from the sources (tsx, vitest)
    new URL(`../app/modules/search/${WORKER_FILE}`, import.meta.url), // the server bundle, build/index.js
    pathToFileURL(path.resolve(process.cwd(), "app/modules/search", WORKER_FILE)),
  ];
  for (const url of candidates) if (url.protocol === "file:" && fs.existsSync(fileURLToPath(url))) return url.href;
  return null;
}

type Pending = {
  resolve: (bytes: Uint8Array) => void;
  reject: (error: Error) => void;
  frequencies?: (terms: string[]) => Promise<Frequencies>;
};

let worker: Worker | null | undefined;
let nextId = 1;
const pending = new Map<number, Pending>();
let queue: Promise<unknown> = Promise.resolve();
/** The thread's heap (a lunr build's worth) is given back when no build came for this long. */
const IDLE_MS = 60_000;
let idleTimer: NodeJS.Timeout | undefined;

function startWorker(): Worker | null {
  const file = workerFile();
  if (!file) return null;
  // The thread loads TypeScript through tsx's API (a worker does not inherit `--import tsx`).
  const code = `import("tsx/esm/api").then(({ tsImport }) => tsImport(${JSON.stringify(file)}, ${JSON.stringify(file)}))`;
  const thread = new Worker(code, { eval: true, name: "search-shard-builder" });
  thread.unref();
  thread.once("online", () => logger.info({ threadId: thread.threadId }, "search: shard builder thread started"));
  thread.on("message", (reply: ShardBuilderReply) => {
    const job = pending.get(reply.id);
    if (!job) return;
    if (reply.kind === "terms") {
      job.frequencies!(reply.terms).then(
        (f) => thread.postMessage({ kind: "frequencies", id: reply.id, documents: f.documents, df: f.df } satisfies ShardBuilderRequest, [f.df.buffer as ArrayBuffer]),
        (error: unknown) => {
          pending.delete(reply.id);
          job.reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
      return;
    }
    pending.delete(reply.id);
    if (reply.kind === "built") job.resolve(reply.bytes);
    else job.reject(new Error(`search shard builder: ${reply.message}`));
  });
  const fail = (error: Error) => {
    if (worker === thread) worker = null;
    for (const job of pending.values()) job.reject(error);
    pending.clear();
  };
  thread.on("error", fail);
  thread.on("exit", (code) => fail(new Error(`search shard builder exited with code ${code}`)));
  return thread;
}

/**
 * Builds a shard on the builder thread: its bytes in the stored layout (gzipped when asked). With
 * `frequencies`, the thread sends the shard's terms back first and gets the base's frequencies for
 * them. Falls back to the calling thread when the builder cannot run.
 */
export function buildShardOffThread(
  documents: IndexedDocument[],
  options: { gzip: boolean; frequencies?: (terms: string[]) => Promise<Frequencies> },
): Promise<Uint8Array> {
  const run = async () => {
    clearTimeout(idleTimer);
    if (worker === undefined) worker = startWorker();
    if (worker === null) return buildEncodedShard(documents, options);
    const thread = worker;
    const id = nextId++;
    thread.ref();
    try {
      return await new Promise<Uint8Array>((resolve, reject) => {
        pending.set(id, { resolve, reject, frequencies: options.frequencies });
        thread.postMessage({ kind: "build", id, documents, gzip: options.gzip, withFrequencies: options.frequencies !== undefined } satisfies ShardBuilderRequest);
      });
    } catch (error) {
      if (worker !== null) throw error;
      // The thread could not start or died: this build runs here, and so do the next ones.
      logger.warn({ err: error }, "search: the shard builder thread is unavailable; building in the server's own thread");
      return buildEncodedShard(documents, options);
    } finally {
      thread.unref();
      idleTimer = setTimeout(() => void stopShardBuilder(), IDLE_MS).unref();
    }
  };
  const result = queue.then(run, run);
  queue = result.catch(() => undefined);
  return result;
}

/** Stops the builder thread (tests, shutdown); the next build starts a new one. */
export async function stopShardBuilder(): Promise<void> {
  clearTimeout(idleTimer);
  const thread = worker;
  worker = undefined;
  if (thread) await thread.terminate();
}

import { afterAll, describe, expect, it } from "vitest";
import { eventLoopTurnsDuring } from "../../../tests/support/event-loop.ts";
import { decodeShard, queryShard, type IndexedDocument } from "./search-index.server.ts";
import { buildEncodedShard, buildShardOffThread, stopShardBuilder, type Frequencies } from "./shard-builder.server.ts";

const words = ["invoice", "printer", "factură", "imprimantă", "发票", "打印机", "account", "export", "setting", "order", "refund", "password"];
const documents: IndexedDocument[] = Array.from({ length: 3000 }, (_, i) => ({
  docKey: `thread:${i}`,
  docType: "thread",
  categoryId: 1 + (i % 3),
  title: `${words[i % words.length]} ${words[(i * 5) % words.length]} title${i}`,
  body: Array.from({ length: 40 }, (_, k) => `${words[(i + k * 7) % words.length]} w${(i * 31 + k) % 997}`).join(" "),
  tags: i % 4 === 0 ? ["billing"] : [],
  resolved: i % 2 === 0,
  score: i % 5,
}));

/** Frequencies as the engine sends them: a made-up base of 50,000 documents. */
const frequencies = async (terms: string[]): Promise<Frequencies> => ({ documents: 50_000, df: Int32Array.from(terms, (t) => (t.length * 97) % 400) });

afterAll(() => stopShardBuilder());

describe("the shard builder thread (ADR 076)", () => {
  it("builds the same bytes as the calling thread would, gzipped or not, with or without the base's frequencies", async () => {
    const here = await buildEncodedShard(documents, { gzip: false, frequencies });
    const there = await buildShardOffThread(documents, { gzip: false, frequencies });
    expect(Buffer.from(there).equals(Buffer.from(here))).toBe(true);
    const plain = await buildShardOffThread(documents, { gzip: true });
    expect(Buffer.from(plain).equals(Buffer.from(await buildEncodedShard(documents, { gzip: true })))).toBe(true);
    // The base's frequencies change the scores (a term common in the base is worth less).
    const shard = await decodeShard(there);
    const alone = await decodeShard(await buildShardOffThread(documents, { gzip: false }));
    const reading = [{ required: ["invoic"], optional: [], anyOf: [] }];
    expect(queryShard(shard, reading, { limit: 1 }).top[0]!.score).not.toBe(queryShard(alone, reading, { limit: 1 }).top[0]!.score);
  });

  it("leaves the event loop free while it builds (the old in-thread build held it for the whole shard)", async () => {
    const { turns } = await eventLoopTurnsDuring(() => buildShardOffThread(documents, { gzip: true, frequencies }));
    expect(turns).toBeGreaterThan(20);
  });

  it("runs builds one at a time in order, and starts again after being stopped", async () => {
    const few = documents.slice(0, 50);
    const [a, b] = await Promise.all([buildShardOffThread(few, { gzip: false }), buildShardOffThread(documents.slice(50, 60), { gzip: false })]);
    expect((await decodeShard(a)).docs).toHaveLength(50);
    expect((await decodeShard(b)).docs).toHaveLength(10);
    await stopShardBuilder();
    expect((await decodeShard(await buildShardOffThread(few, { gzip: false }))).docs[0]![0]).toBe("thread:0");
  });

  it("a build that fails on the thread is refused to its caller, and the next build works", async () => {
    const broken = [{ ...documents[0]!, docKey: "thread:1\nthread:2" }];
    await expect(buildShardOffThread(broken, { gzip: false })).rejects.toThrow(/line break/);
    expect((await decodeShard(await buildShardOffThread(documents.slice(0, 3), { gzip: false }))).docs).toHaveLength(3);
  });
});

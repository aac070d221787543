import zlib from "node:zlib";
import { describe, expect, it } from "vitest";
import { eventLoopTurnsDuring } from "../../../tests/support/event-loop.ts";
import { buildShard, compactShard, decodeShard, encodeShard, kthLargest, loadShard, queryShard, serializeShard, type IndexedDocument } from "./search-index.server.ts";

describe("kthLargest (top-k cut of a shard's ranks)", () => {
  const bySorting = (values: number[], k: number) => {
    if (values.length <= k) return -Infinity;
    if (k <= 0) return Infinity;
    return [...values].sort((a, b) => b - a)[k - 1]!;
  };

  it("agrees with sorting on random ranks, ties and every k", () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (const n of [0, 1, 2, 5, 20, 137, 2000]) {
      const values = Array.from({ length: n }, () => Math.round(random() * 50) / 10);
      for (const k of [0, 1, 2, 5, 20, 100, n - 1, n, n + 1]) {
        if (k < 0) continue;
        expect(kthLargest(values, k), `n=${n} k=${k}`).toBe(bySorting(values, k));
      }
    }
  });

  it("keeps everything when there are no more values than k, nothing when k is 0", () => {
    expect(kthLargest([3, 1, 2], 3)).toBe(-Infinity);
    expect(kthLargest([3, 1, 2], 0)).toBe(Infinity);
    expect(kthLargest([3, 1, 2, 9], 2)).toBe(3);
    // Only the first `length` values of a reused buffer count.
    expect(kthLargest(Float64Array.of(5, 1, 9, 7), 1, 2)).toBe(5);
    expect(kthLargest(Float64Array.of(5, 1, 9, 7), 2, 2)).toBe(-Infinity);
  });
});

describe("queryShard: probing long postings lists", () => {
  // Words with very different frequencies: "invoice" in most documents, "printer" in a third,
  // "firmware" in a few, "xylograph" in one. Terms are stems, so the query terms are written stemmed.
  let seed = 11;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const filler = ["account", "setting", "export", "screen", "payment", "update", "report", "order", "email", "login"];
  const documents: IndexedDocument[] = Array.from({ length: 3000 }, (_, i) => {
    const words = Array.from({ length: 12 }, () => filler[Math.floor(random() * filler.length)]!);
    if (random() < 0.8) words.push("invoice");
    if (random() < 0.33) words.push("printer");
    if (i % 250 === 3) words.push("firmware");
    if (i === 1234) words.push("xylograph");
    return {
      docKey: `thread:${i}`,
      docType: "thread",
      categoryId: 1 + (i % 3),
      title: words.slice(0, 4).join(" "),
      body: words.slice(4).join(" "),
      tags: [],
      resolved: i % 2 === 0,
      score: i % 7,
    };
  });
  const shard = compactShard(buildShard(documents));

  it.each([
    [["invoic", "firmwar"], []],
    [["invoic", "printer"], []],
    [["xylograph", "invoic"], ["printer"]],
    [["firmwar"], ["invoic", "export"]],
    [["printer", "invoic", "account"], []],
  ])("required %j, optional %j: the same matches and ranks as reading every list", (required, optional) => {
    const reading = { required, optional, anyOf: [] };
    for (const filter of [{}, { categoryId: 2 }, { resolvedOnly: true }]) {
      const probed = queryShard(shard, [reading], { filter, limit: 25 });
      const read = queryShard(shard, [reading], { filter, limit: 25, readAll: true });
      expect(probed.count).toBe(read.count);
      expect(probed.top).toEqual(read.top);
    }
    expect(queryShard(shard, [reading], { limit: 25 }).count).toBeGreaterThan(0);
  });

  it("a required word missing from the shard matches nothing, however common the other", () => {
    expect(queryShard(shard, [{ required: ["invoic", "nosuchword"], optional: [], anyOf: [] }], { limit: 10 }).count).toBe(0);
  });
});

describe("stored shards (format 3): the compact layout itself, loaded without a parse", () => {
  const words = ["invoice", "printer", "factură", "imprimantă", "发票", "打印机", "account", "export", "setting", "order"];
  const documents: IndexedDocument[] = Array.from({ length: 1500 }, (_, i) => ({
    docKey: `${i % 10 === 0 ? "article" : "thread"}:${i}`,
    docType: i % 10 === 0 ? "article" : "thread",
    categoryId: i % 4 === 0 ? null : i % 4,
    title: `${words[i % words.length]} ${words[(i * 7) % words.length]} w${i}`,
    body: `${words[(i * 3) % words.length]} body${i % 300} ${words[(i * 5) % words.length]}`,
    tags: i % 3 === 0 ? ["billing"] : [],
    resolved: i % 2 === 0,
    score: (i % 9) - 2,
  }));
  const built = buildShard(documents);
  const compact = compactShard(built);

  it("decodes to the same shard, and queries give the same matches and ranks to the last bit", async () => {
    const loaded = await loadShard(serializeShard(built));
    expect(loaded.docs).toEqual(compact.docs);
    expect(loaded.terms).toEqual(compact.terms);
    expect([...loaded.postings.keys()].sort()).toEqual([...compact.postings.keys()].sort());
    for (const [term, entry] of compact.postings) {
      const other = loaded.postings.get(term)!;
      for (const field of ["t", "b"] as const) {
        expect(other[field] === undefined, `${term}/${field}`).toBe(entry[field] === undefined);
        if (entry[field]) {
          expect(Array.from(other[field]!.refs)).toEqual(Array.from(entry[field]!.refs));
          expect(Array.from(other[field]!.weights)).toEqual(Array.from(entry[field]!.weights));
        }
      }
    }
    expect(Array.from(loaded.boost)).toEqual(Array.from(compact.boost));
    for (const reading of [
      { required: ["invoic"], optional: [], anyOf: [] },
      { required: ["发票"], optional: ["打印"], anyOf: [] },
      { required: [], optional: ["factur", "export"], anyOf: [] },
    ]) {
      for (const filter of [{}, { categoryId: 2 }, { resolvedOnly: true }, { type: "article" as const }]) {
        expect(queryShard(loaded, [reading], { filter, limit: 10 })).toEqual(queryShard(compact, [reading], { filter, limit: 10 }));
      }
    }
  });

  it("lets the event loop run while the term map is built (a shard never holds requests up)", async () => {
    const data = serializeShard(built);
    const { result: loaded, turns } = await eventLoopTurnsDuring(() => loadShard(data, { slice: 100 }));
    // One turn at least per 100 terms (and the gunzip on the thread pool); the JSON format loaded in one piece.
    expect(loaded.terms.length).toBeGreaterThan(1000);
    expect(turns).toBeGreaterThanOrEqual(Math.floor(loaded.terms.length / 100));
  });

  it("still loads a shard stored as lunr's JSON (format 2) by a version built before", async () => {
    const legacy = zlib.gzipSync(JSON.stringify({ v: 2, docs: built.docs, index: built.index }));
    const loaded = await loadShard(legacy);
    expect(loaded.terms).toEqual(compact.terms);
    expect(queryShard(loaded, [{ required: ["printer"], optional: [], anyOf: [] }], { limit: 5 })).toEqual(
      queryShard(compact, [{ required: ["printer"], optional: [], anyOf: [] }], { limit: 5 }),
    );
  });

  it("refuses damaged or truncated bytes with a message that says what to run", async () => {
    const raw = encodeShard(compact);
    await expect(decodeShard(raw.subarray(0, raw.length - 8))).rejects.toThrow(/search:reindex/);
    const wrongMagic = Buffer.from(raw);
    wrongMagic.writeInt32LE(0, 0);
    await expect(decodeShard(wrongMagic)).rejects.toThrow(/search:reindex/);
    await expect(decodeShard(Buffer.alloc(4))).rejects.toThrow(/search:reindex/);
  });

  it("reads bytes that are not 8-byte aligned, and shards past 65,536 documents (32-bit refs)", async () => {
    const raw = encodeShard(compact);
    const shifted = Buffer.alloc(raw.length + 3);
    raw.copy(shifted, 3);
    expect((await decodeShard(shifted.subarray(3))).terms).toEqual(compact.terms);

    const n = 70_000;
    const wide = {
      docs: Array.from({ length: n }, (_, i) => [`thread:${i}`, 1, 0, 0] as [string, number, number, number]),
      terms: ["alpha", "beta"],
      postings: new Map([
        ["alpha", { b: { refs: Int32Array.of(5, 66_000, 69_999), weights: Float32Array.of(0.5, 1.25, 2) } }],
        ["beta", { t: { refs: Int32Array.of(65_537), weights: Float32Array.of(3) } }],
      ]),
      flags: new Uint8Array(n),
      category: new Int32Array(n).fill(1),
      boost: new Float32Array(n).fill(1),
    };
    const back = await decodeShard(encodeShard(wide));
    expect(back.docs[69_999]).toEqual(["thread:69999", 1, 0, 0]);
    expect(Array.from(back.postings.get("alpha")!.b!.refs)).toEqual([5, 66_000, 69_999]);
    expect(Array.from(back.postings.get("beta")!.t!.refs)).toEqual([65_537]);
    expect(back.postings.get("beta")!.b).toBeUndefined();
  });
});

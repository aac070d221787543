import { describe, expect, it } from "vitest";
import { buildShard, compactShard, kthLargest, queryShard, type IndexedDocument } from "./search-index.server.ts";

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

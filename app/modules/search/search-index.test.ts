import { describe, expect, it } from "vitest";
import { kthLargest } from "./search-index.server.ts";

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

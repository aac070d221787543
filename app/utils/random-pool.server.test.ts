import { describe, expect, test } from "vitest";
import { randomBytes } from "./random-pool.server.ts";

describe("random bytes from a pool", () => {
  test("every value is new: 20,000 draws of 16 bytes (five refills of the pool) repeat none", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 20_000; i++) seen.add(randomBytes(16).toString("hex"));
    expect(seen.size).toBe(20_000);
  });

  test("a value is a copy: changing it changes no later value, and sizes at and over the pool's work", () => {
    const a = randomBytes(32);
    a.fill(7);
    expect(randomBytes(32).equals(Buffer.alloc(32, 7))).toBe(false);
    expect(randomBytes(0).length).toBe(0);
    expect(randomBytes(4096).length).toBe(4096);
    expect(randomBytes(10_000).length).toBe(10_000);
    expect(() => randomBytes(-1)).toThrow(RangeError);
    expect(() => randomBytes(1.5)).toThrow(RangeError);
  });

  test("the bytes look uniform: each byte value about 1/256 of 1 MiB drawn", () => {
    const counts = new Array<number>(256).fill(0);
    for (let i = 0; i < 32_768; i++) for (const byte of randomBytes(32)) counts[byte]! += 1;
    const expected = (32_768 * 32) / 256;
    for (const count of counts) expect(Math.abs(count - expected)).toBeLessThan(expected * 0.1);
  });
});

import zlib from "node:zlib";
import { describe, expect, test } from "vitest";
import { compileTemplate, fillTemplate, storedBlocks } from "./page-template.ts";

describe("a cached page with holes, gzipped from pieces compressed once (ADR 075)", () => {
  const page = [
    '<!DOCTYPE html><html lang="zh-Hans"><head><script nonce="NONCE-1">boot()</script></head><body>',
    '<form><input type="hidden" name="csrf" value="TOKEN-1"/></form>',
    "<p>同步在五百个联系人后停止。Sincronizarea se oprește după 500 de intrări. ".repeat(400),
    '<script nonce="NONCE-1">window.__ctx={"csrfToken":"TOKEN-1","requestId":"REQ-1"}</script>',
    "<footer>Reference: REQ-1</footer></body></html>",
  ].join("");
  const template = compileTemplate(page, ["NONCE-1", "TOKEN-1", "REQ-1"]);

  test("every occurrence of every placeholder is a hole, and filling gives the page with the new values", () => {
    expect(template.holes).toEqual([0, 1, 0, 1, 2, 2]);
    const values = ["n0nce+/=", "tøken-两", "req-42"];
    const filled = fillTemplate(template, values);
    const expected = page.replaceAll("NONCE-1", values[0]!).replaceAll("TOKEN-1", values[1]!).replaceAll("REQ-1", values[2]!);
    expect(filled.text.toString("utf8")).toBe(expected);
    // The gzip form is a valid gzip member of exactly that text (CRC and length checked by gunzip).
    expect(zlib.gunzipSync(filled.gzip()).toString("utf8")).toBe(expected);
  });

  test("the gzip form stays small: the pieces compress nearly as well as the whole page", () => {
    const filled = fillTemplate(template, ["a", "b", "c"]);
    const whole = zlib.gzipSync(filled.text, { level: 1 });
    expect(filled.gzip().length).toBeLessThan(whole.length * 1.2);
  });

  test("a page without any placeholder, or one that starts and ends with one, is filled as well", () => {
    for (const body of ["no holes at all", "TOKEN-1 in the middle TOKEN-1", "NONCE-1"]) {
      const t = compileTemplate(body, ["NONCE-1", "TOKEN-1", "REQ-1"]);
      const filled = fillTemplate(t, ["x", "y", "z"]);
      const expected = body.replaceAll("NONCE-1", "x").replaceAll("TOKEN-1", "y");
      expect(filled.text.toString()).toBe(expected);
      expect(zlib.gunzipSync(filled.gzip()).toString()).toBe(expected);
    }
  });

  test("the values go in as stored blocks, whatever their size (empty, multi-byte, over one block's 65,535 bytes)", () => {
    for (const value of ["", "n0nce", "两".repeat(30_000)]) {
      const filled = fillTemplate(template, [value, "t", "r"]);
      const expected = page.replaceAll("NONCE-1", value).replaceAll("TOKEN-1", "t").replaceAll("REQ-1", "r");
      expect(zlib.gunzipSync(filled.gzip()).toString("utf8")).toBe(expected);
    }
    const stored = storedBlocks(Buffer.from("abc"));
    expect([...stored]).toEqual([0, 3, 0, 0xfc, 0xff, 0x61, 0x62, 0x63]);
    expect(zlib.inflateRawSync(Buffer.concat([stored, zlib.deflateRawSync(Buffer.alloc(0))])).toString()).toBe("abc");
  });
});

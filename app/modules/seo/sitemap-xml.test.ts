import { describe, expect, test } from "vitest";
import { threadUrlSetXml, urlSetXml } from "./sitemap.server.ts";

describe("threadUrlSetXml", () => {
  test("writes exactly the document urlSetXml writes for the same threads, whatever their slugs hold", () => {
    const threads: [string, string, Date][] = [
      ["1", "how-to-export-invoices", new Date("2026-01-02T03:04:05.006Z")],
      ["22", "如何取消已付款的订阅计划并申请退款", new Date("2026-12-31T23:59:59.999Z")],
      ["333", "cum-îmi-schimb-parola-în-aplicația-mobilă", new Date("2025-06-07T08:09:10.000Z")],
      ["4444", `tom-&-jerry-<3-"quoted"-'single'`, new Date("2024-02-29T12:00:00.120Z")],
      ["5", "already%E4%BD%A0-escaped-and-100%-off", new Date("2026-03-03T03:03:03.333Z")],
      ["6", "space here/and?query#frag", new Date("2026-03-03T03:03:03.333Z")],
      ["7", "Mixed.Case_tilde~ok", new Date("2000-01-01T00:00:00.000Z")],
      ["8", "👍🏽-emoji", new Date("2026-04-04T04:04:04.004Z")],
    ];
    const lines = threads.map(([id, slug, at]) => `${id}\t${slug}\t${at.toISOString()}`).join("\n");
    for (const origin of ["https://forum.example.com", "http://127.0.0.1:3000/"]) {
      const expected = urlSetXml(origin, threads.map(([id, slug, at]) => ({ path: `/questions/${id}/${slug}`, lastmod: at })));
      expect(threadUrlSetXml(origin, lines)).toBe(expected);
    }
  });
});

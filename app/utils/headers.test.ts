import { describe, expect, test } from "vitest";
import { attachmentDisposition, headerSafeUrl } from "./headers.ts";

/** What Node lets into a header, and what a browser decodes back to the intended URL. */
const VISIBLE_ASCII = /^[\x21-\x7e]*$/;

describe("headerSafeUrl: user text in a Location", () => {
  test("percent-encodes Chinese, Arabic, Romanian and Polish letters as UTF-8, and nothing that is already safe", () => {
    expect(headerSafeUrl("/questions/5/行動應用程式")).toBe(`/questions/5/${encodeURIComponent("行動應用程式")}`);
    expect(headerSafeUrl("/questions/7/كيف-أعيد")).toBe(`/questions/7/${encodeURIComponent("كيف-أعيد")}`);
    expect(headerSafeUrl("/kb/billing/facturi-țară-łódź")).toBe("/kb/billing/facturi-%C8%9Bar%C4%83-%C5%82%C3%B3d%C5%BA");
    expect(headerSafeUrl("/login?redirectTo=%2Fquestions&x=1#top")).toBe("/login?redirectTo=%2Fquestions&x=1#top");
    expect(headerSafeUrl("/account?welcome=1")).toBe("/account?welcome=1");
  });

  test("is idempotent: an encoded URL is not encoded again", () => {
    const once = headerSafeUrl("/questions/5/什麼是 客戶?q=登入");
    expect(headerSafeUrl(once)).toBe(once);
    expect(decodeURI(once)).toBe("/questions/5/什麼是 客戶?q=登入");
  });

  test("never lets a header break: CR/LF, controls, spaces, quotes, a stray % and lone surrogates are encoded", () => {
    const hostile = ["/a\r\nSet-Cookie: x=1", "/a b\"c<d>", "/100%", "/%zz", "/\u0000\u007f", "/x\uD800y", "/\uDC00", "/😀", "/\u202Eevil"];
    for (const url of hostile) {
      const safe = headerSafeUrl(url);
      expect(safe, url).toMatch(VISIBLE_ASCII);
      expect(() => new Headers({ Location: safe }), url).not.toThrow();
    }
    expect(headerSafeUrl("/a\r\nSet-Cookie: x=1")).toBe("/a%0D%0ASet-Cookie:%20x=1");
    expect(headerSafeUrl("/100%")).toBe("/100%25");
    expect(headerSafeUrl("/x\uD800y")).toBe("/x%EF%BF%BDy");
  });
});

describe("attachmentDisposition: a download's file name", () => {
  test("keeps the exact UTF-8 name in filename* and an ASCII fallback in filename", () => {
    const value = attachmentDisposition("報表-facturi-țară.csv");
    expect(value).toMatch(/^[\x20-\x7e]+$/);
    expect(value).toBe(`attachment; filename="__-facturi-tara.csv"; filename*=UTF-8''${encodeURIComponent("報表-facturi-țară.csv")}`);
    expect(() => new Headers({ "Content-Disposition": value })).not.toThrow();
  });

  test("cannot be broken out of: quotes, backslashes, CR/LF and RFC 8187's reserved characters", () => {
    const value = attachmentDisposition('a"b\\c\r\nd\'(e)*.csv');
    expect(value).toBe(`attachment; filename="a_b_cd'(e)*.csv"; filename*=UTF-8''a%22b%5Ccd%27%28e%29%2A.csv`);
  });

  test("an ASCII name is unchanged in both parameters", () => {
    expect(attachmentDisposition("threadwise-daily-2027-01-01-to-2027-01-31.csv")).toBe(
      `attachment; filename="threadwise-daily-2027-01-01-to-2027-01-31.csv"; filename*=UTF-8''threadwise-daily-2027-01-01-to-2027-01-31.csv`,
    );
  });
});

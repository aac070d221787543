import { createRequire } from "node:module";
import { createCookie } from "@remix-run/node";
import { CSRF, CSRFError } from "remix-utils/csrf/server";
import { describe, expect, test } from "vitest";
import { withNodeCrypto } from "./csrf.server.ts";

/** crypto-js, which remix-utils made its tokens with (it ships no types). */
type WordArray = { toString(encoder: unknown): string };
const cryptoJS = createRequire(import.meta.url)("crypto-js") as {
  lib: { WordArray: { random(bytes: number): WordArray } };
  enc: { Base64url: unknown };
  HmacSHA256(message: string, key: string): WordArray;
};

const SECRET = "a-test-secret-of-the-session-0123456789";
const make = () => withNodeCrypto(new CSRF({ cookie: createCookie("tw_csrf", { path: "/", httpOnly: true, sameSite: "lax", secrets: [SECRET] }), formDataKey: "csrf", secret: SECRET }), SECRET);

async function validate(csrf: CSRF, cookieToken: string, formToken: string): Promise<string | null> {
  const cookie = await createCookie("tw_csrf", { path: "/", secrets: [SECRET] }).serialize(cookieToken);
  const form = new FormData();
  form.set("csrf", formToken);
  try {
    await csrf.validate(form, new Headers({ cookie: cookie.split(";")[0]! }));
    return null;
  } catch (error) {
    if (error instanceof CSRFError) return error.code;
    throw error;
  }
}

describe("CSRF tokens made and signed with Node's crypto", () => {
  test("a token is 32 random bytes and their HMAC-SHA256, both Base64url, and each is new", () => {
    const csrf = make();
    const [a, b] = [csrf.generate(), csrf.generate()];
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b);
  });

  test("the signature is the one remix-utils made with crypto-js, so tokens issued before still validate", async () => {
    const csrf = make();
    const value = cryptoJS.lib.WordArray.random(32).toString(cryptoJS.enc.Base64url);
    const before = `${value}.${cryptoJS.HmacSHA256(value, SECRET).toString(cryptoJS.enc.Base64url)}`;
    expect(await validate(csrf, before, before)).toBeNull();
    const now = csrf.generate();
    const [raw] = now.split(".");
    expect(now).toBe(`${raw}.${cryptoJS.HmacSHA256(raw!, SECRET).toString(cryptoJS.enc.Base64url)}`);
  });

  test("commitToken's cookie and token pass; a forged signature, a short one or another token are refused", async () => {
    const csrf = make();
    const [token, setCookie] = await csrf.commitToken(new Request("http://local/"));
    expect(setCookie).toMatch(/^tw_csrf=/);
    const form = new FormData();
    form.set("csrf", token);
    await expect(csrf.validate(form, new Headers({ cookie: setCookie!.split(";")[0]! }))).resolves.toBeUndefined();
    const [value] = token.split(".");
    const forged = `${value}.${"A".repeat(43)}`;
    expect(await validate(csrf, forged, forged)).toBe("tampered_token_in_cookie");
    expect(await validate(csrf, `${value}.abc`, `${value}.abc`)).toBe("tampered_token_in_cookie");
    expect(await validate(csrf, `${value}`, `${value}`)).toBe("tampered_token_in_cookie");
    expect(await validate(csrf, token, csrf.generate())).toBe("mismatched_token");
  });
});

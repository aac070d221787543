import { getZodConstraint } from "@conform-to/zod";
import { describe, expect, test } from "vitest";
import type { z } from "zod";
import { CategorySchema } from "~/modules/categories/categories.schema.ts";
import { ArticleSchema, FeedbackSchema, OwnerSchema, PromoteSchema } from "~/modules/kb/kb.schema.ts";
import { AnswerSchema, AskSchema, CommentSchema, EditSchema } from "~/modules/questions/questions.schema.ts";
import { BonusSchema } from "~/modules/reputation/reputation.schema.ts";
import { ChangePasswordSchema, LoginSchema, ProfileSchema, ResetPasswordSchema, SignupSchema } from "~/modules/users/users.schema.ts";
import { bytesForChars, fitsInBytes, MAX_DOC_BYTES, utf8ByteLength } from "./text-limits.ts";
import { inEnglish } from "../../../tests/support/messages.ts";

describe("byte caps on text fields", () => {
  test("sizes are counted in UTF-8 bytes: Latin, Romanian, Chinese and emoji", () => {
    for (const text of ["abc", "Știință și ţară", "圖書館的問題", "👍🏽 ok", ""]) {
      expect(utf8ByteLength(text)).toBe(Buffer.byteLength(text, "utf8"));
      const bytes = Buffer.byteLength(text, "utf8");
      expect(fitsInBytes(text, bytes)).toBe(true);
      if (bytes > 0) expect(fitsInBytes(text, bytes - 1)).toBe(false);
    }
  });

  test("a value that the character limit accepts always fits its byte cap, in any of the three languages", () => {
    expect(SignupSchema.safeParse({ email: "ana@example.com", handle: "ana_ro", displayName: "圖".repeat(60), password: "ș".repeat(200) }).success).toBe(true);
    expect(CommentSchema.safeParse({ body: "👍".repeat(300) }).success).toBe(true); // 600 UTF-16 units, 1200 bytes
    expect(AskSchema.safeParse({ title: "學".repeat(150), categoryId: "1", tags: "billing", bodyText: "圖".repeat(60_000) }).success).toBe(true);
  });

  // Each field with a value one byte over its cap; a megabyte of spaces after a short value shows
  // that the size is checked before trimming (before the caps, trim() made these values valid).
  const padded = (value: string) => value + " ".repeat(1024 * 1024);
  const cases: [string, z.ZodTypeAny, Record<string, unknown>, string, RegExp][] = [
    ["question title", AskSchema, { categoryId: "1", tags: "billing", bodyText: "text" }, "title", /at most 150 characters/],
    ["edited title", EditSchema, {}, "title", /at most 150 characters/],
    ["edit reason", EditSchema, {}, "reason", /under 200 characters/],
    ["comment", CommentSchema, {}, "body", /at most 600 characters/],
    ["article reason", ArticleSchema, { title: "How to export invoices", categoryId: "1", tags: "billing" }, "reason", /under 200 characters/],
    ["feedback comment", FeedbackSchema, { helpful: "yes" }, "comment", /under 500 characters/],
    ["article owner", OwnerSchema, {}, "ownerId", /Choose an owner/],
    ["display name", SignupSchema, { email: "a@example.com", handle: "anna", password: "correct horse battery" }, "displayName", /at most 60 characters/],
    ["profile bio", ProfileSchema, { displayName: "Ana" }, "bio", /at most 1000 characters/],
    ["e-mail", LoginSchema, { password: "x" }, "email", /too long/],
    ["bonus reason", BonusSchema, { points: "10" }, "reason", /under 200 characters/],
    ["category description", CategorySchema, { name: "Billing", slug: "billing" }, "description", /at most 500 characters/],
  ];
  test.each(cases)("the %s is refused by its size before it is trimmed", (_name, schema, rest, field, message) => {
    const result = schema.safeParse({ ...rest, [field]: padded("A short value here") });
    expect(result.success).toBe(false);
    expect(inEnglish(result.error?.flatten().fieldErrors[field])).toEqual([expect.stringMatching(message)]);
  });

  test("fields that had no cap at all have one now: confirmations, the sign-in return address, tags, thread ids", () => {
    const huge = "x".repeat(1024 * 1024);
    expect(LoginSchema.safeParse({ email: "a@example.com", password: "x", redirectTo: `/${huge}` }).error?.flatten().fieldErrors.redirectTo).toBeDefined();
    expect(ResetPasswordSchema.safeParse({ token: "t".repeat(40), password: "correct horse battery", confirm: huge }).error?.flatten().fieldErrors.confirm).toBeDefined();
    expect(ChangePasswordSchema.safeParse({ currentPassword: "x", newPassword: "correct horse battery", confirm: huge }).error?.flatten().fieldErrors.confirm).toBeDefined();
    expect(inEnglish(AskSchema.safeParse({ title: "A good question title", categoryId: "1", tags: `${"a,".repeat(100_000)}b`, bodyText: "x" }).error?.flatten().fieldErrors.tags)).toEqual([
      expect.stringMatching(/at most 5 tags/),
    ]);
    expect(inEnglish(PromoteSchema.safeParse({ threadIds: Array.from({ length: 10_000 }, () => "1") }).error?.flatten().fieldErrors.threadIds)).toEqual([expect.stringMatching(/at most 50/)]);
  });

  test("post bodies are capped at the stored document's size before they are parsed", () => {
    expect(inEnglish(AnswerSchema.safeParse({ bodyText: "x".repeat(MAX_DOC_BYTES + 1) }).error?.flatten().fieldErrors.bodyText)).toEqual(["The answer is too long"]);
    expect(inEnglish(AnswerSchema.safeParse({ body: "圖".repeat(MAX_DOC_BYTES / 3 + 1) }).error?.flatten().fieldErrors.body)).toEqual(["The answer is too long"]);
    expect(ArticleSchema.safeParse({ title: "How to export invoices", categoryId: "1", tags: "billing", bodyText: "x".repeat(MAX_DOC_BYTES + 1) }).success).toBe(false);
  });

  test("a 10 MB value is refused in a few milliseconds", () => {
    const huge = "圖".repeat(10 * 1024 * 1024);
    const started = performance.now();
    for (const field of ["title", "body", "bodyText"]) AskSchema.safeParse({ title: "A good question title", categoryId: "1", tags: "x", [field]: huge });
    expect(performance.now() - started).toBeLessThan(100);
  });

  test("the browser still gets each field's length limits from the schemas (Conform constraints)", () => {
    expect(getZodConstraint(SignupSchema)).toMatchObject({
      handle: { required: true, minLength: 3, maxLength: 30 },
      displayName: { required: true, maxLength: 60 },
      password: { required: true, minLength: 10, maxLength: 200 },
    });
    expect(getZodConstraint(ProfileSchema).bio).toMatchObject({ maxLength: 1000 });
    expect(bytesForChars(60)).toBe(240);
  });
});

import { describe, expect, test } from "vitest";
import { mentionedHandles, splitMentions } from "./mentions.ts";

describe("the @mention rule", () => {
  test("finds handles after @ in any language's text, lower-cased and without duplicates", () => {
    expect(mentionedHandles("@Ann can you help? cc @bob_smith and @ANN")).toEqual(["ann", "bob_smith"]);
    expect(mentionedHandles("请@wei-chen 看一下，Mulțumesc @ioana-pop!")).toEqual(["wei-chen", "ioana-pop"]);
  });

  test("ignores e-mail addresses, URL paths, too-short handles and handles glued to letters", () => {
    expect(mentionedHandles("write to support@example.com or https://x.example/@ann, @ab, x@ann, _@ann")).toEqual([]);
  });

  test("keeps at most 20 mentions per text", () => {
    expect(mentionedHandles(Array.from({ length: 30 }, (_, i) => `@member${i}`).join(" "))).toHaveLength(20);
  });

  test("splits a text into plain parts and known mentions", () => {
    expect(splitMentions("hi @Ann and @zed", ["ann"])).toEqual(["hi ", { handle: "ann", text: "@Ann" }, " and @zed"]);
    expect(splitMentions("no mentions here", ["ann"])).toEqual(["no mentions here"]);
  });
});

import { describe, expect, test } from "vitest";
import { prisma } from "./db.server.ts";
import { invalid, ok } from "./http.server.ts";
import { deleteExpiredSubmissions, earlierAnswer, FORM_TOKEN_LIFETIME_MS, FORM_TOKEN_REFUSED, issueFormToken, submissionOf, submitOnce, type Submission } from "./submission.server.ts";

const request = (path = "/questions/1/x") => new Request(`http://localhost${path}?_data=routes%2Fquestions.%24id.%24slug`, { method: "POST" });
function form(fields: Record<string, string>): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.append(name, value);
  return data;
}
const keyOf = (submission: Submission) => (submission.ok && submission.value ? submission.value.key : null);
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("submission keys", () => {
  test("the same token, sender, path and fields give the same key; any difference gives another", () => {
    const formToken = issueFormToken();
    const fields = { csrf: "c1", formToken, intent: "comment", postId: "7", body: "Thanks!" };
    const base = keyOf(submissionOf(request(), form(fields), "member-1"));
    expect(base).toMatch(/^[\w-]{43}$/);
    expect(keyOf(submissionOf(request(), form({ ...fields, csrf: "another tab's token" }), "member-1"))).toBe(base);
    expect(keyOf(submissionOf(request(), form({ ...fields, body: "Thanks!!" }), "member-1"))).not.toBe(base);
    expect(keyOf(submissionOf(request(), form({ ...fields, postId: "8" }), "member-1"))).not.toBe(base);
    expect(keyOf(submissionOf(request("/questions/2/x"), form(fields), "member-1"))).not.toBe(base);
    expect(keyOf(submissionOf(request(), form(fields), "member-2"))).not.toBe(base);
    expect(keyOf(submissionOf(request(), form({ ...fields, formToken: issueFormToken() }), "member-1"))).not.toBe(base);
    // Visitors are told apart by their browser's CSRF secret.
    expect(keyOf(submissionOf(request(), form(fields), null))).not.toBe(keyOf(submissionOf(request(), form({ ...fields, csrf: "c2" }), null)));
  });

  test("no token means no key; an altered, future or expired token is refused with a message", () => {
    const now = Date.now();
    expect(submissionOf(request(), form({ csrf: "c" }), "m")).toEqual(ok(null));
    const [issued, nonce, signature] = issueFormToken(now).split(".");
    const refused = invalid({}, [FORM_TOKEN_REFUSED]);
    for (const token of [`${issued}.${nonce}.${"A".repeat(22)}`, `${issued}.${nonce}x.${signature}`, `${issued}.${nonce}`, `${issued}.${nonce}.${signature}.x`, "x".repeat(200)]) {
      expect(submissionOf(request(), form({ csrf: "c", formToken: token }), "m", now), token).toEqual(refused);
    }
    expect(submissionOf(request(), form({ csrf: "c", formToken: issueFormToken(now + 3_600_000) }), "m", now)).toEqual(refused);
    expect(submissionOf(request(), form({ csrf: "c", formToken: issueFormToken(now - FORM_TOKEN_LIFETIME_MS - 1) }), "m", now)).toEqual(refused);
    const fresh = submissionOf(request(), form({ csrf: "c", formToken: issueFormToken(now - 1000) }), "m", now);
    expect(fresh.ok && fresh.value?.expiresAt.getTime()).toBe(now - 1000 + FORM_TOKEN_LIFETIME_MS);
  });
});

describe("submitting once", () => {
  const claim = (key: string, expiresAt = new Date(Date.now() + 3_600_000)): Submission => ok({ key, expiresAt });

  test("a copy sent while the first is still running waits for it, then gets its answer without running", async () => {
    const submission = claim("concurrent-1");
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let claimed!: () => void;
    const firstClaimed = new Promise<void>((resolve) => (claimed = resolve));
    const runs: string[] = [];
    const first = prisma.$transaction((tx) =>
      submitOnce(tx, submission, async () => {
        runs.push("first");
        claimed();
        await gate;
        return ok({ id: 41n, slug: "first" });
      }),
    );
    await firstClaimed;
    let secondDone = false;
    const second = prisma
      .$transaction((tx) =>
        submitOnce(tx, submission, async () => {
          runs.push("second");
          return ok({ id: 42n, slug: "second" });
        }),
      )
      .finally(() => (secondDone = true));
    await wait(300);
    expect(secondDone).toBe(false);
    release();
    expect(await first).toEqual(ok({ id: 41n, slug: "first" }));
    expect(await second).toEqual(ok({ id: 41n, slug: "first" }));
    expect(runs).toEqual(["first"]);
    expect(await earlierAnswer(submission)).toEqual(ok({ id: 41n, slug: "first" }));
  });

  test("a failure keeps no claim: the next copy runs, and a success is kept", async () => {
    const submission = claim("failing-1");
    const failed = await prisma.$transaction((tx) => submitOnce(tx, submission, async () => invalid({ body: ["Write a comment"] })));
    expect(failed.ok).toBe(false);
    expect(await earlierAnswer(submission)).toBeNull();
    const thrown = prisma.$transaction((tx) =>
      submitOnce(tx, submission, async () => {
        throw new Error("boom");
      }),
    );
    await expect(thrown).rejects.toThrow("boom");
    expect(await prisma.formSubmission.count({ where: { key: "failing-1" } })).toBe(0);
    expect(await prisma.$transaction((tx) => submitOnce(tx, submission, async () => ok({ n: 1 })))).toEqual(ok({ n: 1 }));
    expect(await earlierAnswer(submission)).toEqual(ok({ n: 1 }));
  });

  test("without a key the work just runs; a refused token runs nothing", async () => {
    expect(await prisma.$transaction((tx) => submitOnce(tx, ok(null), async () => ok("ran")))).toEqual(ok("ran"));
    const refused = invalid({}, [FORM_TOKEN_REFUSED]);
    let ran = false;
    expect(await prisma.$transaction((tx) => submitOnce(tx, refused, async () => ((ran = true), ok("ran"))))).toEqual(refused);
    expect(ran).toBe(false);
    expect(await earlierAnswer(refused)).toEqual(refused);
  });

  test("the cleanup deletes rows whose token can no longer be sent", async () => {
    await prisma.$transaction((tx) => submitOnce(tx, claim("old-1", new Date(Date.now() - 1000)), async () => ok(1)));
    await prisma.$transaction((tx) => submitOnce(tx, claim("new-1"), async () => ok(2)));
    await deleteExpiredSubmissions();
    expect((await prisma.formSubmission.findMany({ where: { key: { in: ["old-1", "new-1"] } }, select: { key: true } })).map((r) => r.key)).toEqual(["new-1"]);
  });
});

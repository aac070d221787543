import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { prisma } from "~/utils/db.server.ts";
import { HttpClient, startAppServer } from "../support/app-server.ts";
import { GOOD_PASSWORD, docJson, makeAnswer, makeCategory, makeQuestion, makeUser } from "../support/factories.ts";

let server: Awaited<ReturnType<typeof startAppServer>>;
beforeAll(async () => {
  server = await startAppServer();
});
afterAll(() => server?.close());

/** Every thread-state POST with valid fields, so only the permission can refuse it. */
function intents(other: bigint, categoryId: number): Record<string, string>[] {
  return [
    { intent: "close", reason: "off_topic" },
    { intent: "duplicate", duplicateOf: String(other) },
    { intent: "reopen" },
    { intent: "merge", target: String(other) },
    { intent: "lock" },
    { intent: "unlock" },
    { intent: "pin", scope: "global" },
    { intent: "unpin" },
    { intent: "move", categoryId: String(categoryId) },
    { intent: "unlist" },
    { intent: "list" },
  ];
}

const stateOf = (id: bigint) =>
  prisma.thread.findUniqueOrThrow({
    where: { id },
    select: { closedAt: true, duplicateOfId: true, mergedIntoId: true, lockedAt: true, pinnedAt: true, unlistedAt: true, categoryId: true, closeRound: true },
  });

describe("thread states over HTTP", () => {
  test("a member gets 403 and a visitor the sign-in redirect on every thread-state POST (a member with 5000 reputation gets 403 on all but the close vote), and nothing changes", async () => {
    const asker = await makeUser();
    const member = await makeUser({ reputation: 400 });
    const { threadId } = await makeQuestion(asker.id);
    const other = await makeQuestion(asker.id);
    const category = await makeCategory("Elsewhere");
    const before = await stateOf(threadId);
    const path = `/questions/${threadId}/state`;

    const visitor = new HttpClient(server.url);
    const signedIn = new HttpClient(server.url);
    await signedIn.signIn(member.email, GOOD_PASSWORD);
    for (const fields of intents(other.threadId, category.id)) {
      for (const [who, client] of [["visitor", visitor], ["member", signedIn]] as const) {
        const response = await client.post(path, fields, { csrf: await client.csrfToken(who === "visitor" ? "/login" : "/questions") });
        expect(response.status, `${who} ${fields.intent}`).toBe(who === "visitor" ? 302 : 403);
        if (who === "visitor") expect(response.headers.get("location"), `${who} ${fields.intent}`).toMatch(/^\/login\?redirectTo=/);
      }
    }
    expect(await stateOf(threadId)).toEqual(before);
    expect(await prisma.closeVote.count({ where: { threadId } })).toBe(0);
    expect(await prisma.auditEntry.count({ where: { targetType: "thread", targetId: threadId.toString() } })).toBe(0);

    // A high-reputation member may vote to close, but every moderator action is still 403.
    const trusted = await makeUser({ reputation: 5000 });
    const trustedClient = new HttpClient(server.url);
    await trustedClient.signIn(trusted.email, GOOD_PASSWORD);
    for (const fields of intents(other.threadId, category.id).filter((f) => f.intent !== "close" && f.intent !== "duplicate" && f.intent !== "reopen")) {
      expect((await trustedClient.post(path, fields, { csrf: await trustedClient.csrfToken("/questions") })).status, `trusted member ${fields.intent}`).toBe(403);
    }
    expect((await trustedClient.post(path, { intent: "close", reason: "too_broad" }, { csrf: await trustedClient.csrfToken("/questions") })).status).toBe(303);
    expect(await prisma.closeVote.count({ where: { threadId } })).toBe(1);
    expect((await stateOf(threadId)).closedAt).toBeNull();
  });

  test("a moderator closes a thread: its page shows why and an answer POST gets 409", async () => {
    const asker = await makeUser();
    const helper = await makeUser();
    const moderator = await makeUser({ role: "moderator" });
    const { threadId } = await makeQuestion(asker.id);
    const { slug } = await prisma.thread.findUniqueOrThrow({ where: { id: threadId }, select: { slug: true } });
    const mod = new HttpClient(server.url);
    await mod.signIn(moderator.email, GOOD_PASSWORD);
    const closed = await mod.post(`/questions/${threadId}/state`, { intent: "close", reason: "resolved_elsewhere" }, { csrf: await mod.csrfToken("/questions") });
    expect(closed.status).toBe(303);
    expect(closed.headers.get("location")).toBe(`/questions/${threadId}/${slug}`);

    const page = await (await new HttpClient(server.url).get(`/questions/${threadId}/${slug}`)).text();
    expect(page).toContain("resolved elsewhere.");
    const member = new HttpClient(server.url);
    await member.signIn(helper.email, GOOD_PASSWORD);
    const path = `/questions/${threadId}/${slug}`;
    const refused = await member.post(path, { intent: "answer", body: docJson("An answer to a closed question, which is refused.") }, { csrf: await member.csrfToken(path) });
    expect(refused.status).toBe(409);
    expect(await prisma.post.count({ where: { threadId, kind: "answer" } })).toBe(0);
  });

  test("every URL of a merged thread answers 301 to the target; answers keep their ids for #post anchors", async () => {
    const asker = await makeUser();
    const helper = await makeUser();
    const moderator = await makeUser({ role: "moderator" });
    const source = await makeQuestion(asker.id, { title: "合并前的问题：发票导出失败怎么办？" });
    const target = await makeQuestion(asker.id, { title: "Invoice export fails: what to do?" });
    const answer = await makeAnswer(helper.id, source.threadId);
    const [{ slug: sourceSlug }, { slug: targetSlug }] = await Promise.all(
      [source.threadId, target.threadId].map((id) => prisma.thread.findUniqueOrThrow({ where: { id }, select: { slug: true } })),
    );
    const mod = new HttpClient(server.url);
    await mod.signIn(moderator.email, GOOD_PASSWORD);
    const merged = await mod.post(`/questions/${source.threadId}/state`, { intent: "merge", target: `/questions/${target.threadId}/${targetSlug}` }, { csrf: await mod.csrfToken("/questions") });
    expect(merged.status).toBe(303);
    const targetPath = `/questions/${target.threadId}/${encodeURIComponent(targetSlug)}`;
    expect(merged.headers.get("location")).toBe(targetPath);

    const visitor = new HttpClient(server.url);
    for (const old of [`/questions/${source.threadId}`, `/questions/${source.threadId}/${encodeURIComponent(sourceSlug)}`, `/questions/${source.threadId}/old-slug`]) {
      const response = await visitor.get(old);
      expect(response.status, old).toBe(301);
      expect(response.headers.get("location"), old).toBe(targetPath);
    }
    const page = await (await visitor.get(targetPath)).text();
    expect(page).toContain(`id="post-${answer}"`);
  });
});

import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { prisma } from "~/utils/db.server.ts";
import { HttpClient, startAppServer } from "../support/app-server.ts";
import { GOOD_PASSWORD, makeAnswer, makeQuestion, makeUser } from "../support/factories.ts";

let server: Awaited<ReturnType<typeof startAppServer>>;
beforeAll(async () => {
  server = await startAppServer();
});
afterAll(() => server?.close());

describe("moderating posts from the thread page", () => {
  test("a member's direct POST to delete someone else's answer is refused; a moderator hides it and anonymous readers stop seeing it", async () => {
    const asker = await makeUser();
    const helper = await makeUser();
    const moderator = await makeUser({ role: "moderator" });
    const { threadId } = await makeQuestion(asker.id);
    const answer = await makeAnswer(helper.id, threadId, "Spam spam spam: buy followers at example dot com.");
    const { slug } = await prisma.thread.findUniqueOrThrow({ where: { id: threadId }, select: { slug: true } });
    const path = `/questions/${threadId}/${slug}`;

    const member = new HttpClient(server.url);
    await member.signIn(asker.email, GOOD_PASSWORD);
    const refused = await member.post(path, { intent: "delete", postId: String(answer) }, { csrf: await member.csrfToken(path) });
    expect(refused.status).toBe(403);
    expect((await prisma.post.findUniqueOrThrow({ where: { id: answer } })).deletedAt).toBeNull();

    const mod = new HttpClient(server.url);
    await mod.signIn(moderator.email, GOOD_PASSWORD);
    const hidden = await mod.post(path, { intent: "hide", postId: String(answer) }, { csrf: await mod.csrfToken(path) });
    expect(hidden.status).toBe(200);
    const anonymous = await new HttpClient(server.url).get(path);
    expect(await anonymous.text()).not.toContain("buy followers");
    const moderatorView = await (await mod.get(path)).text();
    expect(moderatorView).toContain("buy followers");
    expect(moderatorView).toContain("Show again");
  });
});

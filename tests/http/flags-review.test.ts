import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { prisma } from "~/utils/db.server.ts";
import { HttpClient, startAppServer } from "../support/app-server.ts";
import { GOOD_PASSWORD, makeAnswer, makeQuestion, makeUser } from "../support/factories.ts";

let server: Awaited<ReturnType<typeof startAppServer>>;
beforeAll(async () => {
  server = await startAppServer();
});
afterAll(() => server?.close());

async function flaggedAnswer() {
  const asker = await makeUser();
  const author = await makeUser();
  const { threadId } = await makeQuestion(asker.id);
  const answerId = await makeAnswer(author.id, threadId, "Visit my shop for cheap followers, best prices.");
  await prisma.postFlag.create({ data: { postId: answerId, flaggerId: asker.id, reason: "spam", weight: 1 } });
  return { author, answerId };
}

async function signedIn(role: "member" | "moderator" | "admin" | null) {
  const client = new HttpClient(server.url);
  if (role) {
    const user = await makeUser({ role });
    await client.signIn(user.email, GOOD_PASSWORD);
  }
  return client;
}

/** The moderator's POSTs of issue 19, sent directly by people who may not use them: 403, nothing changes. */
describe("flags and the review queue over HTTP", () => {
  test("members and visitors get 403 on the review queue's decisions, the site settings and suspensions; nothing changes", async () => {
    const { author, answerId } = await flaggedAnswer();
    for (const who of ["member", null] as const) {
      const client = await signedIn(who);
      const csrf = await client.csrfToken(who ? "/account" : "/signup");
      const decide = await client.post("/review", { postId: String(answerId), decision: "agree", outcome: "delete", suspend: "on", suspendReason: "spam" }, { csrf });
      expect(decide.status, `${who ?? "visitor"} POST /review`).toBe(403);
      const settings = await client.post("/admin/settings", { approveFirstPosts: "on" }, { csrf });
      expect(settings.status, `${who ?? "visitor"} POST /admin/settings`).toBe(403);
      const suspend = await client.post("/admin/users", { intent: "suspension", userId: author.id, suspend: "true", reason: "spam" }, { csrf });
      expect([403, 302], `${who ?? "visitor"} POST /admin/users`).toContain(suspend.status);
      if (suspend.status === 302) expect(suspend.headers.get("location")).toMatch(/^\/login/);
    }
    expect((await prisma.post.findUniqueOrThrow({ where: { id: answerId } })).deletedAt).toBeNull();
    expect(await prisma.postFlag.count({ where: { postId: answerId, status: "pending" } })).toBe(1);
    expect((await prisma.user.findUniqueOrThrow({ where: { id: author.id } })).status).toBe("active");
    expect(await prisma.siteSetting.count()).toBe(0);
    expect(await prisma.auditEntry.count()).toBe(0);
  });

  test("visitors get 403 when flagging; a member's flag is taken once; the review page is for moderators only", async () => {
    const { answerId } = await flaggedAnswer();
    const visitor = await signedIn(null);
    expect((await visitor.post(`/posts/${answerId}/flag`, { reason: "spam" }, { csrf: await visitor.csrfToken("/signup") })).status).toBe(403);
    expect((await visitor.get("/review")).headers.get("location")).toMatch(/^\/login\?redirectTo=%2Freview/);

    const member = await signedIn("member");
    const csrf = await member.csrfToken("/account");
    expect((await member.post(`/posts/${answerId}/flag`, { reason: "rude" }, { csrf })).status).toBe(200);
    expect((await member.post(`/posts/${answerId}/flag`, { reason: "rude" }, { csrf })).status).toBe(409);
    expect((await member.post(`/posts/${answerId}/flag`, { reason: "other", detail: "" }, { csrf })).status).toBe(400);
    expect((await member.get("/review")).status).toBe(403);
    expect(await (await member.get("/account/flags")).text()).toContain("Waiting for review");

    const moderator = await signedIn("moderator");
    const page = await (await moderator.get("/review")).text();
    expect(page).toContain("Visit my shop for cheap followers");
    const decided = await moderator.post("/review", { postId: String(answerId), decision: "agree", outcome: "hide" }, { csrf: await moderator.csrfToken("/review") });
    expect(decided.status).toBe(200);
    expect((await prisma.post.findUniqueOrThrow({ where: { id: answerId } })).hiddenAt).not.toBeNull();
    expect(await (await member.get("/account/flags")).text()).toContain("Moderators agreed");
  });
});

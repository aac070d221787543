import { afterAll, beforeAll, expect, test } from "vitest";
import { HttpClient, startAppServer } from "../support/app-server.ts";
import { createTestDatabase, prepareTemplate, type TestDatabase } from "../support/database.ts";
import { docJson, GOOD_PASSWORD, makeCategory, makeQuestion, makeUser } from "../support/factories.ts";
import { formOf, sameReplies, sendCopies } from "../support/form-submissions.ts";

/**
 * Double submission on the embedded database (npm start without DATABASE_URL): PGlite runs one
 * transaction at a time, so the second copy's claim waits for the first copy's transaction rather
 * than on the unique index; it must still write once and answer the same way (ADR 030).
 */
let embedded: TestDatabase;
let server: Awaited<ReturnType<typeof startAppServer>> | undefined;
beforeAll(async () => {
  await prepareTemplate(null);
  embedded = await createTestDatabase(null);
  process.env.DATABASE_URL = embedded.url;
  server = await startAppServer();
}, 180_000);
afterAll(async () => {
  await server?.close();
  const { disconnectDb } = await import("~/utils/db.server.ts");
  await disconnectDb();
  await embedded?.drop();
});

test("a question, an answer and a comment each sent three times at once write one row each, with one reply", async () => {
  const { prisma } = await import("~/utils/db.server.ts");
  const [asker, helper] = [await makeUser(), await makeUser()];
  const category = await makeCategory();
  const client = new HttpClient(server!.url);
  await client.signIn(helper.email, GOOD_PASSWORD);

  const asked = await sendCopies(client, "/questions/new", await formOf(client, "/questions/new", { title: "Why does my CSV export stop at 1000 rows?", categoryId: String(category.id), tags: "billing", bodyText: "The export always ends after exactly one thousand rows." }), { atOnce: 3, after: 1 });
  sameReplies(asked);
  expect(await prisma.thread.count({ where: { authorId: helper.id } })).toBe(1);

  const { threadId, postId } = await makeQuestion(asker.id);
  const { slug } = await prisma.thread.findUniqueOrThrow({ where: { id: threadId }, select: { slug: true } });
  const path = `/questions/${threadId}/${slug}`;
  const answered = await sendCopies(client, path, await formOf(client, path, { intent: "answer", body: docJson("Open Billing, then Invoices, then Export as CSV.") }), { atOnce: 3, after: 1 });
  expect(answered[0]!.status).toBe(200);
  sameReplies(answered);
  expect(await prisma.post.count({ where: { threadId, kind: "answer" } })).toBe(1);

  const commented = await sendCopies(client, path, await formOf(client, path, { intent: "comment", postId: String(postId), body: "Same here, following this thread." }), { atOnce: 3, after: 1 });
  expect(commented[0]!.status).toBe(200);
  sameReplies(commented);
  expect(await prisma.comment.count({ where: { postId } })).toBe(1);
}, 120_000);

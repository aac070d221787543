import { afterAll, beforeAll, expect, test } from "vitest";
import { prisma } from "~/utils/db.server.ts";
import { HttpClient, startAppServer } from "../support/app-server.ts";
import { GOOD_PASSWORD, makeUser } from "../support/factories.ts";

/** The editor's "@" suggestions (issue 18): signed-in members only, active handles by prefix, taken literally. */
let server: Awaited<ReturnType<typeof startAppServer>>;
beforeAll(async () => {
  server = await startAppServer();
});
afterAll(() => server?.close());

test("a member typing @ann gets active members whose handle starts with it; visitors get 401; wildcards are literal", async () => {
  const tag = Date.now().toString(36);
  await makeUser({ handle: `ann${tag}a`, displayName: "Ann A" });
  await makeUser({ handle: `ann${tag}b`, displayName: "Ana B" });
  const suspended = await makeUser({ handle: `ann${tag}c` });
  await prisma.user.update({ where: { id: suspended.id }, data: { status: "suspended" } });
  const member = await makeUser();
  const client = new HttpClient(server.url);
  await client.signIn(member.email, GOOD_PASSWORD);

  const found = (await (await client.get(`/users/handles?q=ANN${tag}`)).json()) as { members: { handle: string }[] };
  expect(found.members.map((m) => m.handle)).toEqual([`ann${tag}a`, `ann${tag}b`]);
  expect(((await (await client.get(`/users/handles?q=a_n${tag}`)).json()) as { members: unknown[] }).members).toEqual([]);
  expect(((await (await client.get("/users/handles?q=%25")).json()) as { members: unknown[] }).members).toEqual([]);
  expect((await new HttpClient(server.url).get(`/users/handles?q=ann${tag}`)).status).toBe(401);
});

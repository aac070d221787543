import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { recordAudit } from "~/modules/audit/record-audit.server.ts";
import { prisma } from "~/utils/db.server.ts";
import { runInRequestScope } from "~/utils/request-scope.server.ts";
import { HttpClient, startAppServer } from "../support/app-server.ts";
import { GOOD_PASSWORD, makeAnswer, makeQuestion, makeUser } from "../support/factories.ts";

/**
 * /admin/audit and /admin/audit.csv (issue 19, ADR 050): admins only; newest first with keyset pages;
 * filters by actor, action, target and UTC days; bad filters are a 400 with the reason; the CSV is the
 * filtered list, UTF-8 with a BOM, Chinese and Romanian intact, formulas defused.
 */
let server: Awaited<ReturnType<typeof startAppServer>>;
let admin: HttpClient;
let adminUser: Awaited<ReturnType<typeof makeUser>>;
const today = new Date().toISOString().slice(0, 10);

beforeAll(async () => {
  server = await startAppServer();
  adminUser = await makeUser({ role: "admin" });
  admin = new HttpClient(server.url);
  await admin.signIn(adminUser.email, GOOD_PASSWORD);
});
afterAll(() => server?.close());

async function signedIn(role: "member" | "moderator" | "staff" | "admin") {
  const user = await makeUser({ role });
  const client = new HttpClient(server.url);
  await client.signIn(user.email, GOOD_PASSWORD);
  return { user, client };
}

describe("who reads the audit log", () => {
  test("visitors are sent to sign in; members get 403 from the page and the CSV; moderators and staff read it without client addresses", async () => {
    for (const path of ["/admin/audit", "/admin/audit.csv?action=post.hidden"]) {
      const response = await new HttpClient(server.url).get(path);
      expect(response.status).toBe(302);
      expect(response.headers.get("location")).toBe(`/login?redirectTo=${encodeURIComponent(path)}`);
      expect(response.headers.get("content-type") ?? "").not.toContain("text/csv");
    }
    const { client: member } = await signedIn("member");
    for (const path of ["/admin/audit", "/admin/audit?_data=routes%2Fadmin.audit", "/admin/audit.csv"]) {
      const response = await member.get(path);
      expect.soft(response.status, `member: ${path}`).toBe(403);
      expect.soft(await response.text(), `member: ${path}`).not.toContain("ip_address");
    }
    // An action with an address, then what moderators and staff see of it: the row, never the address.
    const admin = await signedIn("admin");
    const target = await makeUser();
    const changed = await admin.client.post("/admin/users", { intent: "role", userId: target.id, role: "moderator" }, { csrf: await admin.client.csrfToken("/admin/users") });
    expect(changed.status).toBeLessThan(400);
    const row = await prisma.auditEntry.findFirstOrThrow({ where: { action: "user.role_changed", targetId: target.id } });
    expect(row.ipAddress).toBeTruthy();
    for (const role of ["moderator", "staff"] as const) {
      const { client } = await signedIn(role);
      const data = await client.get(`/admin/audit?_data=routes%2Fadmin.audit&targetType=user&targetId=${target.id}`);
      expect.soft(data.status, `${role}: data`).toBe(200);
      const body = (await data.json()) as { entries: { action: string; ipAddress: string | null }[] };
      expect.soft(body.entries.map((e) => [e.action, e.ipAddress]), role).toEqual([["user.role_changed", null]]);
      const csv = await (await client.get(`/admin/audit.csv?targetType=user&targetId=${target.id}`)).text();
      expect.soft(csv, role).toContain("user.role_changed");
      expect.soft(csv, role).not.toContain(row.ipAddress!);
    }
  });
});

describe("the list", () => {
  test("actions taken over HTTP appear newest first with who, the dotted name and its label, a linked target, the reason, before → after and the address", async () => {
    const asker = await makeUser();
    const helper = await makeUser();
    const { user: modUser, client: mod } = await signedIn("moderator");
    const { threadId } = await makeQuestion(asker.id);
    const answer = await makeAnswer(helper.id, threadId, "Buy cheap followers at example dot com today.");
    const { slug } = await prisma.thread.findUniqueOrThrow({ where: { id: threadId }, select: { slug: true } });
    const path = `/questions/${threadId}/${slug}`;
    expect((await mod.post(path, { intent: "hide", postId: String(answer), reason: "垃圾广告 și reclamă" }, { csrf: await mod.csrfToken(path) })).status).toBe(200);
    const role = await admin.post("/admin/users", { intent: "role", userId: asker.id, role: "moderator" }, { csrf: await admin.csrfToken("/admin/users") });
    expect(role.status).toBe(200);

    const response = await admin.get("/admin/audit");
    expect(response.status).toBe(200);
    const page = await response.text();
    const html = page.slice(page.indexOf('data-testid="audit-table"'));
    // Newest first: the role change, then the hiding.
    expect(html.indexOf("<code>user.role_changed</code>")).toBeGreaterThan(-1);
    expect(html.indexOf("<code>user.role_changed</code>")).toBeLessThan(html.indexOf("<code>post.hidden</code>"));
    expect(html).toContain("Role changed");
    expect(html).toContain("Post hidden");
    expect(html).toContain("垃圾广告 și reclamă");
    expect(html).toContain(`href="/u/${modUser.handle}"`);
    expect(html).toContain(`href="/questions/${threadId}?answer=${answer}#post-${answer}"`);
    expect(html).toContain(`href="/u/${asker.handle}"`);
    expect(html).toMatch(/member\s*(<!-- -->)?\s*→\s*(<!-- -->)?\s*moderator/);
    expect(html).toContain("127.0.0.1");
    expect(html).toContain('<th scope="col" role="columnheader">When</th>');
    expect(page).not.toContain("Buy cheap followers");
  });

  test("filters by actor handle, action, target and date range; bad filters are a 400 that says why", async () => {
    const { user: modA } = await signedIn("moderator");
    const modB = await makeUser({ role: "moderator" });
    const target = await makeUser();
    await prisma.$transaction(async (tx) => {
      await recordAudit(tx, { actor: { id: modA.id }, action: "reputation.bonus_granted", targetType: "user", targetId: target.id, reason: "zq-alpha", after: { points: 5 } });
      await recordAudit(tx, { actor: { id: modB.id }, action: "reputation.bonus_granted", targetType: "user", targetId: modA.id, reason: "zq-beta", after: { points: 7 } });
      await recordAudit(tx, { actor: { id: modB.id }, action: "post.deleted", targetType: "post", targetId: 987654321n, reason: "zq-gamma" });
    });
    const reasonsOf = async (query: string) => {
      const response = await admin.get(`/admin/audit?${query}`);
      expect(response.status, query).toBe(200);
      const html = await response.text();
      return ["zq-alpha", "zq-beta", "zq-gamma"].filter((r) => html.includes(r));
    };
    expect(await reasonsOf(`actor=${modA.handle}`)).toEqual(["zq-alpha"]);
    expect(await reasonsOf(`actor=%40${modB.handle.toUpperCase()}`)).toEqual(["zq-beta", "zq-gamma"]);
    expect(await reasonsOf(`actor=${modB.handle}&action=post.deleted`)).toEqual(["zq-gamma"]);
    expect(await reasonsOf(`targetType=user&targetId=${modA.id}`)).toEqual(["zq-beta"]);
    expect(await reasonsOf(`targetType=post&targetId=987654321`)).toEqual(["zq-gamma"]);
    expect(await reasonsOf(`from=${today}&to=${today}&actor=${modB.handle}`)).toEqual(["zq-beta", "zq-gamma"]);
    expect(await reasonsOf(`from=2000-01-01&to=2000-12-31`)).toEqual([]);
    expect(await reasonsOf(`action=&actor=&targetType=&targetId=&from=&to=`)).toEqual(["zq-alpha", "zq-beta", "zq-gamma"]);
    expect(await reasonsOf(`targetId=987654321`)).toEqual(["zq-gamma"]);
    // A renamed actor is found by the new handle (their account) and by the old one (copied into the rows).
    await prisma.user.update({ where: { id: modB.id }, data: { handle: `${modB.handle}-renamed` } });
    expect(await reasonsOf(`actor=${modB.handle}-renamed`)).toEqual(["zq-beta", "zq-gamma"]);
    expect(await reasonsOf(`actor=${modB.handle}`)).toEqual(["zq-beta", "zq-gamma"]);

    for (const [query, message] of [
      ["action=post.exploded", "Choose one of the listed actions"],
      ["targetType=planet", "Choose one of the listed target kinds"],
      ["from=2026-02-30", "Use a date like 2026-12-06"],
      ["from=2026-12-06&to=2026-12-01", "The end date is before the start date"],
      ["actor=%E5%BC%A0%E4%B8%89", "A handle uses only letters, digits, _ and -"],
      ["targetId=1%00", "A target id uses only letters, digits, _ and -"],
      ["after=yesterday", "This page link is broken"],
    ] as const) {
      const page = await admin.get(`/admin/audit?${query}`);
      expect.soft(page.status, query).toBe(400);
      expect.soft(await page.text(), query).toContain(message);
      const csv = await admin.get(`/admin/audit.csv?${query}`);
      expect.soft(csv.status, `csv ${query}`).toBe(400);
      expect.soft(await csv.text(), `csv ${query}`).toContain(message);
    }
  });

  test("keyset pages: 50 a page, the 'older' link continues exactly where the page ended", async () => {
    const actor = await makeUser({ role: "moderator" });
    await prisma.$transaction(async (tx) => {
      for (let i = 0; i < 57; i += 1) await recordAudit(tx, { actor: { id: actor.id }, action: "post.hidden", targetType: "post", targetId: 5_000_000 + i, reason: `page-row-${String(i).padStart(2, "0")}` });
    });
    const seen: string[] = [];
    let url: string | null = `/admin/audit?actor=${actor.handle}`;
    let pages = 0;
    while (url) {
      const html: string = await (await admin.get(url)).text();
      const table = html.slice(html.indexOf('data-testid="audit-table"'), html.indexOf("</table>"));
      const rows = [...table.matchAll(/page-row-(\d\d)/g)].map((m) => m[1]!);
      expect(rows.length).toBeLessThanOrEqual(50);
      seen.push(...rows);
      pages += 1;
      const link = html.match(/<a[^>]*rel="next"[^>]*>/)?.[0];
      url = link ? link.match(/href="([^"]+)"/)![1]!.replaceAll("&amp;", "&") : null;
    }
    expect(pages).toBe(2);
    // All 57, once each; rows written in one transaction share a time, so the id breaks the tie (newest first).
    expect(seen).toEqual(Array.from({ length: 57 }, (_, i) => String(56 - i).padStart(2, "0")));
  });
});

describe("the CSV", () => {
  test("the filtered list with a BOM and a header; Chinese and Romanian survive; formulas are defused", async () => {
    const actor = await makeUser({ role: "moderator", handle: `csv-mod-${Date.now().toString(36)}` });
    const member = await makeUser();
    await runInRequestScope(
      () =>
        prisma.$transaction(async (tx) => {
          await recordAudit(tx, { actor: { id: actor.id }, action: "reputation.bonus_granted", targetType: "user", targetId: member.id, reason: "=HYPERLINK(\"http://evil.example\",\"点我\")", after: { points: 10 } });
          await recordAudit(tx, { actor: { id: actor.id }, action: "post.hidden", targetType: "post", targetId: 42n, reason: "重复内容, „ștergere” — țară", before: { hiddenAt: null }, after: { hiddenAt: "2026-12-06T08:00:00.000Z" } });
          await recordAudit(tx, { actor: { id: actor.id }, action: "post.deleted", targetType: "post", targetId: 43n, reason: "@SUM(1+1)" });
        }),
      "203.0.113.50",
    );
    const response = await admin.get(`/admin/audit.csv?actor=${actor.handle}&from=${today}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toContain(`threadwise-audit-from-${today}.csv`);
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes.slice(3));
    const lines = text.split("\r\n").filter(Boolean);
    expect(lines[0]).toBe("id,created_at,actor_handle,actor_id,action,target_type,target_id,reason,before,after,ip_address");
    expect(lines).toHaveLength(4);
    expect(lines[1]).toContain(",post.deleted,post,43,'@SUM(1+1),");
    expect(lines[2]).toContain(`,post.hidden,post,42,"重复内容, „ștergere” — țară","{""hiddenAt"":null}","{""hiddenAt"":""2026-12-06T08:00:00.000Z""}",203.0.113.50`);
    expect(lines[3]).toContain(`,reputation.bonus_granted,user,${member.id},"'=HYPERLINK(""http://evil.example"",""点我"")",,"{""points"":10}",203.0.113.50`);
    for (const line of lines.slice(1)) expect(line).toContain(`,${actor.handle},${actor.id},`);

    const one = await (await admin.get(`/admin/audit.csv?actor=${actor.handle}&action=post.hidden`)).text();
    expect(one.split("\r\n").filter(Boolean)).toHaveLength(2);
  });
});

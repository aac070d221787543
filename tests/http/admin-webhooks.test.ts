import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { prisma } from "~/utils/db.server.ts";
import { HttpClient, startAppServer } from "../support/app-server.ts";
import { GOOD_PASSWORD, makeUser } from "../support/factories.ts";

/**
 * /admin/webhooks and its delivery log (issue 22, ADR 064) against the built server: admins only, for
 * the pages and for every POST; visitors are sent to sign in; nothing is written by a refused request.
 */
let server: Awaited<ReturnType<typeof startAppServer>>;
beforeAll(async () => {
  server = await startAppServer();
});
afterAll(() => server?.close());

async function clientFor(role: "member" | "moderator" | "staff" | "admin") {
  const user = await makeUser({ role });
  const client = new HttpClient(server.url);
  await client.signIn(user.email, GOOD_PASSWORD);
  return { user, client };
}

async function seededEndpoint(adminId: string) {
  const endpoint = await prisma.webhookEndpoint.create({ data: { url: "https://93.184.216.34/hook", events: ["user.signed_up"], secret: "whsec_test-secret-for-the-http-test", createdById: adminId } });
  const event = await prisma.domainEvent.create({ data: { type: "user.profile_updated", subjectType: "user", subjectId: adminId } });
  const delivery = await prisma.webhookDelivery.create({ data: { endpointId: endpoint.id, eventId: event.id, eventType: event.type, status: "failed", attempts: 3, responseCode: 500, error: "HTTP 500" } });
  return { endpoint, delivery };
}

describe("only admins", () => {
  test("members, moderators and staff get 403 on the pages and on every POST, and nothing changes", async () => {
    const { user: owner } = await clientFor("admin");
    const { endpoint, delivery } = await seededEndpoint(owner.id);
    for (const role of ["member", "moderator", "staff"] as const) {
      const { client } = await clientFor(role);
      expect((await client.get("/admin/webhooks")).status, role).toBe(403);
      expect((await client.get(`/admin/webhooks/${endpoint.id}`)).status, role).toBe(403);
      const csrf = await client.csrfToken("/account");
      const posts: [string, Record<string, string>][] = [
        ["/admin/webhooks", { intent: "create", url: "https://93.184.216.34/other", events: "user.signed_up" }],
        ["/admin/webhooks", { intent: "disable", endpointId: endpoint.id.toString() }],
        ["/admin/webhooks", { intent: "delete", endpointId: endpoint.id.toString() }],
        [`/admin/webhooks/${endpoint.id}`, { deliveryId: delivery.id.toString() }],
      ];
      for (const [path, fields] of posts) expect((await client.post(path, fields, { csrf })).status, `${role} ${path} ${fields.intent ?? "redeliver"}`).toBe(403);
    }
    expect(await prisma.webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } })).toMatchObject({ disabledAt: null });
    expect(await prisma.webhookEndpoint.count({ where: { url: "https://93.184.216.34/other" } })).toBe(0);
    expect(await prisma.webhookDelivery.findUniqueOrThrow({ where: { id: delivery.id } })).toMatchObject({ status: "failed" });
    expect(await prisma.auditEntry.count({ where: { targetType: "webhook", targetId: endpoint.id.toString() } })).toBe(0);
  });

  test("visitors are sent to sign in, for the pages and the POSTs, and nothing changes", async () => {
    const { user: owner } = await clientFor("admin");
    const { endpoint } = await seededEndpoint(owner.id);
    const visitor = new HttpClient(server.url);
    const page = await visitor.get("/admin/webhooks");
    expect(page.status).toBe(302);
    expect(page.headers.get("location")).toMatch(/^\/login\?redirectTo=/);
    const post = await visitor.post("/admin/webhooks", { intent: "delete", endpointId: endpoint.id.toString() });
    expect([302, 403]).toContain(post.status);
    expect(await prisma.webhookEndpoint.count({ where: { id: endpoint.id } })).toBe(1);
  });
});

describe("an admin", () => {
  test("registers an endpoint and sees its secret once; bad input is a 400 with field errors", async () => {
    const { client } = await clientFor("admin");
    const page = await client.get("/admin/webhooks");
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("question.asked");
    const csrf = html.match(/name="csrf" value="([^"]+)"/)![1]!;
    const bad = await client.post("/admin/webhooks", { intent: "create", url: "http://169.254.169.254/latest/meta-data", events: "user.signed_up" }, { csrf });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("cannot receive webhooks");
    const body = new URLSearchParams({ intent: "create", url: "https://93.184.216.34/支持", description: "Help desk — служба", csrf });
    body.append("events", "question.asked");
    body.append("events", "answer.posted");
    const made = await fetch(`${server.url}/admin/webhooks?_data=routes%2Fadmin.webhooks`, {
      method: "POST", body, headers: { Cookie: client.cookieHeader(), Origin: server.url, "Content-Type": "application/x-www-form-urlencoded" },
    });
    expect(made.status).toBe(200);
    const answer = (await made.json()) as { secret: string };
    expect(answer.secret).toMatch(/^whsec_/);
    const row = await prisma.webhookEndpoint.findFirstOrThrow({ where: { description: "Help desk — служба" } });
    expect(row.events).toEqual(["answer.posted", "question.asked"]);
    const list = await (await client.get("/admin/webhooks")).text();
    expect(list).toContain(row.url);
    expect(list).not.toContain(answer.secret);
  });

  test("reads the delivery log and redelivers (audited)", async () => {
    const { user, client } = await clientFor("admin");
    const { endpoint, delivery } = await seededEndpoint(user.id);
    const log = await client.get(`/admin/webhooks/${endpoint.id}`);
    expect(log.status).toBe(200);
    const html = await log.text();
    expect(html).toContain("HTTP 500");
    const csrf = html.match(/name="csrf" value="([^"]+)"/)![1]!;
    const again = await client.post(`/admin/webhooks/${endpoint.id}`, { deliveryId: delivery.id.toString() }, { csrf });
    expect(again.status).toBe(200);
    expect(await prisma.webhookDelivery.findUniqueOrThrow({ where: { id: delivery.id } })).toMatchObject({ status: "pending" });
    expect(await prisma.auditEntry.count({ where: { action: "webhook.redelivered", actorId: user.id } })).toBe(1);
    expect((await client.get("/admin/webhooks/99999999")).status).toBe(404);
  });
});

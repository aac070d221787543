import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createTicket } from "~/modules/support/create-ticket.server.ts";
import { prisma } from "~/utils/db.server.ts";
import { HttpClient, startAppServer } from "../support/app-server.ts";
import { GOOD_PASSWORD, makeUser } from "../support/factories.ts";

/**
 * The classes of issue 16 checked once more over the routes added with issues 19 to 24 (webhooks, API keys,
 * avatars, review, flags, thread states, audit, tickets, SSO, categories, tags, metrics, the journey): what a
 * scripted client found there and what it must get instead. Control characters in ids, filters and fields
 * are a 400 or 404, never a 500; text fields are normalised as everywhere else (ADR 031); a GET that
 * serves a file does it from a resource route.
 */
let server: Awaited<ReturnType<typeof startAppServer>>;
beforeAll(async () => {
  server = await startAppServer();
});
afterAll(() => server?.close());

async function signedIn(role: "member" | "staff" | "admin" = "member") {
  const user = await makeUser({ role });
  const client = new HttpClient(server.url);
  await client.signIn(user.email, GOOD_PASSWORD);
  return { user, client };
}

async function ticketOf(customerId: string, message = "The CSV export of my invoices stops at 1000 rows.") {
  const made = await createTicket({ id: customerId, role: "member", status: "active" }, null, { source: "ask", message });
  if (!made.ok) throw new Error(JSON.stringify(made));
  return made.value.ticketId;
}

describe("the member's journey as CSV", () => {
  test("the download link of /account/journey answers CSV (not a 500 page), and the old ?download=csv address is sent there", async () => {
    const { client } = await signedIn();
    const page = await (await client.get("/account/journey")).text();
    const href = page.match(/<a href="([^"]+)" download/)?.[1];
    expect(href).toBe("/account/journey.csv");
    const csv = await client.get(href!);
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(await csv.text()).toMatch(/^\uFEFF?at,journey,kind,label/);
    const old = await client.get("/account/journey?download=csv");
    expect([301, 302, 303]).toContain(old.status);
    expect(old.headers.get("location")).toBe("/account/journey.csv");
    expect((await new HttpClient(server.url).get("/account/journey.csv")).status).toBe(302);
  });
});

describe("control characters in the ids and filters of the newest routes", () => {
  test("a NUL in a ticket-queue filter, an API handle or an upload key answers 200, 400 or 404, never 500", async () => {
    const { client: staff } = await signedIn("staff");
    const visitor = new HttpClient(server.url);
    const gets: [HttpClient, string][] = [
      [staff, "/support?assignee=%00"],
      [staff, "/support?assignee=ab%00cd&status=all"],
      [visitor, "/api/v1/users/%00"],
      [visitor, "/api/v1/users/ab%00cd"],
      [visitor, "/uploads/%00"],
      [visitor, "/uploads/abc%00.png"],
    ];
    for (const [client, url] of gets) {
      const response = await client.get(url);
      await response.arrayBuffer();
      expect.soft([200, 400, 404], `GET ${url}`).toContain(response.status);
    }
  });

  test("assigning a ticket to an id with a NUL is a 400 with the field's message, and nothing changes", async () => {
    const { user: customer } = await signedIn();
    const { client: staff } = await signedIn("staff");
    const ticketId = await ticketOf(customer.id);
    const path = `/support/tickets/${ticketId}`;
    for (const assigneeId of ["x\u0000", "\u0000", "abc\u0000def"]) {
      const response = await staff.post(`${path}?_data=${encodeURIComponent("routes/support.tickets.$id")}`, { intent: "assign", assigneeId }, { csrf: await staff.csrfToken(path) });
      expect(response.status, JSON.stringify(assigneeId)).toBe(400);
      expect(JSON.stringify(await response.json())).toContain("support.errors.assignee");
    }
    expect((await prisma.supportTicket.findUniqueOrThrow({ where: { id: ticketId } })).assigneeId).toBeNull();
  });

  test("registering a webhook with a NUL in its description or secret is a 400, and nothing is registered", async () => {
    const { client: admin } = await signedIn("admin");
    const csrf = await admin.csrfToken("/admin/webhooks");
    const cases: Record<string, string>[] = [{ description: "Help desk\u0000" }, { secret: `${"s".repeat(30)}\u0000` }, { secret: `${"s".repeat(30)}\u202e` }];
    for (const fields of cases) {
      const response = await admin.post(`/admin/webhooks?_data=${encodeURIComponent("routes/admin.webhooks")}`, { intent: "create", url: "https://93.184.216.34/nul", events: "answer.posted", ...fields }, { csrf });
      expect(response.status, JSON.stringify(fields)).toBe(400);
      await response.arrayBuffer();
    }
    expect(await prisma.webhookEndpoint.count()).toBe(0);
  });
});

describe("invisible and bidirectional characters in the newest forms", () => {
  test("a ticket reply of zero-width spaces is refused as empty; bidirectional overrides are taken out of ticket messages", async () => {
    const { user: customer, client: customerClient } = await signedIn();
    const { client: staff } = await signedIn("staff");
    const ticketId = await ticketOf(customer.id);
    const path = `/support/tickets/${ticketId}`;
    const data = `${path}?_data=${encodeURIComponent("routes/support.tickets.$id")}`;
    const blank = await staff.post(data, { intent: "reply", body: "\u200b\u200b\u200b\u2060" }, { csrf: await staff.csrfToken(path) });
    expect(blank.status).toBe(400);
    expect(JSON.stringify(await blank.json())).toContain("support.errors.bodyRequired");
    const customerReply = await customerClient.post(data, { intent: "customer", body: "Still broken for file \u202eVSC.exe\u202c, see attached" }, { csrf: await customerClient.csrfToken(path) });
    expect(customerReply.status).toBe(200);
    const bodies = (await prisma.ticketMessage.findMany({ where: { ticketId }, select: { body: true } })).map((m) => m.body);
    expect(bodies).toContain("Still broken for file VSC.exe, see attached");
    expect(bodies.some((b) => /[\u200b\u2060\u202a-\u202e]/.test(b))).toBe(false);
  });

  test("a webhook description is stored without bidirectional overrides, like every other name", async () => {
    const { client: admin } = await signedIn("admin");
    const response = await admin.post(`/admin/webhooks?_data=${encodeURIComponent("routes/admin.webhooks")}`, { intent: "create", url: "https://93.184.216.34/bidi", events: "answer.posted", description: "Help desk \u202eksed pleh\u202c 帮助台" }, { csrf: await admin.csrfToken("/admin/webhooks") });
    expect(response.status).toBe(200);
    await response.arrayBuffer();
    expect((await prisma.webhookEndpoint.findFirstOrThrow({ where: { url: "https://93.184.216.34/bidi" } })).description).toBe("Help desk ksed pleh 帮助台");
  });
});

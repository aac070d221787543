import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { handleEvent } from "~/modules/events/handlers.server.ts";
import { recordEvent } from "~/modules/events/record-event.server.ts";
import { eventHandlers } from "~/modules/jobs/event-subscriptions.server.ts";
import type { Actor } from "~/modules/users/roles.ts";
import { prisma } from "~/utils/db.server.ts";
import { makeUser } from "../../../tests/support/factories.ts";
import { deliverEventWebhooks, deliverWebhook } from "./deliver-webhook.server.ts";
import { deleteWebhook, redeliverWebhook, setWebhookEnabled } from "./manage-webhook.server.ts";
import { registerWebhook } from "./register-webhook.server.ts";
import { FIRST_RETRY_MS, MAX_RETRY_MS, RETRY_WINDOW_MS, retryDelayMs } from "./retry-schedule.ts";
import { verifyWebhookSignature } from "./verify-webhook-signature.server.ts";
import { inEnglish } from "../../../tests/support/messages.ts";

/**
 * Webhooks (issue 22, ADR 064) as use cases against a real database and a real HTTP receiver on loopback
 * (through the test-only allowance): registration rules, fan-out to the matching endpoints only, the
 * signature checked with the documented example code, retries with back-off on a moved clock, disabling
 * after a day of failures, and an audited redelivery.
 */
type Received = { headers: http.IncomingHttpHeaders; body: string; path: string };
let received: Received[] = [];
let answer = 204;
const receiver = http.createServer((req, res) => {
  let body = "";
  req.setEncoding("utf8");
  req.on("data", (chunk: string) => (body += chunk));
  req.on("end", () => {
    received.push({ headers: req.headers, body, path: req.url ?? "" });
    res.writeHead(answer).end();
  });
});
let base = "";
beforeAll(async () => {
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
});
afterAll(async () => {
  receiver.closeAllConnections();
  await new Promise((resolve) => receiver.close(resolve));
});

const LOOPBACK = { allowLoopback: true };
const actorOf = (u: { id: string }, role: Actor["role"] = "admin"): Actor => ({ id: u.id, role, status: "active" });

async function admin() {
  const user = await makeUser({ role: "admin" });
  return { ...user, actor: actorOf(user) };
}

async function register(actor: Actor, path: string, events: string[], secret?: string) {
  const made = await registerWebhook(actor, { url: `${base}${path}`, events, secret }, LOOPBACK);
  if (!made.ok || made.value.secret === null) throw new Error(JSON.stringify(made));
  return { id: BigInt(made.value.id), secret: made.value.secret };
}

/** A profile update of `userId`, handled as the worker would (the fan-out runs with every other handler). */
async function profileUpdated(userId: string) {
  const eventId = await prisma.$transaction((tx) => recordEvent(tx, { type: "user.profile_updated", actorId: userId, subjectType: "user", subjectId: userId }));
  await handleEvent(eventId, eventHandlers);
  return eventId;
}

describe("registration", () => {
  test("only active admins register; members, staff, moderators, suspended admins and visitors are refused", async () => {
    const member = await makeUser();
    const input = { url: `${base}/x`, events: ["user.signed_up"] };
    for (const actor of [null, actorOf(member, "member"), actorOf(member, "moderator"), actorOf(member, "staff"), { ...actorOf(member), status: "suspended" as const }]) {
      expect(await registerWebhook(actor, input, LOOPBACK)).toMatchObject({ ok: false, kind: "forbidden" });
    }
    expect(await prisma.webhookEndpoint.count({ where: { url: `${base}/x` } })).toBe(0);
  });

  test("bad input is refused with field errors and writes nothing", async () => {
    const { actor } = await admin();
    const before = await prisma.webhookEndpoint.count();
    expect(inEnglish(await registerWebhook(actor, { url: "ftp://93.184.216.34/x", events: [], secret: "short" }, LOOPBACK))).toMatchObject({
      ok: false, kind: "invalid", fieldErrors: { url: [expect.stringMatching(/http and https/)], events: [expect.any(String)], secret: [expect.stringMatching(/24/)] },
    });
    expect(inEnglish(await registerWebhook(actor, { url: "https://93.184.216.34/x", events: ["answer.flagged"] }))).toMatchObject({ ok: false, kind: "invalid", fieldErrors: { events: ["Choose events from the list"] } });
    expect(inEnglish(await registerWebhook(actor, { url: "not a url", events: ["user.signed_up"] }))).toMatchObject({ ok: false, kind: "invalid", fieldErrors: { url: ["This is not a valid URL"] } });
    // An internal address is refused at registration (without the test allowance).
    expect(inEnglish(await registerWebhook(actor, { url: "http://169.254.169.254/latest", events: ["user.signed_up"] }))).toMatchObject({ ok: false, kind: "invalid", fieldErrors: { url: [expect.stringMatching(/cannot receive webhooks/)] } });
    expect(await registerWebhook(actor, { url: `${base}/x`, events: ["user.signed_up"] }, { allowLoopback: false })).toMatchObject({ ok: false, kind: "invalid" });
    expect(await prisma.webhookEndpoint.count()).toBe(before);
  });

  test("a secret is made when none is given, returned once, and never listed; registering is audited without it", async () => {
    const { actor } = await admin();
    const made = await registerWebhook(actor, { url: "https://93.184.216.34/hooks/问题", events: ["question.asked", "user.signed_up", "question.asked"], description: "Zendesk — 帮助台" });
    if (!made.ok) throw new Error(JSON.stringify(made));
    expect(made.value.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    const row = await prisma.webhookEndpoint.findUniqueOrThrow({ where: { id: BigInt(made.value.id) } });
    expect(row).toMatchObject({ url: "https://93.184.216.34/hooks/%E9%97%AE%E9%A2%98", events: ["question.asked", "user.signed_up"], description: "Zendesk — 帮助台" });
    const audit = await prisma.auditEntry.findFirstOrThrow({ where: { action: "webhook.created", targetId: made.value.id } });
    expect(JSON.stringify([audit.reason, audit.before, audit.after])).not.toContain(made.value.secret);
    expect(audit.after).toMatchObject({ events: ["question.asked", "user.signed_up"] });
    const own = await registerWebhook(actor, { url: "https://93.184.216.34/b", events: ["user.signed_up"], secret: "my-own-secret-of-enough-length" });
    expect(own).toMatchObject({ ok: true, value: { secret: "my-own-secret-of-enough-length" } });
  });
});

describe("fan-out and delivery", () => {
  test("an event reaches the enabled endpoints subscribed to its type, once, whatever the handler runs", async () => {
    const { actor } = await admin();
    const wants = await register(actor, "/a", ["user.profile_updated"]);
    const other = await register(actor, "/b", ["question.asked"]);
    const off = await register(actor, "/c", ["user.profile_updated"]);
    expect((await setWebhookEnabled(actor, { endpointId: off.id.toString() }, false)).ok).toBe(true);
    const member = await makeUser();
    const eventId = await profileUpdated(member.id);
    await handleEvent(eventId, eventHandlers);
    const deliveries = await prisma.webhookDelivery.findMany({ where: { eventId } });
    expect(deliveries.map((d) => d.endpointId)).toEqual([wants.id]);
    expect(await prisma.webhookDelivery.count({ where: { endpointId: { in: [other.id, off.id] } } })).toBe(0);
    // One job for the event: it makes the first attempt of each of its deliveries.
    const jobs = await prisma.$queryRaw<{ payload: unknown }[]>`SELECT j.payload FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks t ON t.id = j.task_id
      WHERE t.identifier = 'deliver-webhook' AND j.payload->>'eventId' = ${eventId.toString()}`;
    expect(jobs).toEqual([{ payload: { eventId: eventId.toString() } }]);
  });

  test("the delivery is a signed JSON POST: the documented verification code accepts it, and refuses tampering", async () => {
    const { actor } = await admin();
    const endpoint = await register(actor, "/signed", ["user.profile_updated"]);
    const member = await makeUser({ displayName: "Ștefan 王小明" });
    const eventId = await profileUpdated(member.id);
    const delivery = await prisma.webhookDelivery.findFirstOrThrow({ where: { eventId, endpointId: endpoint.id } });
    received = [];
    answer = 204;
    // Every endpoint of the event is called by the one job (the earlier test's "/a" listens to the type too).
    const outcomes = await deliverEventWebhooks(eventId, LOOPBACK);
    const endpointsOfEvent = await prisma.webhookDelivery.count({ where: { eventId } });
    expect(endpointsOfEvent).toBeGreaterThanOrEqual(1);
    expect(outcomes).toEqual(Array.from({ length: endpointsOfEvent }, () => expect.objectContaining({ ok: true, status: 204 })));
    expect(received).toHaveLength(endpointsOfEvent);
    expect(new Set(received.map((r) => r.body)).size).toBe(1);
    const { headers, body } = received.find((r) => r.path === "/signed")!;
    expect(headers["content-type"]).toBe("application/json");
    expect(headers["threadwise-event"]).toBe("user.profile_updated");
    expect(headers["threadwise-delivery"]).toBe(delivery.id.toString());
    const signature = headers["threadwise-signature"] as string;
    expect(signature).toMatch(/^t=\d{10},v1=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature(endpoint.secret, signature, body)).toBe(true);
    expect(verifyWebhookSignature("whsec_another-secret-entirely", signature, body)).toBe(false);
    expect(verifyWebhookSignature(endpoint.secret, signature, body.replace("Ștefan", "Stefan"))).toBe(false);
    expect(verifyWebhookSignature(endpoint.secret, signature, body, { nowSeconds: Math.floor(Date.now() / 1000) + 3600 })).toBe(false);
    expect(verifyWebhookSignature(endpoint.secret, undefined, body)).toBe(false);
    const parsed = JSON.parse(body) as { id: string; type: string; time: string; resource: Record<string, unknown> };
    expect(parsed).toMatchObject({ id: eventId.toString(), type: "user.profile_updated", resource: { object: "user", id: member.id, handle: member.handle, displayName: "Ștefan 王小明" } });
    expect(new Date(parsed.time).getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect(await prisma.webhookDelivery.findUniqueOrThrow({ where: { id: delivery.id } })).toMatchObject({ status: "succeeded", attempts: 1, responseCode: 204, error: "" });
    // Finished: the job running again sends nothing.
    expect(await deliverWebhook(delivery.id, LOOPBACK)).toBeNull();
    expect(await deliverEventWebhooks(eventId, LOOPBACK)).toEqual([]);
    expect(received).toHaveLength(endpointsOfEvent);
  });
});

describe("retries and disabling", () => {
  test("the back-off doubles from 30 s up to 4 hours", () => {
    expect([1, 2, 3, 4, 9, 10, 11, 30].map(retryDelayMs)).toEqual([30_000, 60_000, 120_000, 240_000, 7_680_000, MAX_RETRY_MS, MAX_RETRY_MS, MAX_RETRY_MS]);
    expect(FIRST_RETRY_MS).toBe(30_000);
  });

  test("a failing delivery is retried with back-off for a day, then fails; the endpoint is disabled, audited and its admins e-mailed", async () => {
    const owner = await admin();
    const otherAdmin = await makeUser({ role: "admin" });
    const endpoint = await register(owner.actor, "/down", ["user.profile_updated"]);
    const member = await makeUser();
    const eventId = await profileUpdated(member.id);
    const delivery = await prisma.webhookDelivery.findFirstOrThrow({ where: { eventId, endpointId: endpoint.id } });
    const start = delivery.createdAt.getTime();
    answer = 500;
    received = [];
    const schedule: number[] = [];
    let now = start;
    for (let attempt = 1; attempt <= 40; attempt++) {
      const outcome = await deliverWebhook(delivery.id, { ...LOOPBACK, now: new Date(now) });
      if (outcome === null) break;
      const row = await prisma.webhookDelivery.findUniqueOrThrow({ where: { id: delivery.id } });
      expect(row).toMatchObject({ attempts: attempt, responseCode: 500, error: "HTTP 500" });
      if (!row.nextAttemptAt) break;
      expect(row.status).toBe("retrying");
      schedule.push(row.nextAttemptAt.getTime() - now);
      // The next attempt is queued for its time, keyed by the delivery.
      const [job] = await prisma.$queryRaw<{ run_at: Date }[]>`SELECT run_at FROM graphile_worker._private_jobs WHERE key = ${`webhook-delivery:${delivery.id}`}`;
      expect(job!.run_at.getTime()).toBe(row.nextAttemptAt.getTime());
      if (now - start < RETRY_WINDOW_MS - 5 * 3600_000) {
        // Well before the day ends the endpoint is failing but still enabled.
        expect(await prisma.webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } })).toMatchObject({ disabledAt: null, failingSince: new Date(start) });
      }
      now = row.nextAttemptAt.getTime();
    }
    expect(schedule.slice(0, 5)).toEqual([30_000, 60_000, 120_000, 240_000, 480_000]);
    expect(Math.max(...schedule)).toBe(MAX_RETRY_MS);
    expect(now).toBe(start + RETRY_WINDOW_MS);
    const last = await prisma.webhookDelivery.findUniqueOrThrow({ where: { id: delivery.id } });
    expect(last).toMatchObject({ status: "failed", nextAttemptAt: null });
    expect(received.length).toBe(last.attempts);
    const disabled = await prisma.webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } });
    expect(disabled.disabledAt?.getTime()).toBe(start + RETRY_WINDOW_MS);
    expect(disabled.disabledReason).toMatch(/failed for a day.*HTTP 500/);
    expect(await prisma.auditEntry.findFirst({ where: { action: "webhook.disabled", targetId: endpoint.id.toString(), actorId: null } })).not.toBeNull();
    const mails = await prisma.$queryRaw<{ to: string }[]>`SELECT j.payload->>'to' AS "to" FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks t ON t.id = j.task_id
      WHERE t.identifier = 'send-email' AND j.payload->>'subject' = 'A webhook endpoint was disabled'`;
    expect(mails.map((m) => m.to)).toEqual(expect.arrayContaining([owner.email, otherAdmin.email]));
    // Disabled: a new event is not fanned out to it.
    const later = await profileUpdated(member.id);
    expect(await prisma.webhookDelivery.count({ where: { eventId: later, endpointId: endpoint.id } })).toBe(0);
  });

  test("a success in between resets the endpoint's failure clock", async () => {
    const { actor } = await admin();
    const endpoint = await register(actor, "/flaky", ["user.profile_updated"]);
    const member = await makeUser();
    const first = await prisma.webhookDelivery.findFirstOrThrow({ where: { eventId: await profileUpdated(member.id), endpointId: endpoint.id } });
    answer = 503;
    await deliverWebhook(first.id, { ...LOOPBACK, now: new Date(first.createdAt.getTime()) });
    expect((await prisma.webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } })).failingSince).not.toBeNull();
    answer = 200;
    await deliverWebhook(first.id, { ...LOOPBACK, now: new Date(first.createdAt.getTime() + 30_000) });
    expect(await prisma.webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } })).toMatchObject({ failingSince: null, disabledAt: null });
  });
});

describe("redeliver, enable and delete", () => {
  test("an admin redelivers a logged delivery: the same body is sent again and the action is audited; others are refused", async () => {
    const owner = await admin();
    const endpoint = await register(owner.actor, "/again", ["user.profile_updated"]);
    const member = await makeUser();
    const delivery = await prisma.webhookDelivery.findFirstOrThrow({ where: { eventId: await profileUpdated(member.id), endpointId: endpoint.id } });
    answer = 204;
    received = [];
    await deliverWebhook(delivery.id, LOOPBACK);
    expect(await redeliverWebhook(actorOf(member, "member"), { deliveryId: delivery.id.toString() })).toMatchObject({ ok: false, kind: "forbidden" });
    expect(await redeliverWebhook(owner.actor, { deliveryId: "x" })).toMatchObject({ ok: false, kind: "invalid" });
    expect(await redeliverWebhook(owner.actor, { deliveryId: "999999999" })).toMatchObject({ ok: false, kind: "not-found" });
    expect(await redeliverWebhook(owner.actor, { deliveryId: delivery.id.toString() })).toMatchObject({ ok: true });
    expect(await prisma.webhookDelivery.findUniqueOrThrow({ where: { id: delivery.id } })).toMatchObject({ status: "pending" });
    expect(await prisma.auditEntry.findFirst({ where: { action: "webhook.redelivered", actorId: owner.id, targetId: endpoint.id.toString() } })).not.toBeNull();
    await deliverWebhook(delivery.id, LOOPBACK);
    expect(received).toHaveLength(2);
    expect(received[1]!.body).toBe(received[0]!.body);
    expect(await prisma.webhookDelivery.findUniqueOrThrow({ where: { id: delivery.id } })).toMatchObject({ status: "succeeded", attempts: 2 });
    // Disabled: redelivery is refused until it is enabled again, which clears the failure clock.
    expect((await setWebhookEnabled(owner.actor, { endpointId: endpoint.id.toString() }, false)).ok).toBe(true);
    expect(await redeliverWebhook(owner.actor, { deliveryId: delivery.id.toString() })).toMatchObject({ ok: false, kind: "conflict" });
    expect((await setWebhookEnabled(owner.actor, { endpointId: endpoint.id.toString() }, true)).ok).toBe(true);
    expect(await prisma.auditEntry.count({ where: { targetType: "webhook", targetId: endpoint.id.toString(), action: { in: ["webhook.enabled", "webhook.disabled"] } } })).toBe(2);
    expect(await deleteWebhook(actorOf(member, "staff"), { endpointId: endpoint.id.toString() })).toMatchObject({ ok: false, kind: "forbidden" });
    expect(await deleteWebhook(owner.actor, { endpointId: endpoint.id.toString() })).toMatchObject({ ok: true });
    expect(await prisma.webhookDelivery.count({ where: { endpointId: endpoint.id } })).toBe(0);
    expect(await prisma.auditEntry.count({ where: { action: "webhook.deleted", targetId: endpoint.id.toString() } })).toBe(1);
  });
});

test("the README's verification example is the code the tests run", () => {
  const squash = (text: string) => text.replace(/\s+/g, "").replace(/,\)/g, ")");
  const source = fs.readFileSync(new URL("./verify-webhook-signature.server.ts", import.meta.url), "utf8");
  const readme = fs.readFileSync(new URL("../../../README.md", import.meta.url), "utf8");
  const fn = (text: string) => squash(text.slice(text.indexOf("export function verifyWebhookSignature"), text.indexOf('Buffer.from(given, "hex"));', text.indexOf("export function verifyWebhookSignature"))));
  expect(fn(source).length).toBeGreaterThan(200);
  expect(fn(source).length).toBeLessThan(1_000);
  expect(fn(readme)).toBe(fn(source));
});

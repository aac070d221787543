import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, test } from "vitest";
import { recordEvent } from "~/modules/events/record-event.server.ts";
import { tasks } from "~/modules/jobs/tasks.server.ts";
import { prisma } from "~/utils/db.server.ts";
import { startJobs, stopJobs } from "~/utils/jobs.server.ts";
import { makeUser } from "../../../tests/support/factories.ts";
import { registerWebhook } from "./register-webhook.server.ts";
import { verifyWebhookSignature } from "./verify-webhook-signature.server.ts";

/**
 * The whole path through the real job queue (ADR 064): an event's handle-event job fans out, the
 * deliver-webhook job of the event calls every endpoint, and a failed delivery's retry is queued for its
 * time. The worker runs in this process, so the receivers on loopback are reached through the server-side
 * test allowance (THREADWISE_WEBHOOKS_ALLOW_LOOPBACK_FOR_TESTS), as in the benchmark.
 */
const bodies: { path: string; body: string; signature: string }[] = [];
const receiver = http.createServer((req, res) => {
  let body = "";
  req.setEncoding("utf8");
  req.on("data", (chunk: string) => (body += chunk));
  req.on("end", () => {
    bodies.push({ path: req.url ?? "", body, signature: String(req.headers["threadwise-signature"]) });
    res.writeHead(req.url === "/broken" ? 500 : 200).end("ok");
  });
});
let base = "";
beforeAll(async () => {
  process.env.THREADWISE_WEBHOOKS_ALLOW_LOOPBACK_FOR_TESTS = "1";
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await stopJobs();
  delete process.env.THREADWISE_WEBHOOKS_ALLOW_LOOPBACK_FOR_TESTS;
  receiver.closeAllConnections();
  await new Promise((resolve) => receiver.close(resolve));
});

test("the job queue delivers an event to its endpoints, signed, and queues the retry of a failed one", async () => {
  const admin = await makeUser({ role: "admin" });
  const actor = { id: admin.id, role: "admin" as const, status: "active" as const };
  const made = await Promise.all(["/one", "/two", "/broken"].map((path) => registerWebhook(actor, { url: `${base}${path}`, events: ["user.profile_updated"] })));
  const secrets = made.map((m) => (m.ok ? m.value.secret : ""));
  expect(secrets.every(Boolean)).toBe(true);
  const member = await makeUser({ displayName: "Ana Ionescu 李" });
  const eventId = await prisma.$transaction((tx) => recordEvent(tx, { type: "user.profile_updated", actorId: member.id, subjectType: "user", subjectId: member.id }));
  await startJobs(tasks, { pollInterval: 100 });
  const deadline = Date.now() + 20_000;
  let rows: { status: string; attempts: number; nextAttemptAt: Date | null; endpoint: { url: string } }[] = [];
  while (Date.now() < deadline) {
    rows = await prisma.webhookDelivery.findMany({ where: { eventId }, select: { status: true, attempts: true, nextAttemptAt: true, endpoint: { select: { url: true } } } });
    if (rows.length === 3 && rows.every((r) => r.attempts > 0)) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  // The three endpoints were registered at once, so their ids need not follow the paths: read each by its URL.
  const byPath = new Map(rows.map((r) => [new URL(r.endpoint.url).pathname, r]));
  expect(["/one", "/two", "/broken"].map((path) => byPath.get(path)?.status)).toEqual(["succeeded", "succeeded", "retrying"]);
  expect(byPath.get("/broken")!.nextAttemptAt!.getTime()).toBeGreaterThan(Date.now() + 20_000);
  expect(bodies.map((b) => b.path).sort()).toEqual(["/broken", "/one", "/two"]);
  for (const [i, path] of ["/one", "/two", "/broken"].entries()) {
    const got = bodies.find((b) => b.path === path)!;
    expect(verifyWebhookSignature(secrets[i]!, got.signature, got.body)).toBe(true);
    expect(JSON.parse(got.body)).toMatchObject({ id: eventId.toString(), type: "user.profile_updated", resource: { displayName: "Ana Ionescu 李" } });
  }
}, 60_000);

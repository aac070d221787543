import { Prisma } from "~/generated/prisma/client.ts";
import { recordAudit } from "~/modules/audit/record-audit.server.ts";
import type { StoredEvent } from "~/modules/events/handlers.server.ts";
import { prisma, type Tx } from "~/utils/db.server.ts";
import { enqueue } from "~/utils/jobs.server.ts";
import { logger } from "~/utils/logger.server.ts";
import { DISABLE_AFTER_MS, nextAttemptAt } from "./retry-schedule.ts";
import { checkWebhookTarget, postToTarget, type PostOutcome, type SafeRequestOptions } from "./safe-request.server.ts";
import { SIGNATURE_HEADER, signWebhook } from "./webhook-signature.server.ts";
import { webhookResource } from "./webhook-resource.server.ts";

/** The queue call for one delivery: keyed by the delivery, so a redelivery replaces a retry waiting for its time. */
export function deliveryJobSql(deliveryId: Prisma.Sql, runAt: Prisma.Sql = Prisma.sql`now()`): Prisma.Sql {
  return Prisma.sql`graphile_worker.add_job('deliver-webhook'::text, json_build_object('deliveryId', (${deliveryId})::text), run_at => ${runAt},
    max_attempts => 5, job_key => 'webhook-delivery:' || (${deliveryId})::text, job_key_mode => 'replace')`;
}

/**
 * The webhook fan-out of one domain event (ADR 064), inside its handler transaction: one delivery row per
 * enabled endpoint subscribed to the type that existed when the event happened, and one `deliver-webhook`
 * job for the event (it sends to all of them at once: deliverEventWebhooks), in one statement. The unique
 * (endpoint, event) key makes a second run add nothing. Retries and redeliveries are jobs per delivery.
 */
export async function fanOutWebhooks(tx: Tx, event: StoredEvent): Promise<number> {
  const [row] = await tx.$queryRaw<{ n: number }[]>`
    WITH d AS (
      INSERT INTO webhook_deliveries (endpoint_id, event_id, event_type)
      SELECT id, ${event.id}, ${event.type} FROM webhook_endpoints
      WHERE disabled_at IS NULL AND ${event.type} = ANY(events) AND created_at <= ${event.occurredAt}
      ON CONFLICT (endpoint_id, event_id) DO NOTHING
      RETURNING id
    )
    , job AS (SELECT graphile_worker.add_job('deliver-webhook'::text, json_build_object('eventId', ${event.id}::text), max_attempts => 5) FROM (SELECT 1 FROM d LIMIT 1) one)
    SELECT (SELECT count(*)::int FROM d) AS n, (SELECT count(*)::int FROM job) AS jobs`;
  return row?.n ?? 0;
}

/** The JSON body of an event's deliveries: its id, type, time and resource (ADR 064). */
export async function webhookBody(eventId: bigint): Promise<string | null> {
  const event = await prisma.domainEvent.findUnique({ where: { id: eventId }, select: { id: true, type: true, occurredAt: true, subjectType: true, subjectId: true } });
  if (!event) return null;
  const resource = await webhookResource(event);
  return JSON.stringify({ id: event.id.toString(), type: event.type, time: event.occurredAt.toISOString(), resource });
}

type DeliveryRow = {
  id: bigint; endpoint_id: bigint; event_id: bigint; event_type: string; status: string; attempts: number; body: string | null; created_at: Date;
  url: string; secret: string; disabled_at: Date | null;
};

export type DeliverOptions = SafeRequestOptions & { now?: Date };

/**
 * One attempt of one delivery (the `deliver-webhook` job). Skips a delivery already finished; fails it
 * at once when its endpoint was disabled. The body is fixed at the first attempt (shared by the event's
 * other deliveries) so every retry and redelivery sends the same bytes, signed afresh with the time of
 * sending. A failure or timeout schedules the next attempt (retry-schedule.ts) until the day is over; an
 * endpoint that has failed for a day without one success is disabled, audited and its admins e-mailed.
 * `now` is the clock (tests move it).
 */
export async function deliverWebhook(deliveryId: bigint, options: DeliverOptions = {}): Promise<PostOutcome | null> {
  const rows = await prisma.$queryRaw<DeliveryRow[]>`
    SELECT d.id, d.endpoint_id, d.event_id, d.event_type, d.status, d.attempts, d.body, d.created_at, e.url, e.secret, e.disabled_at
    FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id WHERE d.id = ${deliveryId}`;
  const [outcome] = await attemptAll(rows, options);
  return outcome ?? null;
}

/**
 * The first attempt of every delivery of one event (the job the fan-out enqueues): the body is built
 * once and the endpoints are called side by side, so a slow receiver does not hold up the others.
 */
export async function deliverEventWebhooks(eventId: bigint, options: DeliverOptions = {}): Promise<(PostOutcome | null)[]> {
  const rows = await prisma.$queryRaw<DeliveryRow[]>`
    SELECT d.id, d.endpoint_id, d.event_id, d.event_type, d.status, d.attempts, d.body, d.created_at, e.url, e.secret, e.disabled_at
    FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id WHERE d.event_id = ${eventId} AND d.status = 'pending' AND d.attempts = 0`;
  return attemptAll(rows, options);
}

async function attemptAll(all: DeliveryRow[], options: DeliverOptions): Promise<(PostOutcome | null)[]> {
  const rows = all.filter((row) => row.status !== "succeeded" && row.status !== "failed");
  if (rows.length === 0) return [];
  const disabled = rows.filter((row) => row.disabled_at).map((row) => row.id);
  if (disabled.length > 0) {
    await prisma.$executeRaw`UPDATE webhook_deliveries SET status = 'failed', error = 'the endpoint is disabled', next_attempt_at = NULL WHERE id = ANY(${disabled})`;
  }
  const live = rows.filter((row) => !row.disabled_at);
  if (live.some((row) => row.body === null)) {
    const eventId = live[0]!.event_id;
    const built = await webhookBody(eventId);
    if (built === null) {
      await prisma.$executeRaw`UPDATE webhook_deliveries SET status = 'failed', error = 'the event no longer exists', next_attempt_at = NULL WHERE event_id = ${eventId}`;
      return [];
    }
    // Shared with the event's other deliveries; one written meanwhile by another job wins.
    const set = await prisma.$queryRaw<{ id: bigint; body: string }[]>`
      WITH u AS (UPDATE webhook_deliveries SET body = ${built} WHERE event_id = ${eventId} AND body IS NULL RETURNING id)
      SELECT id, body FROM webhook_deliveries WHERE id = ANY(${live.map((row) => row.id)}) AND body IS NOT NULL`;
    const bodies = new Map(set.map((row) => [row.id, row.body]));
    for (const row of live) row.body ??= bodies.get(row.id) ?? built;
  }
  return Promise.all(live.map((row) => attempt(row, row.body!, options)));
}

async function attempt(row: DeliveryRow, body: string, options: DeliverOptions): Promise<PostOutcome> {
  const now = options.now ?? new Date();
  const checked = await checkWebhookTarget(row.url, options);
  const outcome: PostOutcome = checked.ok
    ? await postToTarget(
        checked.target,
        body,
        {
          "Content-Type": "application/json",
          "User-Agent": "Threadwise-Webhooks/1.0",
          "Threadwise-Event": row.event_type,
          "Threadwise-Delivery": row.id.toString(),
          [SIGNATURE_HEADER]: signWebhook(row.secret, body, Math.floor(now.getTime() / 1000)),
        },
        options,
      )
    : { ok: false, status: null, durationMs: 0, error: `refused: ${checked.reason}` };
  await recordOutcome(row, outcome, now);
  return outcome;
}

async function recordOutcome(row: DeliveryRow, outcome: PostOutcome, now: Date): Promise<void> {
  const attempts = row.attempts + 1;
  if (outcome.ok) {
    await prisma.$executeRaw`
      WITH d AS (
        UPDATE webhook_deliveries SET status = 'succeeded', attempts = ${attempts}, response_code = ${outcome.status}, duration_ms = ${outcome.durationMs},
          error = '', last_attempt_at = ${now}, next_attempt_at = NULL
        WHERE id = ${row.id}
      )
      UPDATE webhook_endpoints SET failing_since = NULL WHERE id = ${row.endpoint_id} AND failing_since IS NOT NULL`;
    return;
  }
  const next = nextAttemptAt(row.created_at, attempts, now);
  await prisma.$transaction(async (tx) => {
    await tx.$executeRaw`
      UPDATE webhook_deliveries SET status = ${next ? "retrying" : "failed"}, attempts = ${attempts}, response_code = ${outcome.status}, duration_ms = ${outcome.durationMs},
        error = ${outcome.error}, last_attempt_at = ${now}, next_attempt_at = ${next}
      WHERE id = ${row.id}`;
    if (next) await tx.$queryRaw`SELECT 1 FROM ${deliveryJobSql(Prisma.sql`${row.id}::bigint`, Prisma.sql`${next}::timestamptz`)} AS job`;
    const [endpoint] = await tx.$queryRaw<{ failing_since: Date; disabled_at: Date | null }[]>`
      UPDATE webhook_endpoints SET failing_since = coalesce(failing_since, ${now}) WHERE id = ${row.endpoint_id} RETURNING failing_since, disabled_at`;
    if (endpoint && !endpoint.disabled_at && now.getTime() - endpoint.failing_since.getTime() >= DISABLE_AFTER_MS) {
      await disableFailingEndpoint(tx, row.endpoint_id, row.url, outcome.error, now);
    }
  });
}

/** A day of failures: the endpoint stops receiving, the audit log says why, and every active admin gets an e-mail. */
async function disableFailingEndpoint(tx: Tx, endpointId: bigint, url: string, lastError: string, now: Date): Promise<void> {
  const reason = `Deliveries failed for a day without a success (last: ${lastError})`.slice(0, 500);
  await tx.$executeRaw`UPDATE webhook_endpoints SET disabled_at = ${now}, disabled_reason = ${reason} WHERE id = ${endpointId}`;
  await recordAudit(tx, { actor: null, action: "webhook.disabled", targetType: "webhook", targetId: endpointId, reason, after: { url, disabledAt: now.toISOString() } });
  const admins = await tx.user.findMany({ where: { role: "admin", status: "active" }, select: { email: true } });
  for (const admin of admins) {
    await enqueue(tx, "send-email", {
      to: admin.email,
      subject: "A webhook endpoint was disabled",
      text: `The webhook endpoint ${url} failed for a day and was disabled.\n\n${reason}\n\nFix the receiver, then enable it again on /admin/webhooks.`,
    });
  }
  logger.warn({ endpointId: endpointId.toString() }, "webhooks: an endpoint failed for a day and was disabled");
}

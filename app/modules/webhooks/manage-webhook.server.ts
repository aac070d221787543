import { Prisma } from "~/generated/prisma/client.ts";
import { recordAudit } from "~/modules/audit/record-audit.server.ts";
import type { Actor } from "~/modules/users/roles.ts";
import { prisma } from "~/utils/db.server.ts";
import { conflict, forbidden, invalid, notFound, ok, type Result } from "~/utils/http.server.ts";
import { earlierAnswer, NO_SUBMISSION_KEY, submitOnce, type Submission } from "~/utils/submission.server.ts";
import { deliveryJobSql } from "./deliver-webhook.server.ts";
import { canManageWebhooks } from "./webhooks.policy.ts";
import { DeliveryIdSchema, EndpointIdSchema } from "./webhooks.schema.ts";

/**
 * Turns an endpoint on or off (ADR 064), audited. Enabling clears its failure clock, so a fixed receiver
 * gets a fresh day; disabling stops new deliveries, and the ones waiting fail when their turn comes.
 */
export async function setWebhookEnabled(actor: Actor | null, input: unknown, enabled: boolean): Promise<Result<{ id: string }>> {
  if (!canManageWebhooks(actor)) return forbidden("messages.webhooks.forbidden");
  const parsed = EndpointIdSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.flatten().fieldErrors);
  const id = BigInt(parsed.data.endpointId);
  return prisma.$transaction(async (tx): Promise<Result<{ id: string }>> => {
    const [endpoint] = await tx.$queryRaw<{ disabled_at: Date | null; url: string }[]>`SELECT disabled_at, url FROM webhook_endpoints WHERE id = ${id} FOR NO KEY UPDATE`;
    if (!endpoint) return notFound("messages.webhooks.noEndpoint");
    if ((endpoint.disabled_at === null) === enabled) return ok({ id: id.toString() });
    await tx.webhookEndpoint.update({
      where: { id },
      data: enabled ? { disabledAt: null, disabledReason: "", failingSince: null } : { disabledAt: new Date(), disabledReason: "Disabled by an admin" },
    });
    await recordAudit(tx, { actor: { id: actor!.id }, action: enabled ? "webhook.enabled" : "webhook.disabled", targetType: "webhook", targetId: id, after: { url: endpoint.url } });
    return ok({ id: id.toString() });
  });
}

/**
 * Deletes an endpoint and its delivery log (ADR 064), audited; its waiting jobs find nothing and end.
 * Once per submission (ADR 030): a copy of the same form gets the first answer, not "No such endpoint".
 */
export async function deleteWebhook(actor: Actor | null, input: unknown, submission: Submission = NO_SUBMISSION_KEY): Promise<Result<{ id: string }>> {
  const again = await earlierAnswer<{ id: string }>(submission);
  if (again) return again;
  if (!canManageWebhooks(actor)) return forbidden("messages.webhooks.forbidden");
  const parsed = EndpointIdSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.flatten().fieldErrors);
  const id = BigInt(parsed.data.endpointId);
  return prisma.$transaction((tx) => submitOnce(tx, submission, async (): Promise<Result<{ id: string }>> => {
    const [gone] = await tx.$queryRaw<{ url: string; events: string[] }[]>`DELETE FROM webhook_endpoints WHERE id = ${id} RETURNING url, events`;
    if (!gone) return notFound("messages.webhooks.noEndpoint");
    await recordAudit(tx, { actor: { id: actor!.id }, action: "webhook.deleted", targetType: "webhook", targetId: id, before: { url: gone.url, events: gone.events } });
    return ok({ id: id.toString() });
  }));
}

/**
 * "Redeliver" (ADR 064): sends a logged delivery again now, whatever its state, as one more attempt of the
 * same row (same body, signed afresh); a retry waiting for its time is replaced. Refused while the endpoint
 * is disabled (enable it first). Audited as webhook.redelivered. Once per submission (ADR 030): a copy of
 * the same form (a double click) sends nothing more and writes no second audit row.
 */
export async function redeliverWebhook(actor: Actor | null, input: unknown, submission: Submission = NO_SUBMISSION_KEY): Promise<Result<{ deliveryId: string; endpointId: string }>> {
  const again = await earlierAnswer<{ deliveryId: string; endpointId: string }>(submission);
  if (again) return again;
  if (!canManageWebhooks(actor)) return forbidden("messages.webhooks.forbidden");
  const parsed = DeliveryIdSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.flatten().fieldErrors);
  const id = BigInt(parsed.data.deliveryId);
  return prisma.$transaction((tx) => submitOnce(tx, submission, async (): Promise<Result<{ deliveryId: string; endpointId: string }>> => {
    const [row] = await tx.$queryRaw<{ endpoint_id: bigint; event_id: bigint; status: string; disabled_at: Date | null }[]>`
      SELECT d.endpoint_id, d.event_id, d.status, e.disabled_at FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
      WHERE d.id = ${id} FOR NO KEY UPDATE OF d`;
    if (!row) return notFound("messages.webhooks.noDelivery");
    if (row.disabled_at) return conflict("messages.webhooks.disabled");
    await tx.$executeRaw`UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = now() WHERE id = ${id}`;
    await tx.$queryRaw`SELECT 1 FROM ${deliveryJobSql(Prisma.sql`${id}::bigint`)} AS job`;
    await recordAudit(tx, {
      actor: { id: actor!.id }, action: "webhook.redelivered", targetType: "webhook", targetId: row.endpoint_id,
      before: { deliveryId: id.toString(), status: row.status }, after: { deliveryId: id.toString(), eventId: row.event_id.toString() },
    });
    return ok({ deliveryId: id.toString(), endpointId: row.endpoint_id.toString() });
  }));
}

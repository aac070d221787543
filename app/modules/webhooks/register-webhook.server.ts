import { recordAudit } from "~/modules/audit/record-audit.server.ts";
import type { Actor } from "~/modules/users/roles.ts";
import { prisma } from "~/utils/db.server.ts";
import { conflict, forbidden, invalid, ok, type Result } from "~/utils/http.server.ts";
import { checkWebhookTarget, type SafeRequestOptions } from "./safe-request.server.ts";
import { newWebhookSecret } from "./webhook-signature.server.ts";
import { canManageWebhooks } from "./webhooks.policy.ts";
import { RegisterWebhookSchema } from "./webhooks.schema.ts";
import { msg } from "~/utils/messages.ts";

/** Endpoints one site may have: each event is sent to each of them. */
export const MAX_WEBHOOK_ENDPOINTS = 50;

/**
 * Registers a webhook endpoint (issue 22, ADR 064): active admins only. The URL must be http(s) and resolve
 * to public addresses only (the same check runs again before every delivery, which connects to the address
 * it checked); the events come from the catalogue. The secret is the admin's (24 characters or more) or a
 * new random one, and is returned in this answer only. Audited as webhook.created (without the secret).
 */
export async function registerWebhook(actor: Actor | null, input: unknown, options: SafeRequestOptions = {}): Promise<Result<{ id: string; secret: string }>> {
  if (!canManageWebhooks(actor)) return forbidden("messages.webhooks.forbidden");
  const parsed = RegisterWebhookSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.flatten().fieldErrors);
  const { url, events, description } = parsed.data;
  const checked = await checkWebhookTarget(url, options);
  if (!checked.ok) return invalid({ url: [msg("messages.webhooks.unsafeUrl", { reason: checked.reason })] });
  const secret = parsed.data.secret ?? newWebhookSecret();
  return prisma.$transaction(async (tx): Promise<Result<{ id: string; secret: string }>> => {
    // One registration at a time, so the cap holds under parallel requests.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('webhook_endpoints'))`;
    if ((await tx.webhookEndpoint.count()) >= MAX_WEBHOOK_ENDPOINTS) return conflict(msg("messages.webhooks.tooMany", { count: MAX_WEBHOOK_ENDPOINTS }));
    const endpoint = await tx.webhookEndpoint.create({ data: { url: checked.target.url.href, events, secret, description, createdById: actor!.id }, select: { id: true } });
    await recordAudit(tx, { actor: { id: actor!.id }, action: "webhook.created", targetType: "webhook", targetId: endpoint.id, after: { url: checked.target.url.href, events } });
    return ok({ id: endpoint.id.toString(), secret });
  });
}

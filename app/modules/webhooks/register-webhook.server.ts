import crypto from "node:crypto";
import { recordAudit } from "~/modules/audit/record-audit.server.ts";
import type { Actor } from "~/modules/users/roles.ts";
import { prisma } from "~/utils/db.server.ts";
import { conflict, forbidden, invalid, ok, type Result } from "~/utils/http.server.ts";
import { earlierAnswer, NO_SUBMISSION_KEY, submitOnce, type Submission } from "~/utils/submission.server.ts";
import { checkWebhookTarget, type SafeRequestOptions } from "./safe-request.server.ts";
import { newWebhookSecret } from "./webhook-signature.server.ts";
import { canManageWebhooks } from "./webhooks.policy.ts";
import { RegisterWebhookSchema } from "./webhooks.schema.ts";
import { msg } from "~/utils/messages.ts";

/** Endpoints one site may have: each event is sent to each of them. */
export const MAX_WEBHOOK_ENDPOINTS = 50;

/** What a registration keeps with its submission (ADR 030): never the secret, only whose session saw it. */
type Registered = { id: string; shownTo: string | null };

/** A session's tag in a stored answer: a hash, so `form_submissions` holds no session id. */
function sessionTag(sessionId: string | null): string | null {
  return sessionId ? crypto.createHash("sha256").update(`webhook-secret-shown\n${sessionId}`).digest("base64url") : null;
}

/**
 * The answer a repeat of a registration gets (ADR 067): the same endpoint, and its secret again only in the
 * session that registered it, while the sender may still manage webhooks. The secret is read from the
 * endpoint (it is kept there to sign deliveries), so it is never copied into `form_submissions`.
 */
async function replayed(actor: Actor | null, earlier: Registered, sessionId: string | null): Promise<Result<{ id: string; secret: string | null }>> {
  const sameSession = earlier.shownTo !== null && earlier.shownTo === sessionTag(sessionId) && canManageWebhooks(actor);
  const endpoint = sameSession ? await prisma.webhookEndpoint.findUnique({ where: { id: BigInt(earlier.id) }, select: { secret: true } }) : null;
  return ok({ id: earlier.id, secret: endpoint?.secret ?? null });
}

/**
 * Registers a webhook endpoint (issue 22, ADR 064): active admins only. The URL must be http(s) and resolve
 * to public addresses only (the same check runs again before every delivery, which connects to the address
 * it checked); the events come from the catalogue. The secret is the admin's (24 characters or more) or a
 * new random one, and is returned in this answer only. Audited as webhook.created (without the secret).
 * Once per submission (ADR 030): a repeat of the same form (a double click, a resent POST) registers
 * nothing and gets the same endpoint; its secret again only in the session that registered it (ADR 067).
 */
export async function registerWebhook(
  actor: Actor | null,
  input: unknown,
  options: SafeRequestOptions = {},
  submission: Submission = NO_SUBMISSION_KEY,
  sessionId: string | null = null,
): Promise<Result<{ id: string; secret: string | null }>> {
  const again = await earlierAnswer<Registered>(submission);
  if (again) return again.ok ? replayed(actor, again.value, sessionId) : again;
  if (!canManageWebhooks(actor)) return forbidden("messages.webhooks.forbidden");
  const parsed = RegisterWebhookSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.flatten().fieldErrors);
  const { url, events, description } = parsed.data;
  const checked = await checkWebhookTarget(url, options);
  if (!checked.ok) return invalid({ url: [msg("messages.webhooks.unsafeUrl", { reason: checked.reason })] });
  const secret = parsed.data.secret ?? newWebhookSecret();
  let created: string | null = null;
  const saved = await prisma.$transaction((tx) => submitOnce(tx, submission, async (): Promise<Result<Registered>> => {
    // One registration at a time, so the cap holds under parallel requests.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('webhook_endpoints'))`;
    if ((await tx.webhookEndpoint.count()) >= MAX_WEBHOOK_ENDPOINTS) return conflict(msg("messages.webhooks.tooMany", { count: MAX_WEBHOOK_ENDPOINTS }));
    const endpoint = await tx.webhookEndpoint.create({ data: { url: checked.target.url.href, events, secret, description, createdById: actor!.id }, select: { id: true } });
    await recordAudit(tx, { actor: { id: actor!.id }, action: "webhook.created", targetType: "webhook", targetId: endpoint.id, after: { url: checked.target.url.href, events } });
    created = endpoint.id.toString();
    return ok({ id: created, shownTo: sessionTag(sessionId) });
  }));
  if (!saved.ok) return saved;
  // The request that registered the endpoint shows the secret it made; a copy that waited for it gets the replay.
  return saved.value.id === created ? ok({ id: created, secret }) : replayed(actor, saved.value, sessionId);
}

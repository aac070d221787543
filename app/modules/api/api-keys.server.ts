import crypto from "node:crypto";
import { recordAudit } from "~/modules/audit/record-audit.server.ts";
import type { Member } from "~/modules/questions/questions.policy.ts";
import type { Actor, Role } from "~/modules/users/roles.ts";
import { memberStatusSql } from "~/modules/users/member-status.server.ts";
import { Prisma } from "~/generated/prisma/client.ts";
import { prisma, rawQuery } from "~/utils/db.server.ts";
import { limitsOn, spendPointSql, spentPoint, type ConsumeResult } from "~/utils/rate-limit.server.ts";
import { conflict, forbidden, invalid, notFound, ok, type Result } from "~/utils/http.server.ts";
import { earlierAnswer, NO_SUBMISSION_KEY, submitOnce, type Submission } from "~/utils/submission.server.ts";
import { openForSession, sealForSession } from "~/utils/session-seal.server.ts";
import { canCreateSiteKey, canUseApiKeys } from "./api.policy.ts";
import { CreateApiKeySchema, RevokeApiKeySchema, type ApiScope } from "./api-keys.schema.ts";
import { msg } from "~/utils/messages.ts";

/** Every secret starts with this, so leaked keys can be recognised (secret scanners, logs). */
export const TOKEN_PREFIX = "tw_";
/** Active keys one member may hold (personal) or one admin may have made (site). */
export const MAX_ACTIVE_KEYS = 20;
/** last_used_at is written at most this often per key, so reads do not each cost a write. */
const LAST_USE_RESOLUTION_MS = 60_000;

export function hashApiToken(token: string): string {
  return crypto.createHash("sha256").update(token).digest("hex");
}

/** A new key; `token` is the secret, shown to the session that made it (a repeat from elsewhere gets null). */
export type NewApiKey = { id: string; token: string | null; prefix: string };

/**
 * What a key's form submission keeps (ADR 030): the key, and its secret sealed to the session that made it
 * (ADR 067), so a double click, whose browser shows the second answer, still shows the secret once. The
 * database holds only the seal, which needs SESSION_SECRET and that session's id to open.
 */
type Made = { id: string; prefix: string; sealed: string | null };
const SEAL_PURPOSE = "api-key-secret";

/** A repeat's answer: the same key; its secret only in the session that made it, while the key is live. */
async function replayed(made: Made, sessionId: string | null): Promise<Result<NewApiKey>> {
  const token = made.sealed && sessionId ? openForSession(SEAL_PURPOSE, sessionId, made.sealed) : null;
  const live = token ? await prisma.apiKey.count({ where: { id: made.id, revokedAt: null } }) : 0;
  return ok({ id: made.id, prefix: made.prefix, token: live ? token : null });
}

/**
 * Makes an API key (issue 22, ADR 063). A member makes personal keys acting as themselves; an admin may make
 * a site key acting as a chosen active member (audited). The secret is returned once and only its SHA-256 is
 * stored. Refused: visitors, suspended members, more than MAX_ACTIVE_KEYS active keys, unknown members.
 */
export async function createApiKey(
  actor: Actor | null,
  input: unknown,
  kind: "personal" | "site" = "personal",
  submission: Submission = NO_SUBMISSION_KEY,
  sessionId: string | null = null,
): Promise<Result<NewApiKey>> {
  const again = await earlierAnswer<Made>(submission);
  if (again) return again.ok ? replayed(again.value, sessionId) : again;
  if (kind === "site" ? !canCreateSiteKey(actor) : !canUseApiKeys(actor)) return forbidden("messages.apiKeys.kindForbidden");
  const parsed = CreateApiKeySchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.flatten().fieldErrors);
  const { name, scope, expiresInDays, actAs } = parsed.data;
  let userId = actor!.id;
  if (kind === "site") {
    if (!actAs) return invalid({ actAs: ["messages.apiKeys.actAsRequired"] });
    const target = await prisma.user.findUnique({ where: { handle: actAs }, select: { id: true, status: true } });
    if (!target || target.status !== "active") return invalid({ actAs: ["messages.apiKeys.noActiveHandle"] });
    userId = target.id;
  }
  const token = `${TOKEN_PREFIX}${crypto.randomBytes(32).toString("base64url")}`;
  const prefix = token.slice(0, 10);
  let created = null as string | null;
  const saved = await prisma.$transaction((tx) => submitOnce(tx, submission, async (): Promise<Result<Made>> => {
    // One key at a time per maker, so the cap holds under parallel requests.
    await tx.$queryRaw`SELECT 1 FROM users WHERE id = ${actor!.id} FOR NO KEY UPDATE`;
    const active = await tx.apiKey.count({ where: { createdById: actor!.id, kind, revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: new Date() } }] } });
    if (active >= MAX_ACTIVE_KEYS) return conflict(msg("messages.apiKeys.tooMany", { count: MAX_ACTIVE_KEYS }));
    const key = await tx.apiKey.create({
      data: {
        userId, createdById: actor!.id, kind, name, scope, prefix, tokenHash: hashApiToken(token),
        expiresAt: expiresInDays ? new Date(Date.now() + expiresInDays * 24 * 3600_000) : null,
      },
      select: { id: true },
    });
    if (kind === "site") {
      await recordAudit(tx, { actor: { id: actor!.id }, action: "user.api_key_created", targetType: "user", targetId: userId, reason: name, after: { keyId: key.id, scope, prefix } });
    }
    created = key.id;
    return ok({ id: key.id, prefix, sealed: sessionId ? sealForSession(SEAL_PURPOSE, sessionId, token) : null });
  }));
  if (!saved.ok) return saved;
  // The request that made the key shows its secret; a copy that waited for it gets the replay.
  return saved.value.id === created ? ok({ id: saved.value.id, prefix, token }) : replayed(saved.value, sessionId);
}

export type ApiKeyListItem = {
  id: string; kind: string; name: string; scope: string; prefix: string; actsAs: string;
  createdAt: string; expiresAt: string | null; lastUsedAt: string | null; revokedAt: string | null;
};

/** The keys a member made (personal ones, and for admins the site keys they made), newest first. */
export async function listApiKeys(actor: Actor): Promise<ApiKeyListItem[]> {
  const keys = await prisma.apiKey.findMany({
    where: { createdById: actor.id },
    orderBy: { createdAt: "desc" },
    take: 100,
    select: { id: true, kind: true, name: true, scope: true, prefix: true, createdAt: true, expiresAt: true, lastUsedAt: true, revokedAt: true, user: { select: { handle: true } } },
  });
  return keys.map((k) => ({
    id: k.id, kind: k.kind, name: k.name, scope: k.scope, prefix: k.prefix, actsAs: k.user.handle,
    createdAt: k.createdAt.toISOString(), expiresAt: k.expiresAt?.toISOString() ?? null, lastUsedAt: k.lastUsedAt?.toISOString() ?? null, revokedAt: k.revokedAt?.toISOString() ?? null,
  }));
}

/** Revokes a key its maker (or an admin) names; it stops working at once. Someone else's key is not found. */
export async function revokeApiKey(actor: Actor | null, input: unknown): Promise<Result<{ keyId: string }>> {
  if (!actor || actor.status !== "active") return forbidden("messages.apiKeys.signIn");
  const parsed = RevokeApiKeySchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.flatten().fieldErrors);
  const { keyId } = parsed.data;
  return prisma.$transaction(async (tx): Promise<Result<{ keyId: string }>> => {
    const key = await tx.apiKey.findUnique({ where: { id: keyId }, select: { createdById: true, userId: true, kind: true, revokedAt: true, name: true } });
    if (!key || (key.createdById !== actor.id && actor.role !== "admin")) return notFound("messages.apiKeys.noSuchKey");
    if (!key.revokedAt) {
      await tx.apiKey.update({ where: { id: keyId }, data: { revokedAt: new Date() } });
      if (key.kind === "site") await recordAudit(tx, { actor: { id: actor.id }, action: "user.api_key_revoked", targetType: "user", targetId: key.userId, reason: key.name, before: { keyId } });
    }
    return ok({ keyId });
  });
}

/** Who an API request runs as: the key's member with their current role, status and reputation. */
export type ApiPrincipal = { keyId: string; scope: ApiScope; member: Member & { handle: string } };

/** An API request let in: who it runs as, and the point of its key's rate limit it spent (absent when limits are off). */
export type ApiAdmission = { principal: ApiPrincipal; spent: ConsumeResult | null };

/**
 * The member a secret acts as, or null (unknown, revoked, expired; its member suspended or deleted; a site
 * key whose maker is no longer an active admin), read with that member's current role and status, so any of
 * these stops the key on its next request; nothing is cached. ONE statement (ADR 074) does the whole
 * admission: it reads the key and both members, and for a usable key spends one point of its `apiPerKey`
 * limit in `rate_limits` (the table every app server shares, ADR 006) and writes `last_used_at` when it is
 * more than a minute old. A refused key spends nothing and writes nothing. It goes straight to the pg pool
 * (`rawQuery`), not through Prisma: this runs before every API request.
 */
export async function admitApiKey(token: string): Promise<ApiAdmission | null> {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 100) return null;
  const now = Date.now();
  const limited = limitsOn();
  const sql = Prisma.sql`
    WITH key AS (
      SELECT k.id, k.scope, u.id AS user_id, u.role::text AS role, ${memberStatusSql("u")} AS status, u.reputation, u.handle, k.last_used_at,
        (k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > now()) AND ${memberStatusSql("u")} IN ('active', 'silenced')
          AND (k.kind <> 'site' OR (m.role = 'admin' AND ${memberStatusSql("m")} = 'active'))) AS usable
      FROM api_keys k JOIN users u ON u.id = k.user_id JOIN users m ON m.id = k.created_by_id
      WHERE k.token_hash = ${hashApiToken(token)}
    ),
    spent AS (${limited ? spendPointSql("apiPerKey", Prisma.sql`SELECT id FROM key WHERE usable`, now) : Prisma.sql`SELECT NULL::int AS points, NULL::bigint AS expire WHERE FALSE`}),
    used AS (
      UPDATE api_keys SET last_used_at = now()
      WHERE id = (SELECT id FROM key WHERE usable AND (last_used_at IS NULL OR last_used_at < now() - make_interval(secs => ${LAST_USE_RESOLUTION_MS / 1000})))
      RETURNING id
    )
    SELECT key.id, key.scope, key.user_id, key.role, key.status, key.reputation, key.handle, key.usable, spent.points, spent.expire
    FROM key LEFT JOIN spent ON TRUE`;
  const [row] = await rawQuery<{ id: string; scope: string; user_id: string; role: string; status: string; reputation: number; handle: string; usable: boolean; points: number | null; expire: string | null }>(sql.text, sql.values, { prepare: true });
  if (!row?.usable) return null;
  return {
    principal: { keyId: row.id, scope: row.scope as ApiScope, member: { id: row.user_id, role: row.role as Role, status: row.status as "active" | "silenced", reputation: row.reputation, handle: row.handle } },
    spent: limited && row.points !== null && row.expire !== null ? spentPoint("apiPerKey", { points: row.points, expire: row.expire }, now) : null,
  };
}

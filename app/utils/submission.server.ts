import crypto from "node:crypto";
import { prisma, type Tx } from "./db.server.ts";
import { getEnv } from "./env.server.ts";
import { conflict, invalid, ok, type Result } from "./http.server.ts";

/**
 * One-time form submissions (docs/decisions/030-one-time-form-submissions.md).
 *
 * Every page carries a signed token (issued by the root loader, put in every form by `CsrfInput`
 * as the hidden field `formToken`). An action turns the request into a submission key: an HMAC of
 * who sends it (the member, or the browser's CSRF secret for a visitor), the URL path, the token and
 * the fields. A use case that writes claims that key in its own transaction, before anything else,
 * in `form_submissions` (primary key); the row keeps the use case's value. A repeat of the same
 * submission (double click, retry after a timeout, resent POST) therefore gets the first answer:
 * - after the first committed: `earlierAnswer()` finds the row before any other check;
 * - at the same moment: the second INSERT waits on the first's key until it commits, then finds it
 *   (on PostgreSQL the unique index makes it wait; on the embedded PGlite transactions run one at a time).
 * A failed submission (bad input, not allowed, rate limited) leaves no row, so it can be corrected
 * and sent again with the same token. A form without a token (scripts, API clients) is handled as
 * before, without this protection.
 */

/** The hidden field's name (app/components/forms.tsx renders it). */
export const FORM_TOKEN_FIELD = "formToken";
/** How long a page's token is accepted; its rows are kept as long, then deleted by the cleanup job. */
export const FORM_TOKEN_LIFETIME_MS = 7 * 24 * 3600_000;
export const FORM_TOKEN_REFUSED = "messages.form.tokenRefused";

const VERSION = "v1";

function hmac(purpose: string, value: string): string {
  return crypto.createHmac("sha256", getEnv().SESSION_SECRET).update(`${purpose}\n${value}`).digest("base64url");
}

/** A new token for the forms of one page: issue time, 128 random bits, and a signature over both. */
export function issueFormToken(now = Date.now()): string {
  const body = `${now.toString(36)}.${crypto.randomBytes(16).toString("base64url")}`;
  return `${body}.${hmac("form-token", body).slice(0, 22)}`;
}

export type SubmissionKey = { key: string; expiresAt: Date };
/** What an action passes to its use case: a key to claim, none (no token), or why the token was refused. */
export type Submission = Result<SubmissionKey | null>;
export const NO_SUBMISSION_KEY: Submission = ok(null);

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

/**
 * The key of this submission. `actorId` is the signed-in member (null for visitors, who are told
 * apart by their browser's CSRF secret, which `readForm()` has already checked). The key covers the
 * URL path and every field but the CSRF and form tokens, so the same token can serve every form of
 * a page, and only a submission identical to an earlier one is a repeat.
 */
export function submissionOf(request: Request, formData: FormData, actorId: string | null, now = Date.now()): Submission {
  const token = formData.get(FORM_TOKEN_FIELD);
  if (token === null || token === "") return NO_SUBMISSION_KEY;
  const refused = invalid({}, [FORM_TOKEN_REFUSED]);
  if (typeof token !== "string" || token.length > 100) return refused;
  const [issued, nonce, signature, ...rest] = token.split(".");
  if (rest.length > 0 || !issued || !nonce || !signature || !sameText(signature, hmac("form-token", `${issued}.${nonce}`).slice(0, 22))) return refused;
  const issuedAt = parseInt(issued, 36);
  if (!Number.isSafeInteger(issuedAt) || issuedAt > now + 5 * 60_000 || now - issuedAt > FORM_TOKEN_LIFETIME_MS) return refused;
  const sender = actorId ? `member:${actorId}` : `browser:${String(formData.get("csrf") ?? "")}`;
  const fields = [...formData.entries()]
    .filter(([name]) => name !== "csrf" && name !== FORM_TOKEN_FIELD)
    .map(([name, value]) => [name, typeof value === "string" ? value : `file:${value.name}:${value.size}`])
    .sort((a, b) => (a[0]! < b[0]! ? -1 : a[0]! > b[0]! ? 1 : 0));
  const key = hmac("form-submission", JSON.stringify([VERSION, sender, new URL(request.url).pathname, token, fields]));
  return ok({ key, expiresAt: new Date(issuedAt + FORM_TOKEN_LIFETIME_MS) });
}

/**
 * The submission key of an API request sent with an `Idempotency-Key` (issue 22, ADR 063): the API key, the
 * path, the header and the body. The use case claims it in its own transaction, so a repeat gets the first
 * answer and writes nothing; a repeat with another body never gets here (refused with 409 before).
 */
export function apiSubmission(apiKeyId: string, path: string, idempotencyKey: string, bodyHash: string, now = Date.now()): Submission {
  const key = hmac("api-submission", JSON.stringify([VERSION, apiKeyId, path, idempotencyKey, bodyHash]));
  return ok({ key, expiresAt: new Date(now + API_IDEMPOTENCY_LIFETIME_MS) });
}

/**
 * The key of one step of a submission whose use case writes through other use cases, each in its own
 * transaction (publishing a ticket reply asks a question, then posts an answer): each step claims its own
 * key, so a copy gets each step's first answer, and the use case claims the submission's own key last.
 */
export function submissionStep(submission: Submission, step: string): Submission {
  if (!submission.ok || !submission.value) return submission;
  return ok({ key: `${submission.value.key}.${step}`, expiresAt: submission.value.expiresAt });
}

/** How long an Idempotency-Key is remembered (a day: clients retry within minutes). */
export const API_IDEMPOTENCY_LIFETIME_MS = 24 * 3600_000;

// Use-case values hold bigint ids, which JSON cannot: they are stored as {"$bigint": "123"}.
function encode(value: unknown): string {
  return JSON.stringify(value ?? null, (_key, v: unknown) => (typeof v === "bigint" ? { $bigint: v.toString() } : v));
}
function decode(stored: unknown): unknown {
  return JSON.parse(JSON.stringify(stored), (_key, v: unknown) => {
    if (v && typeof v === "object" && !Array.isArray(v)) {
      const keys = Object.keys(v);
      const big = (v as { $bigint?: unknown }).$bigint;
      if (keys.length === 1 && typeof big === "string" && /^-?\d+$/.test(big)) return BigInt(big);
    }
    return v;
  });
}

/**
 * The answer an earlier, identical submission got, or null: a use case calls it first, so a repeat
 * sent after the first committed is answered before any check that the first one's own writes would
 * now fail (a taken e-mail, a promoted thread). Also returns a refused token's failure.
 */
export async function earlierAnswer<T>(submission: Submission): Promise<Result<T> | null> {
  if (!submission.ok) return submission;
  if (!submission.value) return null;
  const [row] = await prisma.$queryRaw<{ result: unknown }[]>`
    SELECT result FROM form_submissions WHERE key = ${submission.value.key} AND result IS NOT NULL`;
  return row ? ok(decode(row.result) as T) : null;
}

/**
 * Runs a use case's writes once per submission, inside its transaction `tx`: claims the key first
 * (a repeat running at the same moment waits here for the first to commit, then gets its answer),
 * keeps the value of a success with the claim, and drops the claim of a failure.
 */
export async function submitOnce<T>(tx: Tx, submission: Submission, work: () => Promise<Result<T>>): Promise<Result<T>> {
  if (!submission.ok) return submission;
  const claim = submission.value;
  if (!claim) return work();
  const claimed = await tx.$queryRaw<{ key: string }[]>`
    INSERT INTO form_submissions (key, expires_at) VALUES (${claim.key}, ${claim.expiresAt}) ON CONFLICT (key) DO NOTHING RETURNING key`;
  if (claimed.length === 0) {
    const [row] = await tx.$queryRaw<{ result: unknown }[]>`SELECT result FROM form_submissions WHERE key = ${claim.key}`;
    // A claim commits with its result, so a claim without one is not expected; never write twice.
    return row && row.result !== null ? ok(decode(row.result) as T) : conflict("messages.form.inFlight");
  }
  const result = await work();
  if (result.ok) await tx.$executeRaw`UPDATE form_submissions SET result = ${encode(result.value)}::jsonb WHERE key = ${claim.key}`;
  else await tx.$executeRaw`DELETE FROM form_submissions WHERE key = ${claim.key}`;
  return result;
}

/** Rows whose token can no longer be sent (the hourly cleanup). */
export async function deleteExpiredSubmissions(now = new Date()): Promise<number> {
  return prisma.$executeRaw`DELETE FROM form_submissions WHERE expires_at < ${now}`;
}

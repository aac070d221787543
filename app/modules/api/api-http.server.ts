import crypto from "node:crypto";
import en from "~/locales/en/common.json";
import type { z } from "zod";
import { prisma } from "~/utils/db.server.ts";
import { clientIp } from "~/utils/form.server.ts";
import { statusOf, type Failure, type Result } from "~/utils/http.server.ts";
import { getI18n } from "~/utils/i18n.ts";
import { translateMessage } from "~/utils/messages.ts";
import { consume, LIMITS, type ConsumeResult, type LimitName } from "~/utils/rate-limit.server.ts";
import { apiSubmission, NO_SUBMISSION_KEY, type Submission } from "~/utils/submission.server.ts";
import { admitApiKey, type ApiPrincipal } from "./api-keys.server.ts";
import { scopeAllows } from "./api.policy.ts";

/**
 * The one door of /api/v1 (issue 22, ADR 063). Every endpoint goes through `apiEndpoint`, which:
 * - authenticates by API key only (`Authorization: Bearer tw_…`); cookies are never read, so a browser
 *   session can neither read nor write through the API, and CSRF does not apply;
 * - refuses writes without a key (401) and writes with a read-only key (403);
 * - spends one point of the key's rate limit (or the address's, without a key) and says so in the
 *   `RateLimit-Policy` and `RateLimit` headers (draft-ietf-httpapi-ratelimit-headers), 429 with Retry-After;
 * - reads a JSON body (415 otherwise) and validates the query, path and body with the endpoint's Zod schemas;
 * - on POST, honours `Idempotency-Key`: the same key and body get the first answer and write once (the use
 *   case claims the submission in its own transaction, ADR 030), the same key with another body gets 409;
 * - answers errors as `application/problem+json` (RFC 9457) with field errors on 400.
 */

export type ApiContext<Q, B> = { principal: ApiPrincipal | null; query: Q; body: B; params: Record<string, string | undefined>; submission: Submission; origin: string };
export type ApiOutcome = Result<unknown> | { ok: true; value: unknown; status: number };

type Spec<Q extends z.ZodTypeAny, B extends z.ZodTypeAny> = {
  needs: "read" | "write";
  /** Reads that need a key (a member's own data); public reads work without one. */
  keyRequired?: boolean;
  query?: Q;
  body?: B;
};

const PROBLEM_TITLES: Record<Failure["kind"] | "unauthorized" | "unsupported", string> = {
  invalid: "The request is not valid",
  "not-found": "Not found",
  forbidden: "Not allowed",
  conflict: "Conflict",
  "rate-limited": "Too many requests",
  unavailable: "Try again shortly",
  unauthorized: "An API key is needed",
  unsupported: "Send JSON",
};

function json(status: number, body: unknown, headers: Headers, contentType = "application/json"): Response {
  headers.set("Content-Type", `${contentType}; charset=utf-8`);
  headers.set("Cache-Control", "no-store");
  return new Response(stringify(body), { status, headers });
}

/**
 * JSON with BigInt ids as strings. A replacer function costs a call per value (0.3 ms of a 30-item list in
 * profiles, ADR 074), so it runs only for a body that plain JSON.stringify refuses (a TypeError on a BigInt).
 */
function stringify(body: unknown): string {
  try {
    return JSON.stringify(body);
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    return JSON.stringify(body, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
  }
}

function problem(status: number, kind: keyof typeof PROBLEM_TITLES, detail: string | undefined, headers: Headers, errors?: Record<string, string[]>): Response {
  // Rules answer with catalog keys (ADR 071); the API speaks English.
  const english = (text: string) => translateMessage(getI18n("en").t, text, "en");
  if (detail) detail = english(detail);
  if (errors) errors = Object.fromEntries(Object.entries(errors).map(([field, messages]) => [field, messages.map(english)]));
  return json(status, { type: `/api/v1/problems#${kind}`, title: PROBLEM_TITLES[kind], status, ...(detail ? { detail } : {}), ...(errors ? { errors } : {}) }, headers, "application/problem+json");
}

/**
 * Use cases give some field errors as reason keys of the UI catalog ("support.errors.assignee"); an API client
 * gets the English sentence the page would show, and any other text as it is.
 */
function readable(message: string): string {
  if (!/^[a-z][A-Za-z0-9]*(\.[A-Za-z0-9]+)+$/.test(message)) return message;
  let node: unknown = en;
  for (const part of message.split(".")) node = node && typeof node === "object" ? (node as Record<string, unknown>)[part] : undefined;
  return typeof node === "string" ? node : message;
}

/** A use case's failure as problem details. */
export function failureProblem(failure: Failure, headers = new Headers()): Response {
  if (failure.kind === "rate-limited" || failure.kind === "unavailable") headers.set("Retry-After", String(failure.retryAfterSeconds));
  const fieldErrors = "fieldErrors" in failure && failure.fieldErrors && Object.keys(failure.fieldErrors).length ? failure.fieldErrors : undefined;
  const errors = fieldErrors ? Object.fromEntries(Object.entries(fieldErrors).map(([field, messages]) => [field, (messages ?? []).map(readable)])) : undefined;
  const detail = "message" in failure ? readable(failure.message) : failure.kind === "invalid" ? (failure.formErrors?.map(readable).join(" ") || "Some fields are not valid") : undefined;
  return problem(statusOf(failure), failure.kind, detail, headers, errors);
}

function zodErrors(error: z.ZodError): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of error.issues) (out[issue.path.join(".") || "body"] ??= []).push(issue.message);
  return out;
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

export async function apiEndpoint<Q extends z.ZodTypeAny = z.ZodUndefined, B extends z.ZodTypeAny = z.ZodUndefined>(
  request: Request,
  params: Record<string, string | undefined>,
  spec: Spec<Q, B>,
  run: (ctx: ApiContext<z.output<Q>, z.output<B>>) => Promise<ApiOutcome>,
): Promise<Response> {
  const headers = new Headers();
  const url = new URL(request.url);
  const authorization = request.headers.get("authorization");
  let principal: ApiPrincipal | null = null;
  let spent: ConsumeResult | null = null;
  if (authorization !== null) {
    const token = /^Bearer ([\x21-\x7e]{1,200})$/.exec(authorization)?.[1];
    // One statement checks the key and its members and spends the key's point (ADR 074).
    const admitted = token ? await admitApiKey(token) : null;
    principal = admitted?.principal ?? null;
    spent = admitted?.spent ?? null;
    if (!principal) {
      headers.set("WWW-Authenticate", 'Bearer realm="threadwise", error="invalid_token"');
      return problem(401, "unauthorized", "The API key is unknown, revoked or expired, or its member cannot act", headers);
    }
  } else if (spec.needs === "write" || spec.keyRequired) {
    headers.set("WWW-Authenticate", 'Bearer realm="threadwise"');
    return problem(401, "unauthorized", "Send an API key: Authorization: Bearer tw_…", headers);
  }

  const limit: LimitName = principal ? "apiPerKey" : "apiPerIp";
  if (!principal) spent = await consume(limit, clientIp(request));
  const { points, duration } = LIMITS[limit];
  headers.set("RateLimit-Policy", `"${limit}";q=${points};w=${duration}`);
  if (spent?.limited) {
    headers.set("RateLimit", `"${limit}";r=0;t=${spent.retryAfterSeconds}`);
    headers.set("Retry-After", String(spent.retryAfterSeconds));
    return problem(429, "rate-limited", `At most ${points} requests a minute ${principal ? "per key" : "without a key"}`, headers);
  }
  if (spent?.remaining !== undefined) headers.set("RateLimit", `"${limit}";r=${spent.remaining};t=${spent.retryAfterSeconds ?? duration}`);

  if (principal && !scopeAllows(principal.scope, spec.needs)) return problem(403, "forbidden", "This key may only read", headers);

  const query = (spec.query ?? null)?.safeParse(Object.fromEntries(url.searchParams));
  if (query && !query.success) return problem(400, "invalid", "The query is not valid", headers, zodErrors(query.error));

  let body: unknown = undefined;
  let raw = "";
  if (spec.body) {
    if (!/^application\/json\b/i.test(request.headers.get("content-type") ?? "")) return problem(415, "unsupported", "Send the body as application/json", headers);
    raw = await request.text();
    try {
      body = JSON.parse(raw);
    } catch {
      return problem(400, "invalid", "The body is not valid JSON", headers);
    }
    const parsed = spec.body.safeParse(body);
    if (!parsed.success) return problem(400, "invalid", "Some fields are not valid", headers, zodErrors(parsed.error));
    body = parsed.data;
  }

  let submission: Submission = NO_SUBMISSION_KEY;
  const idempotencyKey = request.headers.get("idempotency-key");
  if (idempotencyKey !== null && request.method === "POST" && principal) {
    if (!IDEMPOTENCY_KEY.test(idempotencyKey)) return problem(400, "invalid", "Idempotency-Key must be 1 to 255 visible ASCII characters", headers);
    const requestHash = crypto.createHash("sha256").update(`${url.pathname}\n${raw}`).digest("hex");
    await prisma.$executeRaw`INSERT INTO api_idempotency (api_key_id, key, request_hash) VALUES (${principal.keyId}, ${idempotencyKey}, ${requestHash}) ON CONFLICT DO NOTHING`;
    const [first] = await prisma.$queryRaw<{ request_hash: string }[]>`SELECT request_hash FROM api_idempotency WHERE api_key_id = ${principal.keyId} AND key = ${idempotencyKey}`;
    if (first && first.request_hash !== requestHash) return problem(409, "conflict", "This Idempotency-Key was used with another request", headers);
    submission = apiSubmission(principal.keyId, url.pathname, idempotencyKey, requestHash);
  }

  const outcome = await run({ principal, query: query?.data, body: body as z.output<B>, params, submission, origin: url.origin });
  if (!outcome.ok) return failureProblem(outcome, headers);
  return json("status" in outcome ? outcome.status : 200, outcome.value, headers);
}

/** A resource that does not exist for this caller (404 problem), for loaders that find nothing. */
export function notFoundProblem(): Response {
  return problem(404, "not-found", "Not found", new Headers());
}

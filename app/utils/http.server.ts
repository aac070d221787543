// eslint-disable-next-line no-restricted-imports -- the one place that wraps Remix's redirect
import { json, redirect as remixRedirect } from "@remix-run/node";
import { headerSafeUrl } from "./headers.ts";

/**
 * The typed outcomes of a use case. Bad input carries field errors shown next to the fields;
 * expected domain failures carry a reason key; anything else is thrown and becomes a 500.
 */
export type Failure =
  | { ok: false; kind: "invalid"; fieldErrors: Record<string, string[]>; formErrors?: string[] }
  | { ok: false; kind: "not-found"; message: string }
  | { ok: false; kind: "forbidden"; message: string }
  | { ok: false; kind: "conflict"; message: string; fieldErrors?: Record<string, string[]> }
  | { ok: false; kind: "rate-limited"; message: string; retryAfterSeconds: number }
  | { ok: false; kind: "unavailable"; message: string; retryAfterSeconds: number };

export type Result<T> = { ok: true; value: T } | Failure;

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const invalid = (fieldErrors: Record<string, string[]>, formErrors?: string[]): Failure => ({
  ok: false,
  kind: "invalid",
  fieldErrors,
  formErrors,
});
export const notFound = (message = "messages.common.notFound"): Failure => ({ ok: false, kind: "not-found", message });
export const forbidden = (message = "messages.common.notAllowed"): Failure => ({ ok: false, kind: "forbidden", message });
export const conflict = (message: string, fieldErrors?: Record<string, string[]>): Failure => ({
  ok: false,
  kind: "conflict",
  message,
  fieldErrors,
});
export const rateLimited = (message: string, retryAfterSeconds: number): Failure => ({
  ok: false,
  kind: "rate-limited",
  message,
  retryAfterSeconds,
});

/**
 * The server could not take the work in time (the database too busy: docs/decisions/035-busy-database.md).
 * Nothing was written; the client may send the same request again after `retryAfterSeconds`.
 */
export const unavailable = (message: string, retryAfterSeconds: number): Failure => ({
  ok: false,
  kind: "unavailable",
  message,
  retryAfterSeconds,
});

const STATUS: Record<Failure["kind"], number> = {
  invalid: 400,
  "not-found": 404,
  forbidden: 403,
  conflict: 409,
  "rate-limited": 429,
  unavailable: 503,
};

/** The one place where a use-case failure becomes an HTTP status. */
export function statusOf(failure: Failure): number {
  return STATUS[failure.kind];
}

/** The headers that go with the status: Retry-After for 429 and 503. */
export function failureHeaders(failure: Failure): Headers {
  const headers = new Headers();
  if (failure.kind === "rate-limited" || failure.kind === "unavailable") headers.set("Retry-After", String(failure.retryAfterSeconds));
  return headers;
}

/** Action data for a failed form submission: the status, the message and any field errors. */
export function failureResponse<E extends Record<string, unknown> = Record<never, never>>(failure: Failure, extra: E = {} as E) {
  const headers = failureHeaders(failure);
  const body = {
    ok: false as const,
    kind: failure.kind,
    message: "message" in failure ? failure.message : undefined,
    fieldErrors: "fieldErrors" in failure ? (failure.fieldErrors ?? {}) : {},
    formErrors: failure.kind === "invalid" ? (failure.formErrors ?? []) : "message" in failure ? [failure.message] : [],
    ...extra,
  };
  return json(body, { status: statusOf(failure), headers });
}

/** Throws a Response with the given status when the condition does not hold (loaders). */
export function invariantResponse(condition: unknown, message: string, status = 400): asserts condition {
  if (!condition) throw new Response(message, { status, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}

/**
 * Remix's `redirect` with the target made header-safe (`headerSafeUrl`): a slug made from a Chinese
 * title, or a `redirectTo` typed by a user, is percent-encoded instead of throwing a 500. Routes and
 * modules import `redirect` from here; lint refuses the one from `@remix-run/node`.
 */
export function redirect(url: string, init?: number | ResponseInit): ReturnType<typeof remixRedirect> {
  return remixRedirect(headerSafeUrl(url), init);
}

import crypto from "node:crypto";
import { hasControlCharacters } from "~/modules/content/plain-text.schema.ts";
import { recordEvent } from "~/modules/events/record-event.server.ts";
import { cookieSessions, readCookieSession, SESSION_TTL_MS } from "~/utils/cookie-session.server.ts";
import { Prisma } from "~/generated/prisma/client.ts";
import { prisma, rawQuery, type Tx } from "~/utils/db.server.ts";
import { clientIp } from "~/utils/form.server.ts";
import { forbidden, notFound, ok, redirect, type Result } from "~/utils/http.server.ts";
import { onceForRequest } from "~/utils/request-scope.server.ts";
import { readVisitorId } from "~/utils/visitor.server.ts";
import { matchLanguage, type Language } from "~/utils/i18n.ts";
import { MEMBER_STATUS_SQL } from "./member-status.server.ts";
import type { Actor, Role } from "./roles.ts";

export type CurrentUser = Omit<Actor, "status"> & {
  /** Signed in: active, or silenced (read-only, issue 19). */
  status: "active" | "silenced";
  /** Read with the session, so pages need no second query for privileges. */
  reputation: number;
  handle: string;
  displayName: string;
  email: string;
  sessionId: string;
  /** Unread notifications (up to 100), read in the same statement as the session: the header's bell. */
  unreadNotifications: number;
  /** The interface language the member chose (ADR 055), or null for the browser's. */
  language: Language | null;
  /** The uploaded avatar's key, or null for the generated one (ADR 052). */
  avatarKey: string | null;
};

const cache = new WeakMap<Request, Promise<CurrentUser | null>>();
// Remix hands each loader of one document request its own Request object, so the WeakMap alone
// would read the session once per loader. The request's scope, which the HTTP server makes for each
// request, ties them together; nothing the client sends can select another request's user.
const CURRENT_USER = Symbol("current user");

/**
 * The signed-in user of a request, or null. A session row that was deleted (sign out everywhere,
 * revocation, suspension, demotion, password reset) or has expired signs the browser out at once.
 * Reading never writes: the session's `last_seen_at` is refreshed by mutations only, and the member's
 * `users.last_seen_at` by their POSTs, at most once per LAST_SEEN_EVERY.
 */
export function getCurrentUser(request: Request): Promise<CurrentUser | null> {
  let pending = cache.get(request);
  if (!pending) {
    // Only reads share: loaders that run after an action must see what the action changed.
    const shared = request.method === "GET" || request.method === "HEAD";
    pending = shared ? onceForRequest(CURRENT_USER, () => loadCurrentUser(request)) : loadCurrentUser(request);
    cache.set(request, pending);
  }
  return pending;
}

/** "Last seen" moves in steps of this size, so a busy member costs one UPDATE per step, not one per action (ADR 052). */
export const LAST_SEEN_EVERY = "5 minutes";

async function loadCurrentUser(request: Request): Promise<CurrentUser | null> {
  const cookie = await readCookieSession(request);
  const sid = cookie.get("sid");
  if (!sid) return null;
  // Reading a page never writes (tests/http/get-never-writes.test.ts); a POST by a member moves their
  // "last seen" inside the same statement, at most once per LAST_SEEN_EVERY (the WHERE makes it a no-op).
  const writes = request.method !== "GET" && request.method !== "HEAD";
  const touch = writes
    ? Prisma.sql`, touched AS (UPDATE users SET last_seen_at = now() WHERE id = (SELECT user_id FROM sessions WHERE id = ${sid} AND expires_at > now())
        AND (last_seen_at IS NULL OR last_seen_at < now() - ${LAST_SEEN_EVERY}::interval) RETURNING id)`
    : Prisma.empty;
  // One statement (a nested Prisma select would be two: the session, then its user), sent straight on
  // the pg pool: it runs before every signed-in request, and Prisma's query pipeline was a good part
  // of its cost (issue 25, ADR 075).
  const sql = Prisma.sql`
    WITH s AS (SELECT id, user_id, expires_at FROM sessions WHERE id = ${sid})${touch}
    SELECT s.id AS session_id, s.expires_at, u.id, u.role::text AS role, ${MEMBER_STATUS_SQL} AS status, u.reputation, u.handle, u.display_name, u.email, u.avatar_key, u.language,
      unread_notification_count(u.id) AS unread
    FROM s JOIN users u ON u.id = s.user_id`;
  const [row] = await rawQuery<
    { session_id: string; expires_at: Date; id: string; role: string; status: string; reputation: number; handle: string; display_name: string; email: string; avatar_key: string | null; unread: number; language: string | null }
  >(sql.text, sql.values, { prepare: true });
  // A suspended account has no sessions (they end with the suspension); refused here too, whatever happens.
  if (!row || row.expires_at < new Date() || (row.status !== "active" && row.status !== "silenced")) return null;
  return {
    id: row.id, role: row.role as Role, status: row.status, reputation: row.reputation, handle: row.handle, displayName: row.display_name, email: row.email, sessionId: row.session_id,
    unreadNotifications: row.unread, language: matchLanguage(row.language), avatarKey: row.avatar_key,
  };
}

/** The signed-in user, or a redirect to the sign-in page that comes back here afterwards. */
export async function requireUser(request: Request): Promise<CurrentUser> {
  const user = await getCurrentUser(request);
  if (!user) {
    const url = new URL(request.url);
    throw redirect(`/login?redirectTo=${encodeURIComponent(url.pathname + url.search)}`);
  }
  return user;
}

/** Sign-in from the outside world: no session needed, so a signed-in visitor goes home instead. */
export async function requireAnonymous(request: Request): Promise<void> {
  if (await getCurrentUser(request)) throw redirect("/");
}

/**
 * Creates a session row and returns the Set-Cookie header that carries its id. When the browser has
 * an anonymous visitor id (tw_vid), it is tied to the member in the same statement (visitor_links),
 * so the searches and pages read before signing in or up join their journey (issue 20, ADR 057).
 */
export async function startSession(userId: string, request: Request, db: Tx | typeof prisma = prisma): Promise<string> {
  const id = crypto.randomBytes(32).toString("base64url");
  const visitorId = await readVisitorId(request);
  const expiresAt = new Date(Date.now() + SESSION_TTL_MS);
  const userAgent = (request.headers.get("user-agent") ?? "").slice(0, 300);
  // The session, the browser's visitor link (issue 20: the journey before sign-in is the member's) and
  // "last seen" (ADR 052) in one statement.
  await db.$executeRaw`
    WITH s AS (
      INSERT INTO sessions (id, user_id, expires_at, user_agent, ip) VALUES (${id}, ${userId}, ${expiresAt}, ${userAgent}, ${clientIp(request)}) RETURNING user_id
    ), seen AS (
      UPDATE users SET last_seen_at = now() WHERE id = (SELECT user_id FROM s) RETURNING id
    )
    INSERT INTO visitor_links (visitor_id, user_id) SELECT ${visitorId}::text, user_id FROM s WHERE ${visitorId}::text IS NOT NULL
    ON CONFLICT (visitor_id, user_id) DO UPDATE SET linked_at = now()`;
  const cookie = await readCookieSession(request);
  cookie.unset("sid");
  cookie.set("sid", id);
  return cookieSessions().commitSession(cookie);
}

/** Marks the session as used now; called by mutations, never by page views. */
export async function touchSession(sessionId: string): Promise<void> {
  await prisma.session.updateMany({ where: { id: sessionId }, data: { lastSeenAt: new Date() } });
}

/** Signs this browser out: deletes its row and clears the cookie. */
export async function endSession(request: Request): Promise<string> {
  const cookie = await readCookieSession(request);
  const sid = cookie.get("sid");
  if (sid) await prisma.session.deleteMany({ where: { id: sid } });
  return cookieSessions().destroySession(cookie);
}

/** Ends every session of a user (used by sign out everywhere, suspension, demotion, password changes). */
export async function endAllSessions(tx: Tx, userId: string, exceptSessionId?: string): Promise<number> {
  const { count } = await tx.session.deleteMany({
    where: { userId, ...(exceptSessionId ? { id: { not: exceptSessionId } } : {}) },
  });
  return count;
}

/**
 * Sign out everywhere: ends every session of the actor, this one included.
 * Event: user.signed_out_everywhere.
 */
export async function signOutEverywhere(actor: CurrentUser): Promise<Result<{ ended: number }>> {
  const ended = await prisma.$transaction(async (tx) => {
    const count = await endAllSessions(tx, actor.id);
    await recordEvent(tx, { type: "user.signed_out_everywhere", actorId: actor.id, subjectType: "user", subjectId: actor.id, payload: { ended: count } });
    return count;
  });
  return ok({ ended });
}

/**
 * Revokes one session. Members revoke their own; an admin may revoke anyone's. A session of
 * somebody else answers not-found, so ids cannot be probed. Event: session.revoked.
 */
export async function revokeSession(actor: CurrentUser, sessionId: string): Promise<Result<{ revoked: string }>> {
  // An id with control characters names no session (and PostgreSQL refuses NUL in text).
  if (hasControlCharacters(sessionId)) return notFound("messages.users.sessionEnded");
  const session = await prisma.session.findUnique({ where: { id: sessionId }, select: { id: true, userId: true } });
  if (!session) return notFound("messages.users.sessionEnded");
  if (session.userId !== actor.id && actor.role !== "admin") {
    return actor.role === "member" ? notFound("messages.users.sessionEnded") : forbidden();
  }
  await prisma.$transaction(async (tx) => {
    await tx.session.deleteMany({ where: { id: session.id } });
    await recordEvent(tx, { type: "session.revoked", actorId: actor.id, subjectType: "user", subjectId: session.userId });
  });
  return ok({ revoked: session.id });
}

import { withExpertMarks } from "~/modules/reputation/expert-marks.server.ts";
import { memberStatus } from "./member-status.server.ts";
import { prisma } from "~/utils/db.server.ts";
import type { Role } from "./roles.ts";

export type PublicProfile = {
  id: string; handle: string; displayName: string; bio: string; joinedAt: string; role: Role; reputation: number; expertCategoryIds: number[];
  avatarKey: string | null; lastSeenAt: string | null;
};

/** A member's public page; suspended members keep their page (their posts stay attributed). */
export async function getPublicProfile(handle: string): Promise<PublicProfile | null> {
  // A handle is letters, digits, _ and -: anything else (a NUL, which PostgreSQL refuses in text) names nobody.
  if (!/^[A-Za-z0-9_-]{1,40}$/.test(handle)) return null;
  const user = await prisma.user.findUnique({
    where: { handle: handle.toLowerCase() },
    select: { id: true, handle: true, displayName: true, bio: true, createdAt: true, role: true, reputation: true, expertCategoryIds: true, avatarKey: true, lastSeenAt: true },
  });
  if (!user) return null;
  const { createdAt, lastSeenAt, ...rest } = user;
  return { ...rest, role: user.role as Role, joinedAt: createdAt.toISOString(), lastSeenAt: lastSeenAt?.toISOString() ?? null };
}

export async function getAccount(userId: string) {
  return prisma.user.findUniqueOrThrow({
    where: { id: userId },
    select: { id: true, email: true, handle: true, displayName: true, bio: true, role: true, createdAt: true },
  });
}

/** The signed-in sessions of a user, newest use first, marking the one making the request. */
export async function listSessions(userId: string, currentSessionId: string) {
  const rows = await prisma.session.findMany({
    where: { userId, expiresAt: { gt: new Date() } },
    orderBy: { lastSeenAt: "desc" },
    select: { id: true, createdAt: true, lastSeenAt: true, userAgent: true, ip: true },
  });
  return rows.map((s) => ({
    id: s.id,
    createdAt: s.createdAt.toISOString(),
    lastSeenAt: s.lastSeenAt.toISOString(),
    userAgent: s.userAgent,
    ip: s.ip,
    current: s.id === currentSessionId,
  }));
}

const PAGE = 50;

/** Admin user search by e-mail, handle or name, optionally by role; keyset pages by creation time. */
export async function searchUsers(params: { q: string; role?: Role; after?: string }) {
  const q = params.q.trim();
  const rows = await prisma.user.findMany({
    where: {
      ...(params.role ? { role: params.role } : {}),
      ...(q
        ? {
            OR: [
              { emailNormalized: { contains: q.toLowerCase() } },
              { handle: { contains: q.toLowerCase() } },
              { displayName: { contains: q, mode: "insensitive" as const } },
            ],
          }
        : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    // The cursor is an account id from the previous page; anything else (a NUL, which PostgreSQL refuses) starts over.
    ...(params.after && /^[A-Za-z0-9_-]{1,40}$/.test(params.after) ? { cursor: { id: params.after }, skip: 1 } : {}),
    take: PAGE + 1,
    select: { id: true, email: true, handle: true, displayName: true, role: true, status: true, createdAt: true, expertCategoryIds: true, suspendedUntil: true, suspensionReason: true, silencedAt: true, silencedUntil: true },
  });
  const page = await withExpertMarks(rows.slice(0, PAGE));
  const now = new Date();
  return {
    users: page.map(({ suspendedUntil, silencedAt, silencedUntil, ...u }) => {
      // The status every reader sees (member-status.server.ts): an ended suspension is over at once.
      const status = memberStatus({ status: u.status, suspendedUntil, silencedAt, silencedUntil }, now);
      return {
        ...u,
        role: u.role as Role,
        status: status === "suspended" ? ("suspended" as const) : ("active" as const),
        createdAt: u.createdAt.toISOString(),
        suspendedUntil: status === "suspended" ? (suspendedUntil?.toISOString() ?? null) : null,
        // A silence in force now (issue 19): from silencedAt until silencedUntil, or indefinitely.
        silenced: status === "silenced",
        silencedUntil: status === "silenced" ? (silencedUntil?.toISOString() ?? null) : null,
      };
    }),
    nextCursor: rows.length > PAGE ? rows[PAGE - 1]!.id : null,
  };
}

/**
 * Members whose handle starts with `prefix` (mention suggestions while typing "@ann"), active ones
 * only, at most 6, through the handle's prefix index. A prefix that cannot be a handle gives nothing.
 */
export async function suggestHandles(prefix: string): Promise<{ handle: string; displayName: string }[]> {
  const q = prefix.trim().toLowerCase();
  if (!/^[a-z0-9_-]{1,30}$/.test(q)) return [];
  // LIKE's own wildcards (_ is one) are escaped: the prefix is taken literally.
  const pattern = `${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const rows = await prisma.$queryRaw<{ handle: string; display_name: string }[]>`
    SELECT handle, display_name FROM users WHERE handle LIKE ${pattern} AND status = 'active' ORDER BY handle LIMIT 6`;
  return rows.map((r) => ({ handle: r.handle, displayName: r.display_name }));
}

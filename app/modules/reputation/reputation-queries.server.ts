import { Prisma } from "~/generated/prisma/client.ts";
import { prisma } from "~/utils/db.server.ts";
import { BADGES, type BadgeKey } from "./badges.ts";
import { categoryMap, expertIn } from "./expert-marks.server.ts";
import { STARTING_REPUTATION } from "./points.ts";
import type { LeaderboardKind, LeaderboardPeriod } from "./reputation.schema.ts";
import { postPath } from "~/modules/seo/seo-urls.ts";

const pad = (n: number) => String(n).padStart(2, "0");

/** The rollup key of the current period (UTC), as the trigger on reputation_entries writes it. */
export function periodKey(period: LeaderboardPeriod, now = new Date()): string {
  const y = now.getUTCFullYear();
  if (period === "all") return "all";
  if (period === "year") return `y${y}`;
  if (period === "month") return `m${y}-${pad(now.getUTCMonth() + 1)}`;
  const monday = new Date(Date.UTC(y, now.getUTCMonth(), now.getUTCDate() - ((now.getUTCDay() + 6) % 7)));
  return `w${monday.getUTCFullYear()}-${pad(monday.getUTCMonth() + 1)}-${pad(monday.getUTCDate())}`;
}

export type LeaderboardRow = { rank: number; handle: string; displayName: string; expertIn: { slug: string; name: string }[]; points: number; accepted: number };

const LEADERBOARD_SIZE = 50;

/**
 * A leaderboard: the top members of one period and one category (or all) by reputation earned or
 * by accepted answers in that period. One index range scan of reputation_period_totals. The
 * all-time board of every category shows each member's reputation, the figure of their profile:
 * the points they earned plus the STARTING_REPUTATION every account has (issue 24). A period or a
 * category shows what was earned in it.
 */
export async function getLeaderboard(params: { period: LeaderboardPeriod; by: LeaderboardKind; category?: string }) {
  const map = await categoryMap();
  const category = params.category ? [...map.values()].find((c) => c.slug === params.category) : undefined;
  const categoryId = category?.id ?? 0;
  const order = params.by === "accepted" ? Prisma.sql`r.accepted DESC, r.points DESC` : Prisma.sql`r.points DESC, r.accepted DESC`;
  const positive = params.by === "accepted" ? Prisma.sql`r.accepted > 0` : Prisma.sql`r.points > 0`;
  const rows = await prisma.$queryRaw<{ handle: string; display_name: string; expert_category_ids: number[]; points: number; accepted: number }[]>`
    SELECT u.handle, u.display_name, u.expert_category_ids, r.points, r.accepted
    FROM reputation_period_totals r JOIN users u ON u.id = r.user_id
    WHERE r.period = ${periodKey(params.period)} AND r.category_id = ${categoryId} AND ${positive}
    ORDER BY ${order}, u.handle
    LIMIT ${LEADERBOARD_SIZE}`;
  const names = await categoryMap(rows.map((r) => r.expert_category_ids));
  const base = params.period === "all" && categoryId === 0 ? STARTING_REPUTATION : 0;
  return {
    category: category ? { slug: category.slug, name: category.name } : null,
    categories: [...names.values()].map((c) => ({ slug: c.slug, name: c.name })).sort((a, b) => a.name.localeCompare(b.name)),
    rows: rows.map((r, i): LeaderboardRow => ({ rank: i + 1, handle: r.handle, displayName: r.display_name, expertIn: expertIn(r.expert_category_ids, names), points: base + r.points, accepted: r.accepted })),
  };
}

/** Every badge with its number of live holders. */
export async function listBadges() {
  const counts = await prisma.$queryRaw<{ badge: string; holders: number }[]>`
    SELECT badge, COUNT(DISTINCT user_id)::int AS holders FROM user_badges WHERE revoked_at IS NULL GROUP BY badge`;
  const byBadge = new Map(counts.map((c) => [c.badge, c.holders]));
  return (Object.keys(BADGES) as BadgeKey[]).map((key) => ({ key, level: BADGES[key].level, holders: byBadge.get(key) ?? 0 }));
}

const HOLDERS_PAGE = 50;

/** The holders of one badge, most recent grant first, keyset-paged by grant id. */
export async function getBadgeHolders(badge: BadgeKey, after?: bigint) {
  const rows = await prisma.$queryRaw<{ id: bigint; granted_at: Date; category_id: number | null; post_id: bigint | null; thread_id: bigint | null; slug: string | null; handle: string; display_name: string; expert_category_ids: number[] }[]>`
    SELECT b.id, b.granted_at, b.category_id, b.post_id, t.id AS thread_id, t.slug, u.handle, u.display_name, u.expert_category_ids
    FROM user_badges b JOIN users u ON u.id = b.user_id
    LEFT JOIN posts p ON p.id = b.post_id LEFT JOIN threads t ON t.id = p.thread_id AND t.deleted_at IS NULL AND t.hidden_at IS NULL
    WHERE b.badge = ${badge} AND b.revoked_at IS NULL ${after ? Prisma.sql`AND b.id < ${after}` : Prisma.empty}
    ORDER BY b.id DESC LIMIT ${HOLDERS_PAGE + 1}`;
  const page = rows.slice(0, HOLDERS_PAGE);
  const map = await categoryMap([...page.map((r) => r.expert_category_ids), page.flatMap((r) => (r.category_id ? [r.category_id] : []))]);
  return {
    holders: page.map((r) => ({
      id: r.id.toString(),
      grantedAt: r.granted_at.toISOString(),
      category: r.category_id ? (map.get(r.category_id) ?? null) : null,
      answerLink: r.post_id && r.thread_id && r.slug ? postPath(`/questions/${r.thread_id}/${r.slug}`, r.post_id) : null,
      user: { handle: r.handle, displayName: r.display_name, expertIn: expertIn(r.expert_category_ids, map) },
    })),
    nextCursor: rows.length > HOLDERS_PAGE ? page[page.length - 1]!.id.toString() : null,
  };
}

const HISTORY_PAGE = 30;

/**
 * A member's reputation page data: the latest ledger entries (a reversal shows the reason of what
 * it undoes) with the post and thread they concern (no link or title for a hidden or deleted thread), answer and accepted-answer counts, recent
 * answers, live badges and expert categories.
 */
export async function getReputationProfile(userId: string, expertCategoryIds: number[]) {
  const [history, counts, answers, badges] = await Promise.all([
    prisma.$queryRaw<{ id: bigint; points: number; reason: string; original: string | null; note: string; created_at: Date; post_id: bigint | null; thread_id: bigint | null; slug: string | null; title: string | null }[]>`
      SELECT e.id, e.points, e.reason, o.reason AS original, e.note, e.created_at, e.post_id, e.thread_id, t.slug, t.title
      FROM reputation_entries e
      LEFT JOIN reputation_entries o ON o.id = e.reverses_id
      LEFT JOIN threads t ON t.id = e.thread_id AND t.deleted_at IS NULL AND t.hidden_at IS NULL
      WHERE e.user_id = ${userId}
      ORDER BY e.created_at DESC, e.id DESC LIMIT ${HISTORY_PAGE}`,
    prisma.$queryRaw<{ answers: number; accepted: number }[]>`
      SELECT
        (SELECT COUNT(*)::int FROM posts p JOIN threads t ON t.id = p.thread_id
          WHERE p.author_id = ${userId} AND p.kind = 'answer' AND p.deleted_at IS NULL AND p.hidden_at IS NULL AND t.deleted_at IS NULL AND t.hidden_at IS NULL) AS answers,
        (SELECT COUNT(*)::int FROM posts p JOIN threads t ON t.accepted_answer_id = p.id
          WHERE p.author_id = ${userId} AND p.kind = 'answer' AND p.deleted_at IS NULL AND t.deleted_at IS NULL AND t.hidden_at IS NULL) AS accepted`,
    prisma.$queryRaw<{ id: bigint; score: number; created_at: Date; thread_id: bigint; slug: string; title: string; accepted: boolean }[]>`
      SELECT p.id, p.score, p.created_at, t.id AS thread_id, t.slug, t.title, (t.accepted_answer_id = p.id) AS accepted
      FROM posts p JOIN threads t ON t.id = p.thread_id
      WHERE p.author_id = ${userId} AND p.kind = 'answer' AND p.deleted_at IS NULL AND p.hidden_at IS NULL AND t.deleted_at IS NULL AND t.hidden_at IS NULL
      ORDER BY p.created_at DESC LIMIT 10`,
    prisma.userBadge.findMany({ where: { userId, revokedAt: null }, orderBy: { grantedAt: "desc" }, select: { badge: true, categoryId: true, postId: true, grantedAt: true } }),
  ]);
  const map = await categoryMap([expertCategoryIds, badges.flatMap((b) => (b.categoryId ? [b.categoryId] : []))]);
  return {
    history: history.map((h) => ({
      id: h.id.toString(),
      points: h.points,
      reason: h.reason.startsWith("undo:") ? (h.original ?? "reversal") : h.reason,
      reversal: h.reason.startsWith("undo:"),
      note: h.note,
      createdAt: h.created_at.toISOString(),
      thread: h.thread_id && h.slug ? { id: h.thread_id.toString(), slug: h.slug, title: h.title ?? "", postId: h.post_id?.toString() ?? null } : null,
    })),
    answerCount: counts[0]?.answers ?? 0,
    acceptedCount: counts[0]?.accepted ?? 0,
    answers: answers.map((a) => ({ id: a.id.toString(), score: a.score, createdAt: a.created_at.toISOString(), thread: { id: a.thread_id.toString(), slug: a.slug, title: a.title }, accepted: a.accepted })),
    badges: badges.map((b) => ({ badge: b.badge, level: BADGES[b.badge as BadgeKey]?.level ?? "bronze", category: b.categoryId ? (map.get(b.categoryId) ?? null) : null, postId: b.postId?.toString() ?? null, grantedAt: b.grantedAt.toISOString() })),
    expertIn: expertIn(expertCategoryIds, map),
  };
}

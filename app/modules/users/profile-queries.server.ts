import { prisma } from "~/utils/db.server.ts";

export type ProfileQuestion = { id: string; slug: string; title: string; answerCount: number; resolved: boolean; createdAt: string };

/**
 * What a profile adds to the reputation page (issue 24): the member's latest visible questions (through the
 * threads' (author_id, created_at) index) and the helpful votes their visible posts received, in one statement.
 */
export async function getProfileActivity(userId: string): Promise<{ questions: ProfileQuestion[]; helpfulVotes: number }> {
  const [row] = await prisma.$queryRaw<{ questions: { id: string; slug: string; title: string; answer_count: number; resolved: boolean; created_at: string }[]; helpful: number }[]>`
    SELECT
      (SELECT coalesce(json_agg(x), '[]'::json) FROM (
        SELECT t.id::text AS id, t.slug, t.title, t.answer_count, t.accepted_answer_id IS NOT NULL AS resolved, t.created_at
        FROM threads t WHERE t.author_id = ${userId} AND t.deleted_at IS NULL AND t.hidden_at IS NULL
        ORDER BY t.created_at DESC LIMIT 10) x) AS questions,
      (SELECT count(*)::int FROM votes v JOIN posts p ON p.id = v.post_id
        WHERE p.author_id = ${userId} AND v.value = 1 AND p.deleted_at IS NULL AND p.hidden_at IS NULL) AS helpful`;
  return {
    questions: row!.questions.map((q) => ({ id: q.id, slug: q.slug, title: q.title, answerCount: q.answer_count, resolved: q.resolved, createdAt: new Date(q.created_at).toISOString() })),
    helpfulVotes: row!.helpful,
  };
}

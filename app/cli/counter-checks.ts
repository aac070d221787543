/**
 * Every cached counter and derived column against the rows it counts, as SQL that returns the number of
 * rows that disagree (0 when all is well). Run after `npm run seed:large` and by the scale-out test
 * (tests/scale-out/run.ts) after its load with killed servers.
 */
export const COUNTER_CHECKS: [string, string][] = [
  ["posts whose score is not the sum of their votes", `SELECT count(*) FROM posts p LEFT JOIN (SELECT post_id, sum(value) AS s FROM votes GROUP BY post_id) v ON v.post_id = p.id WHERE p.score <> coalesce(v.s, 0)`],
  ["threads whose score is not their question's score", `SELECT count(*) FROM threads t LEFT JOIN posts p ON p.id = t.question_post_id WHERE p.id IS NULL OR t.score <> p.score`],
  ["threads whose answer_count is not their number of answers", `SELECT count(*) FROM threads t LEFT JOIN (SELECT thread_id, count(*) AS n FROM posts WHERE kind = 'answer' GROUP BY thread_id) a ON a.thread_id = t.id WHERE t.answer_count <> coalesce(a.n, 0)`],
  ["threads whose view_count is not their number of view rows", `SELECT count(*) FROM threads t LEFT JOIN (SELECT thread_id, count(*) AS n FROM thread_views GROUP BY thread_id) v ON v.thread_id = t.id WHERE t.view_count <> coalesce(v.n, 0)`],
  ["tags whose thread_count is not their number of listed threads (ADR 045)", `SELECT count(*) FROM tags g LEFT JOIN (SELECT tt.tag_id, count(*) AS n FROM thread_tags tt JOIN threads t ON t.id = tt.thread_id WHERE t.hidden_at IS NULL AND t.deleted_at IS NULL AND t.unlisted_at IS NULL AND t.merged_into_id IS NULL GROUP BY tt.tag_id) c ON c.tag_id = g.id WHERE g.thread_count <> coalesce(c.n, 0)`],
  ["accepted answers that are not an answer of their own thread", `SELECT count(*) FROM threads t JOIN posts p ON p.id = t.accepted_answer_id WHERE p.thread_id <> t.id OR p.kind <> 'answer'`],
  ["threads with an accepted answer but no resolved_at, or the reverse", `SELECT count(*) FROM threads WHERE (accepted_answer_id IS NULL) <> (resolved_at IS NULL)`],
  ["votes on the voter's own post", `SELECT count(*) FROM votes v JOIN posts p ON p.id = v.post_id WHERE v.user_id = p.author_id`],
  ["posts without revision 1", `SELECT count(*) FROM posts p WHERE NOT EXISTS (SELECT 1 FROM post_revisions r WHERE r.post_id = p.id AND r.revision = 1)`],
  ["threads whose first_answer_at is not their first answer's time", `SELECT count(*) FROM threads t LEFT JOIN (SELECT thread_id, min(created_at) AS m FROM posts WHERE kind = 'answer' GROUP BY thread_id) a ON a.thread_id = t.id WHERE t.first_answer_at IS DISTINCT FROM a.m`],
  ["threads whose last_activity_at is before an answer, comment or acceptance", `SELECT count(*) FROM threads t WHERE t.last_activity_at < GREATEST(t.created_at, t.resolved_at, (SELECT max(created_at) FROM posts p WHERE p.thread_id = t.id), (SELECT max(created_at) FROM comments c WHERE c.thread_id = t.id))`],
  ["rows dated in the future", `SELECT (SELECT count(*) FROM posts WHERE created_at > now()) + (SELECT count(*) FROM votes WHERE created_at > now()) + (SELECT count(*) FROM thread_views WHERE viewed_at > now()) + (SELECT count(*) FROM comments WHERE created_at > now())`],
];

import { canManageArticles } from "~/modules/kb/kb.policy.ts";
import { canModerate } from "~/modules/questions/questions.policy.ts";
import type { Actor } from "~/modules/users/roles.ts";
import { prisma } from "~/utils/db.server.ts";
import { getStorage } from "~/utils/storage.server.ts";

export type ReadUpload = { bytes: Buffer; contentType: string; public: boolean } | null;

/** Every stored key is 24 base64url characters and an extension (upload-image.server.ts); nothing else is looked up. */
const UPLOAD_KEY = /^[A-Za-z0-9_-]{1,64}\.[a-z]{3,4}$/;

/**
 * An uploaded image, if `viewer` may see it (issue 16, item 4, ADR 045): images follow the content
 * that shows them. Everyone sees an image that a visible post (in a visible thread) or a published
 * article shows, and a member's current profile picture (ADR 052); its uploader sees it always (the editor's preview, a draft); moderators, staff and
 * admins see every image, as they see hidden posts and drafts. Anyone else gets null (404), whether
 * the image is unknown, only in hidden or deleted content, or not used yet: a random key is not a
 * permission. `public` says whether a shared cache may keep the answer (a public image) or only the
 * viewer's own browser.
 */
export async function readUpload(viewer: (Actor & { reputation?: number }) | null, key: string): Promise<ReadUpload> {
  if (!UPLOAD_KEY.test(key)) return null;
  const [row] = await prisma.$queryRaw<{ owner_id: string; shown: boolean }[]>`
    SELECT u.owner_id,
           EXISTS (SELECT 1 FROM upload_refs r
                   JOIN posts p ON p.id = r.post_id JOIN threads t ON t.id = p.thread_id
                   WHERE r.upload_id = u.id AND p.hidden_at IS NULL AND p.deleted_at IS NULL AND t.hidden_at IS NULL AND t.deleted_at IS NULL)
           OR EXISTS (SELECT 1 FROM upload_refs r JOIN articles a ON a.id = r.article_id
                      WHERE r.upload_id = u.id AND a.status = 'published')
           OR EXISTS (SELECT 1 FROM users m WHERE m.avatar_key = u.id) AS shown
    FROM uploads u WHERE u.id = ${key}`;
  if (!row) return null;
  const mayRead = row.shown || (viewer != null && (viewer.id === row.owner_id || canModerate({ reputation: 0, ...viewer }) || canManageArticles(viewer)));
  if (!mayRead) return null;
  const found = await getStorage().get(key);
  return found ? { ...found, public: row.shown } : null;
}

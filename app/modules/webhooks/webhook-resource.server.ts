import { presentThread } from "~/modules/api/present.server.ts";
import { siteOrigin } from "~/modules/seo/site.server.ts";
import { getPublicProfile } from "~/modules/users/users-queries.server.ts";
import { prisma } from "~/utils/db.server.ts";

type Subject = { subjectType: string; subjectId: string };

/**
 * The resource a delivery carries (ADR 064): as the JSON API shows it to a visitor where the API has a
 * form for it (threads with their posts: present.server.ts; users: the public profile of
 * /api/v1/users/{handle}), else a small JSON of the subject. Hidden or deleted content, and anything
 * gone, is reduced to its kind and id: a webhook never shows more than a visitor sees.
 */
export async function webhookResource({ subjectType, subjectId }: Subject): Promise<Record<string, unknown>> {
  const origin = siteOrigin();
  const bare = { object: subjectType, id: subjectId };
  if (!/^[\w-]{1,64}$/.test(subjectId)) return bare;
  switch (subjectType) {
    case "thread": {
      const thread = await presentThread(origin, BigInt(subjectId), null);
      return thread ? { object: "thread", ...thread } : bare;
    }
    case "post": {
      if (!/^\d+$/.test(subjectId)) return bare;
      const post = await prisma.post.findUnique({ where: { id: BigInt(subjectId) }, select: { threadId: true, kind: true } });
      if (!post) return bare;
      const thread = await presentThread(origin, post.threadId, null, post.kind === "answer" ? { answerId: BigInt(subjectId) } : {});
      const visible = thread && (thread.question.id === subjectId || thread.answers.some((a) => a.id === subjectId));
      return visible ? { object: "post", id: subjectId, kind: post.kind, threadId: post.threadId.toString(), thread } : bare;
    }
    case "user": {
      const user = await prisma.user.findUnique({ where: { id: subjectId }, select: { handle: true, status: true } });
      const profile = user && user.status === "active" ? await getPublicProfile(user.handle) : null;
      if (!profile) return bare;
      return {
        object: "user", id: subjectId, handle: profile.handle, displayName: profile.displayName, bio: profile.bio, reputation: profile.reputation,
        memberSince: profile.joinedAt, url: `${origin}/u/${encodeURIComponent(profile.handle)}`,
      };
    }
    case "category": {
      if (!/^\d+$/.test(subjectId)) return bare;
      const category = await prisma.category.findUnique({ where: { id: Number(subjectId) }, select: { name: true, slug: true, description: true, archivedAt: true } });
      return category ? { object: "category", id: subjectId, name: category.name, slug: category.slug, description: category.description, archived: category.archivedAt !== null } : bare;
    }
    case "article": {
      if (!/^\d+$/.test(subjectId)) return bare;
      const article = await prisma.article.findUnique({ where: { id: BigInt(subjectId) }, select: { title: true, status: true } });
      if (!article) return bare;
      return { object: "article", id: subjectId, status: article.status, ...(article.status === "published" ? { title: article.title, url: `${origin}/kb/${subjectId}` } : {}) };
    }
    default:
      return bare;
  }
}

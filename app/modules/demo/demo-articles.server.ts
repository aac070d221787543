import { textToDoc } from "~/modules/content/rich-text.ts";
import { publishArticle } from "~/modules/kb/change-article-status.server.ts";
import { createArticle } from "~/modules/kb/create-article.server.ts";
import { promoteThreads } from "~/modules/kb/promote-threads.server.ts";
import { refreshRecurringTopics } from "~/modules/kb/recurring-topics.server.ts";

/**
 * Demo knowledge base: one article promoted from the resolved CSV thread, one written by staff,
 * both published through the use cases, then the recurring-topics reports computed once so the
 * report has something to show before the hourly job runs.
 */
export async function seedDemoArticles(staffId: string, threadId: (title: string) => bigint, categoryId: (slug: string) => number): Promise<void> {
  const promoted = await promoteThreads(staffId, { threadIds: [threadId("How do I download all my invoices as a CSV file?").toString()] });
  if (!promoted.ok) throw new Error(`Demo seed: promotion failed: ${JSON.stringify(promoted)}`);
  await publishArticle(staffId, promoted.value.articleId);
  const written = await createArticle(staffId, {
    title: "Set up two-factor authentication and keep your recovery codes",
    categoryId: categoryId("account"),
    tags: "2fa, sign-in",
    body: JSON.stringify(
      textToDoc(
        "Two-factor authentication asks for a code from your phone after your password.\n\nTurn it on in Account → Security → Two-factor authentication, scan the QR code with an authenticator app and type the code it shows.\n\nDownload your recovery codes and keep them somewhere safe: each one lets you sign in once if you lose your phone. Without them, only support can reset two-factor authentication after checking your identity.",
      ),
    ),
  });
  if (!written.ok) throw new Error(`Demo seed: article failed: ${JSON.stringify(written)}`);
  await publishArticle(staffId, written.value.articleId);
  await refreshRecurringTopics();
}

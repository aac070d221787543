import { requireUser, type CurrentUser } from "~/modules/users/sessions.server.ts";
import { invariantResponse } from "~/utils/http.server.ts";
import { canManageArticles } from "./kb.policy.ts";

/** Loaders of staff pages: sign in first, then 403 for anyone who does not manage articles. */
export async function requireArticleManager(request: Request): Promise<CurrentUser> {
  const user = await requireUser(request);
  invariantResponse(canManageArticles(user), "messages.kb.pageForbidden", 403);
  return user;
}

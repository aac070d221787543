import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { apiEndpoint } from "~/modules/api/api-http.server.ts";
import { AskBody, ListQuestionsQuery } from "~/modules/api/api.schema.ts";
import { presentListItem, threadUrl } from "~/modules/api/present.server.ts";
import { askQuestion } from "~/modules/questions/ask-question.server.ts";
import { decodeCursor, findCategoryBySlug, findTagByName, listThreads } from "~/modules/questions/questions-queries.server.ts";
import { invalid, ok } from "~/utils/http.server.ts";

/** GET /api/v1/questions: the question list with the page's filters and keyset cursor. */
export function loader({ request, params }: LoaderFunctionArgs) {
  return apiEndpoint(request, params, { needs: "read", query: ListQuestionsQuery }, async ({ principal, query, origin }) => {
    // A cursor this server never made is refused, not read as the first page (a client would loop).
    if (query.cursor && !decodeCursor(query.cursor)) return invalid({ cursor: ["messages.api.badCursor"] });
    const category = query.category ? await findCategoryBySlug(query.category) : null;
    const tag = query.tag ? await findTagByName(query.tag) : null;
    if ((query.category && !category) || (query.tag && !tag)) return ok({ items: [], nextCursor: null });
    const page = await listThreads({ filter: query.filter, sort: query.sort, categoryId: category?.id, tagId: tag?.id, viewerId: principal?.member.id ?? null, cursor: query.cursor });
    return ok({ items: page.items.map((item) => presentListItem(origin, item)), nextCursor: page.nextCursor });
  });
}

/** POST /api/v1/questions: ask (write scope), as the ask form does. */
export function action({ request, params }: ActionFunctionArgs) {
  return apiEndpoint(request, params, { needs: "write", body: AskBody }, async ({ principal, body, submission, origin }) => {
    const input = { ...body, categoryId: String(body.categoryId), body: typeof body.body === "object" ? JSON.stringify(body.body) : body.body };
    const result = await askQuestion(principal!.member.id, input, submission);
    if (!result.ok) return result;
    return { ok: true, status: 201, value: { id: result.value.threadId.toString(), url: threadUrl(origin, result.value.threadId, result.value.slug) } };
  });
}

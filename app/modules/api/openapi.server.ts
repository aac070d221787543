import { OpenAPIRegistry, OpenApiGeneratorV31 } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import { AcceptBody, AnswerBody, AskBody, CommentBody, Created, HandleParam, IdParam, ListQuestionsQuery, Problem, Profile, Question, QuestionList, SearchQuery, SearchResults, VoteBody, VoteResult } from "./api.schema.ts";

/**
 * The OpenAPI 3.1 document of /api/v1, generated from the same Zod schemas that validate the requests
 * (api.schema.ts). `API_OPERATIONS` is also what the route test checks every api.v1 route file against, so a
 * route cannot exist without its documentation, nor the other way round.
 */
type Operation = { method: "get" | "post"; path: string; summary: string; needs: "read" | "write"; params?: z.AnyZodObject; query?: z.AnyZodObject; body?: z.ZodTypeAny; response: z.ZodTypeAny; status?: number };

export const API_OPERATIONS: Operation[] = [
  { method: "get", path: "/questions", summary: "List questions (filters, sort, keyset cursor)", needs: "read", query: ListQuestionsQuery, response: QuestionList },
  { method: "post", path: "/questions", summary: "Ask a question", needs: "write", body: AskBody, response: Created, status: 201 },
  { method: "get", path: "/questions/{id}", summary: "A question with its answers and comments", needs: "read", params: IdParam, response: Question },
  { method: "post", path: "/questions/{id}/answers", summary: "Answer a question", needs: "write", params: IdParam, body: AnswerBody, response: Created, status: 201 },
  { method: "post", path: "/questions/{id}/accept", summary: "Accept an answer (the asker or a moderator)", needs: "write", params: IdParam, body: AcceptBody, response: z.object({ acceptedAnswerId: z.string() }) },
  { method: "post", path: "/posts/{id}/comments", summary: "Comment on a question or an answer", needs: "write", params: IdParam, body: CommentBody, response: Created, status: 201 },
  { method: "post", path: "/posts/{id}/votes", summary: "Vote on a post (1, -1, or 0 to take the vote back)", needs: "write", params: IdParam, body: VoteBody, response: VoteResult },
  { method: "get", path: "/search", summary: "Search threads and articles", needs: "read", query: SearchQuery, response: SearchResults },
  { method: "get", path: "/users/{handle}", summary: "A member's public profile", needs: "read", params: HandleParam, response: Profile },
];

const problemResponse = (description: string) => ({ description, content: { "application/problem+json": { schema: Problem } } });

let cached: object | null = null;

export function openApiDocument(): object {
  if (cached) return cached;
  const registry = new OpenAPIRegistry();
  registry.register("Problem", Problem);
  const bearer = registry.registerComponent("securitySchemes", "apiKey", { type: "http", scheme: "bearer", description: "A personal or site API key (tw_…), made on /account" });
  for (const op of API_OPERATIONS) {
    registry.registerPath({
      method: op.method,
      path: `/api/v1${op.path}`,
      summary: op.summary,
      description: op.needs === "write" ? "Needs a key with the write scope. Send `Idempotency-Key` to make a retry safe." : "Works without a key (public data, limited per address); with a key, as its member.",
      security: op.needs === "write" ? [{ [bearer.name]: [] }] : [{}, { [bearer.name]: [] }],
      request: {
        ...(op.params ? { params: op.params } : {}),
        ...(op.query ? { query: op.query } : {}),
        ...(op.body ? { body: { required: true, content: { "application/json": { schema: op.body } } } } : {}),
        ...(op.method === "post" ? { headers: z.object({ "Idempotency-Key": z.string().max(255).optional() }) } : {}),
      },
      responses: {
        [op.status ?? 200]: { description: "OK", content: { "application/json": { schema: op.response } } },
        400: problemResponse("Invalid input, with field errors"),
        401: problemResponse("No key, or a key that does not work"),
        403: problemResponse("Not allowed (scope or permission)"),
        404: problemResponse("Not found"),
        ...(op.method === "post" ? { 409: problemResponse("Idempotency-Key reused with another body, or a conflict"), 415: problemResponse("The body is not JSON") } : {}),
        429: problemResponse("Rate limited (see RateLimit and Retry-After)"),
      },
    });
  }
  cached = new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: "3.1.0",
    info: { title: "Threadwise API", version: "1", description: "The community's questions, answers, search and profiles. Errors are RFC 9457 problem details." },
    servers: [{ url: "/" }],
  });
  return cached;
}

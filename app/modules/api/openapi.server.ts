import { OpenAPIRegistry, OpenApiGeneratorV31 } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import {
  Article, ArticleList, ArticleStatusBody, ArticleStatusResult, AssignTicketBody, Dashboard, DashboardQuery, ListArticlesQuery, ListTicketsQuery, SolveTicketBody, Ticket, TicketList,
  TicketMessageBody, TicketPriorityBody, TicketStatusBody, PublishReplyBody, PublishedReply,
} from "./api-kb-support.schema.ts";
import { AcceptBody, AnswerBody, AskBody, CommentBody, Created, HandleParam, IdParam, ListQuestionsQuery, Problem, Profile, Question, QuestionList, QuestionQuery, SearchQuery, SearchResults, VoteBody, VoteResult } from "./api.schema.ts";

/**
 * The OpenAPI 3.1 document of /api/v1, generated from the same Zod schemas that validate the requests
 * (api.schema.ts). `API_OPERATIONS` is also what the route test checks every api.v1 route file against, so a
 * route cannot exist without its documentation, nor the other way round.
 */
type Operation = {
  method: "get" | "post"; path: string; summary: string; needs: "read" | "write";
  /** Who may call it beyond the scope, as its page decides (the use case answers 403 to anyone else). */
  who?: string;
  /** A read that needs a key (401 without one). */
  keyRequired?: boolean;
  params?: z.AnyZodObject; query?: z.AnyZodObject; body?: z.ZodTypeAny; response: z.ZodTypeAny; status?: number };

export const API_OPERATIONS: Operation[] = [
  { method: "get", path: "/questions", summary: "List questions (filters, sort, keyset cursor)", needs: "read", query: ListQuestionsQuery, response: QuestionList },
  { method: "post", path: "/questions", summary: "Ask a question", needs: "write", body: AskBody, response: Created, status: 201 },
  { method: "get", path: "/questions/{id}", summary: "A question with a page of its answers (100 a page) and their comments", needs: "read", params: IdParam, query: QuestionQuery, response: Question },
  { method: "post", path: "/questions/{id}/answers", summary: "Answer a question", needs: "write", params: IdParam, body: AnswerBody, response: Created, status: 201 },
  { method: "post", path: "/questions/{id}/accept", summary: "Accept an answer (the asker or a moderator)", needs: "write", params: IdParam, body: AcceptBody, response: z.object({ acceptedAnswerId: z.string() }) },
  { method: "post", path: "/posts/{id}/comments", summary: "Comment on a question or an answer", needs: "write", params: IdParam, body: CommentBody, response: Created, status: 201 },
  { method: "post", path: "/posts/{id}/votes", summary: "Vote on a post (1, -1, or 0 to take the vote back)", needs: "write", params: IdParam, body: VoteBody, response: VoteResult },
  { method: "get", path: "/search", summary: "Search threads and articles", needs: "read", query: SearchQuery, response: SearchResults },
  { method: "get", path: "/users/{handle}", summary: "A member's public profile", needs: "read", params: HandleParam, response: Profile },
  { method: "get", path: "/articles", summary: "Knowledge-base articles, most recently updated first (keyset cursor)", needs: "read", who: "Published articles: anyone. Drafts, archived, all: staff and moderators", query: ListArticlesQuery, response: ArticleList },
  { method: "get", path: "/articles/{id}", summary: "An article (a draft or archived one is 404 to anyone who may not read it)", needs: "read", params: IdParam, response: Article },
  { method: "post", path: "/articles/{id}/status", summary: "Publish or archive an article", needs: "write", who: "Staff and moderators", params: IdParam, body: ArticleStatusBody, response: ArticleStatusResult },
  { method: "get", path: "/dashboard", summary: "The dashboard's figures, series and escalation metrics for a date range", needs: "read", keyRequired: true, who: "Staff and admins", query: DashboardQuery, response: Dashboard },
  { method: "get", path: "/tickets", summary: "The ticket queue, waiting longest first (filters, keyset cursor)", needs: "read", keyRequired: true, who: "Staff and admins", query: ListTicketsQuery, response: TicketList },
  { method: "get", path: "/tickets/{id}", summary: "A ticket with its messages; for staff also internal notes and the customer's journey", needs: "read", keyRequired: true, who: "Its customer, staff and admins (anyone else: 404)", params: IdParam, response: Ticket },
  { method: "post", path: "/tickets/{id}/messages", summary: "Reply to the customer, add an internal note, or (the customer) reply", needs: "write", who: "reply, note: staff and admins; customer: the ticket's customer", params: IdParam, body: TicketMessageBody, response: Created, status: 201 },
  { method: "post", path: "/tickets/{id}/assign", summary: "Assign a ticket (null unassigns)", needs: "write", who: "Staff and admins", params: IdParam, body: AssignTicketBody, response: z.object({ assigneeId: z.string().nullable() }) },
  { method: "post", path: "/tickets/{id}/status", summary: "Change a ticket's status", needs: "write", who: "Staff and admins", params: IdParam, body: TicketStatusBody, response: z.object({ status: z.string() }) },
  { method: "post", path: "/tickets/{id}/priority", summary: "Change a ticket's priority", needs: "write", who: "Staff and admins", params: IdParam, body: TicketPriorityBody, response: z.object({ priority: z.string() }) },
  { method: "post", path: "/tickets/{id}/publish", summary: "Publish a staff reply as an answer in the public thread (once per reply)", needs: "write", who: "Staff and admins", params: IdParam, body: PublishReplyBody, response: PublishedReply },
  { method: "post", path: "/tickets/{id}/solve", summary: "Solve a ticket with its outcome", needs: "write", who: "Staff and admins", params: IdParam, body: SolveTicketBody, response: z.object({ outcome: z.string() }) },
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
      description: [
        op.needs === "write" ? "Needs a key with the write scope. Send `Idempotency-Key` to make a retry safe." : op.keyRequired ? "Needs a key." : "Works without a key (public data, limited per address); with a key, as its member.",
        op.who ? `Allowed: ${op.who}.` : "",
      ].filter(Boolean).join(" "),
      security: op.needs === "write" || op.keyRequired ? [{ [bearer.name]: [] }] : [{}, { [bearer.name]: [] }],
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
    info: { title: "Threadwise API", version: "1", description: "The community's questions, answers, search, profiles and knowledge base, and for staff the dashboard and tickets. Errors are RFC 9457 problem details." },
    servers: [{ url: "/" }],
  });
  return cached;
}

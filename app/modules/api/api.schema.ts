import { extendZodWithOpenApi } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import { FILTERS, SORTS } from "~/modules/questions/questions.schema.ts";

// The API's contracts (issue 22, ADR 063). The OpenAPI document is generated from these schemas
// (app/modules/api/openapi.server.ts), and every request is validated by them before its use case
// validates it again with the domain's rules: the document cannot drift from what the server accepts.
extendZodWithOpenApi(z);

const Id = z.string().regex(/^[1-9]\d{0,17}$/, "Give an id (digits)").openapi({ example: "42" });

export const Problem = z
  .object({
    type: z.string().openapi({ example: "/api/v1/problems#invalid" }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    errors: z.record(z.array(z.string())).optional().openapi({ description: "Field errors, on 400" }),
  })
  .openapi("Problem", { description: "RFC 9457 problem details (application/problem+json)" });

const Person = z.object({ handle: z.string(), displayName: z.string(), url: z.string() }).openapi("Person");

export const QuestionListItem = z
  .object({
    id: z.string(), title: z.string(), url: z.string(), score: z.number().int(), answerCount: z.number().int(), viewCount: z.number().int(),
    resolved: z.boolean(), createdAt: z.string().datetime(), lastActivityAt: z.string().datetime(),
    category: z.object({ slug: z.string(), name: z.string() }), tags: z.array(z.string()), author: Person,
  })
  .openapi("QuestionListItem");

export const QuestionList = z.object({ items: z.array(QuestionListItem), nextCursor: z.string().nullable() }).openapi("QuestionList");

export const ListQuestionsQuery = z.object({
  filter: z.enum(FILTERS).default("all"),
  sort: z.enum(SORTS).default("newest"),
  category: z.string().max(80).optional().openapi({ description: "A category's slug" }),
  tag: z.string().max(60).optional(),
  cursor: z.string().max(200).optional().openapi({ description: "nextCursor of the previous page" }),
});

const Comment = z.object({ id: z.string(), body: z.string(), createdAt: z.string().datetime(), author: Person }).openapi("Comment");
const Post = z
  .object({ id: z.string(), bodyHtml: z.string(), score: z.number().int(), byStaff: z.boolean(), createdAt: z.string().datetime(), updatedAt: z.string().datetime(), author: Person, comments: z.array(Comment) })
  .openapi("Post");
const Answer = Post.extend({ accepted: z.boolean(), url: z.string() }).openapi("Answer");

export const Question = z
  .object({
    id: z.string(), title: z.string(), url: z.string(), score: z.number().int(), answerCount: z.number().int(), viewCount: z.number().int(),
    resolved: z.boolean(), acceptedAnswerId: z.string().nullable(), createdAt: z.string().datetime(), lastActivityAt: z.string().datetime(),
    category: z.object({ slug: z.string(), name: z.string() }), tags: z.array(z.string()),
    question: Post, answers: z.array(Answer),
    answersPage: z
      .object({ page: z.number().int(), pageCount: z.number().int(), perPage: z.number().int(), total: z.number().int(), next: z.string().nullable() })
      .openapi({ description: "Which answers `answers` holds: accepted first, then by score, then oldest first; `next` is the next page's address" }),
  })
  .openapi("Question");

/** Answers per page of GET /questions/{id}: a thread of 2,000 answers is read a page at a time (issue 25). */
export const API_ANSWERS_PER_PAGE = 100;
export const QuestionQuery = z.object({
  page: z.coerce.number().int().min(1).max(100_000).default(1).openapi({ description: `A page of ${API_ANSWERS_PER_PAGE} answers` }),
});

/** A rich-text body: the editor's Tiptap JSON (an object or its JSON text), or plain text in bodyText. */
const Body = z.union([z.record(z.unknown()), z.string().max(1_000_000)]).optional().openapi({ description: "Tiptap JSON document" });

export const AskBody = z
  .object({
    title: z.string().max(2_000),
    categoryId: z.union([z.number().int(), z.string().max(20)]),
    tags: z.union([z.array(z.string().max(200)).max(20), z.string().max(2_000)]).optional(),
    body: Body,
    bodyText: z.string().max(1_000_000).optional(),
  })
  .openapi("AskQuestion");
export const AnswerBody = z.object({ body: Body, bodyText: z.string().max(1_000_000).optional() }).openapi("PostAnswer");
export const CommentBody = z.object({ body: z.string().max(10_000) }).openapi("AddComment");
export const VoteBody = z.object({ value: z.union([z.literal(1), z.literal(0), z.literal(-1)]) }).openapi("CastVote");
export const AcceptBody = z.object({ answerId: Id }).openapi("AcceptAnswer");

export const Created = z.object({ id: z.string(), url: z.string() }).openapi("Created");
export const VoteResult = z.object({ postId: z.string(), value: z.number().int(), score: z.number().int() }).openapi("VoteResult");

export const SearchQuery = z.object({
  q: z.string().max(500),
  type: z.enum(["thread", "article"]).optional(),
  page: z.coerce.number().int().min(1).max(100).default(1),
});
export const SearchResults = z
  .object({ status: z.enum(["ok", "warming", "empty"]), total: z.number().int(), page: z.number().int(), pageCount: z.number().int(), items: z.array(z.object({ type: z.enum(["thread", "article"]), id: z.string(), title: z.string(), url: z.string(), snippet: z.string() })) })
  .openapi("SearchResults");

export const Profile = z
  .object({ handle: z.string(), displayName: z.string(), bio: z.string(), reputation: z.number().int(), memberSince: z.string().datetime(), url: z.string() })
  .openapi("Profile");

export const IdParam = z.object({ id: Id });
export const HandleParam = z.object({ handle: z.string().max(40) });

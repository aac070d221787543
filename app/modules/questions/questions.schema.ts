import { z } from "zod";
import { atLeastParams, hasLength } from "~/modules/content/text-length.ts";
import { boundedString, boundedStrings, bytesForChars, MAX_DOC_BYTES } from "~/modules/content/text-limits.ts";
import { plainText, typedText } from "~/modules/content/plain-text.schema.ts";
import { msg } from "~/utils/messages.ts";

/** Form contracts of the Q&A core, shared by browser and server. */
export const FILTERS = ["all", "unanswered", "unresolved", "resolved", "mine"] as const;
export const SORTS = ["newest", "active", "votes"] as const;
export type ListFilter = (typeof FILTERS)[number];
export type ListSort = (typeof SORTS)[number];

/** The question list's query: anything unknown falls back to the default, so an old or mistyped link still shows a list. */
export const ListParams = z.object({
  filter: z.enum(FILTERS).catch("all").default("all"),
  sort: z.enum(SORTS).catch("newest").default("newest"),
});

/** One row of a question list, as loaders send it and the list component shows it. */
export type ThreadListItem = {
  id: string;
  slug: string;
  title: string;
  /** The title's language, for `lang` when it differs from the page's (ADR 055). */
  lang?: string;
  score: number;
  answerCount: number;
  viewCount: number;
  resolved: boolean;
  createdAt: string;
  lastActivityAt: string;
  category: { slug: string; name: string };
  tags: string[];
  author: { handle: string; displayName: string; expertIn?: { slug: string; name: string }[] };
  /** Pinned at the top of this list (issue 19, ADR 048). */
  pinned?: boolean;
};

/** Minimum lengths are measured by textLength() (ADR 036): a Chinese character counts 3. */
export const TITLE_MIN = 15;
export const TITLE_MAX = 150;
export const MAX_TAGS = 5;
export const COMMENT_MIN = 2;
export const COMMENT_MAX = 600;

export const TagName = plainText()
  .transform((tag) => tag.toLowerCase().normalize("NFC"))
  .pipe(
    z
      .string()
      .max(30, "messages.questions.tagLong")
      .regex(/^[\p{L}\p{N}][\p{L}\p{N}.+#-]*$/u, "messages.questions.tagChars")
      .refine(hasLength(2), msg("messages.questions.tagShort", atLeastParams(2))),
  );

/** Tags arrive as one comma- or space-separated field (the no-JS form) or as repeated fields. */
export const TagList = boundedStrings(bytesForChars(MAX_TAGS * 31), msg("messages.questions.tagsBytes", { count: MAX_TAGS }))
  .transform((v) => (Array.isArray(v) ? v : v.split(/[,\s]+/)).map((t) => t.trim()).filter(Boolean))
  .pipe(
    z
      .array(TagName)
      .min(1, "messages.questions.tagRequired")
      .max(MAX_TAGS, msg("messages.questions.tagsMax", { count: MAX_TAGS }))
      .transform((tags) => [...new Set(tags)]),
  );

/** The plain-text fallback of the rich-text editor (no JavaScript): multi-line, checked like any typed text. */
export function BodyText(tooLong: string, max = 60_000) {
  return typedText(MAX_DOC_BYTES, tooLong, { multiline: true }).pipe(z.string().max(max, tooLong)).optional();
}

/** The optional reason given with an edit. */
export const Reason = typedText(bytesForChars(200), "messages.common.reason200").pipe(z.string().max(200, "messages.common.reason200")).default("");

/** A question's or an article's title, category and tags: the same rules for both. */
export const TitledFields = {
  title: typedText(bytesForChars(TITLE_MAX), msg("messages.questions.titleTooLong", { count: TITLE_MAX }), { required: "messages.questions.titleRequired" }).pipe(
    z
      .string()
      .max(TITLE_MAX, msg("messages.questions.titleTooLong", { count: TITLE_MAX }))
      .refine(hasLength(TITLE_MIN), msg("messages.questions.titleTooShort", atLeastParams(TITLE_MIN))),
  ),
  categoryId: z.coerce.number({ invalid_type_error: "messages.common.chooseACategory" }).int().positive("messages.common.chooseACategory"),
  tags: TagList,
};

/**
 * A post body: the editor's Tiptap JSON, or plain text from the no-JavaScript fallback. Either is
 * capped at the stored document's size (MAX_DOC_BYTES) before it is parsed; the characters of
 * visible text are counted later (prepareBody).
 */
export const PostBody = (message: string, maxChars = 60_000) => ({
  body: boundedString(MAX_DOC_BYTES, message).optional(),
  bodyText: BodyText(message, maxChars),
});

export const AskSchema = z.object({
  ...TitledFields,
  ...PostBody("messages.content.postTooLong"),
});

export const AnswerSchema = z.object(PostBody("messages.questions.answerTooLong"));

export const EditSchema = z.object({
  title: TitledFields.title.optional(),
  ...PostBody("messages.content.postTooLong"),
  reason: Reason,
});

export const CommentSchema = z.object({
  body: typedText(bytesForChars(COMMENT_MAX), msg("messages.questions.commentTooLong", { count: COMMENT_MAX }), { multiline: true, required: "messages.questions.commentRequired" }).pipe(
    z
      .string()
      .max(COMMENT_MAX, msg("messages.questions.commentTooLong", { count: COMMENT_MAX }))
      .refine(hasLength(COMMENT_MIN), "messages.questions.commentRequired"),
  ),
});

export const VoteSchema = z.object({
  value: z.coerce.number().int().refine((v) => v === 1 || v === -1 || v === 0, "messages.questions.vote"),
});

/** Ids in URLs and forms are decimal strings (BigInt in the database). */
export const IdParam = z
  .string()
  .regex(/^[1-9]\d{0,17}$/, "messages.common.badId")
  .transform((v) => BigInt(v));

/**
 * A readable URL slug from a title in any script. Letters, digits and combining marks stay (Chinese,
 * Arabic, Thai and Japanese slugs read as the title does; the Location header percent-encodes them,
 * `headerSafeUrl`); Latin letters lose their diacritics so Romanian slugs stay ASCII ("ș" → "s");
 * everything else (spaces, punctuation, emoji, bidi controls) becomes single dashes. At most
 * `maxLength` code points, so a character outside the BMP is never cut in half.
 */
export function slugify(title: string, maxLength = 80, fallback = "question"): string {
  const folded = title
    .normalize("NFKD")
    .toLowerCase()
    .replace(/(\p{sc=Latin})\p{M}+/gu, "$1")
    .normalize("NFC")
    .replace(/[^\p{L}\p{N}\p{M}]+/gu, "-")
    .replace(/^[-\p{M}]+|-+$/gu, "");
  const slug = Array.from(folded).slice(0, maxLength).join("").replace(/-+$/g, "");
  return slug || fallback;
}

/**
 * The fixed child paths of a thread (`/questions/<id>/view`, …: app/routes/questions.$id.<name>.tsx),
 * which a slug must never equal: the fixed route would win and the thread's page could not be reached.
 * `questions.schema.test.ts` fails when a route is added here without being listed.
 */
export const RESERVED_THREAD_SLUGS: ReadonlySet<string> = new Set(["view", "state", "resolution"]);

/** A thread's slug: slugify(title), with "-question" after a slug that is one of the thread's fixed paths. */
export function threadSlug(title: string): string {
  const slug = slugify(title);
  return RESERVED_THREAD_SLUGS.has(slug) ? `${slug}-question` : slug;
}

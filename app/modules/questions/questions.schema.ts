import { z } from "zod";
import { plainText } from "~/modules/content/plain-text.schema.ts";

/** Form contracts of the Q&A core, shared by browser and server. */
export const FILTERS = ["all", "unanswered", "unresolved", "resolved", "mine"] as const;
export const SORTS = ["newest", "active", "votes"] as const;
export type ListFilter = (typeof FILTERS)[number];
export type ListSort = (typeof SORTS)[number];

/** One row of a question list, as loaders send it and the list component shows it. */
export type ThreadListItem = {
  id: string;
  slug: string;
  title: string;
  score: number;
  answerCount: number;
  viewCount: number;
  resolved: boolean;
  createdAt: string;
  lastActivityAt: string;
  category: { slug: string; name: string };
  tags: string[];
  author: { handle: string; displayName: string; expertIn?: { slug: string; name: string }[] };
};

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
      .min(2, "A tag has at least 2 characters")
      .max(30, "A tag has at most 30 characters")
      .regex(/^[\p{L}\p{N}][\p{L}\p{N}.+#-]*$/u, "Tags use letters, digits and - . + #"),
  );

/** Tags arrive as one comma- or space-separated field (the no-JS form) or as repeated fields. */
export const TagList = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (Array.isArray(v) ? v : v.split(/[,\s]+/)).map((t) => t.trim()).filter(Boolean))
  .pipe(
    z
      .array(TagName)
      .min(1, "Add at least one tag")
      .max(MAX_TAGS, `Use at most ${MAX_TAGS} tags`)
      .transform((tags) => [...new Set(tags)]),
  );

/** The plain-text fallback of the rich-text editor (no JavaScript): multi-line, checked like any typed text. */
export function BodyText(tooLong: string, max = 60_000) {
  return plainText({ multiline: true }).pipe(z.string().max(max, tooLong)).optional();
}

/** The optional reason given with an edit. */
export const Reason = plainText().pipe(z.string().max(200, "Keep the reason under 200 characters")).default("");

/** A question's or an article's title, category and tags: the same rules for both. */
export const TitledFields = {
  title: plainText({ required: "Write a title" }).pipe(
    z
      .string()
      .min(TITLE_MIN, `The title needs at least ${TITLE_MIN} characters`)
      .max(TITLE_MAX, `The title can have at most ${TITLE_MAX} characters`),
  ),
  categoryId: z.coerce.number({ invalid_type_error: "Choose a category" }).int().positive("Choose a category"),
  tags: TagList,
};

export const AskSchema = z.object({
  ...TitledFields,
  /** Tiptap JSON from the editor… */
  body: z.string().max(200_000, "The post is too long").optional(),
  /** …or plain text from the no-JavaScript fallback. */
  bodyText: BodyText("The post is too long"),
});

export const AnswerSchema = z.object({
  body: z.string().max(200_000, "The answer is too long").optional(),
  bodyText: BodyText("The answer is too long"),
});

export const EditSchema = z.object({
  title: TitledFields.title.optional(),
  body: z.string().max(200_000, "The post is too long").optional(),
  bodyText: BodyText("The post is too long"),
  reason: Reason,
});

export const CommentSchema = z.object({
  body: plainText({ multiline: true, required: "Write a comment" }).pipe(
    z.string().min(COMMENT_MIN, "Write a comment").max(COMMENT_MAX, `A comment can have at most ${COMMENT_MAX} characters`),
  ),
});

export const VoteSchema = z.object({
  value: z.coerce.number().int().refine((v) => v === 1 || v === -1 || v === 0, "A vote is up, down or withdrawn"),
});

/** Ids in URLs and forms are decimal strings (BigInt in the database). */
export const IdParam = z
  .string()
  .regex(/^[1-9]\d{0,17}$/, "Not a valid id")
  .transform((v) => BigInt(v));

export function slugify(title: string): string {
  const slug = title
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 80)
    .replace(/-+$/g, "");
  return slug || "question";
}

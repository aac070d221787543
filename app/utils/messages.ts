import type { TFunction } from "i18next";
import { z } from "zod";

/**
 * Messages a member can see that come from the rules, not from a page: validation (Zod schemas), use-case
 * refusals ("you cannot vote on your own post"), rate limits (docs/decisions/071-translated-messages.md).
 *
 * A rule never writes a sentence. It returns a catalog key (`"messages.questions.titleMissing"`), or a key
 * with parameters made by `msg()`. The key travels as a plain string through `Failure`, Conform's field
 * errors and action data, so the types and the routes stay as they are; it becomes a sentence in one place,
 * `translateMessage()`, called by the components that show errors (`ErrorList`, `FormErrors`) with the
 * page's language, in the browser as on the server (Conform validates some forms in the browser too). The
 * JSON API calls it with English (ADR 063 documents English problem details).
 */

export type MessageParams = Record<string, string | number>;

/** A key: dotted segments of letters, digits and `_`, no spaces; parameters follow after one space as JSON. */
const KEYED = /^([a-z][A-Za-z0-9]*(?:\.[A-Za-z0-9_]+)+)(?: (\{.*\}))?$/s;

/**
 * A message with parameters: `msg("messages.field.tooShort", { count: 20 })`. Counts are named `count`, so
 * i18next picks the plural form (`_one`, `_few`, `_other`) of the language.
 */
export function msg(key: string, params?: MessageParams): string {
  return params && Object.keys(params).length > 0 ? `${key} ${JSON.stringify(params)}` : key;
}

/** The key and parameters of a message made by `msg()`, or null for any other text. */
export function readMessage(text: string): { key: string; params: MessageParams } | null {
  const match = KEYED.exec(text);
  if (!match) return null;
  if (!match[2]) return { key: match[1]!, params: {} };
  try {
    const params: unknown = JSON.parse(match[2]);
    if (!params || typeof params !== "object" || Array.isArray(params)) return null;
    return { key: match[1]!, params: params as MessageParams };
  } catch {
    return null;
  }
}

/**
 * The one place where a rule's message becomes a sentence in a language. Text that is not a key (a message
 * from an older code path) is shown as it is; a key missing from the catalogs shows the key itself, which
 * the catalog tests forbid (tests/unit/message-keys.test.ts).
 */
export function translateMessage(t: TFunction, text: string, lng = "en"): string {
  const message = readMessage(text);
  if (!message) return text;
  const params: Record<string, unknown> = { ...message.params };
  // `wait` is a number of seconds ("try again in …"): said as hours and minutes in the page's language.
  if (typeof params.wait === "number") params.wait = formatWait(params.wait, lng);
  return t(message.key, { ...params, defaultValue: text }) as string;
}

/** "2 hours 5 minutes", "2 ore și 5 minute", "2小时5分钟": CLDR's unit names through Intl (rounded up to a minute, or seconds under one). */
export function formatWait(seconds: number, lng: string): string {
  const locale = Intl.NumberFormat.supportedLocalesOf([lng]).length ? lng : "en";
  const unit = (value: number, name: "hour" | "minute" | "second") => new Intl.NumberFormat(locale, { style: "unit", unit: name, unitDisplay: "long" }).format(value);
  const total = Math.max(1, Math.ceil(seconds));
  if (total < 60) return unit(total, "second");
  const minutes = Math.ceil(total / 60);
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h === 0) return unit(m, "minute");
  const parts = m > 0 ? [unit(h, "hour"), unit(m, "minute")] : [unit(h, "hour")];
  return new Intl.ListFormat(locale, { style: "narrow", type: "unit" }).format(parts);
}

/**
 * The messages of Zod's own checks, as keys: `.min(20)` without a message of its own says
 * "messages.field.tooShort" with `count: 20`, in every language. A schema's own message (a key) wins.
 */
export const zodMessages: z.ZodErrorMap = (issue, ctx) => {
  switch (issue.code) {
    case z.ZodIssueCode.invalid_type:
      return { message: issue.received === "undefined" || issue.received === "null" ? "messages.field.required" : "messages.field.invalid" };
    case z.ZodIssueCode.too_small: {
      const count = Number(issue.minimum);
      if (issue.type === "string") return { message: count <= 1 ? "messages.field.required" : msg("messages.field.tooShort", { count }) };
      if (issue.type === "array" || issue.type === "set") return { message: msg("messages.field.tooFew", { count }) };
      if (issue.type === "number" || issue.type === "bigint") return { message: msg("messages.field.numberTooSmall", { min: count }) };
      return { message: "messages.field.invalid" };
    }
    case z.ZodIssueCode.too_big: {
      const count = Number(issue.maximum);
      if (issue.type === "string") return { message: msg("messages.field.tooLong", { count }) };
      if (issue.type === "array" || issue.type === "set") return { message: msg("messages.field.tooMany", { count }) };
      if (issue.type === "number" || issue.type === "bigint") return { message: msg("messages.field.numberTooBig", { max: count }) };
      return { message: "messages.field.invalid" };
    }
    case z.ZodIssueCode.invalid_string:
      return { message: issue.validation === "email" ? "messages.field.email" : issue.validation === "url" ? "messages.field.url" : "messages.field.invalid" };
    case z.ZodIssueCode.invalid_enum_value:
    case z.ZodIssueCode.invalid_literal:
    case z.ZodIssueCode.invalid_union:
    case z.ZodIssueCode.invalid_union_discriminator:
      return { message: "messages.field.choose" };
    case z.ZodIssueCode.not_multiple_of:
      return { message: "messages.field.wholeNumber" };
    default:
      return { message: ctx.defaultError === "Required" ? "messages.field.required" : "messages.field.invalid" };
  }
};

/** Every Zod schema of the app reports with these keys (the module is imported by i18n.ts, hence by both entries). */
z.setErrorMap(zodMessages);

/** Every key `zodMessages` can produce (the catalog tests check each exists in every language). */
export const ZOD_MESSAGE_KEYS = [
  "messages.field.required",
  "messages.field.invalid",
  "messages.field.tooShort",
  "messages.field.tooFew",
  "messages.field.numberTooSmall",
  "messages.field.tooLong",
  "messages.field.tooMany",
  "messages.field.numberTooBig",
  "messages.field.email",
  "messages.field.url",
  "messages.field.choose",
  "messages.field.wholeNumber",
] as const;

import { getI18n } from "~/utils/i18n.ts";
import { translateMessage } from "~/utils/messages.ts";

/**
 * Rules answer with catalog keys (ADR 071). Tests that read a use case's or a schema's result as a member
 * would, in English, pass it through here: every string in it that is a message key becomes its English text.
 */
export function inEnglish<T>(value: T): T {
  const t = getI18n("en").t;
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") return translateMessage(t, v, "en");
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value) as T;
}

import { prisma } from "~/utils/db.server.ts";
import { ok, type Result } from "~/utils/http.server.ts";
import { toLanguage, type Language } from "~/utils/i18n.ts";
import { languageCookie } from "./preferred-language.server.ts";
import type { Actor } from "./roles.ts";

/**
 * The footer's language switcher (ADR 055). Any value is accepted: an unknown or malformed code is
 * English, with no error (issue 21). A member's choice is stored on the account (pages and e-mails
 * follow it on every device); everyone also gets the preference cookie, so the choice holds after
 * signing out.
 */
export async function setLanguage(actor: Actor | null, input: unknown): Promise<Result<{ language: Language; cookie: string }>> {
  const language = toLanguage(typeof input === "string" ? input : null);
  if (actor) await prisma.user.update({ where: { id: actor.id }, data: { language } });
  return ok({ language, cookie: languageCookie(language) });
}

import { getI18n } from "~/utils/i18n.ts";
import type { Failure } from "~/utils/http.server.ts";
import { translateMessage } from "~/utils/messages.ts";
import { requestLanguage } from "./preferred-language.server.ts";

/**
 * A use case's failure as one line of plain text in the request's language (ADR 071), for the routes that
 * answer an error as text rather than as a page: CSV exports and redirect-only routes. Pages show failures
 * through ErrorList / FormErrors and the error page, which translate the same way.
 */
export async function failureText(request: Request, failure: Failure): Promise<string> {
  const language = await requestLanguage(request);
  const messages = failure.kind === "invalid" ? [...Object.values(failure.fieldErrors).flat(), ...(failure.formErrors ?? [])] : [failure.message];
  return messages.map((message) => translateMessage(getI18n(language).t, message, language)).join("; ");
}

import { parseWithZod } from "@conform-to/zod";
import { json } from "@remix-run/node";
import type { z } from "zod";
import { failureHeaders, statusOf, type Failure } from "./http.server.ts";

/**
 * Turns a use-case failure into Conform's reply, so the form shows each message next to its
 * field (or at the top), keeps what was typed (minus secrets) and answers with the mapped status.
 */
export function replyWithFailure(formData: FormData, schema: z.ZodTypeAny, failure: Failure, opts: { hideFields?: string[] } = {}) {
  const submission = parseWithZod(formData, { schema });
  const fieldErrors = "fieldErrors" in failure && failure.fieldErrors ? failure.fieldErrors : {};
  const formErrors = failure.kind === "invalid" ? (failure.formErrors ?? []) : [failure.message];
  return json(submission.reply({ fieldErrors, formErrors, hideFields: opts.hideFields }), { status: statusOf(failure), headers: failureHeaders(failure) });
}

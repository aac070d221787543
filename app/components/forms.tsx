import { getInputProps, type FieldMetadata } from "@conform-to/react";
import { useRouteLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { AuthenticityTokenInput } from "remix-utils/csrf/react";
import { translateMessage } from "~/utils/messages.ts";

/** Errors of one field, announced to screen readers and tied to the field by id. */
export function ErrorList({ id, errors }: { id?: string; errors?: string[] | null }) {
  const { t, i18n } = useTranslation();
  if (!errors?.length) return null;
  return (
    <div id={id} role="alert">
      <ul className="field-errors">
        {errors.map((e) => (
          <li key={e}>{translateMessage(t, e, i18n.language)}</li>
        ))}
      </ul>
    </div>
  );
}

/** The messages of a field as one sentence in the page's language, for fields that show errors in their own markup. */
export function useMessageText(): (messages?: string[] | null) => string {
  const { t, i18n } = useTranslation();
  return (messages) => (messages ?? []).map((m) => translateMessage(t, m, i18n.language)).join(" ");
}

/** Form-level errors (wrong credentials, rate limits, expired links) at the top of a form. */
export function FormErrors({ id, errors }: { id?: string; errors?: string[] | null }) {
  const { t, i18n } = useTranslation();
  if (!errors?.length) return null;
  return (
    <div id={id} className="form-errors" role="alert">
      {errors.map((e) => (
        <p key={e} style={{ margin: 0 }}>
          {translateMessage(t, e, i18n.language)}
        </p>
      ))}
    </div>
  );
}

type InputType = "text" | "email" | "password" | "search" | "hidden";

/** A labelled input with its hint and errors, wired to a Conform field. */
export function TextField({
  meta,
  label,
  type = "text",
  hint,
  autoComplete,
  autoFocus,
}: {
  meta: FieldMetadata<string | undefined>;
  label: ReactNode;
  type?: InputType;
  hint?: ReactNode;
  autoComplete?: string;
  autoFocus?: boolean;
}) {
  const hintId = hint ? `${meta.id}-hint` : undefined;
  const props = getInputProps(meta, { type, ariaDescribedBy: hintId });
  return (
    <div className="field">
      <label htmlFor={meta.id}>{label}</label>
      {hint ? (
        <span id={hintId} className="hint">
          {hint}
        </span>
      ) : null}
      <input {...props} key={props.key} autoComplete={autoComplete} autoFocus={autoFocus} />
      <ErrorList id={meta.errorId} errors={meta.errors} />
    </div>
  );
}

/**
 * What every mutating form carries: the CSRF token (docs/decisions/004-csrf.md) and the page's
 * one-time submission token, so a double click, a retry or a resent POST writes once
 * (docs/decisions/030-one-time-form-submissions.md; `formToken` in app/utils/submission.server.ts).
 * `once={false}` leaves the second out of forms that are idempotent by their own key and repeated
 * many times on a page (the two vote buttons of every post).
 */
export function CsrfInput({ once = true }: { once?: boolean }) {
  const formToken = useRouteLoaderData<{ formToken?: string }>("root")?.formToken;
  return (
    <>
      <AuthenticityTokenInput name="csrf" />
      {once && formToken ? <input type="hidden" name="formToken" value={formToken} /> : null}
    </>
  );
}

export function SubmitButton({ children, pending, className = "button" }: { children: ReactNode; pending?: boolean; className?: string }) {
  return (
    <button type="submit" className={className} disabled={pending} aria-busy={pending || undefined}>
      {children}
    </button>
  );
}

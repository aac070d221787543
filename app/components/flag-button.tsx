import { useFetcher, useLocation } from "@remix-run/react";
import { useId } from "react";
import { useTranslation } from "react-i18next";
import { FLAG_REASONS } from "~/modules/flags/flags.schema.ts";
import { CsrfInput, FormErrors } from "./forms.tsx";

type FlagData = { ok: true; hidden: boolean } | { ok: false; formErrors: string[]; fieldErrors: Record<string, string[]> };

/**
 * "Flag" under a post (issue 19): a disclosure with the reasons, a text for a duplicate's link or
 * "something else", posted to /posts/:id/flag by a fetcher (a plain form without JavaScript). Once
 * flagged, the member sees that they did; /account/flags shows what came of it.
 */
export function FlagButton({ postId, flagged }: { postId: string; flagged: boolean }) {
  const { t } = useTranslation();
  const fetcher = useFetcher<FlagData>();
  const location = useLocation();
  const id = useId();
  const data = fetcher.data;
  if (flagged || data?.ok) {
    return (
      <span className="muted" role="status">
        {" · "}
        {data?.ok ? t(data.hidden ? "flags.sentHidden" : "flags.sent") : t("flags.flagged")}
      </span>
    );
  }
  const errors = data && !data.ok ? [...data.formErrors, ...Object.values(data.fieldErrors).flat()] : [];
  return (
    <details className="flag-menu">
      <summary>{t("flags.flag")}</summary>
      <fetcher.Form method="post" action={`/posts/${postId}/flag`} className="stack flag-form" aria-label={t("flags.flagPost")}>
        <CsrfInput />
        <input type="hidden" name="returnTo" value={location.pathname + location.search} />
        <fieldset>
          <legend>{t("flags.reasonLegend")}</legend>
          {FLAG_REASONS.map((reason) => (
            <label key={reason} className="radio">
              <input type="radio" name="reason" value={reason} required /> {t(`flags.reasons.${reason}`)}
            </label>
          ))}
        </fieldset>
        <label htmlFor={`${id}-detail`}>{t("flags.detail")}</label>
        <input id={`${id}-detail`} type="text" name="detail" maxLength={500} aria-describedby={`${id}-hint`} />
        <p id={`${id}-hint`} className="muted">
          {t("flags.detailHint")}
        </p>
        <FormErrors errors={errors} />
        <button type="submit" className="button secondary small" disabled={fetcher.state !== "idle"}>
          {t("flags.submit")}
        </button>
      </fetcher.Form>
    </details>
  );
}

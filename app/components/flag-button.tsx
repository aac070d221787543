import { useFetcher } from "@remix-run/react";
import { useId } from "react";
import { useTranslation } from "react-i18next";
import { FLAG_REASONS } from "~/modules/flags/flags.schema.ts";
import { CsrfInput, FormErrors } from "./forms.tsx";
import { useOpenedByLink } from "./use-opened-by-link.ts";

type FlagData = { ok: true; hidden: boolean } | { ok: false; formErrors: string[]; fieldErrors: Record<string, string[]> };

/**
 * "Flag" under a post (issue 19): a disclosure with the reasons, a text for a duplicate's link or
 * "something else", posted to /posts/:id/flag by a fetcher (a plain form without JavaScript). Once
 * flagged, the member sees that they did; /account/flags shows what came of it.
 *
 * The form is drawn only when it is opened (ADR 075): a page of twenty answers used to render twenty
 * hidden forms of ten fields each, a fifth of the page's markup. "Flag" is a link to the same page with
 * `?flag=<post id>`, which renders this post's form open, so it works without JavaScript; with it, the
 * link opens the form in place.
 */
export function FlagButton({ postId, flagged }: { postId: string; flagged: boolean }) {
  const { t } = useTranslation();
  const fetcher = useFetcher<FlagData>();
  // Opened or closed here, else open when the address asks for this post's form (`?flag=<id>`).
  const link = useOpenedByLink("flag", postId);
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
  return <FlagDisclosure postId={postId} errors={errors} link={link} fetcher={fetcher} />;
}

function FlagDisclosure({ postId, errors, link, fetcher }: { postId: string; errors: string[]; link: ReturnType<typeof useOpenedByLink>; fetcher: ReturnType<typeof useFetcher<FlagData>> }) {
  const { t } = useTranslation();
  const id = useId();
  const { open } = link;
  return (
    <span className="flag-menu">
      {" · "}
      {/* A plain link (a Remix <Link> costs a route resolution per post): the page reloads without JavaScript. */}
      <a
        href={link.href}
        className="flag-toggle"
        aria-expanded={open}
        aria-controls={open ? `${id}-form` : undefined}
        onClick={(event) => {
          event.preventDefault();
          link.setOpened(!open);
        }}
      >
        {t("flags.flag")}
      </a>
      {open ? (
        <fetcher.Form id={`${id}-form`} method="post" action={`/posts/${postId}/flag`} className="stack flag-form" aria-label={t("flags.flagPost")}>
          <CsrfInput />
          <input type="hidden" name="returnTo" value={link.here} />
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
      ) : null}
    </span>
  );
}

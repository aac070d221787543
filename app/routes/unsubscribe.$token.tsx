import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FormErrors } from "~/components/forms.tsx";
import { Page } from "~/components/layout.tsx";
import { describeUnsubscribe, unsubscribe } from "~/modules/notifications/unsubscribe.server.ts";
import { pageTitle } from "~/utils/meta.ts";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "notifications.unsubscribe.title") }, { name: "robots", content: "noindex" }];

/** The footer link: shows what the link unsubscribes from and a button (a GET never changes anything). */
export async function loader({ params }: LoaderFunctionArgs) {
  const result = await describeUnsubscribe(params.token ?? "");
  if (!result.ok) return json({ ok: false as const, group: null, message: result.kind === "invalid" ? (result.formErrors?.[0] ?? "") : "" }, { status: 400 });
  return json({ ok: true as const, group: result.value.group, message: "" });
}

/**
 * RFC 8058 one-click unsubscribe (`List-Unsubscribe-Post: List-Unsubscribe=One-Click`, sent by the
 * mail provider without cookies) and the page's own button. The signed token in the URL is what
 * authenticates it, so this is the one action that takes no CSRF token (ADR 041; cross-site browser
 * requests are still refused by the HTTP server before this runs). Bad or forged token: 400.
 */
export async function action({ params }: ActionFunctionArgs) {
  const result = await unsubscribe(params.token ?? "");
  if (!result.ok) return json({ ok: false as const, group: null, message: result.kind === "invalid" ? (result.formErrors?.[0] ?? "") : "" }, { status: 400 });
  return json({ ok: true as const, group: result.value.group, message: "" });
}

export default function UnsubscribeRoute() {
  const { t } = useTranslation();
  const loaded = useLoaderData<typeof loader>();
  const done = useActionData<typeof action>();
  const state = done ?? loaded;
  return (
    <Page narrow>
      <h1>{t("notifications.unsubscribe.title")}</h1>
      {!state.ok ? (
        <FormErrors errors={[t("notifications.unsubscribe.invalid"), state.message].filter(Boolean)} />
      ) : done?.ok ? (
        <p className="notice" role="status">
          {t("notifications.unsubscribe.done", { group: t(`notifications.groups.${state.group}.label`) })}
        </p>
      ) : (
        <Form method="post" className="card stack">
          <p>{t("notifications.unsubscribe.confirm", { group: t(`notifications.groups.${state.group}.label`) })}</p>
          <input type="hidden" name="List-Unsubscribe" value="One-Click" />
          <button type="submit" className="button">
            {t("notifications.unsubscribe.button")}
          </button>
        </Form>
      )}
      <p>
        <Link to="/account/notifications">{t("notifications.unsubscribe.settings")}</Link>
      </p>
    </Page>
  );
}

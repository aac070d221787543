import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Page } from "~/components/layout.tsx";
import { finishSsoSignIn } from "~/modules/sso/finish-sso-sign-in.server.ts";
import { clearFlow, writePendingLink } from "~/modules/sso/sso-cookies.server.ts";
import { startSession } from "~/modules/users/sessions.server.ts";
import { forwardRetryAfter } from "~/utils/headers.ts";
import { failureHeaders, redirect, statusOf } from "~/utils/http.server.ts";
import { translateMessage } from "~/utils/messages.ts";
import { safeRedirect } from "~/utils/safe-redirect.ts";
import { pageTitle } from "~/utils/meta.ts";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "login.title") }, { name: "robots", content: "noindex" }];
export const headers = forwardRetryAfter;

/**
 * Where the provider sends the browser back (ADR 065). The flow cookie is spent whatever happens, so
 * an answer can be used once; a refusal shows why in general terms and a way back.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const result = await finishSsoSignIn(request);
  const headers = result.ok ? new Headers() : failureHeaders(result);
  headers.append("Set-Cookie", await clearFlow());
  headers.set("Cache-Control", "no-store");
  if (!result.ok) {
    const message = result.kind === "invalid" ? (result.formErrors?.[0] ?? "") : result.message;
    return json({ message }, { status: statusOf(result), headers });
  }
  if (result.value.kind === "link-needed") {
    headers.append("Set-Cookie", await writePendingLink(result.value.pending));
    return redirect("/auth/oidc/link", { headers });
  }
  headers.append("Set-Cookie", await startSession(result.value.userId, request));
  return redirect(safeRedirect(result.value.redirectTo), { headers });
}

export default function SsoCallbackRoute() {
  const { t, i18n } = useTranslation();
  const { message } = useLoaderData<typeof loader>();
  return (
    <Page narrow>
      <div className="card">
        <h1>{t("sso.failedTitle")}</h1>
        <p className="form-errors" role="alert">
          {translateMessage(t, message, i18n.language)}
        </p>
        <p>
          <Link to="/login">{t("sso.backToSignIn")}</Link>
        </p>
      </div>
    </Page>
  );
}

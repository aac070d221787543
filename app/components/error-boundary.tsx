import { isRouteErrorResponse, Link, useRouteError, useRouteLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { translateMessage } from "~/utils/messages.ts";

/** The one error view: 404, 403, 429 and 503 (busy) explain themselves; anything else is a generic page. */
export function GeneralErrorBoundary() {
  const error = useRouteError();
  const { t, i18n } = useTranslation();
  const root = useRouteLoaderData("root") as { requestId?: string | null } | undefined;
  const unexpected = !isRouteErrorResponse(error) || (error.status >= 500 && error.status !== 503);
  let title = t("errors.genericTitle");
  let message = t("errors.generic");
  if (isRouteErrorResponse(error)) {
    if (error.status === 404) {
      title = t("errors.notFoundTitle");
      message = typeof error.data === "string" && error.data && error.data !== "Not Found" ? error.data : t("errors.notFound");
    } else if (error.status === 403) {
      title = t("errors.forbiddenTitle");
      message = typeof error.data === "string" && error.data ? error.data : t("errors.forbidden");
    } else if (error.status === 429) {
      title = t("errors.tooMany");
      message = typeof error.data === "string" ? error.data : title;
    } else if (error.status === 503) {
      title = t("errors.busyTitle");
      message = t("errors.busy");
    } else if (error.status < 500 && typeof error.data === "string") {
      message = error.data;
    }
  }
  return (
    <div className="container page">
      <div className="card narrow stack">
        <h1>{title}</h1>
        <p>{translateMessage(t, message, i18n.language)}</p>
        {unexpected && root?.requestId ? <p className="muted">{t("errors.requestId", { id: root.requestId })}</p> : null}
        <p>
          <Link to="/">{t("errors.home")}</Link>
        </p>
      </div>
    </div>
  );
}

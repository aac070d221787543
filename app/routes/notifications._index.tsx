import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CsrfInput, FormErrors } from "~/components/forms.tsx";
import { Page } from "~/components/layout.tsx";
import { notificationText, type NotificationView } from "~/modules/notifications/describe-notification.ts";
import { markAllNotificationsRead, markNotificationsRead, openNotification } from "~/modules/notifications/mark-read.server.ts";
import { listNotifications } from "~/modules/notifications/notification-queries.server.ts";
import { requireUser } from "~/modules/users/sessions.server.ts";
import { readForm } from "~/utils/form.server.ts";
import { failureResponse, redirect } from "~/utils/http.server.ts";
import { timeAgo } from "~/utils/intl.ts";
import { pageTitle } from "~/utils/meta.ts";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "notifications.title") }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const page = await listNotifications(user.id, new URL(request.url).searchParams.get("after"));
  return json({ ...page, unread: user.unreadNotifications, now: Date.now() }, { headers: { "Cache-Control": "private, no-store" } });
}

export async function action({ request }: ActionFunctionArgs) {
  const formData = await readForm(request);
  const user = await requireUser(request);
  const intent = String(formData.get("intent") ?? "");
  const input = Object.fromEntries(formData);
  switch (intent) {
    case "open": {
      const result = await openNotification(user, input);
      if (!result.ok) return failureResponse(result, { intent });
      return redirect(result.value.path, 303);
    }
    case "read": {
      const result = await markNotificationsRead(user, input);
      if (!result.ok) return failureResponse(result, { intent });
      return json({ ok: true as const, intent, notice: null });
    }
    case "read-all": {
      const result = await markAllNotificationsRead(user);
      if (!result.ok) return failureResponse(result, { intent });
      return json({ ok: true as const, intent, notice: "notifications.allRead" });
    }
    default:
      return json({ ok: false as const, intent, formErrors: ["messages.common.unknownAction"] }, { status: 400 });
  }
}

export default function NotificationsRoute() {
  const { t } = useTranslation();
  const { items, nextCursor, unread, now } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state !== "idle";
  return (
    <Page>
      <div className="page-head">
        <h1>{t("notifications.title")}</h1>
        <div className="inline-form">
          {unread > 0 ? (
            <Form method="post">
              <CsrfInput />
              <input type="hidden" name="intent" value="read-all" />
              <button type="submit" className="button secondary small" disabled={busy}>
                {t("notifications.markAllRead")}
              </button>
            </Form>
          ) : null}
          <Link to="/account/notifications" className="button secondary small">
            {t("notifications.settingsLink")}
          </Link>
        </div>
      </div>
      <p className="muted">{t("notifications.lead")}</p>
      {actionData && actionData.ok && actionData.notice ? (
        <p className="notice" role="status">
          {t(actionData.notice)}
        </p>
      ) : null}
      {actionData && !actionData.ok ? <FormErrors errors={actionData.formErrors} /> : null}
      {items.length === 0 ? (
        <p className="card">{t("notifications.empty")}</p>
      ) : (
        <ol className="notification-list">
          {items.map((item) => (
            <NotificationRow key={item.ids.join(",")} item={item} now={now} />
          ))}
        </ol>
      )}
      {nextCursor ? (
        <p>
          <Link to={`?after=${encodeURIComponent(nextCursor)}`}>{t("notifications.older")}</Link>
        </p>
      ) : null}
    </Page>
  );
}

/** One line: a form that opens it (marks it read, then goes to the exact post; works without JavaScript). */
function NotificationRow({ item, now }: { item: NotificationView; now: number }) {
  const { t, i18n } = useTranslation();
  const text = notificationText(t, item);
  return (
    <li className={`notification${item.unread ? " unread" : ""}`} data-testid="notification">
      <Form method="post" className="notification-open">
        <CsrfInput />
        <input type="hidden" name="intent" value="open" />
        <input type="hidden" name="ids" value={item.ids.join(",")} />
        <button type="submit" className="notification-link">
          {item.unread ? <span className="badge notification-new">{t("notifications.unreadMark")}</span> : null}
          <span className="notification-text">{text}</span>
        </button>
      </Form>
      <div className="notification-meta">
        <time dateTime={item.createdAt} className="muted">
          {timeAgo(item.createdAt, now, i18n.language)}
        </time>
        {item.unread ? (
          <Form method="post">
            <CsrfInput />
            <input type="hidden" name="intent" value="read" />
            <input type="hidden" name="ids" value={item.ids.join(",")} />
            <button type="submit" className="link-button" aria-label={t("notifications.markReadNamed", { text })}>
              {t("notifications.markRead")}
            </button>
          </Form>
        ) : null}
      </div>
    </li>
  );
}

import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Page } from "~/components/layout.tsx";
import { canWorkTickets } from "~/modules/support/support.policy.ts";
import { QueueFilterSchema, TICKET_PRIORITIES, TICKET_SOURCES, TICKET_STATUSES } from "~/modules/support/support.schema.ts";
import { customerTickets, listAssignees, listQueue, QUEUE_PAGE_SIZE } from "~/modules/support/ticket-queries.server.ts";
import { requireUser } from "~/modules/users/sessions.server.ts";
import { pageTitle } from "~/utils/meta.ts";

export const meta: MetaFunction = ({ matches, data }) => [{ title: pageTitle(matches, (data as { staff?: boolean } | undefined)?.staff ? "support.queue.title" : "support.mine.title") }, { name: "robots", content: "noindex" }];

/** /support: the staff queue (staff, admins); a member sees their own tickets here. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const headers = { "Cache-Control": "private, no-store" };
  if (!canWorkTickets(user)) return json({ staff: false as const, mine: await customerTickets(user.id) }, { headers });
  const params = Object.fromEntries(new URL(request.url).searchParams);
  const filter = QueueFilterSchema.parse(params);
  const page = Math.max(1, Number.parseInt(params.page ?? "1", 10) || 1);
  const [queue, assignees] = await Promise.all([listQueue(filter, user.id, page), listAssignees()]);
  return json({ staff: true as const, admin: user.role === "admin", filter, page, queue, assignees }, { headers });
}

const when = (iso: string | null) => (iso ? iso.slice(0, 16).replace("T", " ") : "—");

export default function SupportRoute() {
  const { t } = useTranslation();
  const data = useLoaderData<typeof loader>();
  if (!data.staff) {
    return (
      <Page>
        <h1>{t("support.mine.title")}</h1>
        {data.mine.length === 0 ? <p className="card">{t("support.mine.empty")}</p> : null}
        <ul>
          {data.mine.map((m) => (
            <li key={m.id}>
              <Link to={`/support/tickets/${m.id}`}>{t("support.ticketNumber", { id: m.id })}</Link> · {t(`support.status.${m.status}`)} · {m.subject}
            </li>
          ))}
        </ul>
        <p>
          <Link to="/support/new?source=ask">{t("support.stillNeedHelp")}</Link>
        </p>
      </Page>
    );
  }
  const { filter, queue, assignees, page } = data;
  return (
    <Page>
      <h1>{t("support.queue.title")}</h1>
      {data.admin ? (
        <p>
          <Link to="/admin/routing">{t("support.routing.title")}</Link>
        </p>
      ) : null}
      <p className="muted">{TICKET_STATUSES.map((s) => `${t(`support.status.${s}`)}: ${queue.counts[s] ?? 0}`).join(" · ")}</p>
      <Form method="get" className="inline-form" aria-label={t("support.queue.filters")}>
        <label htmlFor="f-status">{t("support.queue.status")}</label>
        <select id="f-status" name="status" defaultValue={filter.status}>
          <option value="active">{t("support.queue.active")}</option>
          <option value="all">{t("support.queue.all")}</option>
          {TICKET_STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`support.status.${s}`)}
            </option>
          ))}
        </select>
        <label htmlFor="f-assignee">{t("support.queue.assignee")}</label>
        <select id="f-assignee" name="assignee" defaultValue={filter.assignee}>
          <option value="">{t("support.queue.anyone")}</option>
          <option value="me">{t("support.queue.me")}</option>
          <option value="none">{t("support.ticket.unassigned")}</option>
          {assignees.map((a) => (
            <option key={a.id} value={a.id}>
              {a.displayName}
            </option>
          ))}
        </select>
        <label htmlFor="f-priority">{t("support.queue.priority")}</label>
        <select id="f-priority" name="priority" defaultValue={filter.priority}>
          <option value="">{t("support.queue.any")}</option>
          {TICKET_PRIORITIES.map((p) => (
            <option key={p} value={p}>
              {t(`support.priority.${p}`)}
            </option>
          ))}
        </select>
        <label htmlFor="f-source">{t("support.queue.source")}</label>
        <select id="f-source" name="source" defaultValue={filter.source}>
          <option value="">{t("support.queue.any")}</option>
          {TICKET_SOURCES.map((s) => (
            <option key={s} value={s}>
              {t(`support.source.${s}`)}
            </option>
          ))}
        </select>
        <button type="submit" className="button secondary small">
          {t("support.queue.apply")}
        </button>
      </Form>
      {queue.rows.length === 0 ? (
        <p className="card">{t("support.queue.empty")}</p>
      ) : (
        <div className="table-wrap">
          <table className="data-table" data-testid="support-queue">
            <thead>
              <tr>
                <th scope="col">{t("support.queue.ticket")}</th>
                <th scope="col">{t("support.queue.status")}</th>
                <th scope="col">{t("support.queue.priority")}</th>
                <th scope="col">{t("support.queue.customer")}</th>
                <th scope="col">{t("support.queue.assignee")}</th>
                <th scope="col">{t("support.queue.waitingSince")}</th>
                <th scope="col">{t("support.queue.firstResponse")}</th>
                <th scope="col">{t("support.queue.resolved")}</th>
              </tr>
            </thead>
            <tbody>
              {queue.rows.map((r) => (
                <tr key={r.id}>
                  <td>
                    <Link to={`/support/tickets/${r.id}`}>{t("support.ticketNumber", { id: r.id })}</Link> {r.subject} <span className="muted">({t(`support.source.${r.source}`)})</span>
                  </td>
                  <td>{t(`support.status.${r.status}`)}</td>
                  <td>{t(`support.priority.${r.priority}`)}</td>
                  <td>{r.customer}</td>
                  <td>{r.assignee ?? "—"}</td>
                  <td>{when(r.waitingSince)}</td>
                  <td>{when(r.firstResponseAt)}</td>
                  <td>{when(r.resolvedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p className="inline-form">
        {page > 1 ? <Link to={`?${new URLSearchParams({ ...filter, page: String(page - 1) })}`}>{t("support.queue.previous")}</Link> : null}
        {queue.rows.length === QUEUE_PAGE_SIZE ? <Link to={`?${new URLSearchParams({ ...filter, page: String(page + 1) })}`}>{t("support.queue.next")}</Link> : null}
      </p>
    </Page>
  );
}

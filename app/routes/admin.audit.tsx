import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { ErrorList } from "~/components/forms.tsx";
import { Page } from "~/components/layout.tsx";
import { compactChange } from "~/modules/audit/audit-format.ts";
import { getAuditPage } from "~/modules/audit/audit-queries.server.ts";
import { AUDIT_ACTION_NAMES, AUDIT_TARGET_TYPES } from "~/modules/audit/audit.schema.ts";
import { requireUser } from "~/modules/users/sessions.server.ts";
import { statusOf } from "~/utils/http.server.ts";
import { metaT, pageTitle } from "~/utils/meta.ts";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, { text: `${metaT(matches)("audit.title")} | ${metaT(matches)("nav.admin")}` }) }];

/** GET /admin/audit: the audit log, newest first, filtered (admins only; ADR 050). Bad filters: 400 with the reasons shown. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const result = await getAuditPage(user, new URL(request.url).searchParams);
  if (result.ok) return json({ ...result.value, fieldErrors: {} as Record<string, string[]> });
  if (result.kind !== "invalid") throw new Response("message" in result ? result.message : "Bad request", { status: statusOf(result), headers: { "Content-Type": "text/plain; charset=utf-8" } });
  return json({ entries: [], nextCursor: null, fieldErrors: result.fieldErrors }, { status: 400 });
}

/** A cell that names its column, for the stacked layout of narrow screens (its content in one box). */
function Cell({ label, children }: { label: string; children: ReactNode }) {
  return (
    // The stacked layout changes the cells' display, which drops table semantics in some browsers; the explicit roles keep them.
    // eslint-disable-next-line jsx-a11y/no-interactive-element-to-noninteractive-role
    <td role="cell" data-label={label}>
      <div>{children}</div>
    </td>
  );
}

const COLUMNS = ["when", "who", "action", "target", "reason", "change", "address"] as const;

export default function AdminAuditRoute() {
  const { t } = useTranslation();
  const { entries, nextCursor, fieldErrors } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const filters = new URLSearchParams(params);
  filters.delete("after");
  const next = new URLSearchParams(filters);
  if (nextCursor) next.set("after", nextCursor);
  const errors = Object.values(fieldErrors).flat();
  const label = (column: (typeof COLUMNS)[number]) => t(`audit.columns.${column}`);
  return (
    <Page>
      <h1>{t("audit.title")}</h1>
      <section className="card" aria-labelledby="audit-filters">
        <h2 id="audit-filters">{t("audit.filters")}</h2>
        <ErrorList id="audit-filter-errors" errors={errors} />
        <Form method="get" className="audit-filters" aria-describedby={errors.length ? "audit-filter-errors" : undefined}>
          <div className="field">
            <label htmlFor="audit-actor">{t("audit.actor")}</label>
            <input id="audit-actor" type="text" name="actor" defaultValue={params.get("actor") ?? ""} autoComplete="off" aria-invalid={fieldErrors.actor ? true : undefined} />
          </div>
          <div className="field">
            <label htmlFor="audit-action">{t("audit.action")}</label>
            <select id="audit-action" name="action" defaultValue={params.get("action") ?? ""}>
              <option value="">{t("audit.anyAction")}</option>
              {AUDIT_ACTION_NAMES.map((name) => (
                <option key={name} value={name}>
                  {t(`audit.actions.${name}`)} ({name})
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="audit-target-type">{t("audit.targetType")}</label>
            <select id="audit-target-type" name="targetType" defaultValue={params.get("targetType") ?? ""}>
              <option value="">{t("audit.anyTarget")}</option>
              {AUDIT_TARGET_TYPES.map((type) => (
                <option key={type} value={type}>
                  {t(`audit.targets.${type}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="audit-target-id">{t("audit.targetId")}</label>
            <input id="audit-target-id" type="text" name="targetId" defaultValue={params.get("targetId") ?? ""} autoComplete="off" aria-invalid={fieldErrors.targetId ? true : undefined} />
          </div>
          <div className="field">
            <label htmlFor="audit-from">{t("audit.from")}</label>
            <input id="audit-from" type="date" name="from" defaultValue={params.get("from") ?? ""} aria-invalid={fieldErrors.from ? true : undefined} />
          </div>
          <div className="field">
            <label htmlFor="audit-to">{t("audit.to")}</label>
            <input id="audit-to" type="date" name="to" defaultValue={params.get("to") ?? ""} aria-invalid={fieldErrors.to ? true : undefined} />
          </div>
          <div className="audit-filter-actions">
            <button type="submit" className="button">
              {t("audit.apply")}
            </button>
            <a className="button secondary" href={`/admin/audit.csv${filters.size ? `?${filters.toString()}` : ""}`} download>
              {t("audit.downloadCsv")}
            </a>
          </div>
        </Form>
      </section>
      <section className="card" aria-labelledby="audit-entries">
        <h2 id="audit-entries" className="visually-hidden">
          {t("audit.entries")}
        </h2>
        {entries.length === 0 ? (
          <p>{t("audit.none")}</p>
        ) : (
          <div className="table-wrap">
            <table className="stack-table" data-testid="audit-table" role="table">
              <caption className="visually-hidden">{t("audit.caption")}</caption>
              {/* eslint-disable-next-line jsx-a11y/no-redundant-roles -- kept when the narrow layout changes display */}
              <thead role="rowgroup">
                <tr role="row">
                  {COLUMNS.map((column) => (
                    <th key={column} scope="col" role="columnheader">
                      {label(column)}
                    </th>
                  ))}
                </tr>
              </thead>
              {/* eslint-disable-next-line jsx-a11y/no-redundant-roles -- kept when the narrow layout changes display */}
              <tbody role="rowgroup">
                {entries.map((e) => (
                  <tr key={e.id} data-testid={`audit-${e.id}`} role="row">
                    <Cell label={label("when")}>
                      <time dateTime={e.createdAt}>{e.createdAt.slice(0, 19).replace("T", " ")} UTC</time>
                    </Cell>
                    <Cell label={label("who")}>
                      {e.actor === null ? (
                        <span className="muted">{t("audit.system")}</span>
                      ) : e.actor.profileHandle ? (
                        <Link to={`/u/${e.actor.profileHandle}`}>@{e.actor.handle ?? e.actor.profileHandle}</Link>
                      ) : (
                        <span>@{e.actor.handle ?? "?"}</span>
                      )}
                    </Cell>
                    <Cell label={label("action")}>
                      {t(`audit.actions.${e.action}`, { defaultValue: e.action })}
                      <div>
                        <code>{e.action}</code>
                      </div>
                    </Cell>
                    <Cell label={label("target")}>
                      {e.target ? <Link to={e.target.href}>{e.target.name ?? `${t(`audit.targets.${e.targetType}`, { defaultValue: e.targetType })} ${e.targetId}`}</Link> : `${t(`audit.targets.${e.targetType}`, { defaultValue: e.targetType })} ${e.targetId}`}
                    </Cell>
                    <Cell label={label("reason")}>{e.reason || <span className="muted">—</span>}</Cell>
                    <Cell label={label("change")}>
                      <ul className="audit-change">
                        {compactChange(e.before, e.after).map((c) => (
                          <li key={c.field}>
                            {c.field ? <span className="muted">{c.field}: </span> : null}
                            {c.before} → {c.after}
                          </li>
                        ))}
                      </ul>
                    </Cell>
                    <Cell label={label("address")}>{e.ipAddress ?? <span className="muted">—</span>}</Cell>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {nextCursor ? (
          <p>
            <Link to={`?${next.toString()}`} rel="next">
              {t("audit.older")}
            </Link>
          </p>
        ) : null}
      </section>
    </Page>
  );
}

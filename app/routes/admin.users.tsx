import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { AdminTabs } from "~/components/admin-tabs.tsx";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CsrfInput, FormErrors } from "~/components/forms.tsx";
import { Page } from "~/components/layout.tsx";
import { UserName } from "~/components/user-name.tsx";
import { ROLES } from "~/modules/users/roles.ts";
import { changeRole } from "~/modules/users/change-role.server.ts";
import { requireUser, touchSession } from "~/modules/users/sessions.server.ts";
import { setSuspension } from "~/modules/users/set-suspension.server.ts";
import { canAdministerUsers, canChangeRole, canSuspend } from "~/modules/users/users.policy.ts";
import { searchUsers } from "~/modules/users/users-queries.server.ts";
import { UserSearchSchema } from "~/modules/users/users.schema.ts";
import { readForm } from "~/utils/form.server.ts";
import { failureResponse, invariantResponse } from "~/utils/http.server.ts";
import { submissionOf } from "~/utils/submission.server.ts";
import { metaT, pageTitle } from "~/utils/meta.ts";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, { text: `${metaT(matches)("admin.usersTitle")} | ${metaT(matches)("nav.admin")}` }) }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  invariantResponse(canAdministerUsers(user), "messages.users.adminForbidden", 403);
  const url = new URL(request.url);
  // An unknown role filter lists every role, like an empty one (an old link is not an error).
  const q = url.searchParams.get("q") ?? "";
  const parsed = UserSearchSchema.safeParse({ q, role: url.searchParams.get("role") || undefined });
  const withoutRole = UserSearchSchema.safeParse({ q });
  const result = await searchUsers({ ...(parsed.success ? parsed.data : withoutRole.success ? withoutRole.data : { q: "" }), after: url.searchParams.get("after") ?? undefined });
  return json({
    ...result,
    users: result.users.map((u) => ({ ...u, can: { changeRole: canChangeRole(user, u), suspend: canSuspend(user, u) } })),
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const formData = await readForm(request);
  const user = await requireUser(request);
  await touchSession(user.sessionId);
  const input = Object.fromEntries(formData);
  const result = formData.get("intent") === "suspension" ? await setSuspension(user, input, submissionOf(request, formData, user.id)) : await changeRole(user, input);
  if (!result.ok) return failureResponse(result);
  const notice =
    "role" in result.value
      ? "admin.roleChanged"
      : result.value.mode === "silence"
        ? result.value.suspended ? "flags.suspension.silencedNotice" : "flags.suspension.unsilencedNotice"
        : result.value.suspended ? "admin.suspended" : "admin.reinstated";
  return json({ ok: true as const, notice });
}

type Listed = { id: string; displayName: string; status: string; silenced: boolean };

/** Reinstate a suspended member, or suspend / silence with a reason and an end date (issue 19); lift a silence. */
function SuspensionForm({ user }: { user: Listed }) {
  const { t } = useTranslation();
  if (user.status === "suspended" || user.silenced) {
    const mode = user.status === "suspended" ? "suspend" : "silence";
    return (
      <Form method="post" className="inline-form">
        <CsrfInput />
        <input type="hidden" name="intent" value="suspension" />
        <input type="hidden" name="userId" value={user.id} />
        <input type="hidden" name="mode" value={mode} />
        <input type="hidden" name="suspend" value="false" />
        <button type="submit" className="button secondary small" aria-label={`${mode === "suspend" ? t("admin.reinstate") : t("flags.suspension.unsilence")}: ${user.displayName}`}>
          {mode === "suspend" ? t("admin.reinstate") : t("flags.suspension.unsilence")}
        </button>
      </Form>
    );
  }
  return (
    <details>
      <summary>{t("admin.suspend")}</summary>
      <Form method="post" className="stack" aria-label={`${t("admin.suspend")}: ${user.displayName}`}>
        <CsrfInput />
        <input type="hidden" name="intent" value="suspension" />
        <input type="hidden" name="userId" value={user.id} />
        <input type="hidden" name="suspend" value="true" />
        <label htmlFor={`mode-${user.id}`}>{t("flags.suspension.mode")}</label>
        <select id={`mode-${user.id}`} name="mode" defaultValue="suspend">
          <option value="suspend">{t("flags.suspension.suspend")}</option>
          <option value="silence">{t("flags.suspension.silence")}</option>
        </select>
        <label htmlFor={`reason-${user.id}`}>{t("flags.suspension.reason")}</label>
        <input id={`reason-${user.id}`} type="text" name="reason" required maxLength={300} />
        <label htmlFor={`days-${user.id}`}>{t("flags.suspension.days")}</label>
        <input id={`days-${user.id}`} type="number" name="days" min={1} max={3650} inputMode="numeric" />
        <button type="submit" className="button secondary small">
          {t("flags.suspension.apply")}
        </button>
      </Form>
    </details>
  );
}

export default function AdminUsersRoute() {
  const { t } = useTranslation();
  const { users, nextCursor } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const navigation = useNavigation();
  const next = new URLSearchParams(params);
  if (nextCursor) next.set("after", nextCursor);
  return (
    <Page>
      <AdminTabs />
      <h1>{t("admin.usersTitle")}</h1>
      {actionData && "notice" in actionData ? (
        <p className="notice" role="status">
          {t(actionData.notice)}
        </p>
      ) : null}
      {actionData && !actionData.ok ? <FormErrors errors={actionData.formErrors} /> : null}
      <section className="card" aria-labelledby="find-heading">
        <h2 id="find-heading">{t("admin.find")}</h2>
        <Form method="get" className="search-row" role="search">
          <div className="field">
            <label htmlFor="user-q">{t("admin.query")}</label>
            <input id="user-q" type="search" name="q" defaultValue={params.get("q") ?? ""} />
          </div>
          <div className="field" style={{ flex: "0 1 12rem" }}>
            <label htmlFor="user-role">{t("common.role")}</label>
            <select id="user-role" name="role" defaultValue={params.get("role") ?? ""}>
              <option value="">{t("admin.anyRole")}</option>
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {t(`roles.${r}`)}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" className="button">
            {t("common.search")}
          </button>
        </Form>
      </section>
      <section className="card" aria-label={t("admin.usersTitle")}>
        {users.length === 0 ? (
          <p>{t("admin.none")}</p>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t("admin.user")}</th>
                  <th scope="col">{t("common.email")}</th>
                  <th scope="col">{t("common.role")}</th>
                  <th scope="col">{t("common.status")}</th>
                </tr>
              </thead>
              <tbody>
                {users.map((u) => (
                  <tr key={u.id} data-testid={`user-${u.handle}`}>
                    <td>
                      <UserName user={u} />
                      <div className="muted">@{u.handle}</div>
                    </td>
                    <td>{u.email}</td>
                    <td>
                      {u.can.changeRole ? (
                        <Form method="post" className="inline-form">
                          <CsrfInput />
                          <input type="hidden" name="intent" value="role" />
                          <input type="hidden" name="userId" value={u.id} />
                          <label className="visually-hidden" htmlFor={`role-${u.id}`}>
                            {t("admin.changeRole")}: {u.displayName}
                          </label>
                          <select id={`role-${u.id}`} name="role" defaultValue={u.role}>
                            {ROLES.map((r) => (
                              <option key={r} value={r}>
                                {t(`roles.${r}`)}
                              </option>
                            ))}
                          </select>
                          <button type="submit" className="button secondary small" disabled={navigation.state === "submitting"}>
                            {t("admin.apply")}
                          </button>
                        </Form>
                      ) : (
                        <span className={`badge role-${u.role}`}>{t(`roles.${u.role}`)}</span>
                      )}
                    </td>
                    <td>
                      <span className={u.status === "suspended" ? "badge suspended" : "badge"}>{t(`statuses.${u.status}`)}</span>{" "}
                      {u.suspendedUntil ? <span className="muted">{t("flags.suspension.until", { date: u.suspendedUntil.slice(0, 16).replace("T", " ") + " UTC" })}</span> : null}{" "}
                      {u.silenced ? <span className="badge">{t("flags.suspension.silenced")}</span> : null}{" "}
                      {u.can.suspend ? <SuspensionForm user={u} /> : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {nextCursor ? (
          <p>
            <Link to={`?${next.toString()}`}>{t("common.next")}</Link>
          </p>
        ) : null}
      </section>
    </Page>
  );
}

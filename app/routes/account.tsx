import { getFormProps, getTextareaProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { CsrfInput, ErrorList, FormErrors, SubmitButton, TextField } from "~/components/forms.tsx";
import { AccountTabs } from "~/components/account-tabs.tsx";
import { Page } from "~/components/layout.tsx";
import { changePassword } from "~/modules/users/change-password.server.ts";
import { requireUser, revokeSession, signOutEverywhere, touchSession } from "~/modules/users/sessions.server.ts";
import { updateProfile } from "~/modules/users/update-profile.server.ts";
import { getAccount, listSessions } from "~/modules/users/users-queries.server.ts";
import { ChangePasswordSchema, ProfileSchema } from "~/modules/users/users.schema.ts";
import { cookieSessions, readCookieSession } from "~/utils/cookie-session.server.ts";
import { replyWithFailure } from "~/utils/conform.server.ts";
import { readForm } from "~/utils/form.server.ts";
import { submissionOf } from "~/utils/submission.server.ts";
import { forwardRetryAfter } from "~/utils/headers.ts";
import { failureResponse, redirect } from "~/utils/http.server.ts";
import { pageTitle } from "~/utils/meta.ts";
import { useFormat } from "~/utils/intl.ts";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "account.title") }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const [account, sessions] = await Promise.all([getAccount(user.id), listSessions(user.id, user.sessionId)]);
  const welcome = new URL(request.url).searchParams.get("welcome") === "1";
  return json({ account: { ...account, createdAt: account.createdAt.toISOString() }, sessions, welcome });
}

export const headers = forwardRetryAfter;

export async function action({ request }: ActionFunctionArgs) {
  const formData = await readForm(request);
  const user = await requireUser(request);
  await touchSession(user.sessionId);
  const intent = formData.get("intent");
  switch (intent) {
    case "profile": {
      const result = await updateProfile(user, user.id, Object.fromEntries(formData));
      if (!result.ok) return replyWithFailure(formData, ProfileSchema, result);
      return json({ intent, notice: "account.saved" });
    }
    case "password": {
      const result = await changePassword(user, Object.fromEntries(formData), submissionOf(request, formData, user.id));
      if (!result.ok) return replyWithFailure(formData, ChangePasswordSchema, result, { hideFields: ["currentPassword", "newPassword", "confirm"] });
      return json({ intent, notice: "account.passwordChanged" });
    }
    case "revoke": {
      const result = await revokeSession(user, String(formData.get("sessionId") ?? ""));
      if (!result.ok) return failureResponse(result);
      if (result.value.revoked === user.sessionId) return signedOut(request);
      return json({ intent, notice: "account.revoked" });
    }
    case "everywhere": {
      await signOutEverywhere(user);
      return signedOut(request);
    }
    default:
      return json({ intent: null, notice: null, formErrors: ["messages.common.unknownAction"] }, { status: 400 });
  }
}

async function signedOut(request: Request) {
  const cookie = await cookieSessions().destroySession(await readCookieSession(request));
  return redirect("/login", { headers: { "Set-Cookie": cookie } });
}

type Notice = { intent: string; notice: string };
const isNotice = (d: unknown): d is Notice => !!d && typeof d === "object" && "notice" in d && typeof (d as Notice).notice === "string";

export default function AccountRoute() {
  const { t } = useTranslation();
  const format = useFormat();
  const { account, sessions, welcome } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const submittingIntent = navigation.state === "submitting" ? navigation.formData?.get("intent") : null;
  const notice = isNotice(actionData) ? actionData : null;
  const reply = actionData && "status" in actionData ? actionData : undefined;

  const [profileForm, profileFields] = useForm({
    id: "profile",
    lastResult: reply && reply.initialValue?.intent === "profile" ? reply : undefined,
    defaultValue: { displayName: account.displayName, bio: account.bio },
    constraint: getZodConstraint(ProfileSchema),
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ProfileSchema }),
  });
  const [passwordForm, passwordFields] = useForm({
    id: "password",
    lastResult: reply && reply.initialValue?.intent === "password" ? reply : undefined,
    constraint: getZodConstraint(ChangePasswordSchema),
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ChangePasswordSchema }),
  });

  return (
    <Page>
      <h1>{t("account.title")}</h1>
      <AccountTabs />
      {welcome ? (
        <p className="notice" role="status">
          {t("home.welcome", { name: account.displayName })}
        </p>
      ) : null}
      {notice ? (
        <p className="notice" role="status">
          {t(notice.notice)}
        </p>
      ) : null}

      <section className="card" aria-labelledby="profile-heading">
        <h2 id="profile-heading">{t("account.profile")}</h2>
        <p className="muted">
          @{account.handle} · {account.email} · <span className="badge">{t(`roles.${account.role}`)}</span>
        </p>
        <Form method="post" {...getFormProps(profileForm)}>
          <CsrfInput />
          <input type="hidden" name="intent" value="profile" />
          <FormErrors id={profileForm.errorId} errors={profileForm.errors} />
          <TextField meta={profileFields.displayName} label={t("signup.displayName")} autoComplete="name" />
          <div className="field">
            <label htmlFor={profileFields.bio.id}>{t("account.bio")}</label>
            <textarea {...getTextareaProps(profileFields.bio)} key={profileFields.bio.key} />
            <ErrorList id={profileFields.bio.errorId} errors={profileFields.bio.errors} />
          </div>
          <SubmitButton pending={submittingIntent === "profile"}>{t("common.save")}</SubmitButton>
        </Form>
      </section>

      <section className="card" aria-labelledby="password-heading">
        <h2 id="password-heading">{t("account.passwordTitle")}</h2>
        <Form method="post" {...getFormProps(passwordForm)}>
          <CsrfInput />
          <input type="hidden" name="intent" value="password" />
          <FormErrors id={passwordForm.errorId} errors={passwordForm.errors} />
          <TextField meta={passwordFields.currentPassword} label={t("account.currentPassword")} type="password" autoComplete="current-password" />
          <TextField meta={passwordFields.newPassword} label={t("account.newPassword")} type="password" hint={t("signup.passwordHint")} autoComplete="new-password" />
          <TextField meta={passwordFields.confirm} label={t("account.confirm")} type="password" autoComplete="new-password" />
          <SubmitButton pending={submittingIntent === "password"}>{t("account.changePassword")}</SubmitButton>
        </Form>
      </section>

      <section className="card" aria-labelledby="sessions-heading">
        <h2 id="sessions-heading">{t("account.sessions")}</h2>
        <p className="muted">{t("account.sessionsLead")}</p>
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">{t("account.sessions")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("account.device")}</th>
                <th scope="col">{t("account.address")}</th>
                <th scope="col">{t("account.started")}</th>
                <th scope="col">{t("account.lastActive")}</th>
                <th scope="col">
                  <span className="visually-hidden">{t("account.revoke")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {sessions.map((s) => (
                <tr key={s.id} data-testid="session-row">
                  <td>
                    {describeAgent(s.userAgent, t)} {s.current ? <span className="badge">{t("account.thisDevice")}</span> : null}
                  </td>
                  <td>{s.ip}</td>
                  <td>
                    <time dateTime={s.createdAt}>{format.dateTime(s.createdAt)}</time>
                  </td>
                  <td>
                    <time dateTime={s.lastSeenAt}>{format.dateTime(s.lastSeenAt)}</time>
                  </td>
                  <td>
                    <Form method="post">
                      <CsrfInput />
                      <input type="hidden" name="intent" value="revoke" />
                      <input type="hidden" name="sessionId" value={s.id} />
                      <button type="submit" className="button secondary small" aria-label={`${t("account.revoke")}: ${describeAgent(s.userAgent, t)}, ${format.dateTime(s.createdAt)}`}>
                        {t("account.revoke")}
                      </button>
                    </Form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <h3 style={{ marginTop: "1.25rem" }}>{t("account.everywhere")}</h3>
        <p className="muted">{t("account.everywhereLead")}</p>
        <Form method="post">
          <CsrfInput />
          <input type="hidden" name="intent" value="everywhere" />
          <SubmitButton className="button danger" pending={submittingIntent === "everywhere"}>
            {t("account.everywhere")}
          </SubmitButton>
        </Form>
      </section>
    </Page>
  );
}

function describeAgent(ua: string, t: TFunction): string {
  if (!ua) return t("i18n.unknownBrowser");
  const browser = /Firefox\//.test(ua) ? "Firefox" : /Edg\//.test(ua) ? "Edge" : /Chrom(e|ium)\//.test(ua) ? "Chrome" : /Safari\//.test(ua) ? "Safari" : ua.split(" ")[0]!.slice(0, 40);
  const os = /Windows/.test(ua) ? "Windows" : /Mac OS X/.test(ua) ? "macOS" : /Android/.test(ua) ? "Android" : /iPhone|iPad/.test(ua) ? "iOS" : /Linux/.test(ua) ? "Linux" : "";
  return os ? t("i18n.browserOn", { browser, os }) : browser;
}

import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { AccountTabs } from "~/components/account-tabs.tsx";
import { Avatar } from "~/components/avatar.tsx";
import { CsrfInput, ErrorList, FormErrors } from "~/components/forms.tsx";
import { Page } from "~/components/layout.tsx";
import { removeAvatar, uploadAvatar } from "~/modules/content/upload-image.server.ts";
import { requireUser } from "~/modules/users/sessions.server.ts";
import { readForm } from "~/utils/form.server.ts";
import { forwardRetryAfter } from "~/utils/headers.ts";
import { failureResponse } from "~/utils/http.server.ts";
import { submissionOf } from "~/utils/submission.server.ts";
import { pageTitle } from "~/utils/meta.ts";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "frontdoor.avatarTitle") }];
export const headers = forwardRetryAfter;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return json({ handle: user.handle, displayName: user.displayName, avatarKey: user.avatarKey }, { headers: { "Cache-Control": "private, no-store" } });
}

/** Upload (multipart, field "file", the body capped like /uploads) or remove the member's picture (ADR 052). */
export async function action({ request }: ActionFunctionArgs) {
  const formData = await readForm(request);
  const user = await requireUser(request);
  if (formData.get("intent") === "remove") {
    const removed = await removeAvatar(user.id);
    return removed.ok ? json({ ok: true as const, done: "removed" as const }) : failureResponse(removed);
  }
  const file = formData.get("file");
  if (!(file instanceof Blob) || file.size === 0) return json({ ok: false as const, kind: "invalid" as const, formErrors: [] as string[], fieldErrors: { file: ["messages.content.chooseImage"] } }, { status: 400 });
  const result = await uploadAvatar(user.id, { bytes: new Uint8Array(await file.arrayBuffer()) }, submissionOf(request, formData, user.id));
  if (!result.ok) return failureResponse(result);
  return json({ ok: true as const, done: "saved" as const });
}

export default function AvatarRoute() {
  const { t } = useTranslation();
  const { handle, displayName, avatarKey } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const pending = useNavigation().state === "submitting";
  const failed = actionData && !actionData.ok ? actionData : null;
  const fileErrors = failed && "fieldErrors" in failed ? (failed.fieldErrors as Record<string, string[] | undefined>).file : undefined;
  return (
    <Page>
      <h1>{t("frontdoor.avatarTitle")}</h1>
      <AccountTabs />
      <section className="card stack" aria-labelledby="avatar-heading">
        <h2 id="avatar-heading" className="visually-hidden">
          {t("frontdoor.avatarTitle")}
        </h2>
        <div className="profile-head">
          <Avatar handle={handle} name={displayName} avatarKey={avatarKey} size={96} />
          <p className="muted">{t("frontdoor.avatarLead")}</p>
        </div>
        {actionData?.ok ? <p role="status">{actionData.done === "saved" ? t("frontdoor.avatarSaved") : t("frontdoor.avatarRemoved")}</p> : null}
        {failed && failed.formErrors.length > 0 ? <FormErrors errors={failed.formErrors} /> : null}
        <Form method="post" encType="multipart/form-data" className="stack">
          <CsrfInput />
          <div className="field">
            <label htmlFor="avatar-file">{t("frontdoor.avatarFile")}</label>
            <input id="avatar-file" name="file" type="file" accept="image/png,image/jpeg,image/gif,image/webp" required aria-invalid={fileErrors ? true : undefined} aria-describedby={fileErrors ? "avatar-file-error" : undefined} />
            <ErrorList id="avatar-file-error" errors={fileErrors} />
          </div>
          <p>
            <button type="submit" className="button" disabled={pending}>
              {t("frontdoor.avatarUpload")}
            </button>
          </p>
        </Form>
        {avatarKey ? (
          <Form method="post">
            <CsrfInput />
            <input type="hidden" name="intent" value="remove" />
            <button type="submit" className="button secondary">
              {t("frontdoor.avatarRemove")}
            </button>
          </Form>
        ) : null}
      </section>
    </Page>
  );
}

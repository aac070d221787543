import { Link, useFetcher } from "@remix-run/react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { ThreadStateView } from "~/modules/thread-states/thread-state-view.ts";
import { CLOSE_REASONS } from "~/modules/thread-states/thread-states.schema.ts";
import { CsrfInput, FormErrors } from "./forms.tsx";

/**
 * Why a thread is closed (and, for a duplicate, a link to the original), and whether it is locked or
 * unlisted: shown above the question to everyone who can read the thread (ADR 048).
 */
export function ThreadStateBanner({ state }: { threadId: string; state: ThreadStateView }) {
  const { t } = useTranslation();
  if (!state.closed && !state.locked && !state.unlisted && !state.pinned) return null;
  return (
    <div className="card thread-state-banner" role="note" data-testid="thread-state-banner" style={{ marginBottom: "1rem" }}>
      {state.closed ? (
        <p>
          <strong>{t("threadStates.closedTitle")}</strong> {t(`threadStates.reason.${state.closedReason ?? "off_topic"}`)}
          {state.duplicateOf ? (
            <>
              {" "}
              {t("threadStates.duplicateOf")} <Link to={`/questions/${state.duplicateOf.id}/${state.duplicateOf.slug}`}>{state.duplicateOf.title}</Link>
            </>
          ) : null}
        </p>
      ) : null}
      {state.locked ? <p>{t("threadStates.lockedNote")}</p> : null}
      {state.unlisted ? <p className="muted">{t("threadStates.unlistedNote")}</p> : null}
      {state.pinned ? (
        <p className="muted">
          {state.pinned.global ? t("threadStates.pinnedGlobally") : t("threadStates.pinnedInCategory")}
          {state.pinned.until ? ` ${t("threadStates.pinnedUntil", { date: state.pinned.until.slice(0, 10) })}` : ""}
        </p>
      ) : null}
    </div>
  );
}

type Can = { manageState: boolean; voteToClose: boolean };

/** One small form to POST /questions/<id>/state; its refusal is shown beside it. */
function StateForm({ threadId, intent, label, children }: { threadId: string; intent: string; label: string; children?: ReactNode }) {
  const fetcher = useFetcher<{ ok: false; formErrors: string[]; fieldErrors: Record<string, string[]> }>();
  const errors = fetcher.data && !fetcher.data.ok ? [...fetcher.data.formErrors, ...Object.values(fetcher.data.fieldErrors ?? {}).flat()] : [];
  return (
    <fetcher.Form method="post" action={`/questions/${threadId}/state`} className="inline-form" data-intent={intent}>
      <CsrfInput once={false} />
      <input type="hidden" name="intent" value={intent} />
      {children}
      <button type="submit" className="button secondary small" disabled={fetcher.state !== "idle"}>
        {label}
      </button>
      {errors.length > 0 ? <FormErrors errors={errors} /> : null}
    </fetcher.Form>
  );
}

function ReasonFields({ id }: { id: string }) {
  const { t } = useTranslation();
  return (
    <>
      <label htmlFor={`${id}-reason`}>{t("threadStates.reasonLabel")}</label>
      <select id={`${id}-reason`} name="reason" defaultValue="off_topic">
        {CLOSE_REASONS.map((r) => (
          <option key={r} value={r}>
            {t(`threadStates.reason.${r}`)}
          </option>
        ))}
      </select>
      <label htmlFor={`${id}-original`}>{t("threadStates.originalLabel")}</label>
      <input id={`${id}-original`} name="duplicateOf" type="text" maxLength={2000} placeholder="/questions/…" />
    </>
  );
}

/**
 * The thread-state controls: moderators, staff and admins get every action; members with the "vote to
 * close" privilege get the close / reopen vote. Nothing for anyone else (the use cases refuse anyway).
 */
export function ThreadStateActions({ threadId, state, can, categories }: { threadId: string; state: ThreadStateView; can: Can; categories: { id: number; name: string }[] }) {
  const { t } = useTranslation();
  if (!can.manageState && !can.voteToClose) return null;
  if (!can.manageState) {
    return (
      <details className="thread-state-actions">
        <summary>{state.closed ? t("threadStates.voteToReopen") : t("threadStates.voteToClose")}</summary>
        {state.closed ? (
          <StateForm threadId={threadId} intent="reopen" label={t("threadStates.voteToReopen")} />
        ) : (
          <StateForm threadId={threadId} intent="close" label={t("threadStates.voteToClose")}>
            <ReasonFields id="vote-close" />
          </StateForm>
        )}
      </details>
    );
  }
  return (
    <details className="thread-state-actions">
      <summary>{t("threadStates.moderate")}</summary>
      <div className="stack">
        {state.closed ? (
          <StateForm threadId={threadId} intent="reopen" label={t("threadStates.reopen")} />
        ) : (
          <StateForm threadId={threadId} intent="close" label={t("threadStates.close")}>
            <ReasonFields id="close" />
          </StateForm>
        )}
        <StateForm threadId={threadId} intent={state.locked ? "unlock" : "lock"} label={state.locked ? t("threadStates.unlock") : t("threadStates.lock")} />
        {state.pinned ? (
          <StateForm threadId={threadId} intent="unpin" label={t("threadStates.unpin")} />
        ) : (
          <StateForm threadId={threadId} intent="pin" label={t("threadStates.pin")}>
            <label htmlFor="pin-scope">{t("threadStates.pinScope")}</label>
            <select id="pin-scope" name="scope" defaultValue="category">
              <option value="category">{t("threadStates.pinInCategory")}</option>
              <option value="global">{t("threadStates.pinEverywhere")}</option>
            </select>
            <label htmlFor="pin-until">{t("threadStates.pinUntilLabel")}</label>
            <input id="pin-until" name="until" type="date" />
          </StateForm>
        )}
        <StateForm threadId={threadId} intent={state.unlisted ? "list" : "unlist"} label={state.unlisted ? t("threadStates.list") : t("threadStates.unlist")} />
        <StateForm threadId={threadId} intent="move" label={t("threadStates.move")}>
          <label htmlFor="move-category">{t("threadStates.moveLabel")}</label>
          <select id="move-category" name="categoryId" defaultValue={String(state.categoryId)}>
            {categories.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </StateForm>
        <StateForm threadId={threadId} intent="merge" label={t("threadStates.merge")}>
          <label htmlFor="merge-target">{t("threadStates.mergeLabel")}</label>
          <input id="merge-target" name="target" type="text" maxLength={2000} required placeholder="/questions/…" />
        </StateForm>
      </div>
    </details>
  );
}

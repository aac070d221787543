import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CsrfInput, FormErrors } from "~/components/forms.tsx";
import { Page } from "~/components/layout.tsx";
import { decideReview } from "~/modules/flags/decide-review.server.ts";
import { canReview } from "~/modules/flags/flags.policy.ts";
import { REVIEW_OUTCOMES } from "~/modules/flags/flags.schema.ts";
import { listReviewQueue, type ReviewItem } from "~/modules/flags/review-queries.server.ts";
import { IdParam } from "~/modules/questions/questions.schema.ts";
import type { Role } from "~/modules/users/roles.ts";
import { getCurrentUser, requireUser, touchSession } from "~/modules/users/sessions.server.ts";
import { canSuspend } from "~/modules/users/users.policy.ts";
import { readForm } from "~/utils/form.server.ts";
import { failureResponse, invariantResponse } from "~/utils/http.server.ts";
import { useFormat } from "~/utils/intl.ts";
import { submissionOf } from "~/utils/submission.server.ts";
import { postPath } from "~/modules/seo/seo-urls.ts";
import { pageTitle } from "~/utils/meta.ts";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "flags.reviewTitle") }];

/** The review queue (issue 19): moderators, staff and admins only; `after` skips past items (a cursor). */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  invariantResponse(canReview(user), "messages.flags.queueForbidden", 403);
  const after = new URL(request.url).searchParams.get("after");
  const cursor = after ? IdParam.safeParse(after) : null;
  invariantResponse(!cursor || cursor.success, "messages.flags.badCursor", 400);
  const queue = await listReviewQueue(cursor?.success ? cursor.data : null);
  return json({
    ...queue,
    items: queue.items.map((item) => ({ ...item, can: { suspend: canSuspend(user, { id: item.author.id, role: item.author.role as Role }) } })),
    now: Date.now(),
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const formData = await readForm(request);
  // A visitor's or member's POST is refused outright (403), not sent to sign in: nobody gets here from a form of theirs.
  const user = await getCurrentUser(request);
  const postId = IdParam.safeParse(String(formData.get("postId") ?? ""));
  // Thrown, not returned: the page's loader would otherwise run next and send a visitor to sign in.
  invariantResponse(user && canReview(user), "messages.flags.reviewForbidden", 403);
  if (!postId.success) return failureResponse({ ok: false, kind: "not-found", message: "messages.common.noSuchPost" });
  await touchSession(user.sessionId);
  const result = await decideReview(user, postId.data, Object.fromEntries(formData), submissionOf(request, formData, user.id));
  if (!result.ok) return failureResponse(result, { postId: postId.data.toString() });
  const notice = result.value.decision === "disagree" ? "flags.decided.disagree" : result.value.suspended ? "flags.decided.agreeSuspended" : "flags.decided.agree";
  return json({ ok: true as const, notice });
}

type Item = ReviewItem & { can: { suspend: boolean } };

function ReviewCard({ item, now }: { item: Item; now: number }) {
  const { t } = useTranslation();
  const { timeAgo } = useFormat();
  const pending = useNavigation().state === "submitting";
  const headingId = `review-${item.postId}`;
  return (
    <article className="card review-item" aria-labelledby={headingId} data-testid={`review-${item.postId}`}>
      <h2 id={headingId} style={{ fontSize: "1.05rem" }}>
        {t(`flags.kinds.${item.kind}`)}: <Link to={postPath(`/questions/${item.threadId}/${item.threadSlug}`, item.postId)}>{item.threadTitle}</Link>
      </h2>
      <p className="muted">
        {item.hidden ? <span className="badge">{t("flags.hiddenNow")}</span> : null} {item.heldFor ? <span className="badge">{t(`flags.held.${item.heldFor}`)}</span> : null}
      </p>
      <div className="review-body rich-text" dangerouslySetInnerHTML={{ __html: item.bodyHtml }} />
      {item.flags.length > 0 ? (
        <>
          <h3 style={{ fontSize: "1rem" }}>{t("flags.flagsOnPost")}</h3>
          <ul className="review-flags">
            {item.flags.map((f, i) => (
              <li key={i}>
                <strong>{t(`flags.reasons.${f.reason}`)}</strong> {t("flags.by", { handle: f.flaggerHandle })} · {timeAgo(f.createdAt, now)}
                {f.detail ? <div className="muted">{f.detail}</div> : null}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <p>
        <strong>{t("flags.author")}:</strong> <Link to={`/u/${item.author.handle}`}>{item.author.displayName}</Link> (@{item.author.handle}) —{" "}
        {t("flags.history", { joined: timeAgo(item.author.joinedAt, now), reputation: item.author.reputation, posts: item.author.postCount, agreed: item.author.flagsAgreed })}
      </p>
      <div className="review-actions">
        <Form method="post" aria-label={`${t("flags.agreeLegend")}: ${item.threadTitle}`}>
          <CsrfInput />
          <input type="hidden" name="postId" value={item.postId} />
          <input type="hidden" name="decision" value="agree" />
          <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
            <legend>{t("flags.outcome")}</legend>
            {REVIEW_OUTCOMES.map((o) => (
              <label key={o} className="radio">
                <input type="radio" name="outcome" value={o} defaultChecked={o === "hide"} /> {t(`flags.outcomes.${o}`)}
              </label>
            ))}
          </fieldset>
          {item.can.suspend ? (
            <>
              <label className="radio">
                <input type="checkbox" name="suspend" /> {t("flags.suspendAuthor")}
              </label>
              <label htmlFor={`days-${item.postId}`}>{t("flags.suspendDays")}</label>
              <input id={`days-${item.postId}`} type="number" name="suspendDays" min={1} max={3650} inputMode="numeric" style={{ maxWidth: "8rem" }} />
              <label htmlFor={`reason-${item.postId}`}>{t("flags.suspendReason")}</label>
              <input id={`reason-${item.postId}`} type="text" name="suspendReason" maxLength={300} />
            </>
          ) : null}
          <button type="submit" className="button small" disabled={pending}>
            {t("flags.agree")}
          </button>
        </Form>
        <Form method="post">
          <CsrfInput />
          <input type="hidden" name="postId" value={item.postId} />
          <input type="hidden" name="decision" value="disagree" />
          <button type="submit" className="button secondary small" disabled={pending}>
            {item.flags.length === 0 ? t("flags.approve") : t("flags.disagree")}
          </button>
        </Form>
        <Link to={`?after=${item.postId}`} className="button secondary small">
          {t("flags.skip")}
        </Link>
      </div>
    </article>
  );
}

export default function ReviewRoute() {
  const { t } = useTranslation();
  const { items, nextAfter, total, now } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <Page>
      <h1>{t("flags.reviewTitle")}</h1>
      <p className="muted">{t("flags.reviewIntro")}</p>
      {actionData && actionData.ok ? (
        <p className="notice" role="status">
          {t(actionData.notice)}
        </p>
      ) : null}
      {actionData && !actionData.ok ? <FormErrors errors={[...actionData.formErrors, ...Object.values(actionData.fieldErrors as Record<string, string[]>).flat()]} /> : null}
      <p>{t("flags.reviewCount", { count: total })}</p>
      {items.length === 0 ? <p className="card">{t("flags.reviewEmpty")}</p> : items.map((item) => <ReviewCard key={item.postId} item={item} now={now} />)}
      {nextAfter ? (
        <p>
          <Link to={`?after=${nextAfter}`}>{t("common.next")}</Link>
        </p>
      ) : null}
    </Page>
  );
}

import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Avatar } from "~/components/avatar.tsx";
import { BadgeName } from "~/components/badge-name.tsx";
import { CsrfInput, ErrorList, FormErrors } from "~/components/forms.tsx";
import { Page } from "~/components/layout.tsx";
import { awardBonus } from "~/modules/reputation/award-bonus.server.ts";
import { canAwardBonus } from "~/modules/reputation/reputation.policy.ts";
import { getReputationProfile } from "~/modules/reputation/reputation-queries.server.ts";
import { hasPrivilege, THRESHOLDS, type Privilege } from "~/modules/reputation/thresholds.ts";
import { getCurrentUser, requireUser } from "~/modules/users/sessions.server.ts";
import { canEditProfile } from "~/modules/users/users.policy.ts";
import { getPublicProfile } from "~/modules/users/users-queries.server.ts";
import { getProfileActivity } from "~/modules/users/profile-queries.server.ts";
import { readForm } from "~/utils/form.server.ts";
import { submissionOf } from "~/utils/submission.server.ts";
import { failureResponse, invariantResponse } from "~/utils/http.server.ts";
import { shortestLength } from "~/modules/content/text-length.ts";
import { seoMeta } from "~/modules/seo/seo-meta.ts";
import { pageTitle } from "~/utils/meta.ts";
import { useFormat } from "~/utils/intl.ts";
import { postPath } from "~/modules/seo/seo-urls.ts";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  data
    ? seoMeta({
        matches,
        title: `${data.profile.displayName} (@${data.profile.handle})`,
        documentTitle: pageTitle(matches, "profile.title", { name: data.profile.displayName, handle: data.profile.handle }),
        description: data.profile.bio || `${data.profile.displayName}'s questions, answers and badges.`,
        path: `/u/${data.profile.handle}`,
        type: "profile",
      })
    : [{ title: pageTitle(matches, "errors.notFoundTitle") }];

async function loadProfile(handle: string) {
  invariantResponse(/^[a-zA-Z0-9_-]{1,30}$/.test(handle), "messages.common.noSuchMember", 404);
  const profile = await getPublicProfile(handle);
  invariantResponse(profile, "messages.common.noSuchMember", 404);
  return profile;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const [profile, viewer] = await Promise.all([loadProfile(params.handle ?? ""), getCurrentUser(request)]);
  const [reputation, activity] = await Promise.all([getReputationProfile(profile.id, profile.expertCategoryIds), getProfileActivity(profile.id)]);
  const privileges = (Object.keys(THRESHOLDS) as Privilege[]).map((p) => ({ key: p, needs: THRESHOLDS[p], unlocked: hasPrivilege(profile, p) }));
  return json({ profile, reputation, activity, now: Date.now(), privileges, can: { edit: canEditProfile(viewer, profile), bonus: canAwardBonus(viewer, profile) } });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const formData = await readForm(request);
  const user = await requireUser(request);
  const profile = await loadProfile(params.handle ?? "");
  const result = await awardBonus(user.id, profile.id, { points: formData.get("points"), reason: formData.get("reason") }, submissionOf(request, formData, user.id));
  if (!result.ok) return failureResponse(result, { values: { points: String(formData.get("points") ?? ""), reason: String(formData.get("reason") ?? "") } });
  return json({ ok: true as const });
}

export default function ProfileRoute() {
  const { t } = useTranslation();
  const format = useFormat();
  const { profile, reputation, activity, now, privileges, can } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const failed = actionData && !actionData.ok ? actionData : null;
  return (
    <Page>
      <article className="card stack" aria-labelledby="profile-name">
        <div className="profile-head">
          <Avatar handle={profile.handle} name={profile.displayName} avatarKey={profile.avatarKey} size={96} />
          <div>
            <h1 id="profile-name">{profile.displayName}</h1>
            <p className="muted">
              @{profile.handle}
              {profile.role !== "member" ? (
                <>
                  {" "}
                  · <span className={`badge role-${profile.role}`}>{t(`roles.${profile.role}`)}</span>
                </>
              ) : null}
            </p>
            {reputation.expertIn.length > 0 ? (
              <p className="expert-line" data-testid="profile-expert">
                {reputation.expertIn.map((c) => (
                  <Link key={c.slug} to={`/categories/${c.slug}`} className="expert-mark-text">
                    <span aria-hidden="true">★ </span>
                    {t("users.expertIn", { category: c.name })}
                  </Link>
                ))}
              </p>
            ) : null}
          </div>
        </div>
        <dl className="profile-stats" aria-label={t("frontdoor.summary")}>
          <div>
            <dt>{t("reputation.profileReputation")}</dt>
            <dd data-testid="reputation">{profile.reputation}</dd>
          </div>
          <div>
            <dt>{t("reputation.answers")}</dt>
            <dd>{reputation.answerCount}</dd>
          </div>
          <div>
            <dt>{t("frontdoor.answersAccepted")}</dt>
            <dd data-testid="answers-accepted">{reputation.acceptedCount}</dd>
          </div>
          <div>
            <dt>{t("frontdoor.helpfulVotes")}</dt>
            <dd data-testid="helpful-votes">{activity.helpfulVotes}</dd>
          </div>
          <div>
            <dt>{t("frontdoor.memberSince")}</dt>
            <dd>
              <time dateTime={profile.joinedAt}>{profile.joinedAt.slice(0, 10)}</time>
            </dd>
          </div>
          <div>
            <dt>{t("frontdoor.lastSeen")}</dt>
            <dd data-testid="last-seen">{profile.lastSeenAt ? <time dateTime={profile.lastSeenAt}>{format.timeAgo(profile.lastSeenAt, now)}</time> : t("frontdoor.lastSeenNever")}</dd>
          </div>
        </dl>
        <p style={{ whiteSpace: "pre-wrap" }}>{profile.bio || <span className="muted">{t("profile.noBio")}</span>}</p>
        {can.edit ? (
          <p>
            <Link to="/account">{t("profile.edit")}</Link>
          </p>
        ) : null}
      </article>

      <section className="card" aria-labelledby="questions-heading">
        <h2 id="questions-heading">{t("frontdoor.profileQuestions")}</h2>
        {activity.questions.length === 0 ? (
          <p className="muted">{t("frontdoor.noQuestions")}</p>
        ) : (
          <ul className="answer-list" data-testid="profile-questions">
            {activity.questions.map((q) => (
              <li key={q.id}>
                {q.resolved ? <span className="badge resolved-badge">{t("questions.resolved")}</span> : null} <Link to={`/questions/${q.id}/${q.slug}`}>{q.title}</Link>{" "}
                <span className="muted">{t("questions.answers", { count: q.answerCount })}</span>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="card" aria-labelledby="answers-heading">
        <h2 id="answers-heading">{t("reputation.recentAnswers")}</h2>
        {reputation.answers.length === 0 ? (
          <p className="muted">{t("reputation.noAnswers")}</p>
        ) : (
          <ul className="answer-list">
            {reputation.answers.map((a) => (
              <li key={a.id}>
                {a.accepted ? <span className="badge resolved-badge">{t("reputation.acceptedMark")}</span> : null} <Link to={postPath(`/questions/${a.thread.id}/${a.thread.slug}`, a.id)}>{a.thread.title}</Link>{" "}
                <span className="muted">{t("reputation.score", { score: a.score })}</span>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="card" aria-labelledby="badges-heading">
        <h2 id="badges-heading">{t("reputation.badges")}</h2>
        {reputation.badges.length === 0 ? (
          <p className="muted">{t("reputation.noBadges")}</p>
        ) : (
          <ul className="badge-list">
            {reputation.badges.map((b, i) => (
              <li key={`${b.badge}-${i}`}>
                <BadgeName badge={b.badge} level={b.level} suffix={b.category ? t("reputation.inCategory", { category: b.category.name }) : undefined} />
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="card" aria-labelledby="history-heading">
        <h2 id="history-heading">{t("reputation.history")}</h2>
        <p className="muted">{t("reputation.historyIntro")}</p>
        {reputation.history.length === 0 ? (
          <p>{t("reputation.noHistory")}</p>
        ) : (
          <div className="table-scroll">
            <table className="history">
              <caption className="visually-hidden">{t("reputation.viewHistory", { name: profile.displayName })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("reputation.when")}</th>
                  <th scope="col">{t("reputation.what")}</th>
                  <th scope="col">{t("reputation.change")}</th>
                </tr>
              </thead>
              <tbody>
                {reputation.history.map((h) => {
                  const label = t(`reputation.reason.${h.reason}`);
                  return (
                    <tr key={h.id}>
                      <td>
                        <time dateTime={h.createdAt}>{h.createdAt.slice(0, 10)}</time>
                      </td>
                      <td>
                        {h.reversal ? t("reputation.undone", { reason: label }) : label}
                        {h.note ? `: ${h.note}` : null}
                        {h.thread ? (
                          <>
                            {" · "}
                            <Link to={h.thread.postId ? postPath(`/questions/${h.thread.id}/${h.thread.slug}`, h.thread.postId) : `/questions/${h.thread.id}/${h.thread.slug}`}>{h.thread.title}</Link>
                          </>
                        ) : null}
                      </td>
                      <td className={h.points > 0 ? "points-up" : h.points < 0 ? "points-down" : undefined}>{h.points > 0 ? `+${h.points}` : h.points}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section className="card" aria-labelledby="privileges-heading">
        <h2 id="privileges-heading">{t("reputation.privileges")}</h2>
        <p className="muted">{t("reputation.privilegesIntro")}</p>
        <ul className="privilege-list">
          {privileges.map((p) => (
            <li key={p.key}>
              <span aria-hidden="true">{p.unlocked ? "✓" : "○"} </span>
              {t(`reputation.privilege.${p.key}`)} <span className="muted">({t("reputation.needs", { count: p.needs })})</span> <span className="visually-hidden">{p.unlocked ? t("reputation.unlocked") : t("reputation.locked")}</span>
            </li>
          ))}
        </ul>
      </section>

      {can.bonus ? (
        <section className="card" aria-labelledby="bonus-heading">
          <h2 id="bonus-heading">{t("reputation.bonusTitle")}</h2>
          {actionData?.ok ? <p role="status">{t("reputation.bonusDone")}</p> : null}
          {failed && failed.kind !== "invalid" ? <FormErrors errors={failed.formErrors} /> : null}
          <Form method="post" className="stack bonus-form">
            <CsrfInput />
            <div className="field">
              <label htmlFor="bonus-points">{t("reputation.bonusPoints")}</label>
              <input id="bonus-points" name="points" type="number" step={1} min={-1000} max={1000} required defaultValue={failed?.values?.points ?? ""} aria-invalid={failed?.fieldErrors.points ? true : undefined} aria-describedby={failed?.fieldErrors.points ? "bonus-points-error" : undefined} />
              <ErrorList id="bonus-points-error" errors={failed?.fieldErrors.points} />
            </div>
            <div className="field">
              <label htmlFor="bonus-reason">{t("reputation.bonusReason")}</label>
              <input id="bonus-reason" name="reason" type="text" minLength={shortestLength(5)} maxLength={200} required defaultValue={failed?.values?.reason ?? ""} aria-invalid={failed?.fieldErrors.reason ? true : undefined} aria-describedby={failed?.fieldErrors.reason ? "bonus-reason-error" : undefined} />
              <ErrorList id="bonus-reason-error" errors={failed?.fieldErrors.reason} />
            </div>
            <p>
              <button type="submit" className="button">
                {t("reputation.bonusSubmit")}
              </button>
            </p>
          </Form>
        </section>
      ) : null}
    </Page>
  );
}

import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Trans, useTranslation } from "react-i18next";
import { useAuthenticityToken } from "remix-utils/csrf/react";
import { CsrfInput, ErrorList, FormErrors } from "~/components/forms.tsx";
import { Page } from "~/components/layout.tsx";
import { usePageView } from "~/components/use-page-view.ts";
import { UserName } from "~/components/user-name.tsx";
import { CategoryAndTags } from "~/components/thread-list.tsx";
import { assignArticleOwner } from "~/modules/kb/assign-owner.server.ts";
import { archiveArticle, publishArticle } from "~/modules/kb/change-article-status.server.ts";
import { giveFeedback, visitorKeyOf } from "~/modules/kb/give-feedback.server.ts";
import { getArticleByOldAddress, getArticlePage, listOwnerCandidates } from "~/modules/kb/kb-queries.server.ts";
import { articlePath } from "~/modules/kb/kb.schema.ts";
import { articleSeo } from "~/modules/seo/page-seo.server.ts";
import { seoMeta } from "~/modules/seo/seo-meta.ts";
import { canManageArticles, canReadArticle } from "~/modules/kb/kb.policy.ts";
import { FEEDBACK_COMMENT_MAX } from "~/modules/kb/kb.schema.ts";
import { IdParam } from "~/modules/questions/questions.schema.ts";
import { getCurrentUser, requireUser } from "~/modules/users/sessions.server.ts";
import { readForm } from "~/utils/form.server.ts";
import { failureResponse, invariantResponse, redirect, type Result } from "~/utils/http.server.ts";
import { ensureVisitorId, readVisitorId } from "~/utils/visitor.server.ts";
import { pageTitle } from "~/utils/meta.ts";
import { useFormat } from "~/utils/intl.ts";
import { contentLanguage } from "~/modules/content/content-language.server.ts";
import { langAttr } from "~/modules/content/content-lang.ts";
import { htmlForData, htmlKey, SanitizedHtml } from "~/utils/document-html.tsx";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  if (!data) return [{ title: pageTitle(matches, "errors.notFoundTitle") }];
  return seoMeta({ matches, title: data.article.title, documentTitle: pageTitle(matches, { text: data.article.title }), description: data.seo.description, path: data.canonicalPath, type: "article", noindex: data.seo.noindex, jsonLd: data.seo.jsonLd, feeds: [{ title: "Knowledge base", path: "/feeds/kb" }] });
};

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await getCurrentUser(request);
  const visitor = await ensureVisitorId(request);
  const article = await getArticlePage(params.category ?? "", params.slug ?? "", visitorKeyOf({ userId: user?.id ?? null, anonId: visitor.id }));
  if (!article) {
    // An address the article had before a retitle or a move answers 301 to its current one (ADR 053).
    const moved = await getArticleByOldAddress(params.category ?? "", params.slug ?? "");
    if (moved && canReadArticle(user, moved)) throw redirect(moved.path, 301);
  }
  // Drafts and archived articles answer 404 to people who cannot read them, not 403.
  invariantResponse(article && canReadArticle(user, article), "messages.common.articleMissing", 404);
  const canonicalPath = articlePath({ categorySlug: article.category.slug, slug: article.slug });
  const manage = canManageArticles(user);
  const { helpfulYes, helpfulNo, bodyText: _bodyText, ...rest } = article;
  return json(
    {
      article: {
        ...rest,
        lang: contentLanguage(`${article.title} ${article.html.replace(/<[^>]+>/g, " ")}`),
        // In the page's markup once, not again in its hydration data (ADR 085).
        html: htmlForData(context, htmlKey.article(article.id), article.html),
        sources: rest.sources.map((source) => ({ ...source, lang: contentLanguage(source.title) })),
      },
      // Helpfulness is for the people who keep articles right.
      helpfulness: manage ? { yes: helpfulYes, no: helpfulNo } : null,
      owners: manage ? await listOwnerCandidates() : [],
      can: { manage },
      canonicalPath,
      seo: articleSeo({ path: canonicalPath, article }),
    },
    { headers: visitor.setCookie ? { "Set-Cookie": visitor.setCookie } : {} },
  );
}

export async function action({ request }: ActionFunctionArgs) {
  const formData = await readForm(request);
  const intent = String(formData.get("intent") ?? "");
  const id = IdParam.safeParse(String(formData.get("articleId") ?? ""));
  if (!id.success) return failureResponse({ ok: false, kind: "not-found", message: "messages.common.noSuchArticle" }, { intent });
  const input = Object.fromEntries(formData);
  let result: Result<unknown>;
  if (intent === "feedback") {
    const user = await getCurrentUser(request);
    result = await giveFeedback(id.data, { userId: user?.id ?? null, anonId: await readVisitorId(request) }, input);
  } else {
    const user = await requireUser(request);
    if (intent === "publish") result = await publishArticle(user.id, id.data);
    else if (intent === "archive") result = await archiveArticle(user.id, id.data);
    else if (intent === "owner") result = await assignArticleOwner(user.id, id.data, input);
    else return failureResponse({ ok: false, kind: "invalid", fieldErrors: {}, formErrors: ["messages.common.unknownAction"] }, { intent });
  }
  if (!result.ok) return failureResponse(result, { intent });
  return json({ ok: true as const, intent, formErrors: [] as string[], fieldErrors: {} as Record<string, string[]> });
}

function Feedback({ articleId, title, mine }: { articleId: string; title: string; mine: { helpful: boolean; comment: string } | null }) {
  const { t } = useTranslation();
  const actionData = useActionData<typeof action>();
  const pending = useNavigation().state === "submitting";
  const failed = actionData && !actionData.ok && actionData.intent === "feedback" ? actionData : null;
  const thanked = actionData?.ok && actionData.intent === "feedback";
  return (
    <section className="card kb-feedback" aria-labelledby="feedback-title">
      <h2 id="feedback-title">{t("kb.feedback.question")}</h2>
      <Form method="post" preventScrollReset>
        <CsrfInput />
        <input type="hidden" name="intent" value="feedback" />
        <input type="hidden" name="articleId" value={articleId} />
        <FormErrors errors={failed?.formErrors} />
        <div className="field">
          <label htmlFor="feedback-comment">{t("kb.feedback.commentLabel")}</label>
          <span id="feedback-comment-hint" className="hint">
            {t("kb.feedback.commentHint")}
          </span>
          <textarea id="feedback-comment" name="comment" rows={2} maxLength={FEEDBACK_COMMENT_MAX} defaultValue={mine && !mine.helpful ? mine.comment : ""} aria-describedby={failed?.fieldErrors?.comment ? "feedback-comment-hint feedback-comment-error" : "feedback-comment-hint"} />
          <ErrorList id="feedback-comment-error" errors={failed?.fieldErrors?.comment} />
        </div>
        <div className="inline-form">
          <button type="submit" name="helpful" value="yes" className="button secondary" aria-pressed={mine?.helpful === true} disabled={pending}>
            {t("kb.feedback.yes")}
          </button>
          <button type="submit" name="helpful" value="no" className="button secondary" aria-pressed={mine?.helpful === false} disabled={pending}>
            {t("kb.feedback.no")}
          </button>
        </div>
      </Form>
      {mine ? (
        <p role="status" className="muted kb-feedback-status">
          {thanked ? `${t("kb.feedback.thanks")} ` : ""}
          {t(mine.helpful ? "kb.feedback.youSaidYes" : "kb.feedback.youSaidNo")}
        </p>
      ) : null}
      {mine && !mine.helpful ? (
        <>
        <p className="still-need-help">
          <Link to={`/support/new?source=article&articleId=${articleId}`}>{t("support.stillNeedHelp")}</Link> <span className="muted">{t("support.stillNeedHelpHint")}</span>
        </p>
        <p data-testid="kb-not-helpful-next">
          {/* "No" is not a dead end: the community is one step away, with the article's subject as a start. */}
          <Trans
            i18nKey="frontdoor.kbNoCommunity"
            components={{ 1: <Link to={`/questions/new?q=${encodeURIComponent(title)}`} />, 3: <Link to={`/search?q=${encodeURIComponent(title)}&type=thread`} /> }}
          />
        </p>
        </>
      ) : null}
    </section>
  );
}

function StaffPanel() {
  const { t } = useTranslation();
  const { article, helpfulness, owners } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const failed = actionData && !actionData.ok && actionData.intent !== "feedback" ? actionData : null;
  const total = helpfulness ? helpfulness.yes + helpfulness.no : 0;
  return (
    <aside className="card kb-staff" aria-labelledby="staff-panel">
      <h2 id="staff-panel">{t("kb.staffPanel")}</h2>
      <FormErrors errors={failed?.formErrors} />
      <dl className="kb-facts">
        <dt>{t("kb.statusLabel")}</dt>
        <dd>
          <span className="badge">{t(`kb.status.${article.status}`)}</span>
        </dd>
        <dt>{t("kb.helpfulness")}</dt>
        <dd data-testid="helpfulness">{total === 0 ? t("kb.noFeedback") : t("kb.helpfulCounts", { yes: helpfulness!.yes, no: helpfulness!.no, share: Math.round((100 * helpfulness!.yes) / total) })}</dd>
        <dt>{t("kb.viewsLabel")}</dt>
        <dd>{article.viewCount}</dd>
        <dt>{t("kb.form.reviewBy")}</dt>
        <dd>{article.reviewBy ?? "—"}</dd>
      </dl>
      <div className="inline-form">
        <Link className="button secondary small" to={`/kb/articles/${article.id}/edit`}>
          {t("questions.edit")}
        </Link>
        {article.status !== "published" ? (
          <Form method="post">
            <CsrfInput />
            <input type="hidden" name="articleId" value={article.id} />
            <button type="submit" name="intent" value="publish" className="button small">
              {t("kb.publish")}
            </button>
          </Form>
        ) : null}
        {article.status !== "archived" ? (
          <Form method="post">
            <CsrfInput />
            <input type="hidden" name="articleId" value={article.id} />
            <button type="submit" name="intent" value="archive" className="button secondary small">
              {t("kb.archive")}
            </button>
          </Form>
        ) : null}
      </div>
      <Form method="post" className="inline-form" style={{ marginTop: "0.75rem" }}>
        <CsrfInput />
        <input type="hidden" name="articleId" value={article.id} />
        <input type="hidden" name="intent" value="owner" />
        <label htmlFor="ownerId">{t("kb.owner")}</label>
        <select id="ownerId" name="ownerId" defaultValue={article.ownerId} aria-describedby={failed?.fieldErrors?.ownerId ? "ownerId-error" : undefined}>
          {owners.map((o) => (
            <option key={o.id} value={o.id}>
              {o.displayName} ({t(`roles.${o.role}`)})
            </option>
          ))}
        </select>
        <button type="submit" className="button secondary small">
          {t("kb.assignOwner")}
        </button>
        <ErrorList id="ownerId-error" errors={failed?.fieldErrors?.ownerId} />
      </Form>
    </aside>
  );
}

export default function ArticleRoute() {
  const { t, i18n } = useTranslation();
  const format = useFormat();
  const { article, can } = useLoaderData<typeof loader>();
  const csrfToken = useAuthenticityToken();
  // Count the view after the page is shown, like thread views: the GET itself writes nothing; then the time on page (ADR 072).
  usePageView("article", article.id, csrfToken, article.status === "published");

  return (
    <Page>
      <nav aria-label={t("kb.breadcrumbs")} className="muted">
        <Link to="/kb">{t("kb.title")}</Link> › <span translate="no">{article.category.name}</span>
      </nav>
      <article className="kb-article" aria-labelledby="article-title">
        <header className="stack" style={{ marginBottom: "1rem" }}>
          <h1 id="article-title">
            {article.status !== "published" ? <span className="badge">{t(`kb.status.${article.status}`)}</span> : null} <span lang={langAttr(article.lang, i18n.language)}>{article.title}</span>
          </h1>
          <div className="thread-meta">
            <CategoryAndTags category={article.category} tags={article.tags} />
            <span className="muted">
              {article.owner ? (
                <>
                  {t("kb.ownedBy")} <UserName user={article.owner} /> ·{" "}
                </>
              ) : null}
              {t("kb.updated", { date: format.date(article.updatedAt) })} · <Link to={`/kb/articles/${article.id}/revisions`}>{t("questions.history")}</Link>
            </span>
          </div>
        </header>
        <SanitizedHtml htmlKey={htmlKey.article(article.id)} html={article.html} className="card rich-text" lang={langAttr(article.lang, i18n.language)} />
        {article.sources.length > 0 ? (
          <section className="card kb-sources" aria-labelledby="sources-title">
            <h2 id="sources-title">{t("kb.sources.title")}</h2>
            <ul>
              {article.sources.map((s) => (
                <li key={s.id} data-testid="article-source">
                  <Link to={s.path} lang={langAttr(s.lang, i18n.language)}>
                    {s.title}
                  </Link>
                  {s.credited ? (
                    <span className="muted">
                      {" "}
                      — {t("kb.sources.answerBy")} <UserName user={s.credited} />
                    </span>
                  ) : null}
                </li>
              ))}
            </ul>
          </section>
        ) : null}
      </article>
      {article.status === "published" ? <Feedback articleId={article.id} title={article.title} mine={article.myFeedback} /> : null}
      {can.manage ? <StaffPanel /> : null}
    </Page>
  );
}

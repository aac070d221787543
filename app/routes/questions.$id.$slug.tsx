import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useFetcher, useLoaderData, useLocation, useNavigate, useNavigation } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { useAuthenticityToken } from "remix-utils/csrf/react";
import { CsrfInput, FormErrors } from "~/components/forms.tsx";
import { Page } from "~/components/layout.tsx";
import { usePageView } from "~/components/use-page-view.ts";
import { ThreadSupportPanel } from "~/components/thread-support-panel.tsx";
import { KbThreadPanel } from "~/components/kb-thread-panel.tsx";
import { CategoryAndTags } from "~/components/thread-list.tsx";
import { LinkifiedText } from "~/components/linkified-text.tsx";
import { WatchButton } from "~/components/watch-button.tsx";
import { RichTextEditor } from "~/components/rich-text-editor.tsx";
import { useEditorMessages } from "~/components/use-editor-messages.ts";
import { useImageUpload } from "~/components/use-image-upload.ts";
import { canPromote, canReadArticle } from "~/modules/kb/kb.policy.ts";
import { acceptAnswer, unacceptAnswer } from "~/modules/questions/accept-answer.server.ts";
import { addComment } from "~/modules/questions/add-comment.server.ts";
import { ModerationActions } from "~/components/moderation-actions.tsx";
import { FlagButton } from "~/components/flag-button.tsx";
import { CommentBox } from "~/components/comment-box.tsx";
import { AppLink } from "~/components/app-link.tsx";
import { canFlag } from "~/modules/flags/flags.policy.ts";
import { deletePost, setPostHidden } from "~/modules/questions/moderate-post.server.ts";
import { postAnswer } from "~/modules/questions/post-answer.server.ts";
import { canAccept, canAnswer, canComment, canDeletePost, canEdit, canModerate, canSeeHidden, canVote } from "~/modules/questions/questions.policy.ts";
import { getThreadPage, listCategories, type AnswerWindow } from "~/modules/questions/questions-queries.server.ts";
import { canManageThreadState, canVoteToClose, stateRefusal, type ThreadAct } from "~/modules/thread-states/thread-states.policy.ts";
import { ThreadStateBanner, ThreadStateActions } from "~/components/thread-state-panel.tsx";
import { threadStateView } from "~/modules/thread-states/thread-state-view.ts";
import { IdParam } from "~/modules/questions/questions.schema.ts";
import { threadSupport } from "~/modules/support/ticket-queries.server.ts";
import { requireUser, getCurrentUser } from "~/modules/users/sessions.server.ts";
import { castVote } from "~/modules/votes/cast-vote.server.ts";
import { readForm } from "~/utils/form.server.ts";
import { failureResponse, invariantResponse, redirect, type Failure, type Result } from "~/utils/http.server.ts";
import { submissionOf } from "~/utils/submission.server.ts";
import { timeAgo } from "~/utils/intl.ts";
import { htmlForData, htmlKey, SanitizedHtml } from "~/utils/document-html.tsx";
import { contentLanguage } from "~/modules/content/content-language.server.ts";
import { langAttr } from "~/modules/content/content-lang.ts";
import { UserName } from "~/components/user-name.tsx";
import { Avatar } from "~/components/avatar.tsx";
import { hasPrivilege, THRESHOLDS } from "~/modules/reputation/thresholds.ts";
import { forwardRetryAfter } from "~/utils/headers.ts";
import { ensureVisitorId } from "~/utils/visitor.server.ts";
import { seoMeta } from "~/modules/seo/seo-meta.ts";
import { threadSeo } from "~/modules/seo/page-seo.server.ts";
import { pageTitle } from "~/utils/meta.ts";

export const headers = forwardRetryAfter;
export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  if (!data) return [{ title: pageTitle(matches, "errors.notFoundTitle") }];
  const documentTitle = data.thread.resolved ? pageTitle(matches, "i18n.title.resolved", { title: data.thread.title }) : pageTitle(matches, { text: data.thread.title });
  return seoMeta({ matches, title: data.thread.title, documentTitle, description: data.seo.description, path: data.canonicalPath, type: "article", noindex: data.seo.noindex, jsonLd: data.seo.jsonLd });
};

/** The answer window's parameters of a URL, kept across a redirect to the canonical address. */
function answerQuery(search: URLSearchParams): string {
  const kept = new URLSearchParams();
  for (const name of ["page", "answer"]) if (search.get(name)) kept.set(name, search.get(name)!);
  const query = kept.toString();
  return query ? `?${query}` : "";
}

function parseId(raw: string | undefined) {
  const parsed = IdParam.safeParse(raw ?? "");
  invariantResponse(parsed.success, "messages.common.noSuchQuestion", 404);
  return parsed.data;
}

/**
 * `?page=N` (answers N×20-19 … N×20 of a long thread) or `?answer=<id>` (the page that holds that answer,
 * for links to it); anything else is page 1. A malformed value is a 404, never an error (ADR 075).
 */
function parseAnswerWindow(search: URLSearchParams): AnswerWindow {
  const page = search.get("page");
  const answer = search.get("answer");
  const pageOk = page === null || /^[1-9]\d{0,5}$/.test(page);
  // The one id rule (IdParam): a 19-digit value past PostgreSQL's bigint would be a 500, not a 404.
  const answerId = answer === null ? null : IdParam.safeParse(answer);
  invariantResponse(pageOk && (answerId === null || answerId.success), "messages.questions.noSuchAnswerPage", 404);
  return { page: page ? Number(page) : 1, answerId: answerId?.success ? answerId.data : null };
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const id = parseId(params.id);
  const search = new URL(request.url).searchParams;
  const window = parseAnswerWindow(search);
  // The session lookup already carries role, status and reputation: no second query for the policies.
  const member = await getCurrentUser(request);
  const page = await getThreadPage(id, member ? { id: member.id, seeHidden: canSeeHidden(member) } : null, window);
  invariantResponse(page, "messages.common.questionGone", 404);
  // A merged thread's every URL moves for good to its target (ADR 048); `#post-…` anchors survive the redirect.
  if (page.mergedInto) throw redirect(`/questions/${page.mergedInto.id}/${page.mergedInto.slug}${answerQuery(search)}`, 301);
  const { thread, question, answers, votes, paging } = page;
  const refuses = (act: ThreadAct) => stateRefusal(member, thread.state, act) !== null;
  const threadPath = `/questions/${thread.id}/${thread.slug}`;
  if (params.slug !== thread.slug) throw redirect(`${threadPath}${answerQuery(search)}`, 301);
  // A page past the last (answers were removed since the link was made) shows the last one.
  if (paging.page > paging.pages) throw redirect(paging.pages > 1 ? `${threadPath}?page=${paging.pages}` : threadPath, 302);
  const canonicalPath = paging.page > 1 ? `${threadPath}?page=${paging.page}` : threadPath;
  const visitor = await ensureVisitorId(request);
  const myVotes = Object.fromEntries(votes.map((v) => [v.postId.toString(), v.value]));
  const flagged = page.flagged;
  const toPost = (p: NonNullable<typeof question>) => ({
    id: p.id.toString(),
    // In the page's markup once, not again in its hydration data (ADR 085).
    html: htmlForData(context, htmlKey.post(p.id), p.bodyHtml),
    lang: contentLanguage(p.bodyHtml.replace(/<[^>]+>/g, " ")),
    score: p.score,
    byStaff: p.byStaff,
    edited: p.revisionCount > 1,
    createdAt: p.createdAt.toISOString(),
    author: { handle: p.author.handle, displayName: p.author.displayName, expertIn: p.author.expertIn, avatarKey: p.author.avatarKey },
    accepted: p.id === thread.acceptedAnswerId,
    myVote: (myVotes[p.id.toString()] ?? 0) as number,
    comments: p.comments.map((c) => ({ id: c.id.toString(), body: c.body, lang: contentLanguage(c.body), mentions: c.mentions, createdAt: c.createdAt.toISOString(), author: c.author })),
    hidden: p.hidden,
    can: {
      edit: canEdit(member, p), vote: canVote(member, p, 1) && !refuses("vote"), downvote: canVote(member, p, -1) && !refuses("vote"),
      delete: canDeletePost(member, p, thread), moderate: canModerate(member), flag: canFlag(member, p),
      comment: canComment(member, thread, p) && !refuses("comment"),
    },
    flagged: flagged.has(p.id.toString()),
  });
  return json(
    {
      thread: {
        id: thread.id.toString(),
        title: thread.title,
        lang: contentLanguage(thread.title),
        resolved: thread.acceptedAnswerId !== null,
        viewCount: thread.viewCount,
        createdAt: thread.createdAt.toISOString(),
        category: thread.category,
        tags: thread.tags.map((t) => t.tag.name),
        watching: thread.watching,
        state: threadStateView(thread.state),
      },
      question: question ? toPost(question) : null,
      answers: answers.map(toPost),
      can: {
        answer: canAnswer(member) && !refuses("answer"), accept: canAccept(member, thread),
        manageState: canManageThreadState(member), voteToClose: canVoteToClose(member),
      },
      // The move form's choices, for those who may move (one more query, for moderators only).
      categories: canManageThreadState(member) ? (await listCategories()).map((c) => ({ id: c.id, name: c.name })) : [],
      // What a signed-in member still needs, shown beside the disabled controls (thresholds.ts).
      needs: {
        // Only where there is something to vote on: not under a member's own question that nobody answered yet.
        downvote: member && !hasPrivilege(member, "downvote") && [question, ...answers].some((p) => p && canVote(member, p, 1)) ? THRESHOLDS.downvote : null,
        comment: member && !canComment(member, thread) ? THRESHOLDS.commentEverywhere : null,
      },
      signedIn: !!member,
      // A draft or archived article is named only to those who may read it (its title is not public yet).
      kb: { article: thread.kbArticle && canReadArticle(member, thread.kbArticle) ? thread.kbArticle : null, canPromote: canPromote(member) },
      canonicalPath,
      // Plain text from bodyText, never HTML with its entities; no structured data about hidden content.
      seo: threadSeo({ path: canonicalPath, thread, question, answers, answerCount: page.publicAnswerCount }),
      threadPath,
      paging,
      now: Date.now(),
      support: await threadSupport(member, { id, authorId: thread.authorId, resolved: thread.acceptedAnswerId !== null }),
    },
    { headers: visitor.setCookie ? { "Set-Cookie": visitor.setCookie } : {} },
  );
}

export async function action({ request, params }: ActionFunctionArgs) {
  const formData = await readForm(request);
  const id = parseId(params.id);
  const user = await requireUser(request);
  const intent = String(formData.get("intent") ?? "");
  const input = Object.fromEntries(formData);
  const postId = () => IdParam.safeParse(String(formData.get("postId") ?? ""));
  const fail = (failure: Failure) => failureResponse(failure, { intent, postId: String(formData.get("postId") ?? "") });
  let result: Result<unknown>;
  switch (intent) {
    case "answer":
      result = await postAnswer(user.id, id, input, submissionOf(request, formData, user.id));
      break;
    case "comment": {
      const p = postId();
      if (!p.success) return fail({ ok: false, kind: "not-found", message: "messages.common.noSuchPost" });
      result = await addComment(user.id, p.data, input, submissionOf(request, formData, user.id));
      break;
    }
    case "vote": {
      const p = postId();
      if (!p.success) return fail({ ok: false, kind: "not-found", message: "messages.common.noSuchPost" });
      result = await castVote(user.id, p.data, input);
      break;
    }
    case "accept": {
      const p = postId();
      if (!p.success) return fail({ ok: false, kind: "not-found", message: "messages.questions.answerElsewhere" });
      result = await acceptAnswer(user.id, id, p.data);
      break;
    }
    case "unaccept":
      result = await unacceptAnswer(user.id, id);
      break;
    case "delete":
    case "hide":
    case "unhide": {
      const p = postId();
      if (!p.success) return fail({ ok: false, kind: "not-found", message: "messages.common.noSuchPost" });
      const done = intent === "delete" ? await deletePost(user.id, p.data, input, submissionOf(request, formData, user.id)) : await setPostHidden(user.id, p.data, intent === "hide", input);
      if (done.ok && "threadDeleted" in done.value && done.value.threadDeleted) return redirect("/questions");
      result = done;
      break;
    }
    default:
      return json({ ok: false as const, intent, formErrors: ["messages.common.unknownAction"], fieldErrors: {} }, { status: 400 });
  }
  if (!result.ok) return fail(result);
  // An answer held for review (spam checks, first posts; issue 19) is not on the page: say so.
  const held = intent === "answer" && !!(result.value as { held?: unknown }).held;
  return json({ ok: true as const, intent, held, formErrors: [] as string[], fieldErrors: {} as Record<string, string[]> });
}

type Post = NonNullable<ReturnType<typeof useLoaderData<typeof loader>>["question"]>;

/**
 * Up and down in one form (the pressed button sends its value): half the forms of a page of answers. The
 * arrows are drawn by the stylesheet (`.vote-button::before`), not by two SVG elements per button (ADR 080).
 */
function VoteBox({ post }: { post: Post }) {
  const { t } = useTranslation();
  return (
    <Form method="post" preventScrollReset className="vote-box">
      <CsrfInput once={false} />
      <input type="hidden" name="intent" value="vote" />
      <input type="hidden" name="postId" value={post.id} />
      <button type="submit" name="value" value={post.myVote === 1 ? "0" : "1"} className="vote-button up" aria-label={t("questions.upvote")} aria-pressed={post.myVote === 1} disabled={!post.can.vote} />
      <span className="vote-score" aria-label={`${t("questions.score")}: ${post.score}`}>
        {post.score}
      </span>
      <button type="submit" name="value" value={post.myVote === -1 ? "0" : "-1"} className="vote-button down" aria-label={t("questions.downvote")} aria-pressed={post.myVote === -1} disabled={!post.can.downvote} />
    </Form>
  );
}

function PostView({ post, kind, now, canAcceptHere }: { post: Post; kind: "question" | "answer"; now: number; canAcceptHere: boolean }) {
  const { t, i18n } = useTranslation();
  return (
    <article id={`post-${post.id}`} className={`card post${post.accepted ? " accepted" : ""}${post.hidden ? " hidden-post" : ""}`} aria-label={kind === "question" ? t("questions.title") : post.accepted ? t("questions.acceptedAnswer") : undefined} data-testid={kind === "answer" ? "answer" : "question"}>
      <VoteBox post={post} />
      <div>
        {post.accepted ? <p className="accepted-mark">✓ {t("questions.acceptedAnswer")}</p> : null}
        <SanitizedHtml htmlKey={htmlKey.post(post.id)} html={post.html} className="rich-text" lang={langAttr(post.lang, i18n.language)} />
        <div className="post-footer">
          <span>
            {post.can.edit ? (
              <>
                <AppLink to={`/posts/${post.id}/edit`}>{t("questions.edit")}</AppLink> ·{" "}
              </>
            ) : null}
            <AppLink to={`/posts/${post.id}/revisions`}>{t("questions.history")}</AppLink>
            <ModerationActions post={post} kind={kind} />
            {post.can.flag ? <FlagButton postId={post.id} flagged={post.flagged} /> : null}
            {kind === "answer" && canAcceptHere ? (
              <Form method="post" preventScrollReset style={{ display: "inline" }}>
                <CsrfInput />
                <input type="hidden" name="intent" value={post.accepted ? "unaccept" : "accept"} />
                <input type="hidden" name="postId" value={post.id} />
                {" · "}
                <button type="submit" className="link-button">
                  {post.accepted ? t("questions.unaccept") : t("questions.accept")}
                </button>
              </Form>
            ) : null}
          </span>
          <span className="post-author" data-testid="post-author">
            <Avatar handle={post.author.handle} name={post.author.displayName} avatarKey={post.author.avatarKey} size={28} />
            <UserName user={post.author} />
            {post.byStaff ? <span className="badge role-staff"> {t("questions.staff")}</span> : null} · <time dateTime={post.createdAt}>{timeAgo(post.createdAt, now, i18n.language)}</time>
            {post.edited ? ` · ${t("questions.edited")}` : ""}
          </span>
        </div>
        {post.comments.length > 0 ? (
          <ul className="comments" aria-label={t("questions.comments")}>
            {post.comments.map((c) => (
              <li key={c.id}>
                <span lang={langAttr(c.lang, i18n.language)}>
                  <LinkifiedText text={c.body} mentions={c.mentions} />
                </span> — <UserName user={c.author} /> <span className="muted">{timeAgo(c.createdAt, now, i18n.language)}</span>
              </li>
            ))}
          </ul>
        ) : null}
        {post.can.comment ? <CommentBox postId={post.id} commentCount={post.comments.length} /> : null}
      </div>
    </article>
  );
}

type Paging = ReturnType<typeof useLoaderData<typeof loader>>["paging"];

/**
 * The rest of a long thread on page 1 (ADR 075): a link to `?page=N` that works without JavaScript; with
 * it, the next page's answers are fetched and appended when the link comes near the viewport (or is
 * followed), and the link moves below them. Each page is a fetcher of its own, so Remix revalidates the
 * appended answers after a vote or a comment like the rest of the page.
 */
function MoreAnswers({ page, threadPath, total, perPage, shown, render }: { page: number; threadPath: string; total: number; perPage: number; shown: ReadonlySet<string>; render: (a: Post) => React.ReactNode }) {
  const { t } = useTranslation();
  const fetcher = useFetcher<typeof loader>();
  const link = useRef<HTMLAnchorElement>(null);
  const href = `${threadPath}?page=${page}`;
  const loaded = fetcher.data && "answers" in fetcher.data ? fetcher.data : null;
  const idle = fetcher.state === "idle" && !loaded;
  const { load } = fetcher;
  useEffect(() => {
    const element = link.current;
    if (!idle || !element || typeof IntersectionObserver === "undefined") return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) {
        observer.disconnect();
        load(href);
      }
    }, { rootMargin: "800px 0px" });
    observer.observe(element);
    return () => observer.disconnect();
  }, [idle, href, load]);
  if (loaded) {
    // After a vote the order can change while the pages revalidate one by one: an answer already shown
    // above (it moved up) is not drawn twice.
    const fresh = loaded.answers.filter((a) => !shown.has(a.id));
    const shownBelow = new Set([...shown, ...fresh.map((a) => a.id)]);
    return (
      <>
        {fresh.map(render)}
        {page < loaded.paging.pages ? <MoreAnswers page={page + 1} threadPath={threadPath} total={loaded.paging.total} perPage={perPage} shown={shownBelow} render={render} /> : null}
      </>
    );
  }
  const remaining = Math.max(0, total - (page - 1) * perPage);
  return (
    <p className="more-answers">
      <Link
        ref={link}
        to={href}
        className="button secondary"
        aria-busy={fetcher.state === "loading"}
        onClick={(event) => {
          event.preventDefault();
          if (fetcher.state === "idle") load(href);
        }}
      >
        {fetcher.state === "loading" ? t("questions.loadingAnswers") : t("questions.moreAnswers", { count: remaining })}
      </Link>
    </p>
  );
}

/** Previous / next page of answers, for pages after the first (reached without JavaScript or by a link to an answer). */
function AnswerPager({ paging, threadPath }: { paging: Paging; threadPath: string }) {
  const { t } = useTranslation();
  const to = Math.min(paging.total, paging.firstRank + paging.perPage - 1);
  const pageHref = (n: number) => (n > 1 ? `${threadPath}?page=${n}` : threadPath);
  return (
    <nav className="answer-pager" aria-label={t("questions.answerPages")}>
      {paging.page > 1 ? <Link to={pageHref(paging.page - 1)}>{t("questions.previousAnswers")}</Link> : null}
      <span className="muted">{t("questions.answerRange", { from: paging.firstRank, to, total: paging.total })}</span>
      {paging.page < paging.pages ? <Link to={pageHref(paging.page + 1)}>{t("questions.nextAnswers")}</Link> : null}
    </nav>
  );
}

/**
 * A link to an answer by its anchor alone (`#post-<id>`, as older links and other sites have them) that is
 * not on this page: reload the page that holds it (`?answer=<id>`), once.
 */
function useAnswerAnchor(threadPath: string) {
  const location = useLocation();
  const navigate = useNavigate();
  useEffect(() => {
    const match = /^#post-(\d+)$/.exec(location.hash);
    if (!match || document.getElementById(`post-${match[1]}`) || new URLSearchParams(location.search).has("answer")) return;
    navigate(`${threadPath}?answer=${match[1]}#post-${match[1]}`, { replace: true });
    // Only where the page was entered: the anchor of a later navigation is the browser's to follow.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
}

export default function ThreadRoute() {
  const upload = useImageUpload();
  const editorMessages = useEditorMessages();
  const { t, i18n } = useTranslation();
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { thread, question, answers, can, needs, now, paging } = data;
  const answerFailed = !!actionData && !actionData.ok && actionData.intent === "answer";

  const csrfToken = useAuthenticityToken();
  // Count the view after the page is shown: a POST, so the page itself stays a GET without writes; then the time on page (ADR 072).
  usePageView("thread", thread.id, csrfToken);
  useAnswerAnchor(data.threadPath);

  return (
    <Page>
      <header className="stack" style={{ marginBottom: "1rem" }}>
        <h1>
          {thread.resolved ? <span className="badge resolved-badge">{t("questions.resolved")}</span> : null} <span lang={langAttr(thread.lang, i18n.language)}>{thread.title}</span>
        </h1>
        <div className="thread-meta">
          <CategoryAndTags category={thread.category} tags={thread.tags} />
          <span className="muted">{t("questions.views", { count: thread.viewCount })}</span>
        </div>
        {thread.watching !== null ? <WatchButton targetType="thread" targetId={thread.id} watching={thread.watching} /> : null}
        <ThreadStateActions threadId={thread.id} state={thread.state} can={can} categories={data.categories} />
      </header>
      <ThreadStateBanner threadId={thread.id} state={thread.state} />
      <KbThreadPanel threadId={thread.id} kb={data.kb} />
      <ThreadSupportPanel threadId={thread.id} support={data.support} />
      {actionData && !actionData.ok ? <FormErrors errors={actionData.formErrors} /> : null}
      {actionData?.ok && "held" in actionData && actionData.held ? (
        <p className="notice" role="status">
          {t("flags.heldNotice")}
        </p>
      ) : null}
      {question ? <PostView post={question} kind="question" now={now} canAcceptHere={false} /> : null}
      {needs.downvote || needs.comment ? (
        <p className="muted privilege-note">
          {needs.downvote ? t("reputation.downvoteNeeds", { count: needs.downvote }) : null} {needs.comment ? t("reputation.commentNeeds", { count: needs.comment }) : null}
        </p>
      ) : null}
      <h2 id="answers" style={{ marginTop: "1.5rem" }}>
        {t("questions.answers", { count: paging.total })}
      </h2>
      {answers.map((a) => (
        <PostView key={a.id} post={a} kind="answer" now={now} canAcceptHere={can.accept} />
      ))}
      {paging.page > 1 ? (
        <AnswerPager paging={paging} threadPath={data.threadPath} />
      ) : paging.pages > 1 ? (
        <MoreAnswers page={2} threadPath={data.threadPath} total={paging.total} perPage={paging.perPage} shown={new Set(answers.map((a) => a.id))} render={(a) => <PostView key={a.id} post={a} kind="answer" now={now} canAcceptHere={can.accept} />} />
      ) : null}
      <section className="card" style={{ marginTop: "1.5rem" }} aria-labelledby="your-answer">
        <h2 id="your-answer">{t("questions.yourAnswer")}</h2>
        {can.answer ? (
          <Form method="post" key={actionData?.ok && actionData.intent === "answer" ? `sent-${answers.length}` : "answer"}>
            <CsrfInput />
            <input type="hidden" name="intent" value="answer" />
            <RichTextEditor name="body" label={t("questions.yourAnswer")} errorId={answerFailed ? "answer-error" : undefined} onUploadImage={upload} messages={editorMessages} suggestMentions />
            {answerFailed && actionData && !actionData.ok ? <FormErrors id="answer-error" errors={Object.values(actionData.fieldErrors as Record<string, string[]>).flat()} /> : null}
            <button type="submit" className="button" disabled={navigation.state === "submitting"} style={{ marginTop: "0.75rem" }}>
              {t("questions.postAnswer")}
            </button>
          </Form>
        ) : thread.state.closed || thread.state.locked ? (
          <p className="muted">{thread.state.locked ? t("threadStates.lockedNoAnswers") : t("threadStates.closedNoAnswers")}</p>
        ) : (
          <p>
            <Link to={`/login?redirectTo=${encodeURIComponent(data.canonicalPath)}`}>{t("questions.signInToAnswer")}</Link>
          </p>
        )}
      </section>
    </Page>
  );
}

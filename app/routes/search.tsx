import { langAttr } from "~/modules/content/content-lang.ts";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { ensureVisitorId } from "~/utils/visitor.server.ts";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { Trans, useTranslation } from "react-i18next";
import { useAuthenticityToken } from "remix-utils/csrf/react";
import { ErrorList } from "~/components/forms.tsx";
import { Page } from "~/components/layout.tsx";
import { UserName } from "~/components/user-name.tsx";
import { activeCategories } from "~/modules/reputation/expert-marks.server.ts";
import { searchEngine } from "~/modules/search/search-engine.server.ts";
import { searchPage, type Highlighted, type SearchPage } from "~/modules/search/search-queries.server.ts";
import { SearchParams } from "~/modules/search/search.schema.ts";
import { pageTitle } from "~/utils/meta.ts";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [
  { title: data?.params.q ? pageTitle(matches, "i18n.title.search", { query: data.params.q }) : pageTitle(matches, "search.title") },
  { name: "robots", content: "noindex" },
];

/** /search?q=…&type=&category=&resolved=1&page=: reads only; the search is logged by the page's beacon. */
export async function loader({ request }: LoaderFunctionArgs) {
  searchEngine.start();
  const parsed = SearchParams.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) {
    // Only the query can fail (control characters): show the form with the message, search nothing.
    const queryErrors = parsed.error.flatten().fieldErrors.q ?? [];
    return json({ params: SearchParams.parse({}), result: { status: "empty" } as SearchPage, categories: await activeCategories(), queryErrors }, { status: 400 });
  }
  const params = parsed.data;
  const [result, categories, visitor] = await Promise.all([
    searchPage(params),
    activeCategories(),
    // The page's beacon (/search/log) counts searches per visitor: the id is given here, before the
    // beacon, so copies of one beacon sent at once belong to one visitor and write one row.
    ensureVisitorId(request),
  ]);
  return json({ params, result, categories, queryErrors: [] as string[] }, visitor.setCookie ? { headers: { "Set-Cookie": visitor.setCookie } } : undefined);
}

function Marked({ parts }: { parts: Highlighted }) {
  return (
    <>
      {parts.map((part, i) => (part.hit ? <mark key={i}>{part.text}</mark> : <span key={i}>{part.text}</span>))}
    </>
  );
}

export default function SearchRoute() {
  const { t, i18n } = useTranslation();
  const { params, result, categories, queryErrors } = useLoaderData<typeof loader>();
  const csrf = useAuthenticityToken();
  const searchId = useRef<string | null>(null);

  // Log the search once it is shown: a POST, so the page itself stays a read.
  useEffect(() => {
    searchId.current = null;
    if (!params.q || result.status !== "ok") return;
    const body = new FormData();
    body.set("csrf", csrf);
    body.set("q", params.q);
    body.set("from", params.from);
    if (params.type) body.set("type", params.type);
    if (params.category) body.set("category", String(params.category));
    if (params.resolved) body.set("resolved", "1");
    void fetch("/search/log", { method: "POST", body, credentials: "same-origin" })
      .then((r) => (r.ok ? (r.json() as Promise<{ searchId?: string }>) : null))
      .then((data) => {
        if (data?.searchId) searchId.current = data.searchId;
      })
      .catch(() => {});
  }, [params.q, params.from, params.type, params.category, params.resolved, params.page, result.status, csrf]);

  const opened = (docKey: string) => {
    const body = new FormData();
    body.set("csrf", csrf);
    body.set("q", params.q);
    body.set("from", params.from);
    body.set("opened", docKey);
    if (searchId.current) body.set("searchId", searchId.current);
    navigator.sendBeacon?.("/search/log", body);
  };

  const pageLink = (page: number) => {
    const next = new URLSearchParams();
    next.set("q", params.q);
    if (params.type) next.set("type", params.type);
    if (params.category) next.set("category", String(params.category));
    if (params.resolved) next.set("resolved", "1");
    next.set("page", String(page));
    return `/search?${next.toString()}`;
  };

  return (
    <Page>
      <h1>{t("search.title")}</h1>
      <Form method="get" action="/search" role="search" aria-label={t("search.title")} className="search-form card">
        <div className="search-main">
          <label htmlFor="search-q">{t("search.query")}</label>
          <div className="search-row">
            <input id="search-q" type="search" name="q" defaultValue={params.q} maxLength={500} aria-invalid={queryErrors.length ? true : undefined} aria-describedby={queryErrors.length ? "search-q-error" : undefined} />
            <button type="submit" className="button">{t("search.submit")}</button>
          </div>
          <ErrorList id="search-q-error" errors={queryErrors} />
        </div>
        <fieldset className="search-filters">
          <legend>{t("search.filters")}</legend>
          <label>
            {t("search.type.label")}
            <select name="type" defaultValue={params.type ?? ""}>
              <option value="">{t("search.type.all")}</option>
              <option value="thread">{t("search.type.thread")}</option>
              <option value="article">{t("search.type.article")}</option>
            </select>
          </label>
          <label>
            {t("search.category")}
            <select name="category" defaultValue={params.category ? String(params.category) : ""}>
              <option value="">{t("search.allCategories")}</option>
              {categories.map((c) => (
                <option key={c.id} value={c.id} translate="no">
                  {c.name}
                </option>
              ))}
            </select>
          </label>
          <label className="checkbox">
            <input type="checkbox" name="resolved" value="1" defaultChecked={params.resolved} /> {t("search.resolvedOnly")}
          </label>
        </fieldset>
      </Form>

      {result.status === "warming" ? (
        <p className="notice" role="status">
          {t("search.warming")}
        </p>
      ) : result.status === "empty" ? (
        <p>{t("search.prompt")}</p>
      ) : (
        <section aria-labelledby="search-results-heading">
          <div role="status">
            <h2 id="search-results-heading">{t("search.count", { count: result.total, query: params.q })}</h2>
          </div>
          {result.total > 0 && !result.matchedAll ? <p className="muted">{t("search.partial")}</p> : null}
          {result.total === 0 ? (
            <p data-testid="zero-results">
              {/* Nothing found: the next step is asking, with the words already typed as the title (ADR 051). */}
              <Trans i18nKey="frontdoor.zeroResultsAsk" components={{ 1: <Link to={`/questions/new?q=${encodeURIComponent(params.q)}`} /> }} />
            </p>
          ) : null}
          <ol className="search-results">
            {result.items.map((item) => (
              <li key={item.docKey} className="search-result">
                <h3>
                  <Link to={item.url} onClick={() => opened(item.docKey)} lang={langAttr(item.lang, i18n.language)}>
                    <Marked parts={item.title} />
                  </Link>
                </h3>
                <p className="search-meta">
                  {item.type === "article" ? <span className="badge">{t("search.article")}</span> : null}
                  {item.resolved && item.type === "thread" ? <span className="badge resolved-badge">{t("search.resolved")}</span> : null}
                  {item.category ? <span translate="no">{item.category.name}</span> : null}
                  {item.author ? <UserName user={item.author} /> : null}
                </p>
                <p className="search-snippet" lang={langAttr(item.lang, i18n.language)}>
                  <Marked parts={item.snippet} />
                </p>
              </li>
            ))}
          </ol>
          <p className="still-need-help">
            <Link to="/support/new?source=search">{t("support.stillNeedHelp")}</Link> <span className="muted">{t("support.stillNeedHelpHint")}</span>
          </p>
          {result.pageCount > 1 ? (
            <nav aria-label={t("search.pagination")} className="search-pages">
              {result.page > 1 ? (
                <Link to={pageLink(result.page - 1)} rel="prev">
                  {t("search.previous")}
                </Link>
              ) : null}
              <span>{t("search.pageOf", { page: result.page, pages: result.pageCount })}</span>
              {result.page < result.pageCount ? (
                <Link to={pageLink(result.page + 1)} rel="next">
                  {t("search.next")}
                </Link>
              ) : null}
            </nav>
          ) : null}
        </section>
      )}
    </Page>
  );
}

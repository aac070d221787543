import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Page } from "~/components/layout.tsx";
import { listTagIndex } from "~/modules/community/community-queries.server.ts";
import { pageTitle } from "~/utils/meta.ts";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "frontdoor.tagsTitle") }];

export async function loader({ request }: LoaderFunctionArgs) {
  // Any text is a valid filter (at most 50 characters are used); no match answers an empty list, never an error.
  const q = (new URL(request.url).searchParams.get("q") ?? "").slice(0, 100);
  return json({ q, tags: await listTagIndex(q) });
}

export default function TagsRoute() {
  const { t } = useTranslation();
  const { q, tags } = useLoaderData<typeof loader>();
  return (
    <Page>
      <h1>{t("frontdoor.tagsTitle")}</h1>
      <p className="muted">{t("frontdoor.tagsLead")}</p>
      <Form method="get" role="search" aria-label={t("frontdoor.tagsSearch")} className="search-row" style={{ maxWidth: "28rem", marginBottom: "1rem" }}>
        <label htmlFor="tag-q" className="visually-hidden">
          {t("frontdoor.tagsSearch")}
        </label>
        <input id="tag-q" type="search" name="q" defaultValue={q} placeholder={t("frontdoor.tagsSearch")} maxLength={50} />
        <button type="submit" className="button secondary">
          {t("frontdoor.tagsSubmit")}
        </button>
      </Form>
      {tags.length === 0 ? (
        <p className="card">{q ? t("frontdoor.tagsNone", { q }) : t("frontdoor.tagsEmpty")}</p>
      ) : (
        <ul className="tag-index" data-testid="tag-index">
          {tags.map((tag) => (
            <li key={tag.name}>
              <Link to={`/tags/${encodeURIComponent(tag.name)}`} className="tag">
                {tag.name}
              </Link>
              <span className="muted">{t("frontdoor.tagCount", { count: tag.count })}</span>
            </li>
          ))}
        </ul>
      )}
    </Page>
  );
}

import type { MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CategoryCards } from "~/components/community.tsx";
import { Page } from "~/components/layout.tsx";
import { listCategoryIndex } from "~/modules/community/community-queries.server.ts";
import { pageTitle } from "~/utils/meta.ts";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "frontdoor.categoriesTitle") }];

export async function loader() {
  return json({ categories: await listCategoryIndex(), now: Date.now() });
}

export default function CategoriesRoute() {
  const { t } = useTranslation();
  const { categories, now } = useLoaderData<typeof loader>();
  return (
    <Page>
      <h1>{t("frontdoor.categoriesTitle")}</h1>
      <p className="muted">{t("frontdoor.categoriesLead")}</p>
      <CategoryCards categories={categories} now={now} headingLevel={2} />
    </Page>
  );
}

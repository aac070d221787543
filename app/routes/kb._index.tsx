import type { MetaFunction } from "@remix-run/node";
import { useTranslation } from "react-i18next";
import { Page } from "~/components/layout.tsx";

export const meta: MetaFunction = () => [{ title: "Knowledge base | Threadwise" }];

export default function KnowledgeBaseRoute() {
  const { t } = useTranslation();
  return (
    <Page>
      <h1>{t("placeholder.kbTitle")}</h1>
      <div className="card">
        <p>{t("placeholder.kbLead")}</p>
      </div>
    </Page>
  );
}

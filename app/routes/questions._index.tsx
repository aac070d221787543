import type { MetaFunction } from "@remix-run/node";
import { useTranslation } from "react-i18next";
import { Page } from "~/components/layout.tsx";

export const meta: MetaFunction = () => [{ title: "Questions | Threadwise" }];

export default function QuestionsRoute() {
  const { t } = useTranslation();
  return (
    <Page>
      <h1>{t("placeholder.questionsTitle")}</h1>
      <div className="card">
        <p>{t("placeholder.questionsLead")}</p>
      </div>
    </Page>
  );
}

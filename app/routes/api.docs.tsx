import type { MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Page } from "~/components/layout.tsx";
import { openApiDocument } from "~/modules/api/openapi.server.ts";
import { pageTitle } from "~/utils/meta.ts";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "apiKeys.reference.title") }];

type Doc = { paths: Record<string, Record<string, { summary: string; security?: Record<string, string[]>[]; requestBody?: { content: Record<string, { schema: unknown }> }; parameters?: { name: string; in: string; required?: boolean }[] }>> };

/** GET /api/docs: the reference, rendered on the server from the generated OpenAPI document. */
export function loader() {
  const doc = openApiDocument() as Doc;
  const operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({
      method: method.toUpperCase(), path, summary: op.summary,
      write: !(op.security ?? []).some((s) => Object.keys(s).length === 0),
      parameters: (op.parameters ?? []).filter((p) => p.in !== "header").map((p) => `${p.name}${p.required ? "" : "?"} (${p.in})`),
      body: op.requestBody ? JSON.stringify(op.requestBody.content["application/json"]?.schema, null, 2) : null,
    })),
  );
  return json({ operations });
}

export default function ApiDocsRoute() {
  const { t } = useTranslation();
  const { operations } = useLoaderData<typeof loader>();
  return (
    <Page>
      <h1>{t("apiKeys.reference.title")}</h1>
      <p>{t("apiKeys.reference.lead")}</p>
      <p>
        <a href="/api/v1/openapi.json">{t("apiKeys.reference.document")}</a>
      </p>
      {operations.map((op) => (
        <section key={`${op.method} ${op.path}`} className="card" aria-labelledby={`op-${op.method}-${op.path}`}>
          <h2 id={`op-${op.method}-${op.path}`}>
            <code>{op.method}</code> <code>{op.path}</code>
          </h2>
          <p>{op.summary}</p>
          <p className="muted">{op.write ? t("apiKeys.reference.needsWrite") : t("apiKeys.reference.read")}</p>
          {op.parameters.length ? (
            <p>
              {t("apiKeys.reference.query")}: <code>{op.parameters.join(", ")}</code>
            </p>
          ) : null}
          {op.body ? (
            <details>
              <summary>{t("apiKeys.reference.body")}</summary>
              <pre>
                <code>{op.body}</code>
              </pre>
            </details>
          ) : null}
        </section>
      ))}
    </Page>
  );
}

import { RemixBrowser } from "@remix-run/react";
import { startTransition, StrictMode } from "react";
import { hydrateRoot } from "react-dom/client";
import { I18nextProvider } from "react-i18next";
import { collectDocumentHtml, DocumentHtmlContext } from "~/utils/document-html.tsx";
import { createI18n } from "~/utils/i18n.ts";

const i18n = createI18n(document.documentElement.lang || "en");
// Post bodies the page carries in its markup only (ADR 085), read before React takes the page over.
const documentHtml = collectDocumentHtml(document);

startTransition(() => {
  hydrateRoot(
    document,
    <StrictMode>
      <I18nextProvider i18n={i18n}>
        <DocumentHtmlContext.Provider value={documentHtml}>
          <RemixBrowser />
        </DocumentHtmlContext.Provider>
      </I18nextProvider>
    </StrictMode>,
  );
});

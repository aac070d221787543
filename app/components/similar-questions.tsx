import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useAuthenticityToken } from "remix-utils/csrf/react";
import { hasLength } from "~/modules/content/text-length.ts";
import { SUGGEST_MIN_LENGTH } from "~/modules/search/search.schema.ts";

type Suggestion = { docKey: string; url: string; title: string; type: "thread" | "article"; resolved: boolean };

const DEBOUNCE_MS = 300;

/**
 * Under the ask form's title: as the title is typed (debounced), similar resolved threads and articles
 * from GET /search/suggest, then similar open threads, each marked in words ("Resolved", "Article",
 * "Open question"). Opening one is logged (POST /search/log, source "ask_suggestions"): a possible
 * deflection. Without JavaScript nothing appears and asking still works.
 */
export function SimilarQuestions({ inputId }: { inputId: string }) {
  const { t } = useTranslation();
  const csrf = useAuthenticityToken();
  const [items, setItems] = useState<Suggestion[]>([]);
  const [warming, setWarming] = useState(false);
  const query = useRef("");
  const latest = useRef(0);

  useEffect(() => {
    const input = document.getElementById(inputId) as HTMLInputElement | null;
    if (!input) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const lookUp = () => {
      const q = input.value.trim();
      query.current = q;
      const request = ++latest.current;
      if (!hasLength(SUGGEST_MIN_LENGTH)(q)) {
        setItems([]);
        return;
      }
      fetch(`/search/suggest?q=${encodeURIComponent(q)}`, { credentials: "same-origin" })
        .then((r) => r.json() as Promise<{ status: "ok"; items: Suggestion[] } | { status: "warming" }>)
        .then((data) => {
          if (request !== latest.current) return;
          setWarming(data.status === "warming");
          setItems(data.status === "ok" ? data.items : []);
        })
        .catch(() => {});
    };
    const onInput = () => {
      clearTimeout(timer);
      timer = setTimeout(lookUp, DEBOUNCE_MS);
    };
    input.addEventListener("input", onInput);
    return () => {
      clearTimeout(timer);
      input.removeEventListener("input", onInput);
    };
  }, [inputId]);

  const opened = (docKey: string) => {
    const body = new FormData();
    body.set("csrf", csrf);
    body.set("q", query.current);
    body.set("from", "ask_suggestions");
    body.set("opened", docKey);
    navigator.sendBeacon?.("/search/log", body);
  };

  if (warming) return <p className="hint" role="status">{t("search.similar.warming")}</p>;
  return (
    <div className="similar-questions" aria-live="polite">
      {items.length > 0 ? (
        <>
          <h2 id="similar-heading">{t("search.similar.heading")}</h2>
          <ul aria-labelledby="similar-heading">
            {items.map((item) => (
              <li key={item.docKey}>
                {item.type === "article" ? <span className="badge">{t("search.similar.article")}</span> : null}
                {item.type === "thread" ? (
                  item.resolved ? <span className="badge resolved-badge">{t("search.similar.resolved")}</span> : <span className="badge open-badge">{t("search.similar.open")}</span>
                ) : null}{" "}
                <a href={item.url} target="_blank" rel="noopener" translate="no" onClick={() => opened(item.docKey)}>
                  {item.title}
                </a>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </div>
  );
}

import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { diffWords } from "diff";
import { useTranslation } from "react-i18next";
import { Page } from "~/components/layout.tsx";
import { getRevisions } from "~/modules/questions/questions-queries.server.ts";
import { IdParam } from "~/modules/questions/questions.schema.ts";
import { invariantResponse } from "~/utils/http.server.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Revisions: ${data.thread.title} | Threadwise` : "Not found | Threadwise" }, { name: "robots", content: "noindex" }];

export async function loader({ params }: LoaderFunctionArgs) {
  const id = IdParam.safeParse(params.id ?? "");
  invariantResponse(id.success, "No such post", 404);
  const found = await getRevisions(id.data);
  invariantResponse(found, "No such post", 404);
  // Each revision is shown with a word diff against the one before it (titles too, for questions).
  const revisions = found.revisions.map((r, i) => {
    const before = found.revisions[i - 1];
    const text = `${r.title ? `${r.title}\n\n` : ""}${r.bodyText}`;
    const previous = before ? `${before.title ? `${before.title}\n\n` : ""}${before.bodyText}` : "";
    return {
      revision: r.revision,
      reason: r.reason,
      createdAt: r.createdAt.toISOString(),
      editor: r.editor,
      parts: before ? diffWords(previous, text).map((p) => ({ value: p.value, added: !!p.added, removed: !!p.removed })) : [{ value: text, added: false, removed: false }],
    };
  });
  return json({ thread: { id: found.post.thread.id.toString(), slug: found.post.thread.slug, title: found.post.thread.title }, revisions: revisions.reverse() });
}

export default function RevisionsRoute() {
  const { t } = useTranslation();
  const { thread, revisions } = useLoaderData<typeof loader>();
  return (
    <Page>
      <h1>{t("questions.revisions")}</h1>
      <p>
        <Link to={`/questions/${thread.id}/${thread.slug}`}>{thread.title}</Link>
      </p>
      <ol reversed style={{ listStyle: "none", padding: 0 }}>
        {revisions.map((r) => (
          <li key={r.revision} className="card" data-testid="revision">
            <h2>{t("questions.revision", { n: r.revision })}</h2>
            <p className="muted">
              {t("questions.by")} <Link to={`/u/${r.editor.handle}`}>{r.editor.displayName}</Link> · <time dateTime={r.createdAt}>{r.createdAt.slice(0, 16).replace("T", " ")} UTC</time>
              {r.reason ? ` · ${r.reason}` : ""}
            </p>
            <div className="diff" style={{ whiteSpace: "pre-wrap" }}>
              {r.parts.map((p, i) => (p.added ? <ins key={i}>{p.value}</ins> : p.removed ? <del key={i}>{p.value}</del> : <span key={i}>{p.value}</span>))}
            </div>
          </li>
        ))}
      </ol>
    </Page>
  );
}

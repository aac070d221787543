import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CsrfInput, ErrorList, FormErrors } from "~/components/forms.tsx";
import { Page } from "~/components/layout.tsx";
import { JourneyTimeline } from "~/components/journey-timeline.tsx";
import { IdParam } from "~/modules/questions/questions.schema.ts";
import { getTicketPage, listAssignees } from "~/modules/support/ticket-queries.server.ts";
import { TICKET_MESSAGE_MAX, TICKET_OUTCOMES, TICKET_PRIORITIES, TICKET_STATUSES } from "~/modules/support/support.schema.ts";
import { addTicketMessage, assignTicket, changeTicketPriority, changeTicketStatus, publishReplyAsAnswer, solveTicket } from "~/modules/support/work-ticket.server.ts";
import { requireUser } from "~/modules/users/sessions.server.ts";
import { readForm } from "~/utils/form.server.ts";
import { failureResponse, invariantResponse, type Result } from "~/utils/http.server.ts";
import { submissionOf } from "~/utils/submission.server.ts";
import { postPath } from "~/modules/seo/seo-urls.ts";
import { pageTitle } from "~/utils/meta.ts";

export const meta: MetaFunction = ({ matches, params }) => [{ title: pageTitle(matches, "support.ticketNumber", { id: params.id }) }, { name: "robots", content: "noindex" }];

/** A ticket: its customer and staff see it; anyone else gets 404 (the direct URL too). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const id = IdParam.safeParse(params.id ?? "");
  invariantResponse(id.success, "messages.support.ticketMissing", 404);
  const ticket = await getTicketPage(user, id.data);
  invariantResponse(ticket, "messages.support.ticketMissing", 404);
  return json({ ticket, assignees: ticket.can.work ? await listAssignees() : [], me: user.id }, { headers: { "Cache-Control": "private, no-store" } });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const formData = await readForm(request);
  const user = await requireUser(request);
  const id = IdParam.safeParse(params.id ?? "");
  const intent = String(formData.get("intent") ?? "");
  if (!id.success) return failureResponse({ ok: false, kind: "not-found", message: "messages.support.ticketMissing" }, { intent });
  const input = Object.fromEntries(formData);
  let result: Result<unknown>;
  switch (intent) {
    case "reply":
    case "note":
    case "customer":
      result = await addTicketMessage(user, id.data, intent, input, submissionOf(request, formData, user.id));
      break;
    case "take":
      result = await assignTicket(user, id.data, { assigneeId: user.id });
      break;
    case "assign":
      result = await assignTicket(user, id.data, input);
      break;
    case "status":
      result = await changeTicketStatus(user, id.data, input);
      break;
    case "priority":
      result = await changeTicketPriority(user, id.data, input);
      break;
    case "solve":
      result = await solveTicket(user, id.data, input, submissionOf(request, formData, user.id));
      break;
    case "publish": {
      const messageId = IdParam.safeParse(String(formData.get("messageId") ?? ""));
      result = messageId.success ? await publishReplyAsAnswer(user, id.data, messageId.data, input, submissionOf(request, formData, user.id)) : { ok: false, kind: "invalid", fieldErrors: { messageId: ["support.errors.badId"] } };
      break;
    }
    default:
      result = { ok: false, kind: "invalid", fieldErrors: {}, formErrors: ["messages.common.unknownAction"] };
  }
  if (!result.ok) return failureResponse(result, { intent });
  return json({ ok: true as const, intent, formErrors: [] as string[], fieldErrors: {} as Record<string, string[]> });
}

const when = (iso: string | null) => (iso ? iso.slice(0, 16).replace("T", " ") : "—");

function MessageForm({ intent, label, sent }: { intent: "reply" | "note" | "customer"; label: string; sent: number }) {
  const { t } = useTranslation();
  const data = useActionData<typeof action>();
  const failed = data && !data.ok && data.intent === intent ? data : null;
  const errors = (failed?.fieldErrors as Record<string, string[]> | undefined)?.body?.map((e) => t(e, { defaultValue: e }));
  return (
    <Form method="post" className="stack" key={`${intent}-${sent}`}>
      <CsrfInput />
      <input type="hidden" name="intent" value={intent} />
      <label htmlFor={`msg-${intent}`}>{label}</label>
      <textarea id={`msg-${intent}`} name="body" rows={4} maxLength={TICKET_MESSAGE_MAX} aria-invalid={errors ? true : undefined} aria-describedby={errors ? `msg-${intent}-error` : undefined} />
      <ErrorList id={`msg-${intent}-error`} errors={errors} />
      <button type="submit" className="button">
        {t(`support.ticket.send.${intent}`)}
      </button>
    </Form>
  );
}

export default function TicketRoute() {
  const { t } = useTranslation();
  const { ticket, assignees, me } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const [params] = useSearchParams();
  const failed = data && !data.ok ? data : null;
  const fieldErrors = (failed?.fieldErrors ?? {}) as Record<string, string[]>;
  const tr = (errors?: string[]) => errors?.map((e) => t(e, { defaultValue: e }));
  return (
    <Page>
      <header className="stack">
        <h1>
          {t("support.ticketNumber", { id: ticket.id })} <span className="badge" data-testid="ticket-status">{t(`support.status.${ticket.status}`)}</span>
        </h1>
        {params.get("created") ? (
          <p className="notice" role="status">
            {t("support.ticket.created")}
          </p>
        ) : null}
        <p className="muted">
          {t(`support.source.${ticket.source}`)}
          {ticket.thread ? (
            <>
              {" · "}
              <Link to={`/questions/${ticket.thread.id}/${ticket.thread.slug}`}>{ticket.thread.title}</Link>
            </>
          ) : null}
          {ticket.article ? (
            <>
              {" · "}
              <Link to={ticket.article.href}>{ticket.article.title}</Link>
            </>
          ) : null}
        </p>
      </header>
      <FormErrors errors={tr(failed?.formErrors)} />
      <dl className="kb-facts">
        <dt>{t("support.queue.customer")}</dt>
        <dd>{ticket.customer.displayName}</dd>
        <dt>{t("support.queue.assignee")}</dt>
        <dd>{ticket.assignee?.displayName ?? "—"}</dd>
        <dt>{t("support.queue.priority")}</dt>
        <dd>{t(`support.priority.${ticket.priority}`)}</dd>
        <dt>{t("support.queue.waitingSince")}</dt>
        <dd>{when(ticket.waitingSince)}</dd>
        <dt>{t("support.queue.firstResponse")}</dt>
        <dd>{when(ticket.firstResponseAt)}</dd>
        <dt>{t("support.queue.resolved")}</dt>
        <dd>{when(ticket.resolvedAt)}</dd>
        {ticket.outcome ? (
          <>
            <dt>{t("support.ticket.outcome")}</dt>
            <dd data-testid="ticket-outcome">
              {t(`support.outcome.${ticket.outcome}`)} {ticket.outcomeLink ? <Link to={ticket.outcomeLink}>{ticket.outcomeLink}</Link> : null}
            </dd>
          </>
        ) : null}
      </dl>
      {ticket.message ? (
        <section className="card">
          <h2>{t("support.ticket.theirMessage")}</h2>
          <p style={{ whiteSpace: "pre-wrap" }}>{ticket.message}</p>
        </section>
      ) : null}

      {ticket.journey ? (
        <section className="card" aria-labelledby="journey-title">
          <h2 id="journey-title">{t("support.ticket.journey")}</h2>
          <JourneyTimeline steps={ticket.journey} />
        </section>
      ) : null}

      <section aria-labelledby="conversation">
        <h2 id="conversation">{t("support.ticket.conversation")}</h2>
        {ticket.messages.length === 0 ? <p className="muted">{t("support.ticket.noMessages")}</p> : null}
        <ol className="stack" style={{ listStyle: "none", padding: 0 }}>
          {ticket.messages.map((m) => (
            <li key={m.id} className={`card ticket-message ticket-${m.kind}`} data-testid={`message-${m.kind}`}>
              <p className="muted">
                {t(`support.ticket.kind.${m.kind}`)} · {m.author.displayName} · {when(m.createdAt)}
              </p>
              <p style={{ whiteSpace: "pre-wrap" }}>{m.body}</p>
              {ticket.can.work && m.kind === "reply" ? (
                m.publishedPostId && ticket.thread ? (
                  <Link to={postPath(`/questions/${ticket.thread.id}/${ticket.thread.slug}`, m.publishedPostId)}>{t("support.ticket.published")}</Link>
                ) : (
                  <Form method="post" className="inline-form">
                    <CsrfInput />
                    <input type="hidden" name="intent" value="publish" />
                    <input type="hidden" name="messageId" value={m.id} />
                    {ticket.thread ? null : (
                      <>
                        <label htmlFor={`publish-title-${m.id}`}>{t("support.ticket.publicTitle")}</label>
                        <input id={`publish-title-${m.id}`} name="title" type="text" maxLength={150} required aria-invalid={fieldErrors.title ? true : undefined} />
                        <label htmlFor={`publish-tags-${m.id}`}>{t("support.ticket.publicTags")}</label>
                        <input id={`publish-tags-${m.id}`} name="tags" type="text" defaultValue="support" />
                        <ErrorList errors={tr([...(fieldErrors.title ?? []), ...(fieldErrors.tags ?? []), ...(fieldErrors.categoryId ?? [])])} />
                      </>
                    )}
                    <button type="submit" className="button secondary small">
                      {t("support.ticket.publish")}
                    </button>
                  </Form>
                )
              ) : null}
            </li>
          ))}
        </ol>
        {ticket.can.reply ? <MessageForm intent="customer" label={t("support.ticket.yourReply")} sent={ticket.messages.length} /> : null}
        {!ticket.can.work && !ticket.can.reply ? <p className="muted">{t("support.ticket.closedNote")}</p> : null}
      </section>

      {ticket.can.work ? (
        <section className="card stack" aria-labelledby="staff-actions">
          <h2 id="staff-actions">{t("support.ticket.staffActions")}</h2>
          <MessageForm intent="reply" label={t("support.ticket.replyLabel")} sent={ticket.messages.length} />
          <MessageForm intent="note" label={t("support.ticket.noteLabel")} sent={ticket.messages.length} />
          <div className="inline-form">
            {ticket.assignee?.id !== me ? (
              <Form method="post">
                <CsrfInput />
                <button type="submit" name="intent" value="take" className="button secondary">
                  {t("support.ticket.take")}
                </button>
              </Form>
            ) : null}
            <Form method="post" className="inline-form">
              <CsrfInput />
              <input type="hidden" name="intent" value="assign" />
              <label htmlFor="assignee">{t("support.queue.assignee")}</label>
              <select id="assignee" name="assigneeId" defaultValue={ticket.assignee?.id ?? ""}>
                <option value="">{t("support.ticket.unassigned")}</option>
                {assignees.map((a) => (
                  <option key={a.id} value={a.id}>
                    {a.displayName}
                  </option>
                ))}
              </select>
              <button type="submit" className="button secondary small">
                {t("support.ticket.assign")}
              </button>
              <ErrorList errors={tr(fieldErrors.assigneeId)} />
            </Form>
            <Form method="post" className="inline-form">
              <CsrfInput />
              <input type="hidden" name="intent" value="priority" />
              <label htmlFor="priority">{t("support.queue.priority")}</label>
              <select id="priority" name="priority" defaultValue={ticket.priority}>
                {TICKET_PRIORITIES.map((p) => (
                  <option key={p} value={p}>
                    {t(`support.priority.${p}`)}
                  </option>
                ))}
              </select>
              <button type="submit" className="button secondary small">
                {t("support.ticket.setPriority")}
              </button>
            </Form>
            <Form method="post" className="inline-form">
              <CsrfInput />
              <input type="hidden" name="intent" value="status" />
              <label htmlFor="status">{t("support.queue.status")}</label>
              <select id="status" name="status" defaultValue={ticket.status === "solved" ? "open" : ticket.status}>
                {TICKET_STATUSES.filter((s) => s !== "solved").map((s) => (
                  <option key={s} value={s}>
                    {t(`support.status.${s}`)}
                  </option>
                ))}
              </select>
              <button type="submit" className="button secondary small">
                {t("support.ticket.setStatus")}
              </button>
              <ErrorList errors={tr(fieldErrors.status)} />
            </Form>
          </div>
          <Form method="post" className="stack">
            <CsrfInput />
            <input type="hidden" name="intent" value="solve" />
            <h3>{t("support.ticket.solve")}</h3>
            <label htmlFor="outcome">{t("support.ticket.outcome")}</label>
            <select id="outcome" name="outcome" defaultValue={ticket.outcome ?? "staff_answer"}>
              {TICKET_OUTCOMES.map((o) => (
                <option key={o} value={o}>
                  {t(`support.outcome.${o}`)}
                </option>
              ))}
            </select>
            <label htmlFor="outcome-link">{t("support.ticket.outcomeLink")}</label>
            <input id="outcome-link" name="link" type="text" defaultValue={ticket.outcomeLink ?? ""} placeholder="/kb/… or /questions/…" aria-invalid={fieldErrors.link ? true : undefined} />
            <ErrorList errors={tr(fieldErrors.link)} />
            <button type="submit" className="button">
              {t("support.ticket.markSolved")}
            </button>
          </Form>
        </section>
      ) : null}
    </Page>
  );
}

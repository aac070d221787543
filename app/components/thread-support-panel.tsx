import { Form, Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CsrfInput } from "~/components/forms.tsx";

type Support = {
  askCheck: boolean;
  offerHelp: boolean;
  state: "none" | "asked" | "verified" | "unresolved" | "assumed";
  staff: { offeredAt: string | null; escalatedAt: string | null; checkAskedAt: string | null; tickets: { id: string; status: string; source: string }[] } | null;
};

/**
 * Support on a thread (issue 20): "Did this fix it?" and "Still need help?" for the asker, the verified
 * or unresolved mark, and for staff every routing step and the thread's tickets.
 */
export function ThreadSupportPanel({ threadId, support }: { threadId: string; support: Support | null }) {
  const { t } = useTranslation();
  if (!support) return null;
  const { staff } = support;
  return (
    <>
      {support.state === "verified" || support.state === "assumed" ? (
        <p className="badge resolved-badge" data-testid="verified-solution">
          {t("support.thread.verified")}
        </p>
      ) : null}
      {support.state === "unresolved" ? (
        <p className="notice" data-testid="unresolved">
          {t("support.thread.unresolved")}
        </p>
      ) : null}
      {support.askCheck ? (
        <section className="card" id="did-it-fix" aria-labelledby="did-it-fix-title">
          <h2 id="did-it-fix-title">{t("support.thread.didItFix")}</h2>
          <Form method="post" action={`/questions/${threadId}/resolution`} className="inline-form">
            <CsrfInput />
            <button type="submit" name="verdict" value="yes" className="button secondary">
              {t("support.thread.yes")}
            </button>
            <button type="submit" name="verdict" value="no" className="button secondary">
              {t("support.thread.no")}
            </button>
          </Form>
        </section>
      ) : null}
      {support.offerHelp ? (
        <p className="card still-need-help" id="still-need-help">
          <Link to={`/support/new?source=thread&threadId=${threadId}`}>{t("support.stillNeedHelp")}</Link> <span className="muted">{t("support.stillNeedHelpHint")}</span>
        </p>
      ) : null}
      {staff ? (
        <aside className="card" aria-labelledby="support-steps" data-testid="support-steps">
          <h2 id="support-steps">{t("support.thread.staffTitle")}</h2>
          <ul>
            {staff.offeredAt ? <li>{t("support.thread.offered", { at: staff.offeredAt.slice(0, 16).replace("T", " ") })}</li> : null}
            {staff.escalatedAt ? <li>{t("support.thread.escalated", { at: staff.escalatedAt.slice(0, 16).replace("T", " ") })}</li> : null}
            {staff.checkAskedAt ? <li>{t("support.thread.checkAsked", { at: staff.checkAskedAt.slice(0, 16).replace("T", " ") })}</li> : null}
            <li>{t(`support.thread.state.${support.state}`)}</li>
            {staff.tickets.map((ticket) => (
              <li key={ticket.id}>
                <Link to={`/support/tickets/${ticket.id}`}>{t("support.ticketNumber", { id: ticket.id })}</Link> · {t(`support.status.${ticket.status}`)} · {t(`support.source.${ticket.source}`)}
              </li>
            ))}
          </ul>
        </aside>
      ) : null}
    </>
  );
}

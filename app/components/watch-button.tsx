import { useFetcher, useLocation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CsrfInput } from "./forms.tsx";

type Target = "thread" | "tag" | "category";
const LABELS: Record<Target, { watch: string; stop: string; watching: string }> = {
  thread: { watch: "notifications.watch.watchThread", stop: "notifications.watch.stopThread", watching: "notifications.watch.watchingThread" },
  tag: { watch: "notifications.watch.watchTag", stop: "notifications.watch.stopTag", watching: "notifications.watch.watchingTag" },
  category: { watch: "notifications.watch.watchCategory", stop: "notifications.watch.stopCategory", watching: "notifications.watch.watchingCategory" },
};

/**
 * "Watch" / "Stop watching" for a thread, tag or category (ADR 041). A plain form to /watches that
 * comes back to this page without JavaScript; with it, a fetcher (no navigation) and the page's data
 * is revalidated. The button's name says what it watches ("Watch the tag billing").
 */
export function WatchButton({ targetType, targetId, name, watching, showState = true }: { targetType: Target; targetId: string; name?: string; watching: boolean; showState?: boolean }) {
  const { t } = useTranslation();
  const fetcher = useFetcher();
  const location = useLocation();
  const pending = fetcher.formData ? fetcher.formData.get("watching") === "true" : watching;
  const labels = targetType === "thread" && name ? { ...LABELS.thread, watch: "notifications.watch.watchThreadNamed", stop: "notifications.watch.stopThreadNamed" } : LABELS[targetType];
  return (
    <fetcher.Form method="post" action="/watches" className="watch-form">
      <CsrfInput />
      <input type="hidden" name="targetType" value={targetType} />
      <input type="hidden" name="targetId" value={targetId} />
      <input type="hidden" name="watching" value={pending ? "false" : "true"} />
      <input type="hidden" name="returnTo" value={location.pathname + location.search} />
      <button type="submit" className="button secondary small" aria-label={t(pending ? labels.stop : labels.watch, { name })} aria-pressed={pending}>
        {t(pending ? "notifications.watch.stop" : "notifications.watch.watch")}
      </button>
      {pending && showState ? (
        <span className="muted watch-state" role="status">
          {t(labels.watching)}
        </span>
      ) : (
        <span role="status" className="visually-hidden" />
      )}
    </fetcher.Form>
  );
}

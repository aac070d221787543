import { useEffect } from "react";
import { MAX_VISIBLE_SECONDS } from "~/modules/support/time-on-page.schema.ts";

/**
 * After a thread or article page is shown: counts the view with a POST (the GET itself writes nothing),
 * then reports how long the page was visible with one `navigator.sendBeacon` to /views/time when it is
 * first hidden (`visibilitychange`), unloaded (`pagehide`) or left for another page of the app (unmount,
 * a client-side navigation fires neither event). The report quotes the random view id the POST returned
 * and carries the CSRF token in its form body, since a beacon cannot set headers (ADR 072). Sent at most once.
 */
export function usePageView(kind: "thread" | "article", id: string, csrfToken: string, enabled = true) {
  useEffect(() => {
    if (!enabled) return;
    let viewId: string | null = null;
    let left = false;
    let sent = false;
    let visibleMs = 0;
    let visibleSince: number | null = document.visibilityState === "visible" ? performance.now() : null;

    const stopClock = () => {
      if (visibleSince !== null) visibleMs += performance.now() - visibleSince;
      visibleSince = null;
    };
    const send = () => {
      if (sent || !viewId) return;
      sent = true;
      const body = new FormData();
      body.set("csrf", csrfToken);
      body.set("kind", kind);
      body.set("id", id);
      body.set("viewId", viewId);
      body.set("seconds", String(Math.min(MAX_VISIBLE_SECONDS, Math.round(visibleMs / 1000))));
      navigator.sendBeacon("/views/time", body);
    };
    const leave = () => {
      stopClock();
      left = true;
      send();
    };
    const onVisibility = () => {
      if (document.visibilityState === "hidden") leave();
      else if (!left) visibleSince = performance.now();
    };

    const body = new FormData();
    body.set("csrf", csrfToken);
    const url = kind === "thread" ? `/questions/${id}/view` : `/kb/articles/${id}/view`;
    void fetch(url, { method: "POST", body, credentials: "same-origin" })
      .then((response) => (response.ok ? (response.json() as Promise<{ viewId?: string | null }>) : null))
      .then((view) => {
        viewId = view?.viewId ?? null;
        // Left before the POST answered (a quick click on): report now, the page is still running.
        if (left) send();
      })
      .catch(() => {});
    document.addEventListener("visibilitychange", onVisibility);
    window.addEventListener("pagehide", leave);
    return () => {
      document.removeEventListener("visibilitychange", onVisibility);
      window.removeEventListener("pagehide", leave);
      leave();
    };
  }, [kind, id, csrfToken, enabled]);
}

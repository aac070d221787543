import { Link } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";

/** The polling fallback's interval, when the event stream cannot be kept open. */
const POLL_MS = 15_000;

/**
 * The header's bell: a link to /notifications whose accessible name carries the unread count
 * ("Notifications, 3 unread"). The count is rendered by the server on every page (works without
 * JavaScript); in the browser it follows the server-sent events of /notifications/stream, and falls
 * back to polling /notifications/count when EventSource is missing or keeps failing (ADR 041).
 * Changes are announced politely in a live region. `onCount` hears every count shown, so the closed phone
 * menu's button can carry it too (layout.tsx).
 */
export function NotificationBell({ count: initial, onCount }: { count: number; onCount?: (count: number) => void }) {
  const { t } = useTranslation();
  // The last pushed count, with the server-rendered count it was pushed over: a navigation brings a
  // fresh count from the root loader, which wins until the next push.
  const [live, setLive] = useState<{ base: number; value: number } | null>(null);
  const [announcement, setAnnouncement] = useState("");
  const count = live && live.base === initial ? live.value : initial;
  const shown = useRef(initial);
  const base = useRef(initial);
  useEffect(() => {
    base.current = initial;
    shown.current = initial;
  }, [initial]);

  useEffect(() => {
    let source: EventSource | undefined;
    let timer: number | undefined;
    let failures = 0;
    const apply = (next: number) => {
      if (!Number.isFinite(next) || next === shown.current) return;
      shown.current = next;
      setLive({ base: base.current, value: next });
      setAnnouncement(next === 0 ? t("notifications.announceNone") : t("notifications.announce", { count: next }));
    };
    const poll = () => {
      if (timer !== undefined) return;
      timer = window.setInterval(() => {
        fetch("/notifications/count", { credentials: "same-origin", headers: { Accept: "application/json" } })
          .then((r) => {
            // Signed out (the session ended): nothing more to poll for.
            if (r.status === 401) window.clearInterval(timer);
            return r.ok ? r.json() : null;
          })
          .then((body: { unread?: number } | null) => {
            if (typeof body?.unread === "number") apply(body.unread);
          })
          .catch(() => {});
      }, POLL_MS);
    };
    if (typeof EventSource === "undefined") poll();
    else {
      source = new EventSource("/notifications/stream");
      source.addEventListener("count", (event) => {
        failures = 0;
        apply(Number((event as MessageEvent<string>).data));
      });
      // The session this page was opened with has ended (signed out, revoked, expired): stop listening.
      source.addEventListener("end", () => source?.close());
      source.onerror = () => {
        failures += 1;
        // Closed for good (a 204 or an error status), or failing again and again: poll instead.
        if (source && (source.readyState === EventSource.CLOSED || failures >= 3)) {
          source.close();
          poll();
        }
      };
    }
    return () => {
      source?.close();
      if (timer !== undefined) window.clearInterval(timer);
    };
  }, [t]);

  useEffect(() => onCount?.(count), [count, onCount]);

  const label = count === 0 ? t("notifications.bell") : unreadLabel(t, count);
  return (
    <>
      <Link to="/notifications" className={`bell${count > 0 ? " has-unread" : ""}`} aria-label={label} data-testid="bell">
        <svg aria-hidden="true" focusable="false" width="20" height="20" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
          <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
          <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
        </svg>
        <UnreadBadge count={count} testId="bell-count" />
      </Link>
      <span className="visually-hidden" aria-live="polite" aria-atomic="true">
        {announcement}
      </span>
    </>
  );
}

/** "Notifications, 3 unread" (more than 99: "more than 99"), for a count above 0. */
export function unreadLabel(t: TFunction, count: number): string {
  return count >= 100 ? t("notifications.bellUnreadMany") : t("notifications.bellUnread", { count });
}

/** The red count on the bell (and on the phone menu's button): seen, not read out (the names say it). */
export function UnreadBadge({ count, testId }: { count: number; testId: string }) {
  if (count <= 0) return null;
  return (
    <span className="bell-count" aria-hidden="true" data-testid={testId}>
      {count >= 100 ? "99+" : count}
    </span>
  );
}

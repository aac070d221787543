import { useNavigate } from "@remix-run/react";
import { useEffect, type AnchorHTMLAttributes } from "react";

/**
 * A link to an absolute path of this app, for the links a page draws dozens of (a member's name, a post's
 * Edit and History): a plain `<a>` with no hooks, where a Remix `<Link>` resolves its path and sets up
 * prefetching on every render (about a tenth of a signed-in thread page's server time for ~45 links,
 * ADR 080). Once the page has hydrated, `useAppLinkNavigation` (in the root) turns a plain click on one
 * into a client-side navigation, as `<Link>` does; without JavaScript it is an ordinary link.
 * `to` must be an absolute path (a slug may be in any script, as `<Link>` writes it).
 */
export function AppLink({ to, children, ...rest }: Omit<AnchorHTMLAttributes<HTMLAnchorElement>, "href"> & { to: string }) {
  return (
    <a href={to} data-app-link="" {...rest}>
      {children}
    </a>
  );
}

/** One click listener for every AppLink of the document: a plain left click navigates within the app. */
export function useAppLinkNavigation() {
  const navigate = useNavigate();
  useEffect(() => {
    const onClick = (event: MouseEvent) => {
      // Another handler took it, or the reader asked for a new tab or window, or a download.
      if (
        event.defaultPrevented ||
        event.button !== 0 ||
        event.metaKey ||
        event.ctrlKey ||
        event.shiftKey ||
        event.altKey
      )
        return;
      const link =
        event.target instanceof Element
          ? event.target.closest("a[data-app-link]")
          : null;
      if (
        !(link instanceof HTMLAnchorElement) ||
        (link.target && link.target !== "_self") ||
        link.hasAttribute("download")
      )
        return;
      const url = new URL(link.href);
      if (url.origin !== window.location.origin) return;
      event.preventDefault();
      navigate(url.pathname + url.search + url.hash);
    };
    document.addEventListener("click", onClick);
    return () => document.removeEventListener("click", onClick);
  }, [navigate]);
}

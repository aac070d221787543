import { Form, Link, NavLink, useLocation, useNavigation, useRouteLoaderData } from "@remix-run/react";
import { useCallback, useEffect, useRef, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { LANGUAGE_NAMES, SUPPORTED_LANGUAGES } from "~/utils/i18n.ts";
import { CsrfInput } from "./forms.tsx";
import { Avatar } from "./avatar.tsx";
import { NotificationBell, UnreadBadge, unreadLabel } from "./notification-bell.tsx";

export type HeaderUser = { handle: string; displayName: string; role: string; unread: number; avatarKey?: string | null } | null;

/**
 * A disclosure's state: closed again by Escape (focus back on its button), by a click outside it, and by
 * any navigation. `buttonRef` goes on the button, `rootRef` on the element holding button and panel.
 */
function useDisclosure() {
  const location = useLocation();
  // Open on the page it was opened on only: a navigation (a followed link) closes it by itself.
  const [openOn, setOpenOn] = useState<string | null>(null);
  const open = openOn === location.key;
  const setOpen = useCallback((next: boolean | ((was: boolean) => boolean)) => {
    setOpenOn((was) => ((typeof next === "function" ? next(was === location.key) : next) ? location.key : null));
  }, [location.key]);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const rootRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== "Escape") return;
      setOpen(false);
      buttonRef.current?.focus();
    };
    const onPointer = (event: PointerEvent) => {
      if (rootRef.current && !rootRef.current.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener("keydown", onKey);
    document.addEventListener("pointerdown", onPointer);
    return () => {
      document.removeEventListener("keydown", onKey);
      document.removeEventListener("pointerdown", onPointer);
    };
  }, [open, setOpen]);
  return { open, setOpen, buttonRef, rootRef };
}

/** Pages whose own sign-in links must not point back at themselves. */
const NO_RETURN = /^\/(login|signup|logout|forgot-password|reset-password)(\/|$)/;

/** Where "Sign in" and "Sign up" bring the visitor back to: the page they are on (safeRedirect checks it again). */
function useReturnTo(): string {
  const location = useLocation();
  if (NO_RETURN.test(location.pathname) || location.pathname === "/") return "";
  return `?redirectTo=${encodeURIComponent(location.pathname + location.search)}`;
}

/**
 * The header. At 1280 px one row: logo, search, "Ask a question", navigation, member links. Below 60rem
 * one row too: logo, a search link, "Ask", and a menu button that discloses the navigation and member
 * links right after it in the focus order (a disclosure: aria-expanded/aria-controls; Escape closes it
 * and gives focus back to the button; following a link closes it). Without JavaScript the menu is
 * simply shown below the row (the noscript style).
 */
export function SiteHeader({ user }: { user: HeaderUser }) {
  const { t } = useTranslation();
  const returnTo = useReturnTo();
  const { open, setOpen, buttonRef, rootRef } = useDisclosure();
  // On a phone the bell is inside the closed menu: its count shows on the menu's button as well.
  const [unread, setUnread] = useState(user?.unread ?? 0);
  const menuUnread = user && !open && unread > 0 ? unread : 0;
  return (
    <header className="site-header" data-menu={open ? "open" : "closed"}>
      <noscript>
        <style>{"@media (max-width: 59.99rem) { .site-header .site-menu { display: flex !important; } .site-header .menu-button { display: none !important; } }"}</style>
      </noscript>
      <div className="container header-row" ref={rootRef}>
        <Link to="/" className="brand">
          <span className="brand-mark" aria-hidden="true">
            T
          </span>
          {t("site.name")}
        </Link>
        <HeaderSearch />
        <Link to="/search" className="icon-button header-search-link" aria-label={t("frontdoor.searchLink")}>
          <SearchIcon />
        </Link>
        <Link to="/questions/new" className="button small header-ask" data-testid="header-ask">
          {t("frontdoor.askShort")}
          <span className="ask-rest">{t("frontdoor.askRest")}</span>
        </Link>
        <button ref={buttonRef} type="button" className="icon-button menu-button" aria-expanded={open} aria-controls="site-menu" onClick={() => setOpen((o) => !o)}>
          <svg aria-hidden="true" focusable="false" width="20" height="20" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2.2" strokeLinecap="round">
            {open ? <path d="M6 6l12 12M18 6 6 18" /> : <path d="M4 7h16M4 12h16M4 17h16" />}
          </svg>
          <span className="visually-hidden">
            {t("nav.menu")}
            {menuUnread > 0 ? `, ${unreadLabel(t, menuUnread)}` : null}
          </span>
          <UnreadBadge count={menuUnread} testId="menu-unread" />
        </button>
        <div className="site-menu" id="site-menu">
          <nav className="main-nav" aria-label={t("nav.main")}>
            <ul>
              <li>
                <NavLink to="/questions">{t("nav.questions")}</NavLink>
              </li>
              <li>
                <NavLink to="/categories">{t("nav.categories")}</NavLink>
              </li>
              <li>
                <NavLink to="/kb">{t("nav.kb")}</NavLink>
              </li>
              <li>
                <NavLink to="/leaderboard">{t("nav.leaderboard")}</NavLink>
              </li>
              {user?.role === "staff" || user?.role === "admin" ? (
                <li>
                  <NavLink to="/dashboard">{t("nav.dashboard")}</NavLink>
                </li>
              ) : null}
              {/* Admins reach the review queue from the admin tabs, so their header keeps one row at 1280 px. */}
              {user?.role === "moderator" || user?.role === "staff" ? (
                <li>
                  <NavLink to="/review">{t("flags.nav")}</NavLink>
                </li>
              ) : null}
              {user?.role === "admin" ? (
                <li>
                  <NavLink to="/admin/users">{t("nav.admin")}</NavLink>
                </li>
              ) : null}
            </ul>
          </nav>
          <div className="user-nav">
            {user ? (
              <>
                <NotificationBell count={user.unread} onCount={setUnread} />
                <Link to={`/u/${user.handle}`} className="user-nav-profile" aria-label={t("i18n.yourProfile", { name: user.displayName })}>
                  <Avatar handle={user.handle} name={user.displayName} avatarKey={user.avatarKey ?? null} size={28} />
                  <span className="user-nav-name" translate="no">{user.displayName}</span>
                </Link>
                {/* At 1280 px the account page is one step away (the profile's "Edit profile"), so an admin's header keeps one row. */}
                <Link to="/account" className="user-nav-account">
                  {t("nav.account")}
                </Link>
                <Form method="post" action="/logout">
                  <CsrfInput />
                  <button type="submit" className="link-button">
                    {t("nav.logout")}
                  </button>
                </Form>
              </>
            ) : (
              <>
                <Link to={`/login${returnTo}`}>{t("nav.login")}</Link>
                <Link to={`/signup${returnTo}`} className="button small secondary">
                  {t("nav.signup")}
                </Link>
              </>
            )}
          </div>
        </div>
      </div>
    </header>
  );
}

/** The search box on every page: a plain GET form to /search (works without JavaScript). */
function SearchIcon() {
  return (
    <svg aria-hidden="true" focusable="false" width="20" height="20" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2.2" strokeLinecap="round">
      <circle cx="10.5" cy="10.5" r="6.5" />
      <path d="M15.5 15.5 21 21" />
    </svg>
  );
}

function HeaderSearch() {
  const { t } = useTranslation();
  return (
    <div className="header-search">
      <Form method="get" action="/search" role="search" aria-label={t("search.header.label")}>
        <label htmlFor="header-search-q" className="visually-hidden">
          {t("search.header.label")}
        </label>
        <input id="header-search-q" type="search" name="q" placeholder={t("search.header.placeholder")} maxLength={500} />
        <input type="hidden" name="from" value="header" />
        <button type="submit" className="icon-button header-search-submit">
          <SearchIcon />
          <span className="visually-hidden">{t("search.header.submit")}</span>
        </button>
      </Form>
    </div>
  );
}

export function SiteFooter() {
  const { t } = useTranslation();
  return (
    <footer className="site-footer">
      <div className="container">
        <p style={{ margin: 0 }}>{t("footer.about")}</p>
        <LanguageSwitcher />
        <p style={{ margin: 0 }}>
          © {new Date().getFullYear()} {t("site.name")}
        </p>
      </div>
    </footer>
  );
}

/**
 * The language switcher (ADR 055): a POST form with the CSRF token, so it works without JavaScript
 * and no GET changes state. It reloads the whole document: the browser's i18next instance is made
 * once per page load, in the page's language.
 */
function LanguageSwitcher() {
  const { t, i18n } = useTranslation();
  const location = useLocation();
  // An error page rendered without the root's data (a refused action) has no CSRF token to post with.
  const csrfToken = useRouteLoaderData<{ csrfToken?: string }>("root")?.csrfToken;
  if (!csrfToken) return null;
  return (
    <Form method="post" action="/language" reloadDocument className="language-switcher">
      <CsrfInput once={false} />
      <input type="hidden" name="redirectTo" value={location.pathname + location.search} />
      <label htmlFor="language-select">{t("i18n.language")}</label>
      <select id="language-select" name="language" defaultValue={i18n.language}>
        {SUPPORTED_LANGUAGES.map((lng) => (
          <option key={lng} value={lng} lang={lng}>
            {LANGUAGE_NAMES[lng]}
          </option>
        ))}
      </select>
      <button type="submit" className="button secondary small">
        {t("i18n.change")}
      </button>
    </Form>
  );
}

/** A thin bar at the top while a page loads or a form submits: long work shows progress. */
export function NavigationProgress() {
  const navigation = useNavigation();
  const { t } = useTranslation();
  if (navigation.state === "idle") return null;
  return <div className="progress" role="progressbar" aria-label={t("i18n.loading")} aria-busy="true" />;
}

export function Page({ children, narrow }: { children: ReactNode; narrow?: boolean }) {
  return <div className={`container page${narrow ? " narrow" : ""}`}>{children}</div>;
}

import { Form, Link, NavLink, useLocation, useNavigation, useRouteLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { LANGUAGE_NAMES, SUPPORTED_LANGUAGES } from "~/utils/i18n.ts";
import { CsrfInput } from "./forms.tsx";
import { NotificationBell } from "./notification-bell.tsx";

export type HeaderUser = { handle: string; displayName: string; role: string; unread: number } | null;

export function SiteHeader({ user }: { user: HeaderUser }) {
  const { t } = useTranslation();
  return (
    <header className="site-header">
      <div className="container">
        <Link to="/" className="brand">
          <span className="brand-mark" aria-hidden="true">
            T
          </span>
          {t("site.name")}
        </Link>
        <nav className="main-nav" aria-label={t("nav.main")}>
          <ul>
            <li>
              <NavLink to="/questions">{t("nav.questions")}</NavLink>
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
            {user?.role === "moderator" || user?.role === "staff" || user?.role === "admin" ? (
              <li>
                <NavLink to="/review">{t("flags.nav")}</NavLink>
              </li>
            ) : null}
            {user?.role === "admin" ? (
              <>
                <li>
                  <NavLink to="/admin/users">{t("nav.admin")}</NavLink>
                </li>
                <li>
                  <NavLink to="/admin/categories">{t("nav.categories")}</NavLink>
                </li>
                <li>
                  <NavLink to="/admin/settings">{t("flags.settingsTitle")}</NavLink>
                </li>
              </>
            ) : null}
          </ul>
        </nav>
        <HeaderSearch />
        <div className="user-nav">
          {user ? (
            <>
              <NotificationBell count={user.unread} />
              <Link to={`/u/${user.handle}`} aria-label={t("i18n.yourProfile", { name: user.displayName })} translate="no">
                {user.displayName}
              </Link>
              <Link to="/account">{t("nav.account")}</Link>
              <Form method="post" action="/logout">
                <CsrfInput />
                <button type="submit" className="link-button">
                  {t("nav.logout")}
                </button>
              </Form>
            </>
          ) : (
            <>
              <Link to="/login">{t("nav.login")}</Link>
              <Link to="/signup" className="button small">
                {t("nav.signup")}
              </Link>
            </>
          )}
        </div>
      </div>
    </header>
  );
}

/** The search box on every page: a plain GET form to /search (works without JavaScript). */
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
        <button type="submit" className="button secondary small">
          {t("search.header.submit")}
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

import { Form, Link, NavLink, useNavigation } from "@remix-run/react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
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
            {user?.role === "admin" ? (
              <>
                <li>
                  <NavLink to="/admin/users">{t("nav.admin")}</NavLink>
                </li>
                <li>
                  <NavLink to="/admin/categories">{t("nav.categories")}</NavLink>
                </li>
                <li>
                  <NavLink to="/admin/webhooks">{t("webhooks.title")}</NavLink>
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
              <Link to={`/u/${user.handle}`} aria-label={`${t("nav.profile")}: ${user.displayName}`}>
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
        <p style={{ margin: 0 }}>© {new Date().getFullYear()} Threadwise</p>
      </div>
    </footer>
  );
}

/** A thin bar at the top while a page loads or a form submits: long work shows progress. */
export function NavigationProgress() {
  const navigation = useNavigation();
  if (navigation.state === "idle") return null;
  return <div className="progress" role="progressbar" aria-label="Loading" aria-busy="true" />;
}

export function Page({ children, narrow }: { children: ReactNode; narrow?: boolean }) {
  return <div className={`container page${narrow ? " narrow" : ""}`}>{children}</div>;
}

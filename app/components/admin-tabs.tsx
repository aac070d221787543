import { NavLink } from "@remix-run/react";
import { useTranslation } from "react-i18next";

/** The admin pages' own navigation: the header keeps one "Admin" link so it fits one row at 1280 px. */
export function AdminTabs() {
  const { t } = useTranslation();
  return (
    <nav aria-label={t("frontdoor.adminTabs")} className="admin-tabs">
      <ul className="tabs">
        <li>
          <NavLink to="/admin/users">{t("frontdoor.adminUsers")}</NavLink>
        </li>
        <li>
          <NavLink to="/admin/categories">{t("frontdoor.adminCategories")}</NavLink>
        </li>
        <li>
          <NavLink to="/review">{t("flags.nav")}</NavLink>
        </li>
        <li>
          <NavLink to="/admin/settings">{t("flags.settingsTitle")}</NavLink>
        </li>
        <li>
          <NavLink to="/admin/routing">{t("support.routing.title")}</NavLink>
        </li>
        <li>
          <NavLink to="/admin/webhooks">{t("webhooks.title")}</NavLink>
        </li>
        <li>
          <NavLink to="/admin/audit">{t("audit.title")}</NavLink>
        </li>
      </ul>
    </nav>
  );
}

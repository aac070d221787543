import { NavLink } from "@remix-run/react";
import { useTranslation } from "react-i18next";

/** The account's sections: profile and sessions, notification settings, what the member watches, API keys. */
export function AccountTabs() {
  const { t } = useTranslation();
  return (
    <nav aria-label={t("accountTabs.label")}>
      <ul className="tabs">
        <li>
          <NavLink to="/account" end>
            {t("accountTabs.account")}
          </NavLink>
        </li>
        <li>
          <NavLink to="/account/notifications">{t("accountTabs.notifications")}</NavLink>
        </li>
        <li>
          <NavLink to="/account/avatar">{t("frontdoor.avatarTitle")}</NavLink>
        </li>
        <li>
          <NavLink to="/account/watching">{t("accountTabs.watching")}</NavLink>
        </li>
        <li>
          <NavLink to="/account/journey">{t("support.journey.tab")}</NavLink>
        </li>
        <li>
          <NavLink to="/account/api-keys">{t("accountTabs.apiKeys")}</NavLink>
        </li>
        <li>
          <NavLink to="/account/flags">{t("flags.myTitle")}</NavLink>
        </li>
      </ul>
    </nav>
  );
}

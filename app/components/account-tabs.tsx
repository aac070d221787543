import { NavLink } from "@remix-run/react";
import { useTranslation } from "react-i18next";

/** The account's sections: profile and sessions, notification settings, what the member watches. */
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
      </ul>
    </nav>
  );
}

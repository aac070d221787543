import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";

/** A badge as a pill linking to its holders page, with its level spelled out for screen readers. */
export function BadgeName({ badge, level, suffix }: { badge: string; level: string; suffix?: string }) {
  const { t } = useTranslation();
  return (
    <Link to={`/badges/${badge}`} className={`badge badge-${level}`}>
      <span aria-hidden="true">● </span>
      <span className="visually-hidden">{t(`reputation.level.${level}`)}: </span>
      {t(`reputation.badge.${badge}.name`)}
      {suffix ? ` ${suffix}` : null}
    </Link>
  );
}

import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";

/** A member as every list and page shows them: name, link to the profile, and expert marks. */
export type NamedUser = { handle: string; displayName: string; expertIn?: readonly { slug: string; name: string }[] };

/** The one way a member's name is shown, so the "Expert in <category>" mark appears everywhere. */
export function UserName({ user }: { user: NamedUser }) {
  const { t } = useTranslation();
  return (
    <span className="user-name">
      {/* A name is not text to translate (browser translators, the pseudo-locale check: ADR 055). */}
      <Link to={`/u/${user.handle}`} translate="no">
        {user.displayName}
      </Link>
      {user.expertIn?.map((category) => (
        <span key={category.slug} className="expert-mark" title={t("users.expertIn", { category: category.name })}>
          <span aria-hidden="true">★</span>
          <span className="visually-hidden">{t("users.expertIn", { category: category.name })}</span>
        </span>
      ))}
    </span>
  );
}

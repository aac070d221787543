import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { formatList } from "~/utils/intl.ts";

/** A member as every list and page shows them: name, link to the profile, and expert marks. */
export type NamedUser = { handle: string; displayName: string; expertIn?: readonly { slug: string; name: string }[] };

/**
 * The one way a member's name is shown, so the "Expert in <category>" mark appears everywhere: one
 * mark whatever the number of categories ("Expert in Billing, Mobile apps and Security"), not one per
 * category: the most helpful members hold it in many, and their names were a row of stars (and twelve
 * elements each on every page that lists them).
 */
export function UserName({ user }: { user: NamedUser }) {
  // One useTranslation per name (a page of 2,000 answers shows hundreds of names): the list is formatted
  // in the same language without a second hook.
  const { t, i18n } = useTranslation();
  const expertIn = user.expertIn?.length ? t("users.expertIn", { category: formatList(user.expertIn.map((c) => c.name), i18n.language) }) : null;
  return (
    <span className="user-name">
      {/* A name is not text to translate (browser translators, the pseudo-locale check: ADR 055). */}
      <Link to={`/u/${user.handle}`} translate="no">
        {user.displayName}
      </Link>
      {expertIn ? (
        <span className="expert-mark" title={expertIn}>
          <span aria-hidden="true">★</span>
          <span className="visually-hidden">{expertIn}</span>
        </span>
      ) : null}
    </span>
  );
}

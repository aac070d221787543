import { useTranslation } from "react-i18next";
import { formatList } from "~/utils/intl.ts";
import { AppLink } from "./app-link.tsx";

/** A member as every list and page shows them: name, link to the profile, and expert marks. */
export type NamedUser = { handle: string; displayName: string; expertIn?: readonly { slug: string; name: string }[] };

/**
 * The one way a member's name is shown, so the "Expert in <category>" mark appears everywhere: one
 * mark whatever the number of categories ("Expert in Billing, Mobile apps and Security"), not one per
 * category: the most helpful members hold it in many, and their names were a row of stars (and twelve
 * elements each on every page that lists them).
 */
export function UserName({ user }: { user: NamedUser }) {
  return (
    <span className="user-name">
      {/* A name is not text to translate (browser translators, the pseudo-locale check: ADR 055). Handles are ASCII. */}
      <AppLink to={`/u/${user.handle}`} translate="no">
        {user.displayName}
      </AppLink>
      {user.expertIn?.length ? <ExpertMark categories={user.expertIn} /> : null}
    </span>
  );
}

/** The mark beside an expert's name: its own component, so a name without one costs no translation hook. */
function ExpertMark({ categories }: { categories: readonly { name: string }[] }) {
  const { t, i18n } = useTranslation();
  const expertIn = t("users.expertIn", { category: formatList(categories.map((c) => c.name), i18n.language) });
  return (
    <span className="expert-mark" title={expertIn}>
      <span aria-hidden="true">★</span>
      <span className="visually-hidden">{expertIn}</span>
    </span>
  );
}

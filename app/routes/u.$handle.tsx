import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Page } from "~/components/layout.tsx";
import { getCurrentUser } from "~/modules/users/sessions.server.ts";
import { canEditProfile } from "~/modules/users/users.policy.ts";
import { getPublicProfile } from "~/modules/users/users-queries.server.ts";
import { invariantResponse } from "~/utils/http.server.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data ? [{ title: `${data.profile.displayName} (@${data.profile.handle}) | Threadwise` }, { name: "description", content: data.profile.bio.slice(0, 160) }] : [{ title: "Member not found | Threadwise" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const handle = params.handle ?? "";
  invariantResponse(/^[a-zA-Z0-9_-]{1,30}$/.test(handle), "No such member", 404);
  const [profile, viewer] = await Promise.all([getPublicProfile(handle), getCurrentUser(request)]);
  invariantResponse(profile, "No such member", 404);
  return json({ profile, can: { edit: canEditProfile(viewer, profile) } });
}

export default function ProfileRoute() {
  const { t } = useTranslation();
  const { profile, can } = useLoaderData<typeof loader>();
  return (
    <Page>
      <article className="card stack" aria-labelledby="profile-name">
        <div>
          <h1 id="profile-name">{profile.displayName}</h1>
          <p className="muted">
            @{profile.handle}
            {profile.role !== "member" ? (
              <>
                {" "}
                · <span className={`badge role-${profile.role}`}>{t(`roles.${profile.role}`)}</span>
              </>
            ) : null}{" "}
            · {t("common.joined", { date: new Date(profile.joinedAt).toISOString().slice(0, 10) })} · {t("profile.reputation")}: {profile.reputation}
          </p>
        </div>
        <p style={{ whiteSpace: "pre-wrap" }}>{profile.bio || <span className="muted">{t("profile.noBio")}</span>}</p>
        {can.edit ? (
          <p>
            <Link to="/account">{t("profile.edit")}</Link>
          </p>
        ) : null}
      </article>
    </Page>
  );
}

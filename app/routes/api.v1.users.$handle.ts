import type { LoaderFunctionArgs } from "@remix-run/node";
import { apiEndpoint } from "~/modules/api/api-http.server.ts";
import { getPublicProfile } from "~/modules/users/users-queries.server.ts";
import { notFound, ok } from "~/utils/http.server.ts";

/** GET /api/v1/users/{handle}: a member's public profile. */
export function loader({ request, params }: LoaderFunctionArgs) {
  return apiEndpoint(request, params, { needs: "read" }, async ({ origin }) => {
    const handle = params.handle ?? "";
    const profile = handle.length <= 40 ? await getPublicProfile(handle) : null;
    if (!profile) return notFound();
    return ok({ handle: profile.handle, displayName: profile.displayName, bio: profile.bio, reputation: profile.reputation, memberSince: profile.joinedAt, url: `${origin}/u/${encodeURIComponent(profile.handle)}` });
  });
}

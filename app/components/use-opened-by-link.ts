import { useLocation } from "@remix-run/react";
import { useState } from "react";

/**
 * A post's form drawn only when it is opened (ADR 075, ADR 080): its link goes to the same page with
 * `?<param>=<post id>#post-<id>`, which renders that post's form open, so it works without JavaScript; with
 * it, the link's click opens (or closes) the form in place. `opened` is what a click chose, null until then.
 */
export function useOpenedByLink(param: string, postId: string) {
  const location = useLocation();
  const [opened, setOpened] = useState<boolean | null>(null);
  const params = new URLSearchParams(location.search);
  const open = opened ?? params.get(param) === postId;
  params.set(param, postId);
  return { open, opened, setOpened, href: `${location.pathname}?${params}#post-${postId}`, here: location.pathname + location.search };
}

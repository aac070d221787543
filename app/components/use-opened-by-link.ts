import { useLocation } from "@remix-run/react";
import { useState } from "react";

/**
 * A part of a page drawn only when it is opened (ADR 075, ADR 080), such as a post's comment or flag form:
 * its link goes to the same page with `?<param>=<value>#<anchor>` (by default a post's `#post-<id>`), which
 * renders that part open, so it works without JavaScript; with it, the link's click opens (or closes) the
 * part in place. `opened` is what a click chose, null until then.
 */
export function useOpenedByLink(param: string, value: string, anchor = `post-${value}`) {
  const location = useLocation();
  const [opened, setOpened] = useState<boolean | null>(null);
  const params = new URLSearchParams(location.search);
  const open = opened ?? params.get(param) === value;
  params.set(param, value);
  return { open, opened, setOpened, href: `${location.pathname}?${params}#${anchor}`, here: location.pathname + location.search };
}

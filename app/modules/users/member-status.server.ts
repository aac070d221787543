import { Prisma } from "~/generated/prisma/client.ts";

/**
 * A member's status as policies see it, in SQL over `users`: an active account under a running silence
 * is "silenced" (read-only, issue 19), so every policy that asks for "active" refuses its writes.
 */
export const MEMBER_STATUS_SQL = Prisma.raw(
  "(CASE WHEN status = 'active' AND silenced_at IS NOT NULL AND (silenced_until IS NULL OR silenced_until > now()) THEN 'silenced' ELSE status::text END)",
);


import type { Tx } from "~/utils/db.server.ts";
import { prisma } from "~/utils/db.server.ts";
import type { Role } from "~/modules/users/roles.ts";
import type { Member } from "./questions.policy.ts";
import { MEMBER_STATUS_SQL } from "~/modules/users/member-status.server.ts";

/** The acting member with their current role, status and reputation, read fresh for a use case. */
export async function loadMember(id: string, db: Tx | typeof prisma = prisma): Promise<Member | null> {
  // Raw SQL: every write starts here, and a model query costs about a millisecond more of CPU.
  const [user] = await db.$queryRaw<{ id: string; role: string; status: Member["status"]; reputation: number }[]>`
    SELECT id, role::text AS role, ${MEMBER_STATUS_SQL} AS status, reputation FROM users WHERE id = ${id}`;
  return user ? { id: user.id, role: user.role as Role, status: user.status, reputation: user.reputation } : null;
}

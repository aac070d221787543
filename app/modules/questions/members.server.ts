import type { Tx } from "~/utils/db.server.ts";
import { prisma } from "~/utils/db.server.ts";
import type { Role } from "~/modules/users/roles.ts";
import type { Member } from "./questions.policy.ts";

/** The acting member with their current role, status and reputation, read fresh for a use case. */
export async function loadMember(id: string, db: Tx | typeof prisma = prisma): Promise<Member | null> {
  const user = await db.user.findUnique({ where: { id }, select: { id: true, role: true, status: true, reputation: true } });
  return user ? { id: user.id, role: user.role as Role, status: user.status, reputation: user.reputation } : null;
}

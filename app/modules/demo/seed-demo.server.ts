import { createAccount } from "~/modules/users/sign-up.server.ts";
import { prisma } from "~/utils/db.server.ts";
import { DEMO_ACCOUNTS } from "./demo-accounts.ts";

/**
 * Demo content for `npm start`: written once, on a database with no users, so a restart never
 * duplicates or overwrites anything. Returns false when the database already had content.
 */
export async function seedDemo(): Promise<boolean> {
  if ((await prisma.user.count()) > 0) return false;
  for (const account of DEMO_ACCOUNTS) {
    const result = await createAccount(account, account.role, null);
    if (!result.ok) throw new Error(`Demo account ${account.email} could not be created: ${result.kind}`);
    await prisma.user.update({ where: { id: result.value.userId }, data: { bio: account.bio } });
  }
  return true;
}

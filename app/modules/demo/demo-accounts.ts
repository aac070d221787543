import type { Role } from "~/modules/users/roles.ts";

/** One demo sign-in per role, created on the first start of the demo (listed in README.md). */
export const DEMO_ACCOUNTS: { role: Role; email: string; handle: string; displayName: string; password: string; bio: string }[] = [
  { role: "admin", email: "admin@threadwise.demo", handle: "ada-admin", displayName: "Ada Admin", password: "demo-admin-pass", bio: "Runs this community." },
  { role: "staff", email: "staff@threadwise.demo", handle: "sam-support", displayName: "Sam Support", password: "demo-staff-pass", bio: "Support engineer. Ask me about billing and integrations." },
  { role: "moderator", email: "moderator@threadwise.demo", handle: "mia-mod", displayName: "Mia Moderator", password: "demo-moderator-pass", bio: "Keeps threads tidy." },
  { role: "member", email: "member@threadwise.demo", handle: "max-member", displayName: "Max Member", password: "demo-member-pass", bio: "Customer since 2021." },
];

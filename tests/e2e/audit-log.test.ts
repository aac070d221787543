import { DEMO_ACCOUNTS } from "~/modules/demo/demo-accounts.ts";
import { expect, expectAccessible, screenshotWidths, test } from "./fixtures.ts";

const admin = DEMO_ACCOUNTS.find((a) => a.role === "admin")!;
const member = DEMO_ACCOUNTS.find((a) => a.role === "member")!;

test("an admin changes a role, finds it in the audit log, filters the log and downloads it as CSV; the log reads well at 360 px", async ({ page }, testInfo) => {
  await page.goto("/login");
  await page.getByLabel("E-mail").fill(admin.email);
  await page.getByLabel("Password").fill(admin.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("link", { name: "Admin", exact: true })).toBeVisible();
  await page.goto(`/admin/users?q=${member.handle}`);
  const row = page.getByTestId(`user-${member.handle}`);
  await row.getByLabel(/Change role/).selectOption("moderator");
  await row.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByRole("status")).toContainText("Role changed.");
  await page.getByTestId(`user-${member.handle}`).getByLabel(/Change role/).selectOption("member");
  await page.getByTestId(`user-${member.handle}`).getByRole("button", { name: "Apply" }).click();
  await expect(page.getByRole("status")).toContainText("Role changed.");

  await page.getByRole("link", { name: "Audit log", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Audit log", level: 1 })).toBeVisible();
  const table = page.getByRole("table", { name: "Privileged actions, newest first" });
  const newest = table.getByRole("row").nth(1);
  await expect(newest).toContainText("Role changed");
  await expect(newest).toContainText("user.role_changed");
  await expect(newest).toContainText("moderator → member");
  await expect(newest.getByRole("link", { name: `@${member.handle}` })).toBeVisible();
  await expectAccessible(page, "audit log");
  await screenshotWidths(page, testInfo, "admin-audit");

  await page.getByLabel("Action").selectOption("user.role_changed");
  await page.getByLabel("Who (handle)").fill(admin.handle);
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/action=user.role_changed/);
  // Other journeys share the demo admin and member (admin.test.ts changes the same member's role), so this
  // member has at least this journey's two rows, and nothing but role changes is left.
  await expect(table.getByRole("row").filter({ hasText: `@${member.handle}` }).nth(1)).toBeVisible();
  await expect(table.getByRole("row").filter({ hasNotText: "user.role_changed" })).toHaveCount(1); // the header row

  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download CSV" }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe("threadwise-audit.csv");
  const text = await (await import("node:fs/promises")).readFile((await file.path())!, "utf8");
  expect(text.startsWith("\uFEFFid,created_at,actor_handle")).toBe(true);
  const lines = text.trim().split("\r\n");
  // The header, then the filtered rows: this journey's two at least (the admin journey may add its own), all role changes.
  expect(lines.length).toBeGreaterThanOrEqual(3);
  expect(lines.slice(1).every((line) => line.includes(",user.role_changed,user,"))).toBe(true);

  await page.goto("/admin/audit?from=2026-13-01");
  await expect(page.getByRole("alert")).toContainText("Use a date like 2026-12-06");
  await expectAccessible(page, "audit log with a bad filter");
});

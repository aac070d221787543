import { DEMO_ACCOUNTS } from "~/modules/demo/demo-accounts.ts";
import { expect, expectAccessible, screenshotWidths, test } from "./fixtures.ts";

const admin = DEMO_ACCOUNTS.find((a) => a.role === "admin")!;
const member = DEMO_ACCOUNTS.find((a) => a.role === "member")!;

test("an admin finds a member, makes them a moderator and back, and the member's profile shows it", async ({ page }, testInfo) => {
  await page.goto("/login");
  await page.getByLabel("E-mail").fill(admin.email);
  await page.getByLabel("Password").fill(admin.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("link", { name: "Admin", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Users", level: 1 })).toBeVisible();
  await expectAccessible(page, "admin users");

  await page.getByLabel("E-mail, handle or name").fill(member.handle);
  // The header has its own "Search" button: use the one of the members form.
  await page.getByRole("main").getByRole("button", { name: "Search" }).click();
  const row = page.getByTestId(`user-${member.handle}`);
  await expect(row).toBeVisible();
  await screenshotWidths(page, testInfo, "admin-users");
  await row.getByLabel(/Change role/).selectOption("moderator");
  await row.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByRole("status")).toContainText("Role changed.");

  await page.goto(`/u/${member.handle}`);
  await expect(page.getByText("Moderator", { exact: true })).toBeVisible();
  await expectAccessible(page, "profile");
  await screenshotWidths(page, testInfo, "profile");

  await page.goto(`/admin/users?q=${member.handle}`);
  await page.getByTestId(`user-${member.handle}`).getByLabel(/Change role/).selectOption("member");
  await page.getByTestId(`user-${member.handle}`).getByRole("button", { name: "Apply" }).click();
  await expect(page.getByRole("status")).toContainText("Role changed.");
});

test("a member is refused the admin page, and a visitor is asked to sign in", async ({ page }) => {
  await page.goto("/admin/users");
  await expect(page).toHaveURL(/\/login\?redirectTo=%2Fadmin%2Fusers/);
  await page.getByLabel("E-mail").fill(member.email);
  await page.getByLabel("Password").fill(member.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Not allowed" })).toBeVisible();
  await expectAccessible(page, "forbidden");
});

test("public pages are accessible and lay out from 360 px", async ({ page }, testInfo) => {
  for (const [name, url] of [
    ["questions", "/questions"],
    ["kb", "/kb"],
    ["login", "/login"],
    ["not-found", "/no/such/page"],
  ] as const) {
    await page.goto(url);
    await expect(page.locator("main#main")).toBeVisible();
    await expectAccessible(page, name);
    await screenshotWidths(page, testInfo, name);
  }
});

test("the skip link moves keyboard focus to the main content", async ({ page }) => {
  await page.goto("/");
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Skip to content" });
  await expect(skip).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.locator("main#main")).toBeFocused();
});

import type { Page } from "@playwright/test";
import { DEMO_ACCOUNTS } from "~/modules/demo/demo-accounts.ts";
import { expect, expectAccessible, screenshotWidths, test } from "./fixtures.ts";

const member = DEMO_ACCOUNTS.find((a) => a.role === "member")!;

async function signIn(page: Page) {
  await page.goto("/login");
  await page.getByLabel("E-mail").fill(member.email);
  await page.getByLabel("Password").fill(member.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
}

/** The demo threads are indexed by the job queue after the seed; the server polls every second. */
async function searchUntilFound(page: Page, url: string, text: RegExp) {
  await expect(async () => {
    await page.goto(url);
    await expect(page.getByRole("heading", { level: 2, name: text })).toBeVisible({ timeout: 500 });
  }).toPass({ timeout: 20_000 });
}

test("typing a title on the ask page shows similar resolved questions, and one can be opened", async ({ page }, testInfo) => {
  await signIn(page);
  await searchUntilFound(page, "/search?q=invoices", /results? for/);
  await page.goto("/questions/new");
  await page.getByLabel("Title").pressSequentially("Where can I download invoices as CSV", { delay: 20 });
  const suggestions = page.getByRole("list", { name: "Similar questions" });
  // The thread and the demo article promoted from it both match.
  await expect(suggestions.getByRole("link", { name: /download all my invoices as a CSV/ }).first()).toBeVisible();
  await expect(suggestions.getByText("Resolved").first()).toBeVisible();
  await expectAccessible(page, "ask page with suggestions");
  await screenshotWidths(page, testInfo, "ask-suggestions");
  const opened = page.waitForRequest((r) => r.url().endsWith("/search/log") && r.method() === "POST");
  const [popup] = await Promise.all([page.waitForEvent("popup"), suggestions.getByRole("link", { name: /download all my invoices/ }).first().click()]);
  await opened;
  await expect(popup.getByRole("heading", { level: 1, name: /download all my invoices/ })).toBeVisible();
});

test("the header box searches from any page; results show snippets, marks and filters in three languages", async ({ page }, testInfo) => {
  await page.goto("/questions");
  await page.getByRole("searchbox", { name: "Search the forum" }).fill("factura");
  await page.getByRole("searchbox", { name: "Search the forum" }).press("Enter");
  await expect(page).toHaveURL(/\/search\?q=factura/);
  await searchUntilFound(page, "/search?q=facturare&from=header", /results? for/);
  await expect(page.getByRole("link", { name: /Cum schimb datele de facturare/ })).toBeVisible();
  await expect(page.locator(".search-snippet mark").first()).toBeVisible();
  await expectAccessible(page, "search results");
  await screenshotWidths(page, testInfo, "search-results");

  await page.goto("/search?q=" + encodeURIComponent("行动应用程序 登录"));
  await expect(page.getByRole("link", { name: /行動應用程式每天都要求重新登入/ })).toBeVisible();

  await page.getByLabel("Type").selectOption("article");
  await page.getByRole("button", { name: "Search", exact: true }).last().click();
  await expect(page.getByRole("heading", { level: 2, name: /0 results/ })).toBeVisible();
});

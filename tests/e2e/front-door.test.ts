import { DEMO_ACCOUNTS } from "~/modules/demo/demo-accounts.ts";
import type { Page } from "@playwright/test";
import { expect, expectAccessible, screenshotWidths, test } from "./fixtures.ts";

const member = DEMO_ACCOUNTS.find((a) => a.role === "member")!;

async function signIn(page: Page) {
  await page.getByLabel("E-mail").fill(member.email);
  await page.getByLabel("Password").fill(member.password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

test("the home page is the community: search, categories with counts, latest, unanswered, solved and helpful articles", async ({ page }, testInfo) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(page.getByRole("searchbox", { name: "Describe your problem" })).toBeVisible();
  const cards = page.getByTestId("category-card");
  expect(await cards.count()).toBeGreaterThan(1);
  await expect(cards.first()).toContainText(/\d+ questions?/);
  // The demo history is dated (ADR 069); a category another journey just posted in reads "Active now".
  await expect(cards.filter({ hasText: /Active (.+ ago|yesterday)/ }).first()).toBeVisible();
  await expect(page.getByTestId("home-latest").getByRole("listitem").first()).toBeVisible();
  await expect(page.getByTestId("home-popular").getByText("Resolved").first()).toBeVisible();
  await expect(page.getByRole("heading", { name: "Most helpful articles" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Waiting for an answer" })).toBeVisible();
  await expectAccessible(page, "home 1280");
  await screenshotWidths(page, testInfo, "front-door-home");
  await page.setViewportSize({ width: 360, height: 800 });
  await expectAccessible(page, "home 360");
  await page.setViewportSize({ width: 1280, height: 800 });

  // Search from the big box.
  await page.getByRole("searchbox", { name: "Describe your problem" }).fill("export invoices");
  await page.getByRole("searchbox", { name: "Describe your problem" }).press("Enter");
  await page.waitForURL(/\/search\?q=export/);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();

  // Browse a category from the home page: its experts are on it.
  await page.goto("/");
  const firstCategory = page.getByTestId("category-card").first().getByRole("heading").getByRole("link");
  const name = (await firstCategory.textContent())!.trim();
  await firstCategory.click();
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  await expect(page.getByRole("heading", { name: `Experts in ${name}` })).toBeVisible();
  await expectAccessible(page, "category page");
});

test("a signed-out visitor asks from the home page, signs in, and lands on the ask form with what they typed", async ({ page }) => {
  await page.goto("/");
  const typed = "Exportul facturilor în România eșuează: 导出发票失败";
  await page.getByRole("searchbox", { name: "Describe your problem" }).fill(typed);
  await page.getByRole("button", { name: "Ask a question" }).click();
  await page.waitForURL(/\/login\?redirectTo=/);
  await signIn(page);
  await page.waitForURL(/\/questions\/new/);
  await expect(page.getByLabel("Title")).toHaveValue(typed);
});

test("'Ask a question' is in the header of every page, and sign-in and sign-up come back to the page they started from", async ({ page }) => {
  for (const path of ["/questions", "/kb", "/leaderboard", "/categories", "/tags"]) {
    await page.goto(path);
    await expect(page.getByTestId("header-ask"), path).toBeVisible();
    await expect(page.getByTestId("header-ask"), path).toHaveAccessibleName("Ask a question");
  }
  await page.goto("/leaderboard");
  await page.getByRole("banner").getByRole("link", { name: "Sign in" }).click();
  await signIn(page);
  await page.waitForURL((url) => url.pathname === "/leaderboard");

  await page.context().clearCookies();
  await page.goto("/tags");
  await page.getByRole("banner").getByRole("link", { name: "Sign up" }).click();
  const handle = `newbie${Date.now() % 100000}`;
  await page.getByLabel("E-mail").fill(`${handle}@example.com`);
  await page.getByLabel("Handle").fill(handle);
  await page.getByLabel("Display name").fill("Newbie Nguyễn");
  await page.getByLabel("Password").fill("a long enough passphrase 42");
  await page.getByRole("button", { name: /Create account|Sign up/ }).click();
  await page.waitForURL((url) => url.pathname === "/tags");
});

test("the phone header is one row, and its menu opens and closes with the keyboard", async ({ page }, testInfo) => {
  await page.setViewportSize({ width: 360, height: 800 });
  await page.goto("/questions");
  const banner = page.getByRole("banner");
  const logo = banner.getByRole("link", { name: "Threadwise" });
  const search = banner.getByRole("link", { name: "Search" });
  const menu = banner.getByRole("button", { name: "Menu" });
  const boxes = await Promise.all([logo, search, menu].map((l) => l.boundingBox()));
  for (const box of boxes) expect(box).not.toBeNull();
  const tops = boxes.map((b) => b!.y + b!.height / 2);
  expect(Math.max(...tops) - Math.min(...tops), "logo, search and menu share one row").toBeLessThan(12);
  expect((await banner.boundingBox())!.height).toBeLessThan(72);
  await expect(banner.getByRole("link", { name: "Questions" })).toBeHidden();

  await expect(menu).toHaveAttribute("aria-expanded", "false");
  await menu.focus();
  await page.keyboard.press("Enter");
  await expect(menu).toHaveAttribute("aria-expanded", "true");
  await expect(banner.getByRole("link", { name: "Questions" })).toBeVisible();
  await expectAccessible(page, "menu open at 360");
  await screenshotWidths(page, testInfo, "front-door-menu-open");
  await page.setViewportSize({ width: 360, height: 800 });
  await page.keyboard.press("Tab");
  await expect(banner.getByRole("link", { name: "Questions" })).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(menu).toHaveAttribute("aria-expanded", "false");
  await expect(menu).toBeFocused();
  await expect(banner.getByRole("link", { name: "Questions" })).toBeHidden();

  // Space opens it too, and following a link closes it.
  await page.keyboard.press("Space");
  await banner.getByRole("link", { name: "Categories" }).click();
  await page.waitForURL(/\/categories$/);
  await expect(menu).toHaveAttribute("aria-expanded", "false");
});

test("the categories and tags indexes: counts, a tag search, accessible at both widths", async ({ page }, testInfo) => {
  await page.goto("/categories");
  await expect(page.getByRole("heading", { level: 1, name: "Categories" })).toBeVisible();
  expect(await page.getByTestId("category-card").count()).toBeGreaterThan(1);
  await expectAccessible(page, "categories 1280");
  await screenshotWidths(page, testInfo, "front-door-categories");
  await page.setViewportSize({ width: 360, height: 800 });
  await expectAccessible(page, "categories 360");
  await page.setViewportSize({ width: 1280, height: 800 });

  await page.goto("/tags");
  const tags = page.getByTestId("tag-index").getByRole("listitem");
  expect(await tags.count()).toBeGreaterThan(3);
  await expect(tags.first()).toContainText(/\d+ questions?/);
  await expectAccessible(page, "tags 1280");
  await screenshotWidths(page, testInfo, "front-door-tags");
  await page.setViewportSize({ width: 360, height: 800 });
  await expectAccessible(page, "tags 360");
  await page.setViewportSize({ width: 1280, height: 800 });
  const first = (await tags.first().getByRole("link").textContent())!.trim();
  await page.getByRole("searchbox", { name: "Find a tag" }).fill(first.slice(0, 3));
  await page.getByRole("button", { name: "Find" }).click();
  await page.waitForURL(/\/tags\?q=/);
  await expect(page.getByTestId("tag-index").getByRole("link", { name: first })).toBeVisible();
  await page.goto("/tags?q=%E5%9B%BE%E4%B9%A6%E9%A6%86-nothing");
  await expect(page.getByText("No tag matches")).toBeVisible();
});

test("an admin's header fits one row at 1280 px", async ({ page }, testInfo) => {
  const admin = DEMO_ACCOUNTS.find((a) => a.role === "admin")!;
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto("/login");
  await page.getByLabel("E-mail").fill(admin.email);
  await page.getByLabel("Password").fill(admin.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => url.pathname === "/");
  const banner = page.getByRole("banner");
  const items = [banner.getByRole("link", { name: "Threadwise" }), banner.getByRole("searchbox"), banner.getByTestId("header-ask"), banner.getByRole("link", { name: "Admin", exact: true }), banner.getByRole("button", { name: "Sign out" })];
  const boxes = await Promise.all(items.map((l) => l.boundingBox()));
  const middles = boxes.map((b) => b!.y + b!.height / 2);
  expect(Math.max(...middles) - Math.min(...middles), "one row").toBeLessThan(12);
  expect((await banner.boundingBox())!.height).toBeLessThan(72);
  expect((await banner.getByRole("searchbox").boundingBox())!.width, "the search box stays usable").toBeGreaterThan(140);
  await page.goto("/admin/users");
  await expectAccessible(page, "admin users");
  await screenshotWidths(page, testInfo, "front-door-admin-header");
});

test("cards in a grid line up: the home page's categories and the knowledge base's categories start on one line", async ({ page }) => {
  for (const [path, selector] of [["/", "[data-testid=category-card]"], ["/kb", ".kb-categories > .card"]] as const) {
    await page.goto(path);
    const tops = await page.locator(selector).evaluateAll((cards) => cards.slice(0, 2).map((c) => Math.round(c.getBoundingClientRect().top)));
    expect(tops.length, path).toBe(2);
    expect(tops[0], path).toBe(tops[1]);
  }
});

test("details: search results show no raw score and zero results lead to asking; a KB 'No' offers the community; vote arrows are drawn", async ({ page }, testInfo) => {
  await page.goto("/search?q=invoices");
  await expect(page.locator(".search-result").first()).toBeVisible();
  await expect(page.locator(".search-meta").first()).not.toContainText(/score|relevance/i);
  const titleLink = page.locator(".search-result h3 a").first();
  expect(await titleLink.evaluate((a) => getComputedStyle(a).textDecorationLine)).toBe("none");
  await page.goto("/search?q=qwertyuiopzxcv");
  const ask = page.getByTestId("zero-results").getByRole("link", { name: "Ask the community" });
  await expect(ask).toHaveAttribute("href", "/questions/new?q=qwertyuiopzxcv");
  await expectAccessible(page, "zero results");

  await page.goto("/kb");
  await page.locator("main a[href^='/kb/']").filter({ hasNotText: /recurring|review|promote|new/i }).first().click();
  await page.getByRole("button", { name: "No" }).click();
  await expect(page.getByTestId("kb-not-helpful-next").getByRole("link", { name: "Ask the community" })).toBeVisible();
  await expectAccessible(page, "kb after No");

  await page.goto("/questions");
  await page.getByTestId("thread-row").first().getByRole("heading").getByRole("link").click();
  const up = page.getByRole("button", { name: /up/i }).first();
  // The arrow is drawn by the stylesheet (ADR 080): an 18 px triangle in the button's text colour.
  const arrow = await up.evaluate((b) => {
    const before = getComputedStyle(b, "::before");
    return { width: before.width, clip: before.clipPath, fill: before.backgroundColor, text: getComputedStyle(b).color };
  });
  expect(arrow.width).toBe("18px");
  expect(arrow.clip).toContain("polygon");
  expect(arrow.fill).toBe(arrow.text);
  const color = await up.evaluate((b) => getComputedStyle(b).color);
  expect(color).not.toBe("rgba(16, 16, 16, 0.3)");
  await screenshotWidths(page, testInfo, "front-door-thread");
});

test("a member's post footer reads 'History · Flag', each action set apart", async ({ page }) => {
  await page.goto("/login?redirectTo=%2Fquestions");
  await signIn(page);
  await page.waitForURL(/\/questions$/);
  await page.getByTestId("thread-row").first().getByRole("heading").getByRole("link").click();
  const footer = page.locator(".post-footer").filter({ has: page.getByRole("link", { name: "Flag" }) }).first();
  await expect(footer).toBeVisible();
  expect(await footer.locator("span").first().innerText()).toMatch(/History · Flag/);
});

test("a moderator's actions on a post are a labelled group, and a hidden post reads 'History · Hidden'", async ({ page }) => {
  const moderator = DEMO_ACCOUNTS.find((a) => a.role === "moderator")!;
  await page.goto("/login?redirectTo=%2Fquestions");
  await page.getByLabel("E-mail").fill(moderator.email);
  await page.getByLabel("Password").fill(moderator.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(/\/questions$/);
  await page.getByTestId("thread-row").first().getByRole("heading").getByRole("link").click();
  const group = page.getByRole("group", { name: "Moderator actions" }).last();
  await expect(group.getByRole("button", { name: "Hide" })).toBeVisible();
  await group.getByRole("button", { name: "Hide" }).click();
  const footer = page.locator(".post-footer").filter({ hasText: "Hidden" }).first();
  await expect(footer).toBeVisible();
  expect(await footer.locator("span").first().innerText()).toMatch(/History · Hidden/);
  await expectAccessible(page, "moderator footer");
});

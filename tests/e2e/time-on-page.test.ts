import { DEMO_ACCOUNTS } from "~/modules/demo/demo-accounts.ts";
import { expect, test } from "./fixtures.ts";

const member = DEMO_ACCOUNTS.find((a) => a.role === "member")!;

/**
 * Issue 20, ADR 072: the browser reports the time a thread or article was visible with
 * `navigator.sendBeacon` when the reader moves on, by a link inside the app (the page unmounts) or to
 * another document (pagehide); the member then sees that time, to the second, on their own journey.
 */
test("reading a thread and an article, then navigating away, records the time on each page on the reader's journey", async ({ page }) => {
  test.slow();
  // Signed out (a fresh browser id): open a thread from the list and read it for a few seconds.
  await page.goto("/questions");
  const viewed = page.waitForResponse((r) => /\/questions\/\d+\/view$/.test(r.url()) && r.request().method() === "POST");
  const threadLink = page.getByTestId("thread-row").first().locator("h2 a");
  const threadTitle = (await threadLink.innerText()).trim();
  await threadLink.click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText(threadTitle);
  expect((await (await viewed).json()) as unknown).toMatchObject({ counted: true, viewId: expect.any(String) });
  await page.waitForTimeout(2500);

  // A link inside the app: a client-side navigation, no pagehide; the page reports as it unmounts.
  const threadBeacon = page.waitForResponse((r) => r.url().endsWith("/views/time") && r.request().method() === "POST");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Knowledge base" }).click();
  expect((await threadBeacon).status()).toBe(204);

  // An article, left for another document: the pagehide beacon.
  const articleViewed = page.waitForResponse((r) => /\/kb\/articles\/\d+\/view$/.test(r.url()) && r.request().method() === "POST");
  const articleLink = page.locator(".kb-article-list a").first();
  const articleTitle = (await articleLink.innerText()).trim();
  await articleLink.click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText(articleTitle);
  expect((await (await articleViewed).json()) as unknown).toMatchObject({ viewId: expect.any(String) });
  await page.waitForTimeout(1500);
  // (Playwright does not see requests a document sends while it unloads: the journey below shows this one arrived.)
  await page.goto("/login");

  // Signing in ties this browser's activity to the member: their journey shows both times as reported.
  await page.getByLabel("E-mail").fill(member.email);
  await page.getByLabel("Password").fill(member.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
  await page.goto("/account/journey");
  const threadStep = page.locator('li[data-kind="thread_view"]', { hasText: threadTitle }).locator('[data-time="reported"]');
  await expect(threadStep.first()).toHaveText(/^\d+ s on page$|^\d+ min \d+ s on page$/);
  // The demo member's journey also holds what other journeys did as them (the same article or thread read
  // briefly): this reading is the longest of its page's reported times.
  const longest = async (steps: typeof threadStep) => Math.max(...(await steps.evaluateAll((nodes) => nodes.map((n) => Number(n.getAttribute("data-seconds"))))));
  expect(await longest(threadStep)).toBeGreaterThanOrEqual(2);
  const articleStep = page.locator('li[data-kind="article_view"]', { hasText: articleTitle }).locator('[data-time="reported"]');
  await expect(async () => {
    await page.goto("/account/journey");
    await expect(articleStep.first()).toBeVisible({ timeout: 500 });
  }).toPass({ timeout: 10_000 });
  expect(await longest(articleStep)).toBeGreaterThanOrEqual(1);
});

import type { Page } from "@playwright/test";
import { DEMO_ACCOUNTS } from "~/modules/demo/demo-accounts.ts";
import { expect, expectAccessible, screenshotWidths, signOut, test } from "./fixtures.ts";

const member = DEMO_ACCOUNTS.find((a) => a.role === "member")!;
const staff = DEMO_ACCOUNTS.find((a) => a.role === "staff")!;
const ARTICLE = "Set up two-factor authentication and keep your recovery codes";

async function fillSignIn(page: Page, who: { email: string; password: string }) {
  await page.getByLabel("E-mail").fill(who.email);
  await page.getByLabel("Password").fill(who.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
}

/**
 * Issue 20's journey: a visitor searches, reads an article and says it did not help, signs in, asks
 * for help; a staff member sees those searches and the article on the ticket, replies, publishes the
 * reply as a staff answer and marks the ticket solved by staff; the customer reads the reply.
 */
test("a visitor's searches and unhelpful article reach staff on the ticket; staff reply, publish it as a staff answer and solve it", async ({ page }, testInfo) => {
  // Three sign-ins, eleven pages, axe and screenshots: longer than the default minute on a busy machine.
  test.slow();
  // Signed out: a search (logged by the page's beacon), then the article from its results.
  // The demo content is indexed by the job queue after the seed: retry until the article is found.
  await expect(async () => {
    await page.goto("/search?q=recovery%20codes");
    await expect(page.getByRole("link", { name: ARTICLE }).first()).toBeVisible({ timeout: 500 });
  }).toPass({ timeout: 20_000 });
  // The search shown is logged by the page's beacon, under the visitor's anonymous id.
  const [logged] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith("/search/log") && r.request().method() === "POST"),
    page.goto("/search?q=recovery%20codes%202fa"),
  ]);
  expect(logged.ok()).toBe(true);
  await expect(page.getByRole("link", { name: "Still need help?" })).toBeVisible();
  const viewed = page.waitForResponse((r) => /\/kb\/articles\/\d+\/view$/.test(r.url()) && r.request().method() === "POST");
  await page.getByRole("link", { name: ARTICLE }).first().click();
  await expect(page.getByRole("heading", { level: 1, name: ARTICLE })).toBeVisible();
  await viewed;
  await page.getByLabel("What was missing? (optional)").fill("Lost my phone and the codes / am pierdut telefonul / 手机丢了");
  await page.getByRole("button", { name: "No", exact: true }).click();
  await expect(page.getByRole("status")).toContainText("You did not find this helpful");
  await expectAccessible(page, "article rated unhelpful");

  // "Still need help?" asks to sign in, then comes back to the short form.
  await page.getByRole("link", { name: "Still need help?" }).click();
  await expect(page).toHaveURL(/\/login\?redirectTo=/);
  await fillSignIn(page, member);
  await expect(page.getByRole("heading", { level: 1, name: "Still need help?" })).toBeVisible();
  await expectAccessible(page, "still need help form");
  await screenshotWidths(page, testInfo, "support-new");
  await page.getByLabel("What is still wrong? (optional)").fill("I have no phone and no codes. Nu mai am acces. 我无法登录。");
  await page.getByRole("button", { name: "Ask for help" }).click();
  await expect(page.getByRole("status")).toContainText("Your request was sent");
  await expect(page.getByTestId("ticket-status")).toHaveText("New");
  const ticketUrl = new URL(page.url()).pathname;
  // The customer does not see the staff view of the journey.
  await expect(page.getByTestId("journey")).toHaveCount(0);
  // Signed out for sure before the next sign-in (a /login still signed in redirects home).
  await signOut(page);

  // Staff: the queue, the ticket, the journey with the search and the article.
  await page.goto("/login");
  await fillSignIn(page, staff);
  await page.goto("/support");
  await expect(page.getByRole("heading", { level: 1, name: "Support queue" })).toBeVisible();
  await expectAccessible(page, "support queue");
  await screenshotWidths(page, testInfo, "support-queue");
  await page.locator(`a[href="${ticketUrl}"]`).click();
  const journey = page.getByTestId("journey");
  await expect(journey.locator('[data-kind="search"]').filter({ hasText: "recovery codes 2fa" })).toBeVisible();
  await expect(journey.locator('[data-kind="article_view"]').filter({ hasText: ARTICLE })).toBeVisible();
  await expect(journey.locator('[data-kind="feedback"]').filter({ hasText: "not helpful" })).toBeVisible();
  await expect(page.getByRole("paragraph").filter({ hasText: "I have no phone and no codes. Nu mai am acces. 我无法登录。" })).toBeVisible();
  await expectAccessible(page, "ticket (staff)");
  await screenshotWidths(page, testInfo, "support-ticket");

  await page.getByLabel("Reply to the customer").fill("Use one of your saved recovery codes, or ask us to reset two-factor authentication after we verify your identity.");
  await page.getByRole("button", { name: "Send to customer" }).click();
  await expect(page.getByTestId("message-reply")).toContainText("saved recovery codes");
  await expect(page.getByTestId("ticket-status")).toHaveText("Waiting on customer");

  await page.getByLabel("Title of the public question").fill("I lost my phone and my two-factor recovery codes");
  await page.getByRole("button", { name: "Publish as staff answer" }).click();
  const published = page.getByRole("link", { name: "Published as a staff answer" });
  await expect(published).toBeVisible();

  await page.getByLabel("Outcome").selectOption("staff_answer");
  await page.getByRole("button", { name: "Mark solved" }).click();
  await expect(page.getByTestId("ticket-status")).toHaveText("Solved");
  await expect(page.getByTestId("ticket-outcome")).toContainText("Answered by staff");

  // The next customer finds the answer in public, with the Staff mark.
  await published.click();
  await expect(page.getByRole("heading", { level: 1, name: /I lost my phone and my two-factor recovery codes/ })).toBeVisible();
  await expect(page.getByText("saved recovery codes")).toBeVisible();
  // Signed out for sure before the next sign-in (a /login still signed in redirects home).
  await signOut(page);

  // The customer sees the reply (and no internal notes) on their ticket.
  await page.goto("/login");
  await fillSignIn(page, member);
  await page.goto(ticketUrl);
  await expect(page.getByTestId("message-reply")).toContainText("saved recovery codes");
  await expect(page.getByTestId("ticket-status")).toHaveText("Solved");
});

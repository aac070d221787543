import { DEMO_ACCOUNTS } from "~/modules/demo/demo-accounts.ts";
import { expect, expectAccessible, screenshotWidths, test, signIn, signOut } from "./fixtures.ts";

const moderator = DEMO_ACCOUNTS.find((a) => a.role === "moderator")!;
const staff = DEMO_ACCOUNTS.find((a) => a.role === "staff")!;

test("a moderator promotes a recurring topic, publishes the article, and a visitor follows the banner and votes helpful", async ({ page }, testInfo) => {
  await signIn(page, moderator);
  await page.getByRole("link", { name: "Knowledge base", exact: true }).first().click();
  await expect(page.getByRole("heading", { level: 1, name: "Knowledge base" })).toBeVisible();
  await expectAccessible(page, "kb home");
  await screenshotWidths(page, testInfo, "kb-home");
  await page.getByRole("link", { name: "Recurring topics" }).click();
  await page.getByRole("link", { name: "Last 7 days" }).click();
  await expect(page.getByTestId("computed-at")).toContainText("Computed");
  const topic = page.getByTestId("topic").filter({ hasText: "The Android app signs me out every day" });
  await expect(topic).toContainText("Mobile app keeps signing me out of my account");
  await expectAccessible(page, "recurring topics");
  await screenshotWidths(page, testInfo, "kb-recurring");

  // One thread of the topic has no accepted answer: the promotion asks first.
  await topic.getByRole("button", { name: "Promote this topic to an article" }).click();
  await expect(page.getByRole("alert")).toContainText("no accepted answer yet");
  await expectAccessible(page, "promote confirmation");
  await page.getByRole("button", { name: "Promote anyway" }).click();

  // The draft is pre-filled from the questions and the accepted answer.
  await expect(page.getByRole("heading", { level: 1, name: "Edit article" })).toBeVisible();
  await expect(page.getByRole("status")).toContainText("pre-filled from");
  await expect(page.getByLabel("Title")).toHaveValue("Mobile app keeps signing me out of my account");
  const editor = page.getByRole("textbox", { name: "Article" });
  await expect(editor).toContainText("Stay signed in");
  await expect(editor).toContainText("Answer by Omar Khalil.");
  await expectAccessible(page, "edit article");
  await screenshotWidths(page, testInfo, "kb-edit");
  await page.getByLabel("Title").fill("Stop the mobile app from signing you out every day");
  await page.getByLabel("Reason for the edit (optional)").fill("clearer title");
  await page.getByRole("button", { name: "Save edit" }).click();

  await expect(page.getByRole("heading", { level: 1 })).toContainText("Stop the mobile app from signing you out every day");
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Draft");
  await page.getByRole("button", { name: "Publish" }).click();
  await expect(page.getByRole("heading", { level: 1 })).not.toContainText("Draft");
  const articleUrl = page.url();
  const sources = page.getByTestId("article-source");
  await expect(sources.filter({ hasText: "The Android app signs me out every day" })).toBeVisible();
  await expect(sources.filter({ hasText: "Mobile app keeps signing me out of my account" })).toContainText("answer by Omar Khalil");
  await expectAccessible(page, "article (staff)");
  await screenshotWidths(page, testInfo, "kb-article-staff");
  const threadPath = await sources.filter({ hasText: "The Android app signs me out every day" }).getByRole("link").first().getAttribute("href");
  await signOut(page);

  // A signed-out visitor reads a source thread, follows the banner and answers "helpful".
  await page.goto(threadPath!);
  const banner = page.getByTestId("kb-banner");
  await expect(banner).toContainText("This is answered in a knowledge-base article");
  await expectAccessible(page, "thread with banner");
  await screenshotWidths(page, testInfo, "kb-thread-banner");
  await banner.getByRole("link", { name: "Stop the mobile app from signing you out every day" }).click();
  await expect(page).toHaveURL(articleUrl);
  await expect(page.getByText("For staff")).toHaveCount(0);
  await page.getByRole("button", { name: "Yes", exact: true }).click();
  await expect(page.getByRole("status")).toContainText("You found this helpful");
  await expect(page.getByRole("button", { name: "Yes", exact: true })).toHaveAttribute("aria-pressed", "true");
  // A second click (a flood) changes nothing.
  await page.getByRole("button", { name: "Yes", exact: true }).click();
  await expectAccessible(page, "article (visitor)");
  await screenshotWidths(page, testInfo, "kb-article-visitor");

  // Staff see the article's helpfulness.
  await signIn(page, staff);
  await page.goto(articleUrl);
  await expect(page.getByTestId("helpfulness")).toHaveText("1 yes, 0 no (100% helpful)");
});

test("drafts answer 404 to visitors, and a member posting a promotion directly gets 403", async ({ page }) => {
  await signIn(page, moderator);
  await page.goto("/kb/new");
  await page.getByLabel("Title").fill("Draft article that nobody else may read");
  await page.getByLabel("Category").selectOption({ label: "Billing & invoices" });
  await page.getByLabel("Tags").fill("invoices");
  await page.getByRole("textbox", { name: "Article" }).click();
  await page.keyboard.type("This draft explains something that is not ready for readers yet.");
  await page.getByRole("button", { name: "Save draft" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Edit article" })).toBeVisible();
  await page.getByRole("link", { name: "View the article" }).click();
  await expect(page).toHaveURL(/\/kb\/billing\/draft-article-that-nobody-else-may-read$/);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Draft");
  const draftUrl = page.url();
  await signOut(page);
  const response = await page.goto(draftUrl);
  expect(response?.status()).toBe(404);

  const member = DEMO_ACCOUNTS.find((a) => a.role === "member")!;
  await signIn(page, member);
  expect((await page.goto("/kb/recurring"))?.status()).toBe(403);
  await page.goto("/kb");
  const status = await page.evaluate(async () => {
    const csrf = document.querySelector<HTMLInputElement>('input[name="csrf"]')?.value ?? "";
    const body = new FormData();
    body.set("csrf", csrf);
    body.set("threadIds", "1");
    return (await fetch("/kb/promote", { method: "POST", body })).status;
  });
  expect(status).toBe(403);
});

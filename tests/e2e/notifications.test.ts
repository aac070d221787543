import type { Browser, Page } from "@playwright/test";
import { expect, expectAccessible, screenshotWidths, signIn, test, waitForMail } from "./fixtures.ts";

const asker = { email: "member@threadwise.demo", password: "demo-member-pass", name: "Max Member" };
const helper = { email: "omar@threadwise.demo", password: "demo-omar-k-pass", handle: "omar-k" };
const title = `Invoice PDF shows the wrong VAT number ${Date.now().toString(36)}`;

async function signedInPage(browser: Browser, who: { email: string; password: string }): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, who);
  return page;
}

/** Starts from an empty bell: everything the demo seed notified is marked read. */
async function clearBell(page: Page) {
  await page.getByTestId("bell").click();
  await expect(page.getByRole("heading", { level: 1, name: "Notifications" })).toBeVisible();
  const markAll = page.getByRole("button", { name: "Mark all as read" });
  if (await markAll.isVisible()) await markAll.click();
  await expect(page.getByTestId("bell")).toHaveAttribute("aria-label", "Notifications");
}

test("ask, get an answer with the bell rising live, open it, accept, and the answerer finds the accepted notice and its e-mail", async ({ browser }, testInfo) => {
  const max = await signedInPage(browser, asker);
  await clearBell(max);
  await max.goto("/questions/new");
  await max.getByLabel("Title").fill(title);
  await max.getByLabel("Category").selectOption({ label: "Billing & invoices" });
  await max.getByLabel("Tags").fill("invoices");
  await max.getByRole("textbox", { name: "Details" }).click();
  await max.keyboard.type("The PDF invoice for November shows our old VAT number although the profile has the new one.");
  await max.getByRole("button", { name: "Post your question" }).click();
  await expect(max.getByRole("heading", { level: 1 })).toContainText(title);
  // Max watches his own question.
  await expect(max.getByRole("button", { name: "Stop watching this thread" })).toBeVisible();
  await screenshotWidths(max, testInfo, "thread-watching");
  const threadUrl = max.url();
  await max.goto("/");
  await expect(max.getByTestId("bell")).toHaveAttribute("aria-label", "Notifications");

  // Omar answers in another browser, mentioning Max with the editor's suggestions.
  const omar = await signedInPage(browser, helper);
  await clearBell(omar);
  await omar.goto(threadUrl);
  await omar.getByRole("textbox", { name: "Your answer" }).click();
  await omar.keyboard.type("Hi @max-m");
  const option = omar.getByRole("option", { name: /@max-member/ });
  await expect(option).toBeVisible();
  await omar.keyboard.press("Enter");
  await omar.keyboard.type("regenerate the invoice from Billing, then Invoices, then Regenerate PDF.");
  await omar.getByRole("button", { name: "Post your answer" }).click();
  const answer = omar.getByTestId("answer").filter({ hasText: "regenerate the invoice" });
  await expect(answer).toBeVisible();
  await expect(answer.getByRole("link", { name: "@max-member" })).toHaveAttribute("href", "/u/max-member");

  // Max's bell rises without a reload, within 5 seconds.
  await expect(max.getByTestId("bell")).toHaveAttribute("aria-label", "Notifications, 1 unread", { timeout: 5_000 });
  await expect(max.getByTestId("bell-count")).toHaveText("1");
  // On a phone the bell is inside the closed menu: the menu's button carries the count, seen and heard.
  const desk = max.viewportSize()!;
  await max.setViewportSize({ width: 360, height: 740 });
  await expect(max.getByTestId("menu-unread")).toHaveText("1");
  await expect(max.getByRole("button", { name: /^Menu, Notifications, 1 unread$/ })).toBeVisible();
  await max.setViewportSize(desk);
  await screenshotWidths(max, testInfo, "bell-unread");
  await max.getByTestId("bell").click();
  await expect(max.getByRole("heading", { level: 1, name: "Notifications" })).toBeVisible();
  const notice = max.getByTestId("notification").filter({ hasText: `answered your question “${title}”` });
  await expect(notice).toBeVisible();
  await expectAccessible(max, "notifications");
  await screenshotWidths(max, testInfo, "notifications");
  await notice.getByRole("button", { name: /^New .* answered your question/ }).click();
  await expect(max).toHaveURL(/\/questions\/\d+\/[a-z0-9-]+\?answer=(\d+)#post-\1$/);
  await expect(max.getByTestId("bell")).toHaveAttribute("aria-label", "Notifications");

  // Max accepts; Omar, still on the thread page, sees his bell rise too.
  await max.getByTestId("answer").filter({ hasText: "regenerate the invoice" }).getByRole("button", { name: "Accept this answer" }).click();
  await expect(max.getByText("Accepted answer").first()).toBeVisible();
  await expect(omar.getByTestId("bell")).toHaveAttribute("aria-label", /Notifications, [1-9]\d* unread/, { timeout: 5_000 });
  await omar.getByTestId("bell").click();
  await expect(omar.getByTestId("notification").filter({ hasText: `${asker.name} accepted your answer to “${title}”` })).toBeVisible();
  const mail = await waitForMail(helper.email, /accepted your answer/);
  expect(mail.subject).toBe(`${asker.name} accepted your answer to “${title}”`);
  expect(mail.text).toContain("You get this because you wrote this answer.");
  expect(mail.text).toMatch(/\/questions\/\d+\/[a-z0-9-]+\?answer=\d+#post-\d+/);
  expect(mail.headers?.["list-unsubscribe-post"]).toBe("List-Unsubscribe=One-Click");

  // Settings and the Watching tab.
  await omar.goto("/account/notifications");
  await expectAccessible(omar, "notification settings");
  await screenshotWidths(omar, testInfo, "notification-settings");
  await omar.getByRole("group", { name: "Things I watch" }).getByLabel("Weekly digest").check();
  await omar.getByRole("button", { name: "Save settings" }).click();
  await expect(omar.getByText("Your notification settings are saved.")).toBeVisible();
  await omar.getByRole("link", { name: "Watching" }).click();
  await expect(omar.getByTestId("watched").filter({ hasText: title })).toBeVisible();
  await expectAccessible(omar, "watching");
  await screenshotWidths(omar, testInfo, "watching");
  await omar.getByTestId("watched").filter({ hasText: title }).getByRole("button", { name: `Stop watching “${title}”` }).click();
  await expect(omar.getByTestId("watched").filter({ hasText: title })).toHaveCount(0);
});

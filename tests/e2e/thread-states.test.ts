import type { Page } from "@playwright/test";
import { DEMO_ACCOUNTS } from "~/modules/demo/demo-accounts.ts";
import { expect, expectAccessible, test, signIn } from "./fixtures.ts";

const moderator = DEMO_ACCOUNTS.find((a) => a.role === "moderator")!;
const stamp = Date.now().toString(36);

test.slow();

async function ask(page: Page, title: string, body: string): Promise<string> {
  await page.goto("/questions/new");
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Category").selectOption({ index: 1 });
  await page.getByLabel("Tags").fill("states");
  await page.getByRole("textbox", { name: "Details" }).click();
  await page.keyboard.type(body);
  await page.getByRole("button", { name: "Post your question" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);
  return new URL(page.url()).pathname;
}

test("a moderator closes a thread (everyone sees why) and merges another into it (its old URL redirects)", async ({ page, browser }) => {
  await signIn(page, moderator);
  const target = await ask(page, `Closing and merging: the original ${stamp}`, "The export button on the invoices page does nothing when I click it.");
  const source = await ask(page, `Closing and merging: the copy ${stamp}`, "Clicking export on the invoices page has no effect at all, on any browser.");
  const answerText = `Clear the date filter first, then export again ${stamp}.`;
  await page.getByRole("textbox", { name: "Your answer" }).click();
  await page.keyboard.type(answerText);
  await page.getByRole("button", { name: "Post your answer" }).click();
  const answer = page.getByTestId("answer").filter({ hasText: answerText });
  await expect(answer).toBeVisible();
  const answerId = await answer.getAttribute("id");

  // Close the original as off-topic: the banner says why, and the answer form is gone.
  await page.goto(target);
  const actions = page.locator("details.thread-state-actions");
  await actions.locator("summary").click();
  await actions.getByLabel("Reason").selectOption("off_topic");
  await actions.getByRole("button", { name: "Close", exact: true }).click();
  const banner = page.getByTestId("thread-state-banner");
  await expect(banner).toContainText("Closed: off-topic for this community.");
  await expect(page.getByText("This question is closed and takes no new answers.")).toBeVisible();
  await expectAccessible(page, "closed thread");

  // A visitor sees the same banner.
  const visitor = await browser.newPage();
  await visitor.goto(target);
  await expect(visitor.getByTestId("thread-state-banner")).toContainText("Closed: off-topic for this community.");

  // Merge the copy into the original: the moderator lands on the original, with the moved answer.
  await page.goto(source);
  await actions.locator("summary").click();
  await actions.getByLabel("Merge into (address or number)").fill(target);
  await actions.getByRole("button", { name: "Merge", exact: true }).click();
  await expect(page).toHaveURL((url) => url.pathname === target);
  await expect(page.getByTestId("answer").filter({ hasText: answerText })).toBeVisible();

  // The copy's old address, with an answer anchor, leads to the original, anchor kept.
  await visitor.goto(`${source}#${answerId}`);
  await expect(visitor).toHaveURL((url) => url.pathname === target && url.hash === `#${answerId}`);
  await expect(visitor.locator(`#${answerId}`)).toContainText(answerText);
  await visitor.close();
});

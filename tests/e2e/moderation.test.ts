import { DEMO_ACCOUNTS } from "~/modules/demo/demo-accounts.ts";
import { expect, expectAccessible, screenshotWidths, test, signIn, signOut } from "./fixtures.ts";

const moderator = DEMO_ACCOUNTS.find((a) => a.role === "moderator")!;
const max = DEMO_ACCOUNTS.find((a) => a.role === "member")!;
// Demo members (seed-demo: reputation above the flag threshold, password demo-<handle>-pass).
const flaggers = [max, { email: "ioana@threadwise.demo", password: "demo-ioana-pop-pass" }, { email: "wei@threadwise.demo", password: "demo-wei-chen-pass" }];

test("members flag a spam answer until it is hidden; a moderator agrees on /review, suspends the author for 7 days and finds both actions in the audit log", async ({ page, browser }, testInfo) => {
  test.setTimeout(180_000);
  const unique = Date.now().toString(36);
  const spammer = { email: `spam-${unique}@example.com`, handle: `spam-${unique}`, password: "a long and unusual passphrase" };
  const spam = `Cheap followers and likes at our shop, order today ${unique}`;

  // A new account answers a demo thread with spam.
  await page.goto("/signup");
  await page.getByLabel("E-mail").fill(spammer.email);
  await page.getByLabel("Handle").fill(spammer.handle);
  await page.getByLabel("Display name").fill("Spam Shop");
  await page.getByLabel("Password").fill(spammer.password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/account\?welcome=1$/);
  await page.goto("/questions");
  await page.getByRole("link", { name: "Webhook deliveries fail with a 401 from my endpoint" }).click();
  await page.getByRole("textbox", { name: "Your answer" }).click();
  await page.keyboard.type(spam);
  await page.getByRole("button", { name: "Post your answer" }).click();
  const answer = page.getByTestId("answer").filter({ hasText: spam });
  await expect(answer).toBeVisible();
  const postId = (await answer.getAttribute("id"))!.replace("post-", "");
  const threadUrl = page.url();
  await signOut(page);

  // Three members flag it as spam; the third flag hides it at once.
  for (const [i, who] of flaggers.entries()) {
    await signIn(page, who);
    await page.goto(threadUrl);
    const flagged = page.getByTestId("answer").filter({ hasText: spam });
    await flagged.getByText("Flag", { exact: true }).click();
    await flagged.getByLabel("Spam").check();
    if (i === 0) await expectAccessible(page, "flag form");
    await flagged.getByRole("button", { name: "Send flag" }).click();
    // The third flag hides the answer at once: the page, revalidated, no longer shows it to a member.
    if (i < 2) await expect(flagged.getByRole("status")).toContainText("A moderator will look at it.");
    else await expect(page.getByText(spam)).toHaveCount(0);
    if (i === 0) {
      await page.goto("/account/flags");
      await expect(page.getByTestId("my-flag").first()).toContainText("Waiting for review");
      await expectAccessible(page, "my flags");
    }
    await signOut(page);
  }
  await page.goto(threadUrl);
  await expect(page.getByText(spam)).toHaveCount(0);

  // A moderator opens the review queue, agrees, and suspends the author for 7 days.
  await signIn(page, moderator);
  await page.getByRole("link", { name: "Review", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Review queue", level: 1 })).toBeVisible();
  const item = page.getByTestId(`review-${postId}`);
  await expect(item).toContainText(spam);
  await expect(item).toContainText("Hidden now");
  await expect(item.getByRole("listitem")).toHaveCount(3);
  await expectAccessible(page, "review queue");
  await screenshotWidths(page, testInfo, "review-queue");
  await item.getByLabel("Also suspend the author").check();
  await item.getByLabel("Days (empty: indefinitely)").fill("7");
  await item.getByLabel("Reason for the suspension (the member sees it)").fill("Spam answers");
  await item.getByRole("button", { name: "Agree", exact: true }).click();
  await expect(page.getByRole("status")).toContainText("Flags agreed with, and the author is suspended.");
  await expect(page.getByTestId(`review-${postId}`)).toHaveCount(0);

  // The author is signed out, and sign-in tells them why and until when.
  const other = await browser.newContext();
  const spammerPage = await other.newPage();
  await spammerPage.goto("/login");
  await spammerPage.getByLabel("E-mail").fill(spammer.email);
  await spammerPage.getByLabel("Password").fill(spammer.password);
  await spammerPage.getByRole("button", { name: "Sign in" }).click();
  await expect(spammerPage.getByText(/This account is suspended until \d{4}-\d\d-\d\d \d\d:\d\d UTC\. Reason: “Spam answers”/)).toBeVisible();
  await other.close();

  // Both actions are in the audit log (the /admin/audit list comes from the audit branch).
  await page.goto("/admin/audit");
  await expect(page.getByRole("row").filter({ hasText: "flags.agreed" }).filter({ hasText: postId }).first()).toBeVisible();
  await expect(page.getByRole("row").filter({ hasText: "user.suspended" }).first()).toBeVisible();
});

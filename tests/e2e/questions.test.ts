import { DEMO_ACCOUNTS } from "~/modules/demo/demo-accounts.ts";
import { expect, expectAccessible, screenshotWidths, test, signIn, signOut } from "./fixtures.ts";

const asker = DEMO_ACCOUNTS.find((a) => a.role === "member")!;
const helper = { email: "omar@threadwise.demo", password: "demo-omar-k-pass" };
const PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=";
const title = `Export invoices to CSV fails for last year ${Date.now().toString(36)}`;

test("ask with the editor, answer as another member, accept, change the acceptance and read the history", async ({ page }, testInfo) => {
  await signIn(page, asker);
  await page.getByRole("link", { name: "Questions", exact: true }).click();
  await page.locator("#main").getByRole("link", { name: "Ask a question" }).click();
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Category").selectOption({ label: "Billing & invoices" });
  await page.getByLabel("Tags").fill("export, csv");

  const editor = page.getByRole("textbox", { name: "Details" });
  await editor.click();
  await page.getByRole("button", { name: "Heading", exact: true }).click();
  await page.keyboard.type("Steps I tried");
  await page.keyboard.press("Enter");
  await page.getByRole("button", { name: "Bulleted list" }).click();
  await page.keyboard.type("Opened the billing page");
  await page.keyboard.press("Enter");
  await page.keyboard.type("Searched the help center");
  await page.keyboard.press("Enter");
  await page.keyboard.press("Enter");
  await page.getByRole("button", { name: "Code block" }).click();
  await page.keyboard.type("GET /v1/invoices?year=2025");
  await page.keyboard.press("Enter");
  await page.keyboard.press("Enter");
  await page.keyboard.press("Enter");
  await page.keyboard.type("The API docs: ");
  await page.getByRole("button", { name: "Link", exact: true }).click();
  await page.getByLabel("Link address").fill("https://docs.example.com/invoices");
  await page.getByRole("button", { name: "Apply" }).click();
  // An uploaded image; the status message it shows re-renders the form, which must keep the text.
  const chooser = page.waitForEvent("filechooser");
  await page.getByRole("button", { name: "Upload image" }).click();
  await (await chooser).setFiles({ name: "screenshot.png", mimeType: "image/png", buffer: Buffer.from(PNG, "base64") });
  await expect(page.getByText("Image added")).toBeVisible();
  await expectAccessible(page, "ask");
  await screenshotWidths(page, testInfo, "ask");
  await page.getByRole("button", { name: "Post your question" }).click();

  await expect(page.getByRole("heading", { level: 1 })).toContainText(title);
  const question = page.getByTestId("question");
  await expect(question.getByRole("heading", { level: 2, name: "Steps I tried" })).toBeVisible();
  await expect(question.locator("ul li")).toHaveCount(2);
  await expect(question.locator("pre code")).toContainText("GET /v1/invoices?year=2025");
  await expect(question.getByRole("link", { name: "https://docs.example.com/invoices" })).toHaveAttribute("rel", "nofollow ugc noopener");
  await expect(question.locator("img")).toHaveAttribute("src", /^\/uploads\/[A-Za-z0-9_-]+\.png$/);
  const threadUrl = page.url();
  await signOut(page);

  // A second member answers twice.
  await signIn(page, helper);
  await page.goto(threadUrl);
  for (const text of ["Use Billing, then Invoices, then Export as CSV.", "Or call the API with format=csv for each month."]) {
    await page.getByRole("textbox", { name: "Your answer" }).click();
    await page.keyboard.type(text);
    await page.getByRole("button", { name: "Post your answer" }).click();
    await expect(page.getByTestId("answer").filter({ hasText: text })).toBeVisible();
  }
  await signOut(page);

  // The asker accepts the second answer, then changes to the first.
  await signIn(page, asker);
  await page.goto(threadUrl);
  const second = page.getByTestId("answer").filter({ hasText: "format=csv" });
  await second.getByRole("button", { name: "Accept this answer" }).click();
  await expect(page.getByTestId("answer").first()).toContainText("✓ Accepted answer");
  await expect(page.getByTestId("answer").first()).toContainText("format=csv");
  await expect(page).toHaveTitle(/^\[Resolved\] /);
  await expectAccessible(page, "thread");
  await screenshotWidths(page, testInfo, "thread");

  await page.getByTestId("answer").filter({ hasText: "Use Billing" }).getByRole("button", { name: "Accept this answer" }).click();
  await expect(page.getByTestId("answer").first()).toContainText("Use Billing");
  await expect(page.getByTestId("answer").first()).toContainText("✓ Accepted answer");
  await expect(page.getByText("✓ Accepted answer")).toHaveCount(1);

  await page.goto("/questions?filter=resolved");
  const row = page.getByTestId("thread-row").filter({ hasText: title });
  await expect(row.getByText("Resolved", { exact: true })).toBeVisible();
  await expectAccessible(page, "questions list");
  await screenshotWidths(page, testInfo, "questions");

  // Edit the question and read the history.
  await page.goto(threadUrl);
  await page.getByTestId("question").getByRole("link", { name: "Edit" }).click();
  await page.getByRole("textbox", { name: "Details" }).click();
  await page.keyboard.press("Control+End");
  await page.keyboard.type(" Still failing on Safari.");
  await page.getByLabel("Reason for the edit (optional)").fill("added the browser");
  await page.getByRole("button", { name: "Save edit" }).click();
  await expect(page.getByTestId("question")).toContainText("Still failing on Safari.");
  await page.getByTestId("question").getByRole("link", { name: "History" }).click();
  await expect(page.getByTestId("revision")).toHaveCount(2);
  await expect(page.getByTestId("revision").first().locator("ins")).toContainText("Still failing on Safari.");
  await expect(page.getByTestId("revision").first()).toContainText("added the browser");
  await expectAccessible(page, "revisions");
});

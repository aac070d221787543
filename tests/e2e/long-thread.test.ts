import { DEMO_ACCOUNTS } from "~/modules/demo/demo-accounts.ts";
import { expect, expectAccessible, screenshotWidths, signIn, signOut, test } from "./fixtures.ts";

/**
 * A long thread (issue 25, ADR 075): the page renders twenty answers; in Chromium the rest load as the
 * reader scrolls and take votes like the others; without JavaScript "Show N more answers" opens page 2.
 * The answers are posted through the JSON API with a member's key, as a help-desk integration would.
 */

const max = DEMO_ACCOUNTS.find((a) => a.role === "member")!;
const ioana = { email: "ioana@threadwise.demo", password: "demo-ioana-pop-pass" };
const wei = { email: "wei@threadwise.demo", password: "demo-wei-chen-pass" };
const EXTRA = 3;

const doc = (text: string) => ({ type: "doc", content: [{ type: "paragraph", content: [{ type: "text", text }] }] });

test("a thread with 23 answers shows 20, loads the rest as the reader scrolls, and pages without JavaScript", async ({ page, browser, baseURL }, testInfo) => {
  test.setTimeout(180_000);
  const unique = Date.now().toString(36);

  // Max asks in Romanian.
  await signIn(page, max);
  await page.goto("/questions/new");
  await page.getByLabel("Title").fill(`Sincronizarea contactelor se oprește după 500 de intrări ${unique}`);
  await page.getByLabel("Category").selectOption({ label: "Integrations" });
  await page.getByRole("textbox", { name: "Details" }).click();
  await page.keyboard.type("După actualizare, sincronizarea se oprește la 500 de contacte. Ce limită este?");
  await page.getByLabel("Tags").fill("sync");
  await page.getByRole("button", { name: "Post your question" }).click();
  await expect(page).toHaveURL(/\/questions\/\d+\/[^/?#]+$/);
  const threadUrl = page.url();
  const threadId = /\/questions\/(\d+)\//.exec(threadUrl)![1]!;
  await signOut(page);

  // Ioana answers through the API with a read-write key.
  await signIn(page, ioana);
  await page.goto("/account/api-keys");
  await page.getByLabel("Name").fill(`long thread ${unique}`);
  await page.getByLabel("Read and write").check();
  await page.getByRole("button", { name: "Create key" }).click();
  const token = await page.getByLabel("Secret").inputValue();
  expect(token.length).toBeGreaterThan(20);
  for (let n = 1; n <= 20 + EXTRA; n++) {
    const response = await page.request.post(`${baseURL}/api/v1/questions/${threadId}/answers`, {
      headers: { Authorization: `Bearer ${token}` },
      data: { body: doc(`Răspunsul ${n} (${unique}): verifică limita de ${n * 100} de contacte din setări.`) },
    });
    expect(response.status(), await response.text()).toBe(201);
  }
  await signOut(page);

  // Wei reads it: twenty answers, then the rest as the page scrolls.
  await signIn(page, wei);
  await page.goto(threadUrl);
  await expect(page.getByRole("heading", { name: `${20 + EXTRA} answers` })).toBeVisible();
  const answers = page.getByTestId("answer");
  await expect(answers).toHaveCount(20);
  const more = page.getByRole("link", { name: `Show ${EXTRA} more answers` });
  await expect(more).toBeVisible();
  await more.scrollIntoViewIfNeeded();
  await expect(answers).toHaveCount(20 + EXTRA);
  await expect(more).toHaveCount(0);
  await expectAccessible(page, "long thread, all answers loaded");

  // An appended answer takes a vote like any other. With its new score it moves up to the first page
  // when the page revalidates, and is shown once.
  const lastId = (await answers.last().getAttribute("id"))!;
  const voted = page.locator(`#${lastId}`);
  await voted.getByRole("button", { name: "Vote up" }).click();
  await expect(voted.getByRole("button", { name: "Vote up" })).toHaveAttribute("aria-pressed", "true");
  await expect(voted.locator(".vote-score")).toHaveText("1");
  await expect(answers).toHaveCount(20 + EXTRA);
  await expect(answers.first()).toHaveAttribute("id", lastId);
  // The page carried each body once, in its markup (ADR 085): after hydration, the loads as it scrolled
  // and the revalidation, every post still shows its own text.
  for (const answer of await answers.all()) await expect(answer.locator(".rich-text")).toContainText(`(${unique}): verifică limita de`);
  await expect(page.getByTestId("question").locator(".rich-text")).toContainText("După actualizare, sincronizarea se oprește");
  await screenshotWidths(page, testInfo, "long-thread");

  // A link to an answer on the second page by its anchor alone lands on it.
  const deepId = (await answers.last().getAttribute("id"))!;
  await page.goto("/questions");
  await page.goto(`${threadUrl}#${deepId}`);
  await expect(page.locator(`#${deepId}`)).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`\\?answer=${deepId.replace("post-", "")}#${deepId}$`));

  // Without JavaScript: the link opens page 2, which has the rest and a way back.
  const plain = await browser.newContext({ javaScriptEnabled: false, baseURL });
  const noJs = await plain.newPage();
  await noJs.goto(threadUrl);
  await expect(noJs.getByTestId("answer")).toHaveCount(20);
  await noJs.getByRole("link", { name: `Show ${EXTRA} more answers` }).click();
  await expect(noJs).toHaveURL(/\?page=2$/);
  await expect(noJs.getByTestId("answer")).toHaveCount(EXTRA);
  await expect(noJs.getByRole("navigation", { name: "Pages of answers" }).getByRole("link", { name: "Previous answers" })).toBeVisible();
  await expect(noJs.getByTestId("question")).toBeVisible();
  await plain.close();
});

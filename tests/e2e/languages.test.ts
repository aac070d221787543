import type { Page } from "@playwright/test";
import { expect, expectAccessible, screenshotWidths, test, signIn, signOut } from "./fixtures.ts";

/**
 * The Q&A journey entirely in Chinese and entirely in Romanian: ask (a short natural title, tags in
 * the language), a second member answers, the asker accepts, and search finds the thread in the same
 * language. Demo members: 陳偉 (wei-chen) and 李娜 (li-na) for Chinese, Ioana Pop and Omar Khalil
 * for Romanian; their demo password is demo-<handle>-pass.
 */
const member = (handle: string, email: string) => ({ email, password: `demo-${handle}-pass` });
const wei = member("wei-chen", "wei@threadwise.demo");
const lina = member("li-na", "lina@threadwise.demo");
const ioana = member("ioana-pop", "ioana@threadwise.demo");
const omar = member("omar-k", "omar@threadwise.demo");

// Two members and a search index in one journey: more than the default minute on a busy machine.
test.slow();

async function ask(page: Page, question: { title: string; category: string; tags: string; body: string }) {
  await page.goto("/questions/new");
  await page.getByLabel("Title").fill(question.title);
  await page.getByLabel("Category").selectOption({ label: question.category });
  await page.getByLabel("Tags").fill(question.tags);
  await page.getByRole("textbox", { name: "Details" }).click();
  await page.keyboard.type(question.body);
  await page.getByRole("button", { name: "Post your question" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(question.title);
}

async function answer(page: Page, threadUrl: string, text: string) {
  await page.goto(threadUrl);
  await page.getByRole("textbox", { name: "Your answer" }).click();
  await page.keyboard.type(text);
  await page.getByRole("button", { name: "Post your answer" }).click();
  await expect(page.getByTestId("answer").filter({ hasText: text })).toBeVisible();
}

async function accept(page: Page, threadUrl: string, text: string) {
  await page.goto(threadUrl);
  await page.getByTestId("answer").filter({ hasText: text }).getByRole("button", { name: "Accept this answer" }).click();
  await expect(page.getByTestId("answer").first()).toContainText("✓ Accepted answer");
  await expect(page).toHaveTitle(/^\[Resolved\] /);
}

/** Searches from the header box until the thread is indexed (the job queue, then the server's one-second poll). */
async function searchFinds(page: Page, query: string, title: string) {
  await expect(async () => {
    await page.goto("/questions");
    await page.getByRole("searchbox", { name: "Search the forum" }).fill(query);
    await page.getByRole("searchbox", { name: "Search the forum" }).press("Enter");
    await expect(page.getByRole("link", { name: title })).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 30_000 });
}

test("in Chinese: ask with a short title and Chinese tags, answer, accept, and find it by searching in Simplified", async ({ page }, testInfo) => {
  const title = "如何匯出全年的發票明細？"; // 12 characters: refused while the minimum counted code points
  const reply = "請到「帳單 → 發票」選擇日期範圍，再按右上角的「匯出 → CSV」。";

  await signIn(page, wei);
  await page.goto("/questions/new");
  // Similar questions while typing: a two-character word is enough, and an open thread is listed and marked.
  await page.getByLabel("Title").pressSequentially("团队", { delay: 30 });
  const similar = page.getByRole("list", { name: "Similar questions" });
  const openThread = similar.getByRole("listitem").filter({ hasText: "如何邀请新的团队成员加入我们的账户" });
  await expect(openThread).toBeVisible();
  await expect(openThread.getByText("Open question")).toBeVisible();
  await screenshotWidths(page, testInfo, "zh-ask-open");
  await page.getByLabel("Title").fill("");
  await page.getByLabel("Title").pressSequentially("行動應用程式登入", { delay: 30 });
  await expect(similar.getByRole("listitem").filter({ hasText: "行動應用程式每天都要求重新登入怎麼辦" }).getByText("Resolved")).toBeVisible();
  await expectAccessible(page, "ask page with Chinese suggestions");
  await screenshotWidths(page, testInfo, "zh-ask-suggestions");

  await ask(page, { title, category: "Billing & invoices", tags: "發票, 匯出", body: "會計需要去年所有發票的明細，但我只能逐張下載 PDF。請問有辦法一次匯出嗎？" });
  // The redirect after asking carried the Chinese slug, percent-encoded.
  expect(page.url()).toMatch(new RegExp(`/questions/\\d+/${encodeURIComponent("如何匯出全年的發票明細")}$`));
  const threadUrl = page.url();
  const threadId = /\/questions\/(\d+)\//.exec(threadUrl)![1];
  await expect(page.getByRole("link", { name: "發票", exact: true })).toBeVisible();
  await signOut(page);

  await signIn(page, lina);
  await answer(page, threadUrl, reply);
  await signOut(page);

  await signIn(page, wei);
  // The short address answers with a redirect to the canonical, encoded one.
  await page.goto(`/questions/${threadId}`);
  await expect(page).toHaveURL(threadUrl);
  await accept(page, threadUrl, reply);
  await expectAccessible(page, "Chinese thread");
  await screenshotWidths(page, testInfo, "zh-thread");

  // Searched in Simplified, found in Traditional; opening the result goes through /questions/<id>.
  await searchFinds(page, "发票明细", title);
  const result = page.getByRole("listitem").filter({ has: page.getByRole("link", { name: title }) });
  await expect(result.getByText("Resolved")).toBeVisible();
  await expectAccessible(page, "Chinese search results");
  await screenshotWidths(page, testInfo, "zh-search");
  await page.getByRole("link", { name: title }).click();
  await expect(page).toHaveURL(threadUrl);
  await expect(page.getByRole("heading", { level: 1 })).toContainText(title);
});

test("in Romanian: ask with diacritics, answer, accept, and find it by searching without diacritics", async ({ page }, testInfo) => {
  const title = "Cum descarc toate facturile într-un singur fișier?";
  const reply = "Din Facturare → Facturi alegi perioada și apeși pe Exportă → CSV; primești un singur fișier.";

  await signIn(page, ioana);
  await ask(page, { title, category: "Billing & invoices", tags: "facturi, fișier", body: "Contabilul are nevoie de toate facturile de anul trecut, dar le pot descărca doar una câte una." });
  expect(page.url()).toMatch(/\/questions\/\d+\/cum-descarc-toate-facturile-intr-un-singur-fisier$/);
  const threadUrl = page.url();
  await expect(page.getByRole("link", { name: "fișier", exact: true })).toBeVisible();
  await signOut(page);

  await signIn(page, omar);
  await answer(page, threadUrl, reply);
  await signOut(page);

  await signIn(page, ioana);
  await accept(page, threadUrl, reply);
  await expectAccessible(page, "Romanian thread");
  await screenshotWidths(page, testInfo, "ro-thread");

  await searchFinds(page, "fisier facturi", title);
  await expectAccessible(page, "Romanian search results");
  await page.getByRole("link", { name: title }).click();
  await expect(page).toHaveURL(threadUrl);
});

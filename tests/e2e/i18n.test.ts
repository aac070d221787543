import type { BrowserContext, Page } from "@playwright/test";
import { expect, expectAccessible, screenshotWidths, test } from "./fixtures.ts";

/**
 * The interface in every language (issue 21, ADR 055).
 *
 * 1. The pseudo-locale walk: with the switcher's cookie set to "en-XA" (offered only because the test
 *    server runs with PSEUDO_LOCALE=1), every catalog text shows as ⟦áççéñţéð⟧. Any visible text, accessible
 *    name, placeholder, tooltip or page title that still has plain Latin words bypassed the catalogs.
 *    Member-written content is not interface text: it carries its own `lang` (detected per post) or
 *    `translate="no"` (names, tags, categories), and is skipped.
 * 2. The main pages in English, Romanian, Simplified and Traditional Chinese: axe on each, and screenshots
 *    at 360 and 1280 px kept as artifacts (tests/.artifacts/screenshots/i18n-*).
 */
test.slow();

const LANGUAGES = ["en", "ro", "zh-Hans", "zh-Hant"] as const;

async function chooseLanguage(context: BrowserContext, baseURL: string, lang: string) {
  await context.addCookies([{ name: "tw_lang", value: lang, url: baseURL }]);
}

async function signIn(page: Page, email: string, password: string) {
  await page.goto("/login");
  await page.locator('input[name="email"]').fill(email);
  await page.locator('input[name="password"]').fill(password);
  await page.locator('form[action^="/login"] button[type="submit"]').click();
  await expect(page.locator('form[action="/logout"]')).toBeVisible();
}

/** The first link of a list page that matches `selector`, as a path. */
async function firstLink(page: Page, path: string, selector: string): Promise<string> {
  await page.goto(path);
  const href = await page.locator(selector).first().getAttribute("href");
  expect(href, `a link ${selector} on ${path}`).toBeTruthy();
  return href!;
}

/** Interface text outside the catalogs on the page as it is now (see the file comment). */
async function untranslated(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const pageLang = document.documentElement.lang;
    const skipped = (start: Element | null) => {
      for (let el = start; el && el !== document.documentElement; el = el.parentElement) {
        if (el.getAttribute("translate") === "no" || el.hasAttribute("hidden")) return true;
        const lang = el.getAttribute("lang");
        if (lang && lang !== pageLang) return true;
        // Form values are what the member typed, not interface text.
        if (["SCRIPT", "STYLE", "NOSCRIPT", "TEMPLATE", "TEXTAREA"].includes(el.tagName)) return true;
      }
      return false;
    };
    // Keyboard shortcuts ("Ctrl+B") are the keys' own names in every language.
    const plainLatin = (text: string) => /[A-Za-z]{2,}/.test(text.replace(/⟦[^⟧]*⟧/g, "").replace(/\b(Ctrl|Cmd|Shift|Alt)\+\w+/g, ""));
    const found: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const node = walker.currentNode;
      const text = (node.textContent ?? "").trim();
      if (text && !skipped(node.parentElement) && plainLatin(text)) found.push(`text: ${text.slice(0, 100)}`);
    }
    for (const el of document.body.querySelectorAll("[aria-label], [placeholder], [title], [alt], input[type=submit][value]")) {
      if (skipped(el)) continue;
      for (const name of ["aria-label", "placeholder", "title", "alt", "value"]) {
        const value = el.getAttribute(name);
        if (value && (name !== "value" || el.matches("input[type=submit]")) && plainLatin(value)) found.push(`${name}: ${value.slice(0, 100)}`);
      }
    }
    // A page named after member content (a thread, an article) has that content, marked in its <h1>, in its title.
    let title = document.title;
    for (const marked of document.querySelectorAll("h1 [lang]")) if (marked.getAttribute("lang") !== pageLang) title = title.replace(marked.textContent ?? "", "");
    if (plainLatin(title)) found.push(`<title>: ${document.title}`);
    return [...new Set(found)];
  });
}

test("pseudo-locale: no interface text on the main pages bypasses the catalogs", async ({ page, context, baseURL }) => {
  await chooseLanguage(context, baseURL!, "en-XA");
  const thread = await firstLink(page, "/questions", ".thread-title a");
  const article = await firstLink(page, "/kb", 'main a[href^="/kb/"][href*="/"]:not([href="/kb"]):not([href^="/kb/review"]):not([href^="/kb/new"])');
  const visitorPages = ["/", "/questions", "/questions?filter=unanswered", thread, "/kb", article, "/leaderboard", "/badges", "/search?q=invoice", "/login", "/signup", "/forgot-password"];
  const problems: string[] = [];
  for (const path of visitorPages) {
    await page.goto(path);
    await expect(page.locator("html")).toHaveAttribute("lang", "en-XA");
    for (const text of await untranslated(page)) problems.push(`${path} ${text}`);
  }
  await signIn(page, "member@threadwise.demo", "demo-member-pass");
  for (const path of ["/notifications", "/account/notifications", "/questions/new", thread]) {
    await page.goto(path);
    for (const text of await untranslated(page)) problems.push(`${path} (member) ${text}`);
  }
  expect(problems, "English text that bypasses the catalogs (pseudo-locale en-XA)").toEqual([]);
});

/**
 * Refused forms (ADR 071): the messages of the rules (use cases and Zod schemas) are catalog keys, shown
 * through the catalogs, so in the pseudo-locale every error is ⟦…⟧ too.
 */
test("pseudo-locale: the errors of refused forms (sign-up, sign-in, asking) come from the catalogs", async ({ page, context, baseURL }) => {
  await chooseLanguage(context, baseURL!, "en-XA");
  const problems: string[] = [];
  const errorsShown = async (where: string) => {
    const alerts = page.locator('[role="alert"]').filter({ hasText: /\S/ });
    await expect(alerts.first()).toBeVisible();
    const texts = await alerts.allInnerTexts();
    expect(texts.join(" "), `${where}: the error is in the pseudo-locale`).toContain("⟦");
    for (const text of await untranslated(page)) problems.push(`${where} ${text}`);
  };

  // Refused by the sign-up use case: a password on the common-passwords list.
  await page.goto("/signup");
  const unique = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
  await page.locator('input[name="email"]').fill(`pseudo-${unique}@example.com`);
  await page.locator('input[name="handle"]').fill(`pseudo-${unique}`);
  await page.locator('input[name="displayName"]').fill("Pseudo Locale");
  await page.locator('input[name="password"]').fill("password123");
  await page.locator('form[action^="/signup"] button[type="submit"]').click();
  await errorsShown("/signup (common password)");

  // Refused by the server's use case: a wrong password.
  await page.goto("/login");
  await page.locator('input[name="email"]').fill("member@threadwise.demo");
  await page.locator('input[name="password"]').fill("certainly not the password");
  await page.locator('form[action^="/login"] button[type="submit"]').click();
  await errorsShown("/login (wrong password)");

  // Refused by the ask use case after its schema passed: a body far too short ("at least 20 characters").
  await signIn(page, "member@threadwise.demo", "demo-member-pass");
  await page.goto("/questions/new");
  await page.locator('input[name="title"]').fill("How do I export my invoices as CSV files?");
  await page.locator('select[name="categoryId"]').selectOption({ index: 1 });
  await page.locator('input[name="tags"]').fill("billing");
  await page.locator('.ProseMirror[contenteditable="true"]').first().click();
  await page.keyboard.type("Too short");
  await page.locator('main form button[type="submit"]').last().click();
  await expect(page.locator("#body-error")).toBeVisible();
  await errorsShown("/questions/new (too short)");

  expect(problems, "English text in the errors of refused forms (pseudo-locale en-XA)").toEqual([]);
});

for (const lang of LANGUAGES) {
  test(`the main pages in ${lang}: axe, and screenshots at 360 and 1280 px`, async ({ page, context, baseURL }, testInfo) => {
    await chooseLanguage(context, baseURL!, lang);
    const thread = await firstLink(page, "/questions", ".thread-title a");
    const article = await firstLink(page, "/kb", 'main a[href^="/kb/"][href*="/"]:not([href="/kb"]):not([href^="/kb/review"]):not([href^="/kb/new"])');
    const pages: [string, string][] = [
      ["home", "/"],
      ["questions", "/questions"],
      ["thread", thread],
      ["kb", "/kb"],
      ["article", article],
      ["search", "/search?q=invoice"],
      ["login", "/login"],
    ];
    for (const [name, path] of pages) {
      await page.goto(path);
      await expect(page.locator("html")).toHaveAttribute("lang", lang);
      await expectAccessible(page, `${name} in ${lang}`);
      await screenshotWidths(page, testInfo, `i18n-${lang}-${name}`);
    }
  });
}

test("the footer switcher changes the language without JavaScript, and back", async ({ browser, baseURL }) => {
  const context = await browser.newContext({ javaScriptEnabled: false, baseURL, locale: "en-US" });
  const page = await context.newPage();
  await page.goto("/questions?sort=votes");
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await page.getByLabel("Language").selectOption("zh-Hant");
  await page.getByRole("button", { name: "Change" }).click();
  await expect(page).toHaveURL(/\/questions\?sort=votes$/);
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-Hant");
  await expect(page.getByRole("banner").getByRole("link", { name: "登入", exact: true })).toBeVisible();
  await page.getByLabel("語言").selectOption("ro");
  await page.getByRole("button", { name: "切換" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "ro");
  await expect(page.getByRole("banner").getByRole("link", { name: "Autentificare", exact: true })).toBeVisible();
  await context.close();
});

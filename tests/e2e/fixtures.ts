import fs from "node:fs";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { expect, test as base, type Page, type TestInfo } from "@playwright/test";
import { readMailbox } from "../support/mail-capture.ts";

export { expect };

/**
 * Fails on any serious or critical axe-core violation on the page as it is now. Every page the
 * journeys visit goes through this.
 */
export async function expectAccessible(page: Page, label = page.url()) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]).analyze();
  const bad = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(bad.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`), `axe on ${label}`).toEqual([]);
}

/** Full-page screenshots at phone (360 px) and desktop (1280 px) widths, kept as test artifacts. */
export async function screenshotWidths(page: Page, testInfo: TestInfo, name: string) {
  const dir = path.resolve("tests/.artifacts/screenshots");
  fs.mkdirSync(dir, { recursive: true });
  const original = page.viewportSize();
  for (const width of [360, 1280]) {
    await page.setViewportSize({ width, height: 800 });
    const file = path.join(dir, `${name}-${width}.png`);
    await page.screenshot({ path: file, fullPage: true });
    await testInfo.attach(`${name}-${width}`, { path: file, contentType: "image/png" });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, `${name} scrolls sideways at ${width} px`).toBeLessThanOrEqual(0);
  }
  if (original) await page.setViewportSize(original);
}

/** Waits for an e-mail to reach the test SMTP server and returns it. */
export async function waitForMail(to: string, subject: RegExp, timeoutMs = 15_000) {
  const mailbox = path.resolve("tests/.artifacts/mailbox");
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const mail = readMailbox(mailbox)
      .reverse()
      .find((m) => m.to.includes(to) && subject.test(m.subject));
    if (mail) return mail;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no mail to ${to} matching ${subject} within ${timeoutMs} ms`);
}

/** Signs in through the sign-in form (English interface) and waits for the signed-in header. */
export async function signIn(page: Page, who: { email: string; password: string }) {
  await page.goto("/login");
  await page.getByLabel("E-mail").fill(who.email);
  await page.getByLabel("Password").fill(who.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
}

/** Signs out from the header and waits for the signed-out header. */
export async function signOut(page: Page) {
  await page.getByRole("button", { name: "Sign out" }).first().click();
  await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();
}

export const test = base;

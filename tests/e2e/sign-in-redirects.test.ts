import { DEMO_ACCOUNTS } from "~/modules/demo/demo-accounts.ts";
import { expect, test } from "./fixtures.ts";

const member = DEMO_ACCOUNTS.find((a) => a.role === "member")!;

/** Issue 16, item 2, in a real browser: Chromium drops the tab of "/<TAB>/evil.example" and reads "//evil.example". */
test("a sign-in link with a hostile redirectTo lands on the site's home page; a page of the site is still returned to", async ({ page, baseURL }) => {
  for (const target of ["/\t/evil.example", "/\\evil.example", "/.//evil.example"]) {
    await page.context().clearCookies();
    await page.goto(`/login?redirectTo=${encodeURIComponent(target)}`);
    await page.getByLabel("E-mail").fill(member.email);
    await page.getByLabel("Password").fill(member.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((url) => url.pathname !== "/login", { waitUntil: "commit" });
    expect(new URL(page.url()).origin, JSON.stringify(target)).toBe(new URL(baseURL!).origin);
    expect(new URL(page.url()).pathname, JSON.stringify(target)).toBe("/");
  }
  await page.context().clearCookies();
  await page.goto(`/login?redirectTo=${encodeURIComponent("/tags/北京?sort=new")}`);
  await page.getByLabel("E-mail").fill(member.email);
  await page.getByLabel("Password").fill(member.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => url.pathname !== "/login", { waitUntil: "commit" });
  expect(decodeURIComponent(new URL(page.url()).pathname)).toBe("/tags/北京");
});

import { expect, expectAccessible, test } from "../e2e/fixtures.ts";

/**
 * Issue 22, single sign-on in a real browser: the sign-in page offers the local provider, whose own
 * login page signs the person in and sends them back, signed in, to where they were going.
 */
test("a visitor signs in with the local OpenID Connect provider and comes back signed in to the page they wanted", async ({ page }) => {
  await page.goto(`/login?redirectTo=${encodeURIComponent("/questions")}`);
  const sso = page.getByRole("link", { name: "Sign in with Local ID" });
  await expect(sso).toBeVisible();
  await expectAccessible(page, "sign-in page with single sign-on");

  await sso.click();
  // The provider's own (development) login page, on its own origin.
  await page.waitForURL((url) => url.pathname.startsWith("/interaction/"));
  await page.locator('input[name="login"]').fill("lena");
  await page.locator('input[name="password"]').fill("any password");
  await page.getByRole("button", { name: "Sign-in" }).click();

  await page.waitForURL((url) => url.pathname === "/questions");
  await expect(page.getByRole("link", { name: /Lena Ionescu/ })).toBeVisible();
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();

  // Another person of the provider, with a Chinese name only: a new account that shows that name.
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.context().clearCookies();
  await page.goto("/login");
  await page.getByRole("link", { name: "Sign in with Local ID" }).click();
  await page.locator('input[name="login"]').fill("mei");
  await page.locator('input[name="password"]').fill("any password");
  await page.getByRole("button", { name: "Sign-in" }).click();
  await page.waitForURL((url) => url.pathname === "/");
  await expect(page.getByRole("link", { name: /李美/ })).toBeVisible();
});

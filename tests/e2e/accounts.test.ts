import { expect, expectAccessible, screenshotWidths, test, waitForMail } from "./fixtures.ts";

const unique = Date.now().toString(36);
const email = `e2e-${unique}@example.com`;
const handle = `e2e-${unique}`;
const firstPassword = "my first passphrase";
const newPassword = "my second passphrase";

test("a visitor signs up, signs out, signs in, resets the password by e-mail and signs in with the new one", async ({ page }, testInfo) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Get answers");
  await expectAccessible(page, "home");
  await screenshotWidths(page, testInfo, "home");

  // Sign up, with one mistake first: the error appears next to the field.
  await page.getByRole("link", { name: "Sign up" }).click();
  await expect(page).toHaveURL(/\/signup$/);
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Handle").fill(handle);
  await page.getByLabel("Display name").fill("Erin End-to-End");
  await page.getByLabel("Password").fill("password123");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText("This password is too common")).toBeVisible();
  await expectAccessible(page, "signup with errors");
  await screenshotWidths(page, testInfo, "signup-errors");
  await page.getByLabel("Password").fill(firstPassword);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/account\?welcome=1$/);
  await expect(page.getByRole("heading", { name: "Your account" })).toBeVisible();
  await expect(page.getByTestId("session-row")).toHaveCount(1);
  await expectAccessible(page, "account");
  await screenshotWidths(page, testInfo, "account");

  // Sign out from the header.
  await page.getByRole("button", { name: "Sign out" }).first().click();
  await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();

  // Sign in: a wrong password first, then the right one.
  await page.getByRole("link", { name: "Sign in" }).click();
  await page.getByLabel("E-mail").fill(email.toUpperCase());
  await page.getByLabel("Password").fill("not my password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "The e-mail or password is not right." })).toBeVisible();
  await expectAccessible(page, "login with error");
  await screenshotWidths(page, testInfo, "login-error");
  await page.getByLabel("Password").fill(firstPassword);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("link", { name: /Your profile: Erin End-to-End/ })).toBeVisible();
  await page.getByRole("button", { name: "Sign out" }).first().click();
  await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();

  // Forgotten password: the link arrives by e-mail through real SMTP.
  await page.goto("/login");
  await page.getByRole("link", { name: "Forgot your password?" }).click();
  await expectAccessible(page, "forgot password");
  await page.getByLabel("E-mail").fill(email);
  await page.getByRole("button", { name: "Send reset link" }).click();
  await expect(page.getByRole("status")).toContainText("If an account uses that address");
  const mail = await waitForMail(email, /Reset your Threadwise password/);
  const link = mail.text.match(/https?:\/\/\S+\/reset-password\?token=[A-Za-z0-9_-]+/)?.[0];
  expect(link, mail.text).toBeTruthy();

  await page.goto(link!);
  await expect(page.getByRole("heading", { name: "Choose a new password" })).toBeVisible();
  await expectAccessible(page, "reset password");
  await screenshotWidths(page, testInfo, "reset-password");
  await page.getByLabel("New password", { exact: true }).fill(newPassword);
  await page.getByLabel("Repeat the new password").fill(newPassword);
  await page.getByRole("button", { name: "Set new password" }).click();
  await expect(page).toHaveURL(/\/login\?reset=1$/);
  await expect(page.getByRole("status")).toContainText("Your password was changed");

  // The old password no longer works; the new one does; the used link is dead.
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password").fill(firstPassword);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText("The e-mail or password is not right.")).toBeVisible();
  await page.getByLabel("Password").fill(newPassword);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("link", { name: /Your profile: Erin End-to-End/ })).toBeVisible();
  await page.goto(link!);
  await expect(page.getByText("This reset link has expired or was already used.")).toBeVisible();
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("sign-up, sign-out and sign-in work as plain HTML forms, with server-side errors shown by the field", async ({ page }) => {
    const noJs = `nojs-${unique}@example.com`;
    await page.goto("/signup");
    await page.getByLabel("E-mail").fill(noJs);
    await page.getByLabel("Handle").fill(`nojs-${unique}`);
    await page.getByLabel("Display name").fill("No Script");
    await page.getByLabel("Password").fill("password123");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.getByText("This password is too common")).toBeVisible();
    await expect(page.getByLabel("E-mail")).toHaveValue(noJs);
    await page.getByLabel("Password").fill("works without scripts");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page).toHaveURL(/\/account\?welcome=1$/);
    // (axe needs scripts, so these pages are checked by the journey above with JavaScript on.)

    await page.getByRole("button", { name: "Sign out" }).first().click();
    await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();
    await page.goto("/login");
    await page.getByLabel("E-mail").fill(noJs);
    await page.getByLabel("Password").fill("works without scripts");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("link", { name: /Your profile: No Script/ })).toBeVisible();
  });
});

import sharp from "sharp";
import { DEMO_ACCOUNTS } from "~/modules/demo/demo-accounts.ts";
import { expect, expectAccessible, screenshotWidths, test } from "./fixtures.ts";

const member = DEMO_ACCOUNTS.find((a) => a.role === "member")!;

test("avatars: generated on threads and profiles, an uploaded picture replaces them everywhere; the profile lists questions and a summary", async ({ page }, testInfo) => {
  // A thread: every post's author has an avatar, generated (drawn inline, no request anywhere else).
  await page.goto("/questions");
  // The list's links and members' names are plain links that navigate within the app once it has
  // hydrated (AppLink, ADR 080): a mark set on this document survives the click, a reload would lose it.
  await page.waitForLoadState("networkidle");
  await page.evaluate(() => ((window as unknown as { sameDocument: boolean }).sameDocument = true));
  await page.getByTestId("thread-row").first().getByRole("heading").getByRole("link").click();
  const author = page.getByTestId("post-author").first();
  await expect(author.locator("[data-avatar=generated]")).toBeVisible();
  const authorName = (await author.getByRole("link").textContent())!;
  await author.getByRole("link").click();
  await expect(page).toHaveURL(/\/u\/[\w-]+$/);
  await expect(page.getByRole("heading", { level: 1 })).toContainText(authorName);
  expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument), "navigated without loading a new document").toBe(true);
  // A click with Ctrl (a new tab) is the browser's: the page does not navigate.
  await page.goBack();
  await page.getByTestId("post-author").first().getByRole("link").click({ modifiers: ["ControlOrMeta"] });
  await expect(page).toHaveURL(/\/questions\/\d+\//);

  // The profile: avatar, summary, expert categories first, questions as well as answers.
  await page.goto(`/u/${member.handle}`);
  await expect(page.locator(".profile-head [data-avatar=generated]")).toBeVisible();
  for (const label of ["Answers accepted", "Helpful votes", "Member since", "Last seen"]) await expect(page.getByText(label, { exact: true })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Questions" })).toBeVisible();
  expect(await page.getByTestId("profile-questions").getByRole("listitem").count()).toBeGreaterThan(0);
  await expectAccessible(page, "profile 1280");
  await screenshotWidths(page, testInfo, "front-door-profile");
  await page.setViewportSize({ width: 360, height: 800 });
  await expectAccessible(page, "profile 360");
  await page.setViewportSize({ width: 1280, height: 800 });

  // Upload a picture.
  await page.goto(`/login?redirectTo=${encodeURIComponent("/account/avatar")}`);
  await page.getByLabel("E-mail").fill(member.email);
  await page.getByLabel("Password").fill(member.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(/\/account\/avatar$/);
  await expectAccessible(page, "avatar page 1280");
  await screenshotWidths(page, testInfo, "front-door-avatar-page");
  await page.setViewportSize({ width: 360, height: 800 });
  await expectAccessible(page, "avatar page 360");
  await page.setViewportSize({ width: 1280, height: 800 });
  // A tall picture: stored as a centred square.
  const picture = await sharp({ create: { width: 300, height: 600, channels: 3, background: { r: 20, g: 120, b: 200 } } }).png().toBuffer();
  await page.getByLabel(/Choose a picture/).setInputFiles({ name: "me.png", mimeType: "image/png", buffer: picture });
  await page.getByRole("button", { name: "Upload picture" }).click();
  await expect(page.getByRole("status")).toHaveText("Your picture is saved.");
  const src = await page.locator(".profile-head img[data-avatar=uploaded]").getAttribute("src");
  expect(src).toMatch(/^\/uploads\/[A-Za-z0-9_-]+\.webp$/);
  const response = await page.request.get(src!);
  const meta = await sharp(await response.body()).metadata();
  expect([meta.width, meta.height]).toEqual([256, 256]);
  await expect(page.getByRole("banner").locator("img[data-avatar=uploaded]")).toHaveAttribute("src", src!);

  await page.goto(`/u/${member.handle}`);
  await expect(page.locator(".profile-head img[data-avatar=uploaded]")).toHaveAttribute("src", src!);
  await expect(page.getByTestId("last-seen")).not.toHaveText("Not yet");
  const question = page.getByTestId("profile-questions").getByRole("link").first();
  await question.click();
  await expect(page.getByTestId("post-author").first().locator("img[data-avatar=uploaded]")).toHaveAttribute("src", src!);

  // Not an image: a clear message, nothing changes.
  await page.goto("/account/avatar");
  await page.getByLabel(/Choose a picture/).setInputFiles({ name: "evil.png", mimeType: "image/png", buffer: Buffer.from("<svg onload=alert(1)>") });
  await page.getByRole("button", { name: "Upload picture" }).click();
  await expect(page.getByText("Choose a PNG, JPEG, GIF or WebP image")).toBeVisible();
  await expect(page.locator(".profile-head img[data-avatar=uploaded]")).toHaveAttribute("src", src!);

  // Back to the initials.
  await page.getByRole("button", { name: "Use my initials instead" }).click();
  await expect(page.getByRole("status")).toHaveText("Your initials are shown again.");
  await expect(page.locator(".profile-head [data-avatar=generated]")).toBeVisible();
});

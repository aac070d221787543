import fs from "node:fs";
import { DEMO_ACCOUNTS } from "~/modules/demo/demo-accounts.ts";
import { expect, expectAccessible, screenshotWidths, test } from "./fixtures.ts";

const staff = DEMO_ACCOUNTS.find((a) => a.role === "staff")!;

test("staff open the dashboard, change the range and category, see the charts and download a CSV", async ({ page }, testInfo) => {
  await page.goto("/login?redirectTo=%2Fdashboard");
  await page.getByLabel("E-mail").fill(staff.email);
  await page.getByLabel("Password").fill(staff.password);
  await page.getByRole("button", { name: "Sign in" }).click();

  await expect(page.getByRole("heading", { level: 1, name: "Support dashboard" })).toBeVisible();
  await expect(page.getByTestId("dash-scope")).toContainText("(30 days), all categories");
  await expect(page.getByTestId("figure-asked")).toContainText("Questions asked");
  await expect(page.getByTestId("figure-asked")).toContainText("Questions posted in the range");

  // Charts are drawn after hydration, each with its table one click away.
  for (const id of ["volume", "ttfa", "deflection", "helpfulness"]) {
    const chart = page.getByTestId(`chart-${id}`);
    await expect(chart.locator(".dash-chart__plot[role=img]")).toBeVisible();
    await expect(chart.locator("svg.recharts-surface").first()).toBeVisible();
  }
  // The three series charts share one data table, collapsed at first, which each of them links to and opens.
  await expect(page.getByRole("table", { name: "Figures per day" })).toBeHidden();
  await page.getByTestId("chart-volume").getByRole("link", { name: /Figures per day/ }).click();
  await expect(page).toHaveURL(/#dash-series$/);
  const seriesTable = page.getByRole("table", { name: "Figures per day" });
  await expect(seriesTable).toBeVisible();
  await expect(seriesTable.getByRole("row")).toHaveCount(31);
  // The table is drawn only when opened (ADR 081): its toggle closes it again, and without JavaScript the
  // toggle's address (`?table=series`) serves the page with the table in it.
  const toggle = page.getByTestId("series-table").getByRole("link", { name: "Show the table (30 rows)" });
  await expect(toggle).toHaveAttribute("aria-expanded", "true");
  await toggle.click();
  await expect(seriesTable).toHaveCount(0);
  await expect(toggle).toHaveAttribute("aria-expanded", "false");
  const href = (await toggle.getAttribute("href"))!;
  expect(href).toMatch(/^\/dashboard\?(.+&)?table=series#dash-series$/);
  const served = async (path: string) => (await page.request.get(path)).text();
  expect(await served(href.replace(/#.*/, ""))).toContain('id="series-table-body"');
  expect(await served("/dashboard")).not.toContain('id="series-table-body"');
  await toggle.click();
  await expectAccessible(page, "dashboard (30 days)");
  await screenshotWidths(page, testInfo, "dashboard");

  // A shorter range and one category.
  await page.getByLabel("Period", { exact: true }).selectOption("7");
  await page.getByLabel("Category", { exact: true }).selectOption({ label: "Billing & invoices" });
  await page.getByRole("button", { name: "Show" }).click();
  await expect(page).toHaveURL(/range=7/);
  await expect(page).toHaveURL(/category=billing/);
  await expect(page.getByTestId("dash-scope")).toContainText("(7 days), Billing & invoices");
  await expect(page.getByTestId("chart-volume").locator("svg.recharts-surface").first()).toBeVisible();
  await expect(page.getByTestId("chart-volume").locator(".dash-chart__plot[role=img]")).toHaveAccessibleName(/over 7 days/);

  // A custom range with the end before the start is explained next to the field.
  await page.getByLabel("Period", { exact: true }).selectOption("custom");
  await page.getByLabel("From", { exact: true }).fill("2026-03-10");
  await page.getByLabel("To", { exact: true }).fill("2026-03-01");
  await page.getByRole("button", { name: "Show" }).click();
  await expect(page.getByText("The end date must be on or after the start date")).toBeVisible();
  await expect(page.getByLabel("To", { exact: true })).toHaveAttribute("aria-invalid", "true");
  await expectAccessible(page, "dashboard with a bad range");

  // Back to a good range, then download the daily series.
  await page.getByLabel("Period", { exact: true }).selectOption("7");
  await page.getByRole("button", { name: "Show" }).click();
  await expect(page.getByTestId("dash-scope")).toBeVisible();
  const downloading = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download the daily series (CSV)" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^threadwise-daily-\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}-billing\.csv$/);
  const bytes = fs.readFileSync((await download.path())!);
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const lines = bytes.subarray(3).toString("utf8").trimEnd().split("\r\n");
  expect(lines[0]).toMatch(/^date,category,asked,answered,resolved,/);
  expect(lines).toHaveLength(8);
  expect(lines[1]).toMatch(/^\d{4}-\d{2}-\d{2},billing,/);
});

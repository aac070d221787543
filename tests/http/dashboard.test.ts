import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { prisma } from "~/utils/db.server.ts";
import { HttpClient, startAppServer } from "../support/app-server.ts";
import { GOOD_PASSWORD, makeCategory, makeQuestion, makeUser } from "../support/factories.ts";

let server: Awaited<ReturnType<typeof startAppServer>>;
let staff: HttpClient;
let member: HttpClient;
let moderator: HttpClient;
const today = new Date().toISOString().slice(0, 10);

beforeAll(async () => {
  server = await startAppServer();
  const signedIn = async (role: "staff" | "member" | "moderator" | "admin") => {
    const user = await makeUser({ role });
    const client = new HttpClient(server.url);
    await client.signIn(user.email, GOOD_PASSWORD);
    return client;
  };
  [staff, member, moderator] = await Promise.all([signedIn("staff"), signedIn("member"), signedIn("moderator")]);
});
afterAll(() => server?.close());

describe("who can see the dashboard", () => {
  test("signed-out visitors are sent to sign in, and come back afterwards", async () => {
    for (const path of ["/dashboard?range=7", "/dashboard/export/daily"]) {
      const response = await new HttpClient(server.url).get(path);
      expect(response.status).toBe(302);
      expect(response.headers.get("location")).toBe(`/login?redirectTo=${encodeURIComponent(path)}`);
    }
  });

  test("members and moderators get 403 from the page and the exports", async () => {
    for (const client of [member, moderator]) {
      expect((await client.get("/dashboard")).status).toBe(403);
      expect((await client.get("/dashboard/export/daily")).status).toBe(403);
    }
  });

  test("staff and admins see it", async () => {
    const response = await staff.get("/dashboard");
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("Support dashboard");
    expect(html).toContain("Questions asked");
    const admin = await makeUser({ role: "admin" });
    const client = new HttpClient(server.url);
    await client.signIn(admin.email, GOOD_PASSWORD);
    expect((await client.get("/dashboard?range=90")).status).toBe(200);
  });
});

describe("bad input is a clear message, not a 500", () => {
  test.each([
    ["/dashboard?range=custom&from=2026-03-10&to=2026-03-01", "The end date must be on or after the start date"],
    ["/dashboard?range=custom&from=2020-01-01&to=2026-03-01", "A range can be at most two years (731 days)"],
    ["/dashboard?category=no-such-thing", "Unknown category"],
    ["/dashboard?range=custom&from=yesterday&to=2026-03-01", "Use a date like 2026-01-31"],
    ["/dashboard?range=365", "Choose 7, 30 or 90 days, or a custom range"],
  ])("%s", async (path, message) => {
    const response = await staff.get(path);
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain(message);
    expect(html).toContain('aria-invalid="true"');
    const csv = await staff.get(path.replace("/dashboard", "/dashboard/export/daily"));
    expect(csv.status).toBe(400);
    expect(await csv.text()).toContain(message);
  });

  test("an unknown export is a 404", async () => {
    expect((await staff.get("/dashboard/export/passwords")).status).toBe(404);
  });
});

describe("CSV exports", () => {
  test("the daily series: BOM, header row, one row per ISO date, the category's figures", async () => {
    const asker = await makeUser();
    const category = await makeCategory("Facturare și plăți");
    await makeQuestion(asker.id, { categoryId: category.id });
    const { rebuildRollups } = await import("~/modules/metrics/rollups.server.ts");
    await rebuildRollups(today, today);

    const response = await staff.get(`/dashboard/export/daily?range=7&category=${category.slug}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename="threadwise-daily-\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}-cat-[\w-]+\.csv"; filename\*=UTF-8''threadwise-daily-[\w-]+\.csv$/);
    const bytes = Buffer.from(await response.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString("utf8").trimEnd().split("\r\n");
    const header = lines[0]!.split(",");
    expect(header.slice(0, 3)).toEqual(["date", "category", "asked"]);
    expect(lines).toHaveLength(8);
    const rows = lines.slice(1).map((l) => Object.fromEntries(l.split(",").map((v, i) => [header[i], v])));
    expect(rows.every((r) => /^\d{4}-\d{2}-\d{2}$/.test(r.date!) && r.category === category.slug)).toBe(true);
    expect(rows.at(-1)).toMatchObject({ date: today, asked: "1", answered: "0" });
  });

  test("zero-result searches keep Chinese and Romanian text and defuse formulas", async () => {
    for (const query of ["导出发票", "facturi românești", "=HYPERLINK(\"http://evil.example\")", "@SUM(1)", "+40 700", "-1"]) {
      await prisma.searchQuery.create({ data: { query, resultCount: 0, source: "page", visitorKey: "a:someone" } });
    }
    const response = await staff.get("/dashboard/export/zero-results?range=7");
    expect(response.status).toBe(200);
    const text = Buffer.from(await response.arrayBuffer()).toString("utf8");
    expect(text.startsWith("\uFEFFquery,searches\r\n")).toBe(true);
    expect(text).toContain("导出发票,1\r\n");
    expect(text).toContain("facturi românești,1\r\n");
    expect(text).toContain(`"'=hyperlink(""http://evil.example"")",1\r\n`);
    expect(text).toContain("'@sum(1),1\r\n");
    expect(text).toContain("'+40 700,1\r\n");
    expect(text).toContain("'-1,1\r\n");
    expect(text).not.toMatch(/(^|\n)[=+\-@]/);
  });
});

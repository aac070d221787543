import { beforeAll, describe, expect, test } from "vitest";
import type { Actor } from "~/modules/users/roles.ts";
import { prisma } from "~/utils/db.server.ts";
import { makeCategory, makeUser } from "../../../tests/support/factories.ts";
import { getDashboard, resolveScope, topExperts, type Dashboard, type Scope } from "./dashboard-queries.server.ts";
import { rawDailyCells, storedDailyCells } from "./raw-metrics.server.ts";
import { rebuildRollups } from "./rollups.server.ts";
import { inEnglish } from "../../../tests/support/messages.ts";

/**
 * A hand-built week (2026-01-05 to 2026-01-11, UTC) in two categories, written straight into the
 * raw tables. Every expected figure below is worked out by hand in the comments next to it.
 */
const staff: Actor = { id: "staff", role: "staff", status: "active" };
let catA: { id: number; slug: string };
let catB: { id: number; slug: string };
let m1: string, m2: string, m3: string, m4: string;
const ids: Record<string, bigint> = {};

async function thread(key: string, categoryId: number, authorId: string, askedAt: string, firstAnswerAt: string | null, resolvedAt: string | null, hidden = false) {
  const [row] = await prisma.$queryRaw<{ id: bigint }[]>`
    INSERT INTO threads (slug, title, category_id, author_id, created_at, last_activity_at, first_answer_at, resolved_at, answer_count, hidden_at)
    VALUES (${key.toLowerCase()}, ${`Question ${key} about exports`}, ${categoryId}, ${authorId}, ${askedAt}::timestamptz, ${askedAt}::timestamptz,
      ${firstAnswerAt}::timestamptz, ${resolvedAt}::timestamptz, ${firstAnswerAt ? 1 : 0}, ${hidden ? askedAt : null}::timestamptz)
    RETURNING id`;
  ids[key] = row!.id;
}

async function event(type: "answer.accepted" | "answer.unaccepted", threadKey: string, at: string) {
  await prisma.domainEvent.create({ data: { type, actorId: null, subjectType: "post", subjectId: "1", payload: { threadId: ids[threadKey]!.toString() }, occurredAt: new Date(at) } });
}

async function view(threadKey: string, visitor: string, day: string) {
  await prisma.$executeRaw`INSERT INTO thread_views (thread_id, visitor_key, day, viewed_at) VALUES (${ids[threadKey]}, ${visitor}, ${day}::date, ${`${day}T12:00:00Z`}::timestamptz)`;
}

async function search(visitorKey: string | null, query: string, resultCount: number, at: string, opened: string | null = null, source = "page") {
  await prisma.searchQuery.create({ data: { visitorKey, query, resultCount, source, createdAt: new Date(at), openedDoc: opened, openedAt: opened ? new Date(at) : null } });
}

beforeAll(async () => {
  catA = await makeCategory("Billing");
  catB = await makeCategory("Integrations");
  [m1, m2, m3, m4] = (await Promise.all([makeUser(), makeUser(), makeUser({ handle: "expert-one" }), makeUser({ handle: "expert-two" })])).map((u) => u.id) as [string, string, string, string];

  // Category A, in the week. Seconds to first answer / to resolution:
  await thread("T1", catA.id, m1, "2026-01-05T10:00:00Z", "2026-01-05T10:30:00Z", "2026-01-05T12:00:00Z"); // 1800 / 7200
  await thread("T2", catA.id, m1, "2026-01-06T09:00:00Z", "2026-01-06T11:00:00Z", "2026-01-07T09:00:00Z"); // 7200 / 86400
  await thread("T3", catA.id, m2, "2026-01-07T08:00:00Z", "2026-01-07T08:10:00Z", null); // 600 / -
  await thread("T4", catA.id, m1, "2026-01-08T00:00:00Z", null, null); // unanswered
  await thread("T5", catA.id, m1, "2026-01-09T12:00:00Z", "2026-01-10T08:00:00Z", "2026-01-10T18:00:00Z"); // 72000 / 108000
  await thread("T6", catA.id, m1, "2026-01-06T09:00:00Z", "2026-01-06T09:01:00Z", "2026-01-06T09:02:00Z", true); // hidden: counts nowhere
  // Category B, in the week.
  await thread("T7", catB.id, m2, "2026-01-10T10:00:00Z", null, null); // unanswered
  // Previous week (2025-12-29 to 2026-01-04), category A.
  await thread("T8", catA.id, m1, "2026-01-01T10:00:00Z", "2026-01-01T11:00:00Z", "2026-01-02T10:00:00Z"); // 3600 / 86400

  // Acceptances and reopens: T5 was accepted, then switched to another answer (a reopen) the same day.
  await event("answer.accepted", "T1", "2026-01-05T12:00:00Z");
  await event("answer.accepted", "T2", "2026-01-07T09:00:00Z");
  await event("answer.accepted", "T5", "2026-01-10T10:00:00Z");
  await event("answer.unaccepted", "T5", "2026-01-10T18:00:00Z");
  await event("answer.accepted", "T5", "2026-01-10T18:00:00Z");
  await event("answer.accepted", "T6", "2026-01-06T09:02:00Z"); // hidden thread: not counted
  await event("answer.accepted", "T8", "2026-01-02T10:00:00Z"); // previous week

  // Views: of threads resolved now (T1, T2, T5) they count, whatever the day; T3 is unresolved; T6 is hidden.
  for (const v of ["a:x", "a:y", "u:z"]) await view("T1", v, "2026-01-06"); // 3
  await view("T2", "a:x", "2026-01-06"); // 1 (viewed before it was resolved: still a view of a resolved thread)
  await view("T2", "a:y", "2026-01-09"); // 1
  await view("T3", "a:x", "2026-01-08");
  await view("T3", "a:y", "2026-01-08");
  await view("T6", "a:x", "2026-01-08");

  // Articles: P in A, Q in B. Views 2 + 1; feedback in the week P yes, yes, no and Q no; Q yes in the previous week.
  const author = m3;
  const article = (categoryId: number, slug: string) =>
    prisma.article.create({ data: { categoryId, slug, title: `How to ${slug}`, bodyJson: {}, bodyHtml: "", bodyText: "", status: "published", ownerId: author, authorId: author, publishedAt: new Date("2025-12-01T00:00:00Z") } });
  const p = await article(catA.id, "export-invoices");
  const q = await article(catB.id, "connect-webhooks");
  await prisma.articleView.createMany({
    data: [
      { articleId: p.id, visitorKey: "a:x", day: new Date("2026-01-07T00:00:00Z") },
      { articleId: p.id, visitorKey: "a:y", day: new Date("2026-01-07T00:00:00Z") },
      { articleId: q.id, visitorKey: "a:x", day: new Date("2026-01-08T00:00:00Z") },
    ],
  });
  const fb = (articleId: bigint, visitorKey: string, helpful: boolean, at: string) => ({ articleId, visitorKey, helpful, createdAt: new Date(at), updatedAt: new Date(at) });
  await prisma.articleFeedback.createMany({
    data: [
      fb(p.id, "a:1", true, "2026-01-07T10:00:00Z"),
      fb(p.id, "a:2", true, "2026-01-08T10:00:00Z"),
      fb(p.id, "a:3", false, "2026-01-08T11:00:00Z"),
      fb(q.id, "a:1", false, "2026-01-09T10:00:00Z"),
      fb(q.id, "a:2", true, "2026-01-02T10:00:00Z"),
    ],
  });

  // Search sessions (visitor + UTC day):
  // S1 m1 on 01-06: opened a result, asked nothing within 24 h -> deflected.
  await search(`u:${m1}`, "export csv", 5, "2026-01-06T10:00:00Z", `thread:${ids.T1}`);
  await search(`u:${m1}`, "invoice", 0, "2026-01-06T10:05:00Z");
  // S2 m2 on 01-07: opened a result, but asked T3 at 08:00, within 24 h -> not deflected.
  await search(`u:${m2}`, "refund", 3, "2026-01-07T07:00:00Z", `thread:${ids.T2}`);
  // S3 anonymous on 01-08: opened nothing -> not deflected.
  await search("a:anon1", "Wie exportiere", 0, "2026-01-08T15:00:00Z");
  // S4 anonymous on 01-09, from the ask form's suggestions: opened an article -> deflected.
  await search("a:anon2", "refund policy", 2, "2026-01-09T09:00:00Z", `article:${p.id}`, "ask_suggestions");
  // S5 m1 on 01-10: opened nothing -> not deflected.
  await search(`u:${m1}`, "Invoice ", 0, "2026-01-10T09:00:00Z");
  // Without a visitor key: a search, but no session.
  await search(null, "export", 0, "2026-01-10T09:30:00Z");

  // Reputation: m3 accepted twice (one reversed) + an upvote; m4 accepted once in B; m4's December entry is outside.
  const rep = (userId: string, points: number, reason: string, categoryId: number, at: string, eventId: bigint, reversesId: bigint | null = null) =>
    prisma.reputationEntry.create({ data: { userId, points, reason, categoryId, createdAt: new Date(at), eventId, reversesId } });
  await rep(m3, 15, "answer_accepted", catA.id, "2026-01-06T10:00:00Z", 1n);
  const reversed = await rep(m3, 15, "answer_accepted", catA.id, "2026-01-08T10:00:00Z", 2n);
  await rep(m3, 10, "answer_upvoted", catA.id, "2026-01-08T11:00:00Z", 3n);
  // As the ledger writes a reversal: reason "undo:<id>", pointing at the acceptance it cancels.
  await rep(m3, -15, `undo:${reversed.id}`, catA.id, "2026-01-09T10:00:00Z", 4n, reversed.id);
  await rep(m4, 15, "answer_accepted", catB.id, "2026-01-07T10:00:00Z", 5n);
  await rep(m4, 15, "answer_accepted", catB.id, "2025-12-30T10:00:00Z", 6n);

  await prisma.recurringTopicReport.create({
    data: {
      periodDays: 30,
      categoryId: null,
      topics: [
        { label: "csv export", terms: ["csv", "export"], threadIds: [ids.T1!.toString(), ids.T4!.toString()], threadCount: 2, views: 40, articleId: null },
        { label: "refunds", terms: ["refund"], threadIds: [], threadCount: 3, views: 12, articleId: p.id.toString() },
      ],
    },
  });

  await rebuildRollups("2025-12-20", "2026-01-15");
});

async function dashboard(query: Record<string, string>): Promise<Dashboard> {
  const scope = await resolveScope(staff, { range: "custom", from: "2026-01-05", to: "2026-01-11", ...query }, "2026-01-20");
  if (!scope.ok) throw new Error(JSON.stringify(scope));
  return getDashboard(scope.value);
}

const figure = (d: Dashboard, key: string) => {
  const f = d.figures.find((x) => x.key === key);
  if (!f) throw new Error(`no figure ${key}`);
  return { value: f.value, previous: f.previous };
};

describe("dashboard figures on a hand-built week", () => {
  test("questions asked, answered and resolved rates, with the previous week beside them", async () => {
    const d = await dashboard({});
    // Asked: T1 T2 T3 T4 T5 T7 = 6 (T6 is hidden); previous week: T8.
    expect(figure(d, "asked")).toEqual({ value: 6, previous: 1 });
    // Answered: T1 T2 T3 T5 = 4 of 6; resolved: T1 T2 T5 = 3 of 6. Previous: 1 of 1 each.
    expect(figure(d, "answeredRate")).toEqual({ value: 4 / 6, previous: 1 });
    expect(figure(d, "resolvedRate")).toEqual({ value: 0.5, previous: 1 });
    expect(figure(d, "unanswered")).toEqual({ value: 2, previous: 0 });
  });

  test("median and 90th percentile times to first answer and to resolution", async () => {
    const d = await dashboard({});
    // First answer: 600, 1800, 7200, 72000 s. Median (1800 + 7200) / 2 = 4500.
    // p90 (linear): position 0.9 × 3 = 2.7 -> 7200 + 0.7 × (72000 − 7200) = 52560.
    expect(figure(d, "ttfaMedian")).toEqual({ value: 4500, previous: 3600 });
    expect(figure(d, "ttfaP90").value).toBeCloseTo(52560, 6);
    // Resolution: 7200, 86400, 108000 s. Median 86400; p90: position 1.8 -> 86400 + 0.8 × 21600 = 103680.
    expect(figure(d, "ttrMedian")).toEqual({ value: 86400, previous: 86400 });
    expect(figure(d, "ttrP90").value).toBeCloseTo(103680, 6);
  });

  test("reopen rate: withdrawn or replaced acceptances over acceptances", async () => {
    const d = await dashboard({});
    // Acceptances T1, T2, T5, T5 = 4 (T6 hidden); reopens 1 (T5 switched): 1 / 4. Previous: 0 of 1.
    expect(figure(d, "reopenRate")).toEqual({ value: 0.25, previous: 0 });
  });

  test("self-service reach: views of resolved threads and of articles, deflection, helpfulness", async () => {
    const d = await dashboard({});
    // T1 × 3, T2 × 2 (T3 unresolved, T6 hidden).
    expect(figure(d, "resolvedThreadViews")).toEqual({ value: 5, previous: 0 });
    expect(figure(d, "articleViews")).toEqual({ value: 3, previous: 0 });
    // Sessions S1..S5 = 5; deflected S1 and S4 = 2.
    expect(figure(d, "deflection")).toEqual({ value: 0.4, previous: null });
    // Feedback in the week: P yes, yes, no; Q no -> 2 of 4. Previous week: Q yes, 1 of 1.
    expect(figure(d, "helpfulness")).toEqual({ value: 0.5, previous: 1 });
    expect(figure(d, "feedbackVotes")).toEqual({ value: 4, previous: 1 });
    expect(d.articles.worst.map((a) => [a.slug, a.yes, a.votes])).toEqual([
      ["connect-webhooks", 0, 1],
      ["export-invoices", 2, 3],
    ]);
  });

  test("zero-result searches grouped by their text, most frequent first", async () => {
    const d = await dashboard({});
    expect(figure(d, "searches")).toEqual({ value: 7, previous: 0 });
    expect(figure(d, "zeroResultSearches")).toEqual({ value: 4, previous: 0 });
    expect(d.zeroResults).toEqual([
      { query: "invoice", count: 2 },
      { query: "export", count: 1 },
      { query: "wie exportiere", count: 1 },
    ]);
  });

  test("unanswered queue oldest first, recurring topics without an article, top experts", async () => {
    const d = await dashboard({});
    expect(d.unanswered.items.map((i) => i.id)).toEqual([ids.T4!.toString(), ids.T7!.toString()]);
    expect(d.topics.topics.map((t) => t.label)).toEqual(["csv export"]);
    // expert-one: 2 acceptances − 1 reversal = 1, points 15 + 15 + 10 − 15 = 25; expert-two: 1, 15.
    expect(d.experts).toEqual([
      { handle: "expert-one", displayName: expect.any(String), expertIn: [], acceptedAnswers: 1, reputation: 25 },
      { handle: "expert-two", displayName: expect.any(String), expertIn: [], acceptedAnswers: 1, reputation: 15 },
    ]);
  });

  test("one category: only its questions, views, articles and experts", async () => {
    const d = await dashboard({ category: catA.slug });
    // A: T1..T5 = 5 asked, 4 answered, 3 resolved.
    expect(figure(d, "asked").value).toBe(5);
    expect(figure(d, "answeredRate").value).toBe(0.8);
    expect(figure(d, "resolvedRate").value).toBe(0.6);
    expect(figure(d, "articleViews").value).toBe(2);
    // P only: 2 of 3.
    expect(figure(d, "helpfulness").value).toBe(2 / 3);
    expect(d.unanswered.items.map((i) => i.id)).toEqual([ids.T4!.toString()]);
    expect(d.experts.map((e) => e.handle)).toEqual(["expert-one"]);
    // Searches were not scoped to a category.
    expect(figure(d, "searches").value).toBe(0);
  });

  test("the daily series: asked and resolved per day, deflection and median first answer per day", async () => {
    const d = await dashboard({});
    expect(d.series.map((p) => p.bucket)).toEqual(["2026-01-05", "2026-01-06", "2026-01-07", "2026-01-08", "2026-01-09", "2026-01-10", "2026-01-11"]);
    expect(d.series.map((p) => p.asked)).toEqual([1, 1, 1, 1, 1, 1, 0]);
    // Resolutions by day of the current resolution: T1 01-05, T2 01-07, T5 01-10.
    expect(d.series.map((p) => p.resolutions)).toEqual([1, 0, 1, 0, 0, 1, 0]);
    expect(d.series.map((p) => p.deflection)).toEqual([null, 1, 0, 0, 1, 0, null]);
    // T1 0.5 h, T2 2 h, T3 0.17 h, T5 20 h.
    expect(d.series.map((p) => p.ttfaMedianHours)).toEqual([0.5, 2, 0.2, null, 20, null, null]);
  });

  test("the rollups equal the documented SQL over the raw tables", async () => {
    expect(await storedDailyCells("2025-12-20", "2026-01-15")).toEqual(await rawDailyCells("2025-12-20", "2026-01-15"));
  });
});

describe("who and what the dashboard accepts", () => {
  test("members, moderators and suspended staff are refused; staff and admins see it", async () => {
    for (const actor of [null, { id: "m", role: "member", status: "active" }, { id: "o", role: "moderator", status: "active" }, { id: "s", role: "staff", status: "suspended" }] as const) {
      expect(await resolveScope(actor as Actor | null, {})).toMatchObject({ ok: false, kind: "forbidden" });
    }
    for (const role of ["staff", "admin"] as const) expect((await resolveScope({ id: "x", role, status: "active" }, {})).ok).toBe(true);
  });

  test("bad ranges and unknown categories are field errors, not failures", async () => {
    const check = async (input: Record<string, string>) => {
      const r = await resolveScope(staff, input, "2026-01-20");
      return r.ok ? null : r.kind === "invalid" ? inEnglish(r.fieldErrors) : r.kind;
    };
    expect(await check({ range: "custom", from: "2026-01-10", to: "2026-01-05" })).toEqual({ to: ["The end date must be on or after the start date"] });
    expect(await check({ range: "custom", from: "2023-01-01", to: "2026-01-05" })).toEqual({ to: ["A range can be at most two years (731 days)"] });
    expect(await check({ range: "custom", from: "2026-02-30", to: "2026-03-05" })).toEqual({ from: ["This is not a real date"] });
    expect(await check({ range: "custom" })).toEqual({ from: ["Choose a start date"], to: ["Choose an end date"] });
    expect(await check({ range: "12" })).toEqual({ range: ["Choose 7, 30 or 90 days, or a custom range"] });
    expect(await check({ category: "no-such-category" })).toEqual({ category: ["Unknown category"] });
    expect(await check({ category: "<script>" })).toEqual({ category: ["Unknown category"] });
    const scope = (await resolveScope(staff, { range: "90" }, "2026-01-20")) as { ok: true; value: Scope };
    expect(scope.value).toMatchObject({ from: "2025-10-23", to: "2026-01-20", days: 90, previousFrom: "2025-07-25", previousTo: "2025-10-22", bucket: "day" });
  });
});

describe("top experts when many members have accepted answers (ADR 077)", () => {
  test("only members at or above the tenth-best count of accepted answers are summed, and the list is the one of summing everyone", async () => {
    const cat = await makeCategory("Experts");
    // Accepted answers in the range per member (2026-03-02 to 2026-03-08): 5, 5, 4, 4, 3, 3, 3, 2, 2, 2, 2, 1.
    const counts = [5, 5, 4, 4, 3, 3, 3, 2, 2, 2, 2, 1];
    const members = await Promise.all(counts.map((_, i) => makeUser({ handle: `top-${String.fromCharCode(97 + i)}` })));
    let eventId = 10_000n;
    const rep = (userId: string, points: number, reason: string, at: string, reversesId: bigint | null = null) =>
      prisma.reputationEntry.create({ data: { userId, points, reason, categoryId: cat.id, createdAt: new Date(at), eventId: eventId++, reversesId } });
    for (const [i, n] of counts.entries()) for (let k = 0; k < n; k++) await rep(members[i]!.id, 15, "answer_accepted", `2026-03-0${3 + (k % 5)}T10:00:00Z`);
    // Points break the ties among the 2s: top-j +20, top-i +10; top-l (1 accepted) has 1,000 points, below the bar.
    await rep(members[9]!.id, 20, "answer_upvoted", "2026-03-04T10:00:00Z");
    await rep(members[8]!.id, 10, "answer_upvoted", "2026-03-04T11:00:00Z");
    await rep(members[11]!.id, 1000, "answer_upvoted", "2026-03-04T12:00:00Z");
    // top-a: one of its acceptances from before the range is reversed in it: 5 − 1 = 4 accepted, 75 − 15 = 60 points.
    const before = await rep(members[0]!.id, 15, "answer_accepted", "2026-02-20T10:00:00Z");
    await rep(members[0]!.id, -15, `undo:${before.id}`, "2026-03-05T10:00:00Z", before.id);
    const scope = ((await resolveScope(staff, { range: "custom", from: "2026-03-02", to: "2026-03-08", category: cat.slug }, "2026-03-10")) as { ok: true; value: Scope }).value;

    const top = await topExperts(scope, 10);
    expect(top.map((e) => [e.handle, e.acceptedAnswers, e.reputation])).toEqual([
      ["top-b", 5, 75],
      ["top-a", 4, 60],
      ["top-c", 4, 60],
      ["top-d", 4, 60],
      ["top-e", 3, 45],
      ["top-f", 3, 45],
      ["top-g", 3, 45],
      ["top-j", 2, 50],
      ["top-i", 2, 40],
      ["top-h", 2, 30],
    ]);
    expect(top).toEqual((await topExperts(scope, null)).slice(0, 10));
    // Fewer members with an accepted answer than the limit: ordered by points after them (the whole range is summed).
    const few = await topExperts(scope, 13);
    expect(few.map((e) => e.handle)).toEqual([...top.map((e) => e.handle), "top-k", "top-l"]);
  });
});


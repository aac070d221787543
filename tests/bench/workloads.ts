/**
 * What `npm run bench` measures, grouped in report sections. Each section owns a marked block in
 * docs/benchmarks.md; an issue that adds a workload appends a section (or entries) here. A section
 * with `run` runs itself (its own server and database, figures beyond autocannon's).
 */
import type { Workload } from "./lib/autocannon.ts";
import type { BenchSection } from "./lib/section.ts";
import { runApiSection } from "./api.ts";
import { runBackfillSection } from "./backfill.ts";
import { runDashboardSection } from "./dashboard.ts";
import { runKbSection } from "./kb.ts";
import { runLeaderboardSection } from "./leaderboard.ts";
import { runNotificationsSection } from "./notifications.ts";
import { runQaSection } from "./qa.ts";
import { runScaleOutSection } from "./scale-out.ts";
import { runSearchSection } from "./search.ts";
import { runSeoSection } from "./seo.ts";
import { runSupportSection } from "./support.ts";
import { runWebhooksSection } from "./webhooks.ts";

export type { BenchSection } from "./lib/section.ts";

/** Each page at one connection (latency of a lone visitor) and at 16 (throughput under load). */
function page(name: string, path: string): Workload[] {
  return [1, 16].map((connections) => ({ name, path, connections, durationSeconds: 10, warmupSeconds: 3 }));
}

export const SECTIONS: BenchSection[] = [
  {
    id: "foundation",
    title: "Foundation: public pages, anonymous visitor",
    // No numeric targets for these two pages yet: the table shows "—".
    workloads: [...page("Home page", "/"), ...page("Sign-in page", "/login")],
  },
  {
    id: "qa",
    title: "Questions and answers on the large dataset (issue 4)",
    // Needs BENCH_LARGE_DATABASE_URL (a database filled by `npm run seed:large`); skipped without it.
    workloads: [],
    run: runQaSection,
  },
  {
    id: "dashboard",
    title: "Support dashboard on the large dataset (issue 8)",
    // Needs BENCH_LARGE_DATABASE_URL; adds synthetic search and knowledge-base rows once (tests/bench/dashboard.ts).
    workloads: [],
    run: runDashboardSection,
  },
  {
    id: "kb",
    title: "Knowledge base: recurring-topics report on the large dataset (issue 7)",
    // Needs BENCH_LARGE_DATABASE_URL; skipped without it.
    workloads: [],
    run: runKbSection,
  },
  {
    id: "leaderboard",
    title: "Leaderboards on the large dataset (issue 6)",
    // Needs BENCH_LARGE_DATABASE_URL after `npm run reputation:backfill`; skipped without it.
    workloads: [],
    run: runLeaderboardSection,
  },
  {
    id: "search",
    title: "Search on the large dataset (issue 5)",
    // Needs BENCH_LARGE_DATABASE_URL; builds a new base index there (npm run search:reindex).
    workloads: [],
    run: runSearchSection,
  },
  {
    id: "notifications",
    title: "Notifications: fan-out and digests on the large dataset (issue 18)",
    // Needs BENCH_LARGE_DATABASE_URL after `npm run reputation:backfill`; removes what it adds except its answers.
    workloads: [],
    run: runNotificationsSection,
  },
  {
    id: "support",
    title: "Escalation: ticket creation and the staff queue on the large dataset (issue 20)",
    // Needs BENCH_LARGE_DATABASE_URL; adds a 500-step journey and 10,000 tickets, removed at the end (tests/bench/support.ts).
    workloads: [],
    run: runSupportSection,
  },
  {
    id: "backfill",
    title: "Reputation backfill on the large dataset (issue 17)",
    // Needs BENCH_LARGE_SEED_DATABASE_URL (seed:large, never backfilled): times npm run reputation:backfill on a fresh copy.
    workloads: [],
    run: runBackfillSection,
  },
  {
    id: "seo",
    title: "Sitemaps and feeds on the large dataset (issue 21)",
    // Needs BENCH_LARGE_DATABASE_URL (seed:large); reads only. Target: every sitemap part and feed under 1 s.
    workloads: [],
    run: runSeoSection,
  },
  {
    id: "scale-out",
    title: "Two app servers behind nginx and PgBouncer (issue 23)",
    // Needs BENCH_LARGE_DATABASE_URL (read only); starts PgBouncer, two servers and nginx (tests/bench/scale-out.ts).
    workloads: [],
    run: runScaleOutSection,
  },
  {
    id: "webhooks",
    title: "Webhooks: 1,000 events to 3 endpoints (issue 22)",
    // A fresh small database of its own (never the large dataset); receivers on 127.0.0.1 via the test-only allowance.
    workloads: [],
    run: runWebhooksSection,
  },
  {
    id: "api",
    title: "JSON API: the question list on the large dataset (issue 22)",
    // Needs BENCH_LARGE_DATABASE_URL (seed:large); adds one read key per row for the run and removes them (tests/bench/api.ts).
    workloads: [],
    run: runApiSection,
  },
];

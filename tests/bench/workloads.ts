/**
 * What `npm run bench` measures, grouped in report sections. Each section owns a marked block in
 * docs/benchmarks.md; an issue that adds a workload appends a section (or entries) here.
 */
import type { Workload } from "./lib/autocannon.ts";

export type BenchSection = {
  /** Marker id in docs/benchmarks.md: <!-- bench:<id>:start --> … <!-- bench:<id>:end --> */
  id: string;
  title: string;
  workloads: Workload[];
};

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
];

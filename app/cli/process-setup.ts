/**
 * Process settings that must be in place before any other module of the server is evaluated:
 * start.ts imports this first.
 *
 * - NODE_ENV: libraries such as React pick their development or production build when first
 *   loaded, and start.ts's own imports (Express, remix-utils) load React, so assigning NODE_ENV in
 *   start.ts's body came too late and the production server ran React's development build.
 * - V8 heap growth: after each full collection V8 lets the old generation grow to up to about four
 *   times what survived before collecting again. A page render leaves a lot of short-lived garbage
 *   (a 100-answer thread is ~500 KB of HTML), so under load the process held 450 MiB for a live
 *   heap of about 80 MiB. Growing by 30% instead keeps it under 400 MiB with the search index loaded
 *   (with glibc's malloc settings of `npm run serve`), while full collections stay rare enough not to
 *   show in write latency, which they did at 20% before writes got cheaper (docs/decisions/026-server-memory.md).
 *   HEAP_GROWING_PERCENT overrides it; 0 restores V8's own.
 */
import v8 from "node:v8";

process.env.NODE_ENV = process.argv.includes("--dev") ? "development" : "production";

const heapGrowingPercent = Number(process.env.HEAP_GROWING_PERCENT ?? 30);
if (Number.isInteger(heapGrowingPercent) && heapGrowingPercent >= 0) {
  v8.setFlagsFromString(`--heap-growing-percent=${heapGrowingPercent}`);
} else {
  throw new Error(`HEAP_GROWING_PERCENT must be a whole number ≥ 0, got "${process.env.HEAP_GROWING_PERCENT}"`);
}

/**
 * `npx tsx tests/bench/profile-summary.ts <file.cpuprofile> [top]`: where a V8 CPU profile (from
 * `BENCH_CPU_PROF=<dir> npm run bench`, or `node --cpu-prof`) spent its time: self time by
 * package (or app file) and by function, largest first. Idle and GC are listed apart.
 */
import fs from "node:fs";

type ProfileNode = { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] };
type Profile = { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number };

const [file, topArg] = process.argv.slice(2);
if (!file) {
  console.error("Usage: npx tsx tests/bench/profile-summary.ts <file.cpuprofile> [top]");
  process.exit(2);
}
const top = Number(topArg ?? 25);
const profile = JSON.parse(fs.readFileSync(file, "utf8")) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const selfUs = new Map<number, number>();
profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));

function owner(url: string): string {
  if (!url) return "(native / V8)";
  const modules = url.lastIndexOf("node_modules/");
  if (modules !== -1) {
    const rest = url.slice(modules + "node_modules/".length).split("/");
    return rest[0].startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (url.startsWith("node:")) return url;
  const app = /\/(build|app)\/(.*)$/.exec(url);
  return app ? `${app[1]}/${app[2]}` : url;
}

const packages = new Map<string, number>();
const functions = new Map<string, number>();
let total = 0;
for (const [id, us] of selfUs) {
  const node = byId.get(id);
  if (!node) continue;
  total += us;
  const { functionName, url, lineNumber } = node.callFrame;
  const pkg = ["(idle)", "(garbage collector)", "(program)"].includes(functionName) ? functionName : owner(url);
  packages.set(pkg, (packages.get(pkg) ?? 0) + us);
  const fn = `${functionName || "(anonymous)"} ${owner(url)}:${lineNumber + 1}`;
  functions.set(fn, (functions.get(fn) ?? 0) + us);
}
const busy = total - (packages.get("(idle)") ?? 0);
const line = (name: string, us: number) => `${(us / 1000).toFixed(0).padStart(8)} ms ${((100 * us) / Math.max(1, busy)).toFixed(1).padStart(5)} %  ${name}`;
console.log(`${(total / 1e6).toFixed(1)} s profiled, ${(busy / 1e6).toFixed(1)} s busy (shares below are of busy time)\n`);
console.log("By package or file (self time):");
const notIdle = ([name]: [string, number]) => !name.startsWith("(idle)");
for (const [name, us] of [...packages].filter(notIdle).sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(line(name, us));
console.log("\nBy function (self time):");
for (const [name, us] of [...functions].filter(notIdle).sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(line(name, us));

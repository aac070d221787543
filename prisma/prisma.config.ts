import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import type { PrismaConfig } from "prisma";

// Prisma's CLI cannot download its native engines on our machines, so it runs the JS/Wasm
// engine through the pg driver adapter (docs/decisions/001-database-tooling.md).
const connectionString = process.env.DATABASE_URL ?? "postgresql://threadwise@127.0.0.1:5432/threadwise";

export default {
  experimental: { adapter: true },
  engine: "js",
  schema: path.join(import.meta.dirname, "schema.prisma"),
  // A short idle timeout lets every CLI command exit at once instead of hanging ~10 s.
  adapter: async () => new PrismaPg({ connectionString, idleTimeoutMillis: 200 }),
} satisfies PrismaConfig;

import path from "node:path";
import tsconfigPaths from "vite-tsconfig-paths";
import { defineConfig } from "vitest/config";

const root = path.resolve(import.meta.dirname, "..");

export default defineConfig({
  root,
  plugins: [tsconfigPaths({ root })],
  test: {
    include: ["app/**/*.test.ts", "tests/http/**/*.test.ts", "tests/unit/**/*.test.ts"],
    globalSetup: ["tests/support/vitest-global-setup.ts"],
    setupFiles: ["tests/support/vitest-setup.ts"],
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 120_000,
    env: { NODE_ENV: "test", LOG_LEVEL: "warn", SESSION_SECRET: "test-session-secret-0123456789" },
  },
});

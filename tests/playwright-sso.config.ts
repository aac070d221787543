import path from "node:path";
import { defineConfig } from "@playwright/test";
import base from "./playwright.config.ts";

/**
 * The single sign-on journey (ADR 065): the same app and browser as tests/playwright.config.ts, with a
 * local OpenID Connect provider started beside the app (E2E_OIDC=1 in tests/support/e2e-server.ts).
 * Kept apart so the other journeys' sign-in page stays as it is.
 * Run: npx remix build && E2E_PORT=<port> npx playwright test --config tests/playwright-sso.config.ts
 */
const root = path.resolve(import.meta.dirname, "..");
const webServer = Array.isArray(base.webServer) ? base.webServer[0]! : base.webServer!;

export default defineConfig({
  ...base,
  testDir: path.join(root, "tests/e2e-sso"),
  outputDir: path.join(root, "tests/.artifacts/sso/test-results"),
  reporter: [["list"], ["html", { outputFolder: path.join(root, "tests/.artifacts/sso/playwright-report"), open: "never" }]],
  webServer: { ...webServer, env: { ...webServer.env, E2E_OIDC: "1" } },
});

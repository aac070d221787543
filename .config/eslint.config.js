// ESLint flat config (run as `eslint -c .config/eslint.config.js .` by `npm run lint`).
import js from "@eslint/js";
import jsxA11y from "eslint-plugin-jsx-a11y";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

const serverOnly = {
  group: ["*.server", "*.server.*", "**/*.server", "**/*.server.*", "~/server/*"],
  message: "Server-only modules must not be imported by UI, schemas or policies: the classic compiler would ship an empty module to the browser.",
};

// Location must be header-safe (a Chinese slug would throw): redirect() comes from ~/utils/http.server.ts.
const remixRedirect = {
  name: "@remix-run/node",
  importNames: ["redirect", "redirectDocument", "replace"],
  message: "Use redirect() from ~/utils/http.server.ts: it percent-encodes the Location (slugs carry Chinese and other non-ASCII text).",
};

export default tseslint.config(
  { ignores: ["build/**", "public/build/**", "tests/.artifacts/**", "app/generated/**", "node_modules/**", "test-results/**", "playwright-report/**", ".data/**", "tests/bench/tmp/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.{ts,tsx}"],
    plugins: { "react-hooks": reactHooks, "jsx-a11y": jsxA11y },
    rules: {
      ...reactHooks.configs.recommended.rules,
      ...jsxA11y.flatConfigs.recommended.rules,
      "jsx-a11y/no-autofocus": "off",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "no-console": ["error", { allow: ["warn", "error"] }],
    },
  },
  {
    files: ["app/**/*.{ts,tsx}"],
    rules: { "no-restricted-imports": ["error", { paths: [remixRedirect] }] },
  },
  {
    // Components, client-safe contracts (schemas, policies) and client entry must stay server-free.
    files: ["app/components/**", "app/**/*.schema.ts", "app/**/*.policy.ts", "app/entry.client.tsx", "app/utils/i18n.ts", "app/utils/nonce.tsx", "app/utils/headers.ts"],
    rules: { "no-restricted-imports": ["error", { paths: [remixRedirect], patterns: [serverOnly] }] },
  },
  {
    files: ["**/*.{js,mjs}"],
    languageOptions: { globals: { process: "readonly", console: "readonly", URL: "readonly" } },
  },
  {
    files: ["app/cli/**", "tests/**"],
    rules: { "no-console": "off" },
  },
);

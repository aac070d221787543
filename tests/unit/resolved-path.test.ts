import { createRequire } from "node:module";
import { createElement, type ReactNode } from "react";
import { renderToString } from "react-dom/server";
import type * as ReactRouter from "react-router";
import { expect, test } from "vitest";

/**
 * The react-router patch (.config/patches, ADR 078): `useResolvedPath` (under every <Link>, three times per
 * link) no longer serialises the route matches for an absolute path, which resolves the same from any
 * route. The server runs the production build, so that is the file tested here.
 */
const require = createRequire(import.meta.url);
const router = require("@remix-run/router") as { UNSAFE_getResolveToMatches: (...a: unknown[]) => unknown };
const { MemoryRouter, Routes, Route, useResolvedPath } = require("react-router/dist/umd/react-router.production.min.js") as typeof ReactRouter;

test("absolute paths resolve without the matches; relative ones still from their route", () => {
  const original = router.UNSAFE_getResolveToMatches;
  let serialised = 0;
  router.UNSAFE_getResolveToMatches = (...args: unknown[]) => {
    serialised++;
    return original(...args);
  };
  const seen: string[] = [];
  function Probe(): ReactNode {
    seen.push(useResolvedPath("/questions/1/a").pathname, useResolvedPath("/questions/./2/../3").pathname, useResolvedPath("answers").pathname);
    seen.push(useResolvedPath("../up").pathname, useResolvedPath("//double").pathname);
    return null;
  }
  try {
    renderToString(
      createElement(MemoryRouter, { initialEntries: ["/questions/9/slug"] }, createElement(Routes, null, createElement(Route, { path: "questions/:id/:slug", element: createElement(Probe) }))),
    );
  } finally {
    router.UNSAFE_getResolveToMatches = original;
  }
  expect(seen).toEqual(["/questions/1/a", "/questions/3", "/questions/9/slug/answers", "/up", "//double"]);
  // Only the three paths that are not plainly absolute ("answers", "../up", "//double") read the matches.
  expect(serialised).toBe(3);
});

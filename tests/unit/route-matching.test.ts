import { createRequire } from "node:module";
import type * as Router from "@remix-run/router";
import type { AgnosticRouteObject as RouteObject } from "@remix-run/router";
import { expect, test } from "vitest";

// The server's copy (CommonJS, the patched file), as the server bundle requires it.
const { matchRoutes, json, createStaticHandler } = createRequire(import.meta.url)("@remix-run/router") as typeof Router;

/**
 * The @remix-run/router patch (.config/patches, ADR 078) tries a pathname only against the branches that
 * start with its first segment and those that start with a dynamic, splat, non-ASCII or empty one. It must
 * find the same match as trying every ranked branch: static before dynamic, ASCII case ignored unless a
 * route is case-sensitive, optional segments, splats, the index.
 */
const routes: RouteObject[] = [
  {
    id: "root",
    path: "",
    children: [
      { id: "index", index: true },
      { id: "thread", path: "questions/:id/:slug" },
      { id: "ask", path: "questions/new" },
      { id: "exact", path: "Exact", caseSensitive: true },
      { id: "lang", path: ":lang" },
      { id: "docs", path: "docs/:page?" },
      { id: "romanian", path: "știri/:id" },
      { id: "layout", children: [{ id: "settings", path: "settings/profile" }] },
      { id: "splat", path: "*" },
    ],
  },
];

const matched = (pathname: string) => matchRoutes(routes, pathname)?.map((m) => m.route.id).join(">") ?? null;

test.each([
  ["/", "root>index"],
  ["/questions/1/x", "root>thread"],
  ["/QUESTIONS/1/x", "root>thread"],
  ["/questions/new", "root>ask"],
  ["/Exact", "root>exact"],
  // Case-sensitive: the other case falls to the dynamic segment.
  ["/exact", "root>lang"],
  ["/en", "root>lang"],
  // A static first segment with no route of its own length: the dynamic branches are still tried.
  ["/questions", "root>lang"],
  ["/docs", "root>docs"],
  ["/docs/a", "root>docs"],
  ["/%C8%99tiri/7", "root>romanian"],
  ["/știri/7", "root>romanian"],
  ["/settings/profile", "root>layout>settings"],
  ["/SETTINGS/profile", "root>layout>settings"],
  ["/nothing/here", "root>splat"],
  ["//questions/1/x", "root>splat"],
])("%s matches %s", (pathname, expected) => {
  expect(matched(pathname)).toBe(expected);
});

test("a route tree without a splat matches nothing else", () => {
  const tree: RouteObject[] = [{ id: "a", path: "/a/:x" }, { id: "b", path: "/:y/b" }];
  expect(matchRoutes(tree, "/a/1")?.at(-1)?.route.id).toBe("a");
  expect(matchRoutes(tree, "/a/b")?.at(-1)?.route.id).toBe("a");
  expect(matchRoutes(tree, "/z/b")?.at(-1)?.route.id).toBe("b");
  expect(matchRoutes(tree, "/z/c")).toBeNull();
});

test("json() keeps its text on the Response, and a document request's loader data is parsed from it (ADR 078)", async () => {
  const data = { title: "Cum resetez parola? 如何重置密码", n: 1, nested: { at: new Date(0) } };
  const response = json(data, { headers: { "X-Test": "1" } });
  const text = (response as unknown as Record<symbol, unknown>)[Symbol.for("threadwise.jsonText")];
  expect(text).toBe(JSON.stringify(data));
  // The body is still there for anything that reads it.
  expect(await response.clone().json()).toEqual(JSON.parse(JSON.stringify(data)));
  // The loader's data as the router hands it to the render: JSON's meaning (a Date becomes its string), body unread.
  const handler = createStaticHandler([{ id: "root", path: "/", loader: () => response }]);
  const context = await handler.query(new Request("http://localhost/"));
  if (context instanceof Response) throw new Error("unexpected response");
  expect(context.loaderData.root).toEqual({ title: data.title, n: 1, nested: { at: "1970-01-01T00:00:00.000Z" } });
  expect(response.bodyUsed).toBe(false);
});

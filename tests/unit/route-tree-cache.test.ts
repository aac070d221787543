import { createRequire } from "node:module";
import { createElement, type ReactElement } from "react";
import { renderToString } from "react-dom/server";
import type * as ReactRouterServer from "react-router-dom/server";
import { expect, test } from "vitest";

/**
 * Patches in .config/patches (ADR 077): RemixServer makes the route tree once per server build, and
 * react-router-dom's static router converts one routes array to data routes once, so the ranked
 * branches kept by the @remix-run/router patch are found again on the next request. Before, all three
 * were rebuilt on every document request (about 15 % of the dashboard's server time).
 */
const require = createRequire(import.meta.url);
const remixRoutes = require("@remix-run/react/dist/routes.js") as { createServerRoutes: (...args: unknown[]) => unknown };
const { RemixServer } = require("@remix-run/react/dist/server.js") as { RemixServer: (props: { context: object; url: string }) => ReactElement };
const { createStaticHandler, createStaticRouter } = require("react-router-dom/server.js") as typeof ReactRouterServer;

test("the static router converts one routes array once", async () => {
  const routes = [{ id: "root", path: "/", element: createElement("p", null, "hi") }];
  const context = await createStaticHandler(routes).query(new Request("http://localhost/"));
  if (context instanceof Response) throw new Error("unexpected response");
  const first = createStaticRouter(routes, context);
  const second = createStaticRouter(routes, context);
  expect(second.routes).toBe(first.routes);
  expect(createStaticRouter([...routes], context).routes).not.toBe(first.routes);
});

test("RemixServer makes the route tree of a build once, and renders each request from it", async () => {
  const original = remixRoutes.createServerRoutes;
  let made = 0;
  remixRoutes.createServerRoutes = (...args: unknown[]) => {
    made++;
    return original(...args);
  };
  try {
    const manifest = { routes: { root: { id: "root", path: "", hasLoader: true, module: "/root.js" } }, entry: { module: "/entry.js", imports: [] }, url: "/manifest.js", version: "1" };
    const routeModules = { root: { default: () => createElement("p", null, "page") } };
    // As Remix's server runtime passes them: the build's manifest and `future` (the same objects on
    // every request), route modules collected anew each time.
    const future = {};
    const render = async (path: string) => {
      const handler = createStaticHandler([{ id: "root", path: "/", loader: () => ({ path }) }]);
      const staticHandlerContext = await handler.query(new Request(`http://localhost${path}`));
      if (staticHandlerContext instanceof Response) throw new Error("unexpected response");
      const context = { manifest, routeModules: { ...routeModules }, staticHandlerContext, future, isSpaMode: false, serverHandoffString: "{}", criticalCss: undefined, serializeError: (e: Error) => e };
      return renderToString(createElement(RemixServer, { context, url: `http://localhost${path}` }));
    };
    expect(await render("/")).toContain("page");
    expect(await render("/?again=1")).toContain("page");
    expect(made).toBe(1);
  } finally {
    remixRoutes.createServerRoutes = original;
  }
});

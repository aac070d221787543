import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { HttpClient, startAppServer } from "../support/app-server.ts";
import { GOOD_PASSWORD, makeUser } from "../support/factories.ts";
import { HOSTILE_REDIRECTS } from "../support/hostile-redirects.ts";
import { routeUrls } from "../support/route-paths.ts";

/** Issue 16, item 2: no redirect taken from user input may leave the site. */
let server: Awaited<ReturnType<typeof startAppServer>>;
beforeAll(async () => {
  server = await startAppServer();
});
afterAll(() => server?.close());

/** Where a browser goes with this response (a redirect, or a data request's X-Remix-Redirect), or null. */
function destination(response: Response): URL | null {
  const location = response.headers.get("location") ?? response.headers.get("x-remix-redirect");
  return location === null ? null : new URL(location, `${server.url}/somewhere/page`);
}

const QUERY_NAMES = ["redirectTo", "redirect", "returnTo", "next", "to", "url"];

describe("redirects stay on the site", () => {
  test("sign-in never sends the browser off the site, whatever redirectTo says", async () => {
    const user = await makeUser();
    for (const target of HOSTILE_REDIRECTS) {
      const client = new HttpClient(server.url);
      const response = await client.post("/login", { email: user.email, password: GOOD_PASSWORD, redirectTo: target });
      expect(response.status, JSON.stringify(target)).toBe(302);
      expect(destination(response)?.origin, JSON.stringify(target)).toBe(server.url);
      expect(response.headers.get("location"), JSON.stringify(target)).toBe("/");
    }
  });

  test("sign-in still returns to a page of the site, in any language", async () => {
    const user = await makeUser();
    const client = new HttpClient(server.url);
    const response = await client.post("/login", { email: user.email, password: GOOD_PASSWORD, redirectTo: "/tags/北京?q=facturile+românești#top" });
    expect(response.status).toBe(302);
    expect(decodeURIComponent(response.headers.get("location")!)).toBe("/tags/北京?q=facturile+românești#top");
  });

  test("the sign-in page does not carry a hostile redirectTo into its form", async () => {
    for (const target of HOSTILE_REDIRECTS) {
      const html = await (await fetch(`${server.url}/login?redirectTo=${encodeURIComponent(target)}`)).text();
      const field = /<input[^>]*name="redirectTo"[^>]*>/.exec(html)?.[0];
      expect(field, JSON.stringify(target)).toBeDefined();
      expect(/value="([^"]*)"/.exec(field!)?.[1] ?? "", JSON.stringify(target)).toBe("");
    }
    const html = await (await fetch(`${server.url}/login?redirectTo=${encodeURIComponent("/account")}`)).text();
    expect(/<input[^>]*name="redirectTo"[^>]*>/.exec(html)?.[0]).toContain('value="/account"');
  });

  test("no route answers a GET, as a visitor or signed in, with a redirect off the site, whatever its query says", async () => {
    const member = await makeUser();
    const signedIn = new HttpClient(server.url);
    await signedIn.signIn(member.email, GOOD_PASSWORD);
    const visitor = new HttpClient(server.url);
    const targets = ["//evil.example", "/\t/evil.example"];
    let redirects = 0;
    for (const { routeId, url } of routeUrls(server.build, (m) => Boolean(m.loader || m.default))) {
      const module = server.build.routes[routeId]!.module as { loader?: unknown };
      for (const target of targets) {
        const query = QUERY_NAMES.map((name) => `${name}=${encodeURIComponent(target)}`).join("&");
        const variants = [`${url}?${query}`, ...(module.loader ? [`${url}?${query}&_data=${encodeURIComponent(routeId)}`] : [])];
        for (const path of variants) {
          for (const client of [visitor, signedIn]) {
            const response = await client.get(path);
            // A member's notification stream never ends: its headers are what a redirect would be in.
            if ((response.headers.get("content-type") ?? "").startsWith("text/event-stream")) await response.body?.cancel();
            else await response.arrayBuffer();
            const to = destination(response);
            if (to) redirects += 1;
            if (to) expect(to.origin, path).toBe(server.url);
          }
        }
      }
    }
    expect(redirects).toBeGreaterThan(0);
  });

  test("no action redirects off the site, whatever redirect field it is sent", async () => {
    const admin = await makeUser({ role: "admin" });
    const actions = routeUrls(server.build, (m) => Boolean(m.action));
    expect(actions.length).toBeGreaterThan(15);
    for (const { url } of actions) {
      // A fresh session each time: some actions (sign out) end it.
      const client = new HttpClient(server.url);
      await client.signIn(admin.email, GOOD_PASSWORD);
      const token = await client.csrfToken("/");
      for (const target of ["//evil.example", "/\t/evil.example"]) {
        const fields = Object.fromEntries(QUERY_NAMES.map((name) => [name, target]));
        const response = await client.post(url, fields, { csrf: token });
        await response.arrayBuffer();
        const to = destination(response);
        if (to) expect(to.origin, `POST ${url}`).toBe(server.url);
      }
    }
  });
});

import type { Server } from "node:http";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import { createHttpApp, type HttpServerOptions } from "~/server/http-server.ts";
import { logger } from "~/utils/logger.server.ts";
import type { Runtime } from "~/utils/runtime.server.ts";

/**
 * The built app (build/index.js, from `remix build`) served in this process on a free port, against
 * whatever DATABASE_URL the test file set up. For HTTP-level tests; end-to-end tests use a real process.
 */
export async function startAppServer(options: Partial<Pick<HttpServerOptions, "pageCacheSeconds" | "trustProxy" | "logger" | "metricsToken">> = {}): Promise<{ url: string; build: ServerBuild; close: () => Promise<void> }> {
  const build: ServerBuild = await import(pathToFileURL(path.resolve("build/index.js")).href);
  const runtime = (build.entry.module as unknown as { runtime: Runtime }).runtime;
  const app = createHttpApp({ getBuild: async () => build, mode: "production", logger, runtime, secure: false, ...options });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    build,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A browser-like client: keeps cookies, reads the CSRF token from pages, posts forms. */
export class HttpClient {
  private cookies = new Map<string, string>();
  constructor(readonly base: string) {}

  cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  private remember(response: Response) {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const eq = pair!.indexOf("=");
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (/expires=Thu, 01 Jan 1970/i.test(line) || /max-age=0/i.test(line) || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async get(pathname: string, headers: Record<string, string> = {}) {
    const response = await fetch(this.base + pathname, { headers: { Cookie: this.cookieHeader(), ...headers }, redirect: "manual" });
    this.remember(response);
    return response;
  }

  /** The CSRF token of a page's forms. */
  async csrfToken(pathname = "/login"): Promise<string> {
    const html = await (await this.get(pathname)).text();
    const match = html.match(/name="csrf" value="([^"]+)"/);
    if (!match) throw new Error(`no CSRF token on ${pathname}`);
    return match[1]!;
  }

  async post(pathname: string, fields: Record<string, string>, options: { csrf?: string | false; headers?: Record<string, string> } = {}) {
    const body = new URLSearchParams(fields);
    if (options.csrf !== false) body.set("csrf", options.csrf ?? (await this.csrfToken()));
    const response = await fetch(this.base + pathname, {
      method: "POST",
      body,
      redirect: "manual",
      headers: { Cookie: this.cookieHeader(), Origin: this.base, "Content-Type": "application/x-www-form-urlencoded", ...options.headers },
    });
    this.remember(response);
    return response;
  }

  async signIn(email: string, password: string) {
    const response = await this.post("/login", { email, password });
    if (response.status !== 302) throw new Error(`sign-in failed: ${response.status} ${await response.text()}`);
  }
}

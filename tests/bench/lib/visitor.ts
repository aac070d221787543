/**
 * A scripted browser for the write benchmarks: keeps cookies, reads the CSRF token from pages,
 * signs in through the real form and posts forms as Remix does. Requests go to 127.0.0.1 only,
 * one at a time, over kept-alive connections.
 */
import http from "node:http";
import { performance } from "node:perf_hooks";
import zlib from "node:zlib";

export type Reply = { status: number; location: string | null; text: string; ms: number };

export class Visitor {
  private readonly cookies = new Map<string, string>();
  private csrf = "";

  constructor(readonly origin: string) {
    if (new URL(origin).hostname !== "127.0.0.1") throw new Error(`Benchmarks only target 127.0.0.1, not ${origin}`);
  }

  /** Cookie header value, for other clients (autocannon, raw requests) acting as this visitor. */
  cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }

  private remember(headers: Headers): void {
    for (const line of headers.getSetCookie()) {
      const [pair] = line.split(";");
      const eq = pair.indexOf("=");
      if (eq > 0) this.cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
  }

  private async send(path: string, init: RequestInit): Promise<Reply> {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set("cookie", this.cookieHeader());
    const started = performance.now();
    const res = await fetch(new URL(path, this.origin), { ...init, headers, redirect: "manual" });
    const text = await res.text();
    const ms = performance.now() - started;
    this.remember(res.headers);
    return { status: res.status, location: res.headers.get("location"), text, ms };
  }

  /** GET a page and keep its CSRF token (every page carries one for its forms). */
  async page(path: string): Promise<Reply> {
    const reply = await this.send(path, { headers: { accept: "text/html" } });
    const input = /<input[^>]*name="csrf"[^>]*>/.exec(reply.text)?.[0];
    const token = input ? /value="([^"]*)"/.exec(input)?.[1] : undefined;
    if (token) this.csrf = token.replace(/&amp;/g, "&");
    return reply;
  }

  /**
   * POST a form with the CSRF token and a same-origin Origin header. With `routeId` it is the
   * request Remix's client sends when JavaScript is on (`?_data=<route>`: the action only, JSON
   * back); without, a plain form post (the action, then a redirect or the page).
   */
  async post(path: string, fields: Record<string, string>, routeId?: string): Promise<Reply> {
    if (!this.csrf) throw new Error("No CSRF token yet: load a page first");
    const url = routeId ? `${path}${path.includes("?") ? "&" : "?"}_data=${encodeURIComponent(routeId)}` : path;
    return this.send(url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: this.origin, accept: routeId ? "*/*" : "text/html" },
      body: new URLSearchParams({ csrf: this.csrf, ...fields }).toString(),
    });
  }

  /** Signs in through /login; throws unless the app answers with the redirect that starts a session. */
  async signIn(email: string, password: string): Promise<void> {
    const form = await this.page("/login");
    if (form.status !== 200) throw new Error(`GET /login answered ${form.status}`);
    const reply = await this.post("/login", { email, password, redirectTo: "/" });
    if (reply.status !== 302 || !this.cookies.has("tw_session")) {
      throw new Error(`Sign-in as ${email} failed (HTTP ${reply.status}): is BENCH_LARGE_PASSWORD the password seed:large printed?`);
    }
  }
}

/**
 * GETs one at a time over one kept-alive connection with node:http, as this visitor (its cookies),
 * accepting gzip and decoding it as a browser would. For the sequential latency figures: undici's
 * fetch spends about a millisecond of its own CPU per request, on the same two cores as the server.
 */
export class LeanClient {
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  constructor(private readonly visitor: Visitor) {}

  get(path: string): Promise<Reply> {
    const url = new URL(path, this.visitor.origin);
    const headers = { accept: "text/html", "accept-encoding": "gzip, deflate, br", cookie: this.visitor.cookieHeader() };
    const started = performance.now();
    return new Promise((resolve, reject) => {
      const request = http.get(url, { agent: this.agent, headers }, (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("error", reject);
        response.on("end", () => {
          const raw = Buffer.concat(chunks);
          const encoding = response.headers["content-encoding"];
          const body = encoding === "gzip" ? zlib.gunzipSync(raw) : encoding === "br" ? zlib.brotliDecompressSync(raw) : raw;
          const text = body.toString("utf8");
          resolve({ status: response.statusCode ?? 0, location: response.headers.location ?? null, text, ms: performance.now() - started });
        });
      });
      request.on("error", reject);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** Nearest-rank percentile of a list of milliseconds. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

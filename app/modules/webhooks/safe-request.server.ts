import dns from "node:dns/promises";
import http from "node:http";
import https from "node:https";
import net from "node:net";
import ipaddr from "ipaddr.js";

/**
 * Outgoing webhook requests that cannot be turned against the server's own network (issue 22, ADR 064).
 *
 * - Only http and https URLs, without credentials. The URL is parsed by the WHATWG parser, which writes
 *   every IPv4 spelling (2130706433, 0177.0.0.1, 0x7f.1) as a dotted quad, so one check sees them all.
 * - The host is resolved once (every address), and the request is refused unless EVERY address is public
 *   unicast: loopback, private, link-local, unique-local, multicast, unspecified, broadcast, CGNAT,
 *   documentation and benchmarking ranges, and every IPv6 form that embeds IPv4 (::ffff:127.0.0.1, NAT64,
 *   6to4, Teredo, ::7f00:1) are refused. ipaddr.js names the ranges; IPv6 must also be global unicast
 *   (2000::/3).
 * - The connection goes to the address that was checked (a `lookup` that returns it): no second DNS
 *   answer, so DNS rebinding cannot swap in an internal address. Host header and TLS SNI keep the name.
 * - No redirect is followed (a 3xx is a failed delivery), at most MAX_RESPONSE_BYTES of the answer are
 *   read, and the whole exchange is cut at the timeout (10 s).
 *
 * Tests run receivers on 127.0.0.1 through one explicit allowance for loopback only: the `allowLoopback`
 * option, or THREADWISE_WEBHOOKS_ALLOW_LOOPBACK_FOR_TESTS=1 for a server process (the benchmark). It is a
 * test-only switch: never set it in production.
 */
export const WEBHOOK_TIMEOUT_MS = 10_000;
export const MAX_RESPONSE_BYTES = 64 * 1024;

export type SafeRequestOptions = { allowLoopback?: boolean; timeoutMs?: number };

/** The test-only allowance (see above). */
export function loopbackAllowedForTests(): boolean {
  return process.env.THREADWISE_WEBHOOKS_ALLOW_LOOPBACK_FOR_TESTS === "1";
}

const EXTRA_REFUSED_V4 = [ipaddr.IPv4.parseCIDR("198.18.0.0/15"), ipaddr.IPv4.parseCIDR("192.0.0.0/24")];
const GLOBAL_UNICAST_V6 = ipaddr.IPv6.parseCIDR("2000::/3");

/** Why an address may not be contacted, or null when it is public (or loopback under the test allowance). */
export function refusedAddress(address: string, allowLoopback = false): string | null {
  if (!net.isIP(address)) return `${address} is not an IP address`;
  const parsed = ipaddr.process(address);
  const range = parsed.range();
  if (allowLoopback && range === "loopback") return null;
  if (range !== "unicast") return `${address} is a ${range} address`;
  if (parsed.kind() === "ipv4" && EXTRA_REFUSED_V4.some((cidr) => (parsed as ipaddr.IPv4).match(cidr))) return `${address} is a reserved address`;
  if (parsed.kind() === "ipv6" && !(parsed as ipaddr.IPv6).match(GLOBAL_UNICAST_V6)) return `${address} is not a global unicast address`;
  return null;
}

export type CheckedTarget = { url: URL; host: string; address: string; family: 4 | 6 };
export type TargetCheck = { ok: true; target: CheckedTarget } | { ok: false; reason: string };

/** Parses and resolves a webhook URL; refuses it unless it is http(s) and every address it resolves to is public. */
export async function checkWebhookTarget(raw: string, options: SafeRequestOptions = {}): Promise<TargetCheck> {
  const allowLoopback = options.allowLoopback ?? loopbackAllowedForTests();
  if (!URL.canParse(raw)) return { ok: false, reason: "not a valid URL" };
  const url = new URL(raw);
  if (url.protocol !== "http:" && url.protocol !== "https:") return { ok: false, reason: "only http and https addresses can receive webhooks" };
  if (url.username || url.password) return { ok: false, reason: "the URL may not contain a user name or password" };
  const host = url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
  if (host === "") return { ok: false, reason: "the URL has no host" };
  let addresses: { address: string; family: number }[];
  if (net.isIP(host)) {
    addresses = [{ address: host, family: net.isIP(host) }];
  } else {
    try {
      addresses = await dns.lookup(host, { all: true, verbatim: true });
    } catch {
      return { ok: false, reason: `${host} could not be resolved` };
    }
    if (addresses.length === 0) return { ok: false, reason: `${host} could not be resolved` };
  }
  for (const { address } of addresses) {
    const refused = refusedAddress(address, allowLoopback);
    if (refused) return { ok: false, reason: `${host} is not a public address (${refused})` };
  }
  const first = addresses[0]!;
  return { ok: true, target: { url, host, address: first.address, family: first.family === 6 ? 6 : 4 } };
}

export type PostOutcome = { ok: true; status: number; durationMs: number } | { ok: false; status: number | null; durationMs: number; error: string };

/**
 * POSTs `body` to a checked target, connecting to its checked address. A 2xx is a success; anything else,
 * a redirect, a network error or the timeout is a failure with its reason.
 */
export function postToTarget(target: CheckedTarget, body: string, headers: Record<string, string>, options: SafeRequestOptions = {}): Promise<PostOutcome> {
  const timeoutMs = options.timeoutMs ?? WEBHOOK_TIMEOUT_MS;
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const { url, host, address, family } = target;
  const client = url.protocol === "https:" ? https : http;
  return new Promise<PostOutcome>((resolve) => {
    let settled = false;
    const finish = (outcome: PostOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const request = client.request(
      {
        method: "POST",
        host,
        port: url.port || undefined,
        path: `${url.pathname}${url.search}`,
        headers: { ...headers, "Content-Length": String(Buffer.byteLength(body)) },
        agent: false,
        // The one address that was checked: no second DNS answer (node skips lookup for IP literals).
        lookup: ((_hostname: string, opts: { all?: boolean }, callback: (...args: unknown[]) => void) => {
          if (opts?.all) callback(null, [{ address, family }]);
          else callback(null, address, family);
        }) as unknown as net.LookupFunction,
        servername: net.isIP(host) ? undefined : host,
      },
      (response) => {
        const status = response.statusCode ?? 0;
        let read = 0;
        const done = () => {
          const durationMs = elapsed();
          if (status >= 200 && status < 300) finish({ ok: true, status, durationMs });
          else if (status >= 300 && status < 400) finish({ ok: false, status, durationMs, error: `redirect to ${String(response.headers.location ?? "?").slice(0, 200)} not followed` });
          else finish({ ok: false, status, durationMs, error: `HTTP ${status}` });
        };
        response.on("data", (chunk: Buffer) => {
          read += chunk.length;
          // Enough: the status is what counts, and an endless answer must not hold the worker.
          if (read >= MAX_RESPONSE_BYTES) {
            done();
            response.destroy();
          }
        });
        response.on("end", done);
        response.on("error", done);
      },
    );
    const timer = setTimeout(() => {
      finish({ ok: false, status: null, durationMs: elapsed(), error: `no answer within ${Math.round(timeoutMs / 1000)} s` });
      request.destroy();
    }, timeoutMs);
    request.on("error", (error) => finish({ ok: false, status: null, durationMs: elapsed(), error: error.message.slice(0, 300) }));
    request.end(body);
  });
}

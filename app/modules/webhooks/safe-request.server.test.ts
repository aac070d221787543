import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { checkWebhookTarget, MAX_RESPONSE_BYTES, postToTarget, refusedAddress } from "./safe-request.server.ts";

/**
 * Server-side request forgery (issue 22, ADR 064): every internal form is refused, whatever its spelling,
 * and the request goes to the address that was checked, follows no redirect, reads a capped answer and
 * stops at the timeout. The receivers run on loopback through the test-only allowance (`allowLoopback`).
 */
let hits: { path: string; host: string | undefined }[] = [];
const receiver = http.createServer((req, res) => {
  hits.push({ path: req.url ?? "", host: req.headers.host });
  req.resume();
  if (req.url === "/redirect") {
    res.writeHead(302, { Location: "/after-redirect" }).end();
  } else if (req.url === "/huge") {
    res.writeHead(200, { "Content-Type": "text/plain" });
    const chunk = Buffer.alloc(64 * 1024, "x");
    // An endless answer: only the cap ends it.
    const pump = () => {
      while (res.write(chunk)) {
        if (res.destroyed) return;
      }
      res.once("drain", pump);
    };
    pump();
  } else if (req.url === "/hang") {
    // Never answers.
  } else {
    req.on("end", () => res.writeHead(204).end());
  }
});
let port = 0;
beforeAll(async () => {
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  port = (receiver.address() as AddressInfo).port;
});
afterAll(async () => {
  receiver.closeAllConnections();
  await new Promise((resolve) => receiver.close(resolve));
});

describe("refused targets", () => {
  test.each([
    ["IPv4 loopback", "http://127.0.0.1/hook"],
    ["another loopback address", "http://127.1.2.3:8080/hook"],
    ["private 10/8", "http://10.0.0.5/hook"],
    ["private 172.16/12", "https://172.16.4.4/hook"],
    ["private 192.168/16", "http://192.168.1.1/hook"],
    ["the cloud metadata address (link-local)", "http://169.254.169.254/latest/meta-data/"],
    ["carrier-grade NAT 100.64/10", "http://100.64.0.1/hook"],
    ["unspecified 0.0.0.0", "http://0.0.0.0/hook"],
    ["broadcast", "http://255.255.255.255/hook"],
    ["multicast", "http://224.0.0.1/hook"],
    ["benchmarking 198.18/15", "http://198.18.0.1/hook"],
    ["IPv6 loopback", "http://[::1]/hook"],
    ["IPv6 unspecified", "http://[::]/hook"],
    ["IPv6 unique-local fc00::/7", "http://[fc00::1]/hook"],
    ["IPv6 unique-local fd00::", "http://[fd12:3456::1]/hook"],
    ["IPv6 link-local", "http://[fe80::1]/hook"],
    ["IPv6 multicast", "http://[ff02::1]/hook"],
    ["IPv4-mapped IPv6 loopback, dotted", "http://[::ffff:127.0.0.1]/hook"],
    ["IPv4-mapped IPv6 loopback, hex", "http://[::ffff:7f00:1]/"],
    ["IPv4-mapped IPv6 private", "http://[::ffff:10.0.0.1]/hook"],
    ["IPv4-compatible IPv6 loopback", "http://[::7f00:1]/hook"],
    ["NAT64 of loopback", "http://[64:ff9b::7f00:1]/hook"],
    ["6to4 of loopback", "http://[2002:7f00:1::]/hook"],
    ["decimal IPv4 (2130706433 = 127.0.0.1)", "http://2130706433/"],
    ["octal IPv4", "http://0177.0.0.1/"],
    ["hex IPv4", "http://0x7f.0x0.0x0.0x1/"],
    ["short IPv4", "http://127.1/"],
    ["a hostname resolving to loopback", "http://localhost/hook"],
    ["a hostname resolving to loopback, with a trailing dot", "http://localhost./hook"],
  ])("%s is refused (%s)", async (_, url) => {
    const checked = await checkWebhookTarget(url, { allowLoopback: false });
    expect(checked.ok, url).toBe(false);
  });

  test.each([
    ["file", "file:///etc/passwd"],
    ["ftp", "ftp://93.184.216.34/x"],
    ["gopher", "gopher://93.184.216.34:70/_x"],
    ["javascript", "javascript:alert(1)"],
    ["data", "data:text/plain,hi"],
    ["ws", "ws://93.184.216.34/socket"],
  ])("a %s URL is refused: only http and https", async (_, url) => {
    expect(await checkWebhookTarget(url, { allowLoopback: true })).toEqual({ ok: false, reason: "only http and https addresses can receive webhooks" });
  });

  test("credentials in the URL, an unresolvable host and garbage are refused", async () => {
    expect((await checkWebhookTarget("http://user:pw@93.184.216.34/")).ok).toBe(false);
    expect((await checkWebhookTarget("http://no-such-host.invalid/")).ok).toBe(false);
    expect((await checkWebhookTarget("not a url")).ok).toBe(false);
  });

  test("a public address passes, and the test allowance lets loopback (and only loopback) through", async () => {
    expect(await checkWebhookTarget("https://93.184.216.34/hook?x=1", { allowLoopback: false })).toMatchObject({ ok: true, target: { address: "93.184.216.34", family: 4 } });
    expect(await checkWebhookTarget("https://[2606:2800:220:1:248:1893:25c8:1946]/hook")).toMatchObject({ ok: true, target: { family: 6 } });
    expect((await checkWebhookTarget("http://127.0.0.1/hook", { allowLoopback: true })).ok).toBe(true);
    expect((await checkWebhookTarget("http://[::ffff:127.0.0.1]/hook", { allowLoopback: true })).ok).toBe(true);
    for (const url of ["http://10.0.0.1/", "http://169.254.169.254/", "http://[fc00::1]/", "http://[::ffff:192.168.0.1]/"]) {
      expect((await checkWebhookTarget(url, { allowLoopback: true })).ok, url).toBe(false);
    }
  });

  test("every address a name resolves to is checked, not only the first", () => {
    // What dns.lookup({ all: true }) can return for a name with one public and one internal address.
    expect(refusedAddress("93.184.216.34")).toBeNull();
    expect(refusedAddress("10.1.1.1")).toMatch(/private/);
    expect(refusedAddress("::ffff:169.254.169.254")).toMatch(/linkLocal/);
  });
});

describe("the request itself", () => {
  const target = async (path: string) => {
    const checked = await checkWebhookTarget(`http://127.0.0.1:${port}${path}`, { allowLoopback: true });
    if (!checked.ok) throw new Error(checked.reason);
    return checked.target;
  };

  test("it connects to the checked address, never asking DNS again (a rebinding name cannot switch it)", async () => {
    hits = [];
    const checked = await target("/ok");
    // The name no longer resolves at all: a second lookup would fail, so success proves there was none.
    const rebound = { ...checked, url: new URL(`http://rebind.invalid:${port}/ok`), host: "rebind.invalid" };
    const outcome = await postToTarget(rebound, "{}", { "Content-Type": "application/json" });
    expect(outcome).toMatchObject({ ok: true, status: 204 });
    expect(hits).toEqual([{ path: "/ok", host: `rebind.invalid:${port}` }]);
  });

  test("a redirect is not followed: it is a failed delivery", async () => {
    hits = [];
    const outcome = await postToTarget(await target("/redirect"), "{}", {});
    expect(outcome).toMatchObject({ ok: false, status: 302, error: expect.stringMatching(/not followed/) });
    expect(hits.map((h) => h.path)).toEqual(["/redirect"]);
  });

  test("an endless answer is read up to the cap and cut", async () => {
    const started = Date.now();
    const outcome = await postToTarget(await target("/huge"), "{}", {}, { timeoutMs: 5_000 });
    expect(outcome).toMatchObject({ ok: true, status: 200 });
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(MAX_RESPONSE_BYTES).toBe(64 * 1024);
  });

  test("no answer within the timeout is a failure (10 s in production, shortened here)", async () => {
    const outcome = await postToTarget(await target("/hang"), "{}", {}, { timeoutMs: 300 });
    expect(outcome).toMatchObject({ ok: false, status: null, error: expect.stringMatching(/no answer within/) });
    expect(outcome.durationMs).toBeGreaterThanOrEqual(290);
  });
});

import crypto from "node:crypto";
import pg from "pg";
import { rawQuery } from "./db.server.ts";
import { directDatabaseUrl } from "./env.server.ts";

const PROBE_TIMEOUT_MS = 2_000;

/**
 * Opens one dedicated `LISTEN` connection on `channel` and proves it works: a probe NOTIFY sent through
 * the pool must come back on it within 2 s. LISTEN needs a session connection, so it uses the direct
 * URL (a transaction pooler cannot keep one, ADR 061); NOTIFY works through the pool. Resolves to the
 * listening client, or to `undefined` when the probe did not arrive (the embedded database, a pooler in
 * transaction mode), the client then closed. Probe payloads (this server's and every other's) never
 * reach `onPayload`. `onLost` hears the connection fail or end; the caller ignores it for a client it
 * no longer holds. Shared by the notification live counts (ADR 041) and the cache signals (ADR 060).
 */
export async function openProvenListener(options: {
  channel: string;
  applicationName: string;
  onPayload: (payload: string) => void;
  onLost: (client: pg.Client, error?: Error) => void;
}): Promise<pg.Client | undefined> {
  const token = `probe:${crypto.randomBytes(8).toString("hex")}`;
  let probeArrived = () => {};
  const arrived = new Promise<boolean>((resolve) => {
    probeArrived = () => resolve(true);
    setTimeout(() => resolve(false), PROBE_TIMEOUT_MS).unref();
  });
  const client = new pg.Client({ connectionString: directDatabaseUrl(), application_name: options.applicationName });
  client.on("error", (error) => options.onLost(client, error));
  client.on("end", () => options.onLost(client));
  client.on("notification", (message) => {
    const payload = message.payload ?? "";
    if (payload === token) probeArrived();
    else if (!payload.startsWith("probe:")) options.onPayload(payload);
  });
  await client.connect();
  // The listener must not keep a stopping process alive (tests, CLI tools that load the app).
  (client as unknown as { connection?: { stream?: { unref?: () => void } } }).connection?.stream?.unref?.();
  await client.query(`LISTEN ${options.channel}`);
  await rawQuery("SELECT pg_notify($1, $2)", [options.channel, token]);
  if (await arrived) return client;
  await client.end().catch(() => {});
  return undefined;
}

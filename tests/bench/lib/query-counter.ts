/**
 * Counts the SQL statements an app server sends, without changing the app: a TCP proxy on
 * 127.0.0.1 between the server and PostgreSQL that forwards every byte unchanged and reads the
 * frontend side of the wire protocol as it passes. A statement is one simple Query message ('Q')
 * or one Execute ('E') of the extended protocol (Parse/Bind/Execute, what pg and Prisma use), so
 * a statement is counted once whether or not it was prepared before. BEGIN/COMMIT/ROLLBACK and
 * similar are counted apart as transaction control. Only plain connections can be read: the
 * proxied URL must not ask for TLS.
 *
 * The proxy costs a copy and a parse per message, so latency and throughput are measured on a
 * server connected directly; this one serves only the query-count pass.
 */
import net from "node:net";

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CONTROL = /^\s*(BEGIN|START\s+TRANSACTION|COMMIT|END|ROLLBACK|SAVEPOINT|RELEASE|DEALLOCATE|DISCARD|SET\s+TRANSACTION)\b/i;

export type QueryCounts = {
  /** Statements that do work (everything but transaction control). */
  statements: number;
  /** BEGIN, COMMIT, ROLLBACK, SAVEPOINT…: round trips that carry no query of their own. */
  control: number;
  /** Statement texts (whitespace collapsed) with how often each ran, in first-seen order. */
  texts: Map<string, number>;
};

export type QueryCounter = {
  /** postgresql:// URL that reaches the upstream database through the proxy. */
  url: string;
  reset: () => void;
  snapshot: () => QueryCounts;
  close: () => Promise<void>;
};

function cstring(buf: Buffer, offset: number): [string, number] {
  const end = buf.indexOf(0, offset);
  if (end === -1) return ["", buf.length];
  return [buf.toString("utf8", offset, end), end + 1];
}

/** Starts the proxy in front of the database in `databaseUrl` (which must be on 127.0.0.1 or localhost). */
export async function startQueryCounter(databaseUrl: string): Promise<QueryCounter> {
  const upstream = new URL(databaseUrl);
  if (!["127.0.0.1", "localhost", "::1", "[::1]"].includes(upstream.hostname)) throw new Error(`The query counter only proxies a local database, not ${upstream.hostname}`);
  if (/sslmode=(require|verify|prefer)/.test(upstream.search)) throw new Error("The query counter cannot read TLS connections: remove sslmode from the URL");
  const upstreamPort = Number(upstream.port || 5432);
  const upstreamHost = upstream.hostname.replace(/^\[|\]$/g, "");

  let counts: QueryCounts = { statements: 0, control: 0, texts: new Map() };
  const record = (text: string) => {
    const normalized = text.replace(/\s+/g, " ").trim();
    if (CONTROL.test(normalized)) counts.control++;
    else counts.statements++;
    counts.texts.set(normalized, (counts.texts.get(normalized) ?? 0) + 1);
  };

  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const pgSocket = net.connect(upstreamPort, upstreamHost);
    sockets.add(client).add(pgSocket);
    client.setNoDelay(true);
    pgSocket.setNoDelay(true);
    const closeBoth = () => {
      client.destroy();
      pgSocket.destroy();
      sockets.delete(client);
      sockets.delete(pgSocket);
    };
    client.on("error", closeBoth).on("close", closeBoth);
    pgSocket.on("error", closeBoth).on("close", closeBoth);
    pgSocket.pipe(client);

    // Frontend message parser: the first messages (SSL request, startup) have no type byte.
    let pending: Buffer = Buffer.alloc(0);
    let started = false;
    const statements = new Map<string, string>(); // prepared statement name → text ("" = unnamed)
    const portals = new Map<string, string>(); // portal name → statement name
    client.on("data", (chunk: Buffer) => {
      pgSocket.write(chunk);
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      let offset = 0;
      for (;;) {
        if (!started) {
          if (pending.length - offset < 8) break;
          const length = pending.readInt32BE(offset);
          if (pending.length - offset < length) break;
          const code = pending.readInt32BE(offset + 4);
          if (code !== SSL_REQUEST && code !== GSSENC_REQUEST) started = true;
          offset += length;
          continue;
        }
        if (pending.length - offset < 5) break;
        const type = String.fromCharCode(pending[offset]);
        const length = pending.readInt32BE(offset + 1);
        if (pending.length - offset < 1 + length) break;
        const body = offset + 5;
        if (type === "Q") {
          record(cstring(pending, body)[0]);
        } else if (type === "P") {
          const [name, next] = cstring(pending, body);
          statements.set(name, cstring(pending, next)[0]);
        } else if (type === "B") {
          const [portal, next] = cstring(pending, body);
          portals.set(portal, cstring(pending, next)[0]);
        } else if (type === "E") {
          const [portal] = cstring(pending, body);
          record(statements.get(portals.get(portal) ?? "") ?? "(unknown statement)");
        }
        offset += 1 + length;
      }
      pending = offset >= pending.length ? Buffer.alloc(0) : pending.subarray(offset);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;
  const proxied = new URL(databaseUrl);
  proxied.hostname = "127.0.0.1";
  proxied.port = String(port);
  return {
    url: proxied.toString(),
    reset: () => {
      counts = { statements: 0, control: 0, texts: new Map() };
    },
    snapshot: () => ({ statements: counts.statements, control: counts.control, texts: new Map(counts.texts) }),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";

export type EmbeddedPostgres = {
  url: string;
  stop: () => Promise<void>;
  /** Closes every client connection and listens again, as a restarted server would (tests). Returns how many it closed. */
  dropConnections: () => Promise<number>;
};

/**
 * PostgreSQL compiled to WebAssembly (PGlite), served on a local port so Prisma and pg connect to
 * it like to any server (docs/decisions/002-embedded-database.md). Data lives in `dataDir` and
 * survives restarts; without `dataDir` it lives in memory (tests). It runs one transaction at a
 * time: fine for a demo or a laptop, not for production load.
 */
export async function startEmbeddedPostgres(options: { dataDir?: string; port?: number; host?: string; loadFrom?: Blob } = {}): Promise<EmbeddedPostgres> {
  const host = options.host ?? "127.0.0.1";
  if (options.dataDir) fs.mkdirSync(path.dirname(options.dataDir), { recursive: true });
  const db = options.loadFrom ? await PGlite.create({ loadDataDir: options.loadFrom }) : await PGlite.create(options.dataDir);
  const port = options.port ?? (await freePort(host));
  const server = new PGLiteSocketServer({ db, host, port, maxConnections: 32 });
  await server.start();
  return {
    url: `postgresql://postgres:postgres@${host}:${port}/postgres?sslmode=disable`,
    async stop() {
      await server.stop();
      await db.close();
    },
    async dropConnections() {
      const open = server.getStats().activeConnections;
      await server.stop();
      await server.start();
      return open;
    },
  };
}

/** A compressed snapshot of a PGlite database, to start copies of a migrated template quickly. */
export async function snapshotEmbedded(dataDirOrDb: PGlite): Promise<Blob> {
  return dataDirOrDb.dumpDataDir("gzip");
}

/** A port nobody listens on right now (the socket server treats 0 as "default 5432"). */
export function freePort(host = "127.0.0.1"): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, host, () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

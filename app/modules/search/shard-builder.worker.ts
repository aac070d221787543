/**
 * The search index's shard builder thread (ADR 076): analyzes documents, builds the lunr index and
 * encodes it in the stored layout, off the app's event loop. Messages: `build` in (documents, with
 * or without the base's frequencies), `terms` out when it needs them, `frequencies` in, `built` or
 * `failed` out. Imports only its own directory and npm packages (it is loaded without the app's
 * path aliases).
 */
import { parentPort } from "node:worker_threads";
import { buildEncodedShard, type ShardBuilderReply, type ShardBuilderRequest } from "./shard-builder.server.ts";

const port = parentPort!;
let pendingFrequencies: ((message: Extract<ShardBuilderRequest, { kind: "frequencies" }>) => void) | undefined;

port.on("message", (message: ShardBuilderRequest) => {
  if (message.kind === "frequencies") {
    pendingFrequencies?.(message);
    return;
  }
  void (async () => {
    try {
      const bytes = await buildEncodedShard(message.documents, {
        gzip: message.gzip,
        frequencies: message.withFrequencies
          ? (terms) =>
              new Promise((resolve) => {
                pendingFrequencies = (reply) => resolve({ documents: reply.documents, df: reply.df });
                port.postMessage({ kind: "terms", id: message.id, terms } satisfies ShardBuilderReply);
              })
          : undefined,
      });
      // A copy of its own, so that transferring it detaches nothing else.
      const owned = new Uint8Array(bytes);
      port.postMessage({ kind: "built", id: message.id, bytes: owned } satisfies ShardBuilderReply, [owned.buffer]);
    } catch (error) {
      port.postMessage({ kind: "failed", id: message.id, message: error instanceof Error ? error.message : String(error) } satisfies ShardBuilderReply);
    }
  })();
});

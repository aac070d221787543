import { prisma } from "~/utils/db.server.ts";

export type WebhookEndpointItem = {
  id: string; url: string; events: string[]; description: string; createdAt: string;
  failingSince: string | null; disabledAt: string | null; disabledReason: string;
};

const endpointSelect = { id: true, url: true, events: true, description: true, createdAt: true, failingSince: true, disabledAt: true, disabledReason: true } as const;

function item(e: { id: bigint; url: string; events: string[]; description: string; createdAt: Date; failingSince: Date | null; disabledAt: Date | null; disabledReason: string }): WebhookEndpointItem {
  return {
    id: e.id.toString(), url: e.url, events: e.events, description: e.description, createdAt: e.createdAt.toISOString(),
    failingSince: e.failingSince?.toISOString() ?? null, disabledAt: e.disabledAt?.toISOString() ?? null, disabledReason: e.disabledReason,
  };
}

/** Every endpoint, oldest first (never their secrets). */
export async function listWebhookEndpoints(): Promise<WebhookEndpointItem[]> {
  const endpoints = await prisma.webhookEndpoint.findMany({ orderBy: { id: "asc" }, select: endpointSelect });
  return endpoints.map(item);
}

export type WebhookDeliveryItem = {
  id: string; eventId: string; eventType: string; status: string; attempts: number; responseCode: number | null; durationMs: number | null;
  error: string; createdAt: string; lastAttemptAt: string | null; nextAttemptAt: string | null;
};

/** One endpoint and its delivery log, newest first, 50 a page (keyset on the delivery id). */
export async function getWebhookLog(endpointId: bigint, before?: bigint): Promise<{ endpoint: WebhookEndpointItem; deliveries: WebhookDeliveryItem[]; nextBefore: string | null } | null> {
  const endpoint = await prisma.webhookEndpoint.findUnique({ where: { id: endpointId }, select: endpointSelect });
  if (!endpoint) return null;
  const rows = await prisma.webhookDelivery.findMany({
    where: { endpointId, ...(before ? { id: { lt: before } } : {}) },
    orderBy: { id: "desc" },
    take: 51,
    select: { id: true, eventId: true, eventType: true, status: true, attempts: true, responseCode: true, durationMs: true, error: true, createdAt: true, lastAttemptAt: true, nextAttemptAt: true },
  });
  const page = rows.slice(0, 50);
  return {
    endpoint: item(endpoint),
    deliveries: page.map((d) => ({
      id: d.id.toString(), eventId: d.eventId.toString(), eventType: d.eventType, status: d.status, attempts: d.attempts, responseCode: d.responseCode, durationMs: d.durationMs,
      error: d.error, createdAt: d.createdAt.toISOString(), lastAttemptAt: d.lastAttemptAt?.toISOString() ?? null, nextAttemptAt: d.nextAttemptAt?.toISOString() ?? null,
    })),
    nextBefore: rows.length > 50 ? page.at(-1)!.id.toString() : null,
  };
}

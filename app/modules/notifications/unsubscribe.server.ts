import crypto from "node:crypto";
import { prisma } from "~/utils/db.server.ts";
import { getEnv } from "~/utils/env.server.ts";
import { invalid, ok, type Result } from "~/utils/http.server.ts";
import { isSettingGroup, type SettingGroup } from "./notification-kinds.ts";
import { storeDeliveries } from "./notification-settings.server.ts";

const TOKEN = /^([A-Za-z0-9_-]{1,64})\.([a-z_]{1,32})\.([A-Za-z0-9_-]{43})$/;
export const BAD_UNSUBSCRIBE_LINK = "messages.notifications.badUnsubscribe";

let derived: { secret: string; key: Buffer } | undefined;

/** The HMAC key of unsubscribe links, derived from SESSION_SECRET (a separate purpose, a separate key). */
function key(): Buffer {
  const secret = getEnv().SESSION_SECRET;
  if (derived?.secret !== secret) derived = { secret, key: crypto.createHmac("sha256", secret).update("threadwise:unsubscribe-links:v1").digest() };
  return derived.key;
}

function mac(userId: string, group: string): string {
  return crypto.createHmac("sha256", key()).update(`unsubscribe:v1:${userId}:${group}`).digest("base64url");
}

/**
 * The token of a member's unsubscribe link for one setting group: `<user id>.<group>.<HMAC>`. It
 * needs no sign-in and no storage, never expires (old e-mails keep working), and only the server
 * can make one (ADR 041).
 */
export function unsubscribeToken(userId: string, group: SettingGroup): string {
  return `${userId}.${group}.${mac(userId, group)}`;
}

/** The member and group of a genuine token, or null (malformed, forged, unknown group). */
export function readUnsubscribeToken(token: string): { userId: string; group: SettingGroup } | null {
  const match = TOKEN.exec(token);
  if (!match) return null;
  const [, userId, group, given] = match;
  if (!isSettingGroup(group)) return null;
  const expected = Buffer.from(mac(userId!, group));
  const actual = Buffer.from(given!);
  if (actual.length !== expected.length || !crypto.timingSafeEqual(actual, expected)) return null;
  return { userId: userId!, group };
}

/** What the unsubscribe page shows before the member confirms (GET never writes). */
export async function describeUnsubscribe(token: string): Promise<Result<{ group: SettingGroup }>> {
  const read = readUnsubscribeToken(token);
  if (!read || !(await memberExists(read.userId))) return invalid({}, [BAD_UNSUBSCRIBE_LINK]);
  return ok({ group: read.group });
}

async function memberExists(userId: string): Promise<boolean> {
  const [row] = await prisma.$queryRaw<{ ok: boolean }[]>`SELECT true AS ok FROM users WHERE id = ${userId}`;
  return !!row;
}

/**
 * Unsubscribes a member from the e-mails of one setting group (RFC 8058 one-click, or the footer
 * link's button): that group becomes "in-app only", nothing else changes, no sign-in needed. A bad
 * or forged token is 400 with a message and changes nothing. Running it twice changes nothing more.
 */
export async function unsubscribe(token: string): Promise<Result<{ group: SettingGroup }>> {
  const read = readUnsubscribeToken(token);
  if (!read || !(await memberExists(read.userId))) return invalid({}, [BAD_UNSUBSCRIBE_LINK]);
  await storeDeliveries(read.userId, { [read.group]: "in_app" });
  return ok({ group: read.group });
}

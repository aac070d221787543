/**
 * Opaque keyset cursors of the API's lists (articles, the ticket queue): the last row's sort instant (an ISO
 * time, or null where the list sorts rows without one last) and its id, as base64url JSON. Client-safe and
 * pure, so the request schemas can refuse a cursor this server never made (400) before any query runs.
 */
export type KeysetCursor = { at: string | null; id: string };

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export function encodeKeysetCursor(cursor: KeysetCursor): string {
  return Buffer.from(JSON.stringify({ at: cursor.at, id: cursor.id })).toString("base64url");
}

/** The cursor, or null when the text is not one this server made. */
export function decodeKeysetCursor(raw: string): KeysetCursor | null {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(raw)) return null;
  try {
    const c = JSON.parse(Buffer.from(raw, "base64url").toString("utf8")) as Partial<KeysetCursor> | null;
    if (!c || typeof c !== "object" || typeof c.id !== "string" || !/^[1-9]\d{0,17}$/.test(c.id)) return null;
    if (c.at !== null && (typeof c.at !== "string" || !ISO.test(c.at) || Number.isNaN(Date.parse(c.at)))) return null;
    return { at: c.at, id: c.id };
  } catch {
    return null;
  }
}

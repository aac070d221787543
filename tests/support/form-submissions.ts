import { expect } from "vitest";
import type { HttpClient } from "./app-server.ts";

/** The route module answering a URL path, for `?_data=<id>` (the JSON an action replies to the page's JavaScript). */
export function routeIdOf(path: string): string {
  const routes: [RegExp, string][] = [
    [/^\/signup$/, "routes/signup"],
    [/^\/login$/, "routes/login"],
    [/^\/account$/, "routes/account"],
    [/^\/admin\/categories$/, "routes/admin.categories"],
    [/^\/admin\/users$/, "routes/admin.users"],
    [/^\/admin\/webhooks$/, "routes/admin.webhooks"],
    [/^\/admin\/webhooks\/\d+$/, "routes/admin.webhooks.$id"],
    [/^\/questions\/\d+\/resolution$/, "routes/questions.$id.resolution"],
    [/^\/account\/avatar$/, "routes/account_.avatar"],
    [/^\/account\/api-keys$/, "routes/account_.api-keys"],
    [/^\/review$/, "routes/review"],
    [/^\/posts\/\d+\/flag$/, "routes/posts.$id.flag"],
    [/^\/questions\/\d+\/state$/, "routes/questions.$id.state"],
    [/^\/questions\/new$/, "routes/questions.new"],
    [/^\/questions\/\d+\/view$/, "routes/questions.$id.view"],
    [/^\/questions\/\d+\/[^/]+$/, "routes/questions.$id.$slug"],
    [/^\/posts\/\d+\/edit$/, "routes/posts.$id.edit"],
    [/^\/kb\/new$/, "routes/kb.new"],
    [/^\/kb\/promote$/, "routes/kb.promote"],
    [/^\/kb\/articles\/\d+\/edit$/, "routes/kb.articles.$id.edit"],
    [/^\/kb\/[^/]+\/[^/]+$/, "routes/kb.$category.$slug"],
    [/^\/u\/[^/]+$/, "routes/u.$handle"],
    [/^\/search\/log$/, "routes/search.log"],
    [/^\/forgot-password$/, "routes/forgot-password"],
    [/^\/reset-password$/, "routes/reset-password"],
    [/^\/notifications$/, "routes/notifications._index"],
    [/^\/watches$/, "routes/watches"],
    [/^\/account\/notifications$/, "routes/account_.notifications"],
    [/^\/unsubscribe\/[^/]+$/, "routes/unsubscribe.$token"],
    [/^\/support\/new$/, "routes/support.new"],
    [/^\/support\/tickets\/\d+$/, "routes/support.tickets.$id"],
  ];
  const found = routes.find(([pattern]) => pattern.test(path));
  if (!found) throw new Error(`no route id for ${path}`);
  return found[1];
}

export type FormFields = Record<string, string> & { csrf: string; formToken?: string };

/** A form as a page renders it: its CSRF token, its one-time token (when the page has one) and `fields`. */
export async function formOf(client: HttpClient, page: string, fields: Record<string, string>): Promise<FormFields> {
  const html = await (await client.get(page)).text();
  const csrf = html.match(/name="csrf" value="([^"]+)"/)?.[1];
  if (!csrf) throw new Error(`no form on ${page}`);
  const formToken = html.match(/name="formToken" value="([^"]+)"/)?.[1];
  return { csrf, ...(formToken ? { formToken } : {}), ...fields };
}

export type Reply = { status: number; redirect: string | null; body: unknown };

/** A file field of a multipart form. */
export type FileField = { field: string; name: string; type: string; bytes: Uint8Array };

async function send(client: HttpClient, path: string, fields: FormFields, file?: FileField): Promise<Reply> {
  const url = `${path}?_data=${encodeURIComponent(routeIdOf(path))}`;
  const response = file ? await postMultipart(client, url, fields, file) : await client.post(url, fields, { csrf: fields.csrf });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // a thrown plain-text response
  }
  return { status: response.status, redirect: response.headers.get("x-remix-redirect"), body };
}

/** A multipart form post, as a browser sends a form with a file input. */
async function postMultipart(client: HttpClient, url: string, fields: FormFields, file: FileField): Promise<Response> {
  const body = new FormData();
  for (const [name, value] of Object.entries(fields)) body.append(name, value);
  body.append(file.field, new Blob([new Uint8Array(file.bytes)], { type: file.type }), file.name);
  return fetch(client.base + url, { method: "POST", body, redirect: "manual", headers: { Cookie: client.cookieHeader(), Origin: client.base } });
}

/**
 * Sends the same form `atOnce` times at the same moment (a double click; the page's JavaScript
 * posts with ?_data), then `after` more times one after another (a retry, a resent POST).
 */
export async function sendCopies(client: HttpClient, path: string, fields: FormFields, { atOnce, after = 0, file }: { atOnce: number; after?: number; file?: FileField }): Promise<Reply[]> {
  const replies = await Promise.all(Array.from({ length: atOnce }, () => send(client, path, fields, file)));
  for (let i = 0; i < after; i++) replies.push(await send(client, path, fields, file));
  return replies;
}

/** Every copy got the first one's reply: status, redirect and body. */
export function sameReplies(replies: Reply[]): void {
  for (const [i, reply] of replies.entries()) expect(reply, `copy ${i + 1} of ${replies.length}`).toEqual(replies[0]);
}

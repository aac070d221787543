import type express from "express";
import { IMAGE_LIMITS } from "~/modules/content/image-limits.ts";
import { MAX_DOC_BYTES } from "~/modules/content/text-limits.ts";
import { getI18n } from "~/utils/i18n.ts";
import { visitorLanguage } from "~/utils/language.server.ts";

/**
 * Caps on request bodies, applied before Remix or any action parses a byte of them
 * (docs/decisions/032-request-body-limits.md). Parsing a form is synchronous work on the event loop
 * (10 MB of URL-encoded text took about 3 s here), so a body is read to its end, counted as it
 * streams in (chunked bodies have no length), and refused with 413 as soon as it passes its cap.
 */
export const BODY_LIMITS = {
  /** Every form that carries no post text: sign-in, votes, comments, settings, moderation, beacons. */
  formBytes: 64 * 1024,
  /**
   * Forms that carry a question, an answer or an article (1 MiB): the editor's JSON is at most
   * MAX_DOC_BYTES (256 KiB) and grows up to three times when URL-encoded, plus the other fields.
   */
  richTextFormBytes: 4 * MAX_DOC_BYTES,
  /** POST /uploads and /account/avatar: one image and its multipart framing. */
  uploadBytes: IMAGE_LIMITS.maxBytes + 64 * 1024,
  /** Fields in one form (URL-encoded pairs or multipart parts); real forms have a few dozen at most. */
  maxFields: 1000,
} as const;

// The thread page takes answers; /questions/<id>/view (the view beacon), /state (thread states) and /resolution
// ("Did this fix it?") are small forms; the API asks and answers too.
const RICH_TEXT_FORMS = [/^\/api\/v1\/questions\/?$/, /^\/api\/v1\/questions\/\d+\/answers\/?$/, /^\/questions\/new\/?$/, /^\/questions\/\d+\/(?!(?:view|state|resolution)\/?$)[^/]+\/?$/, /^\/posts\/\d+\/edit\/?$/, /^\/kb\/new\/?$/, /^\/kb\/articles\/\d+\/edit\/?$/];

/** The cap for a request path. */
export function bodyLimitFor(path: string): number {
  if (/^\/uploads\/?$/.test(path) || /^\/account\/avatar\/?$/.test(path)) return BODY_LIMITS.uploadBytes;
  if (RICH_TEXT_FORMS.some((pattern) => pattern.test(path))) return BODY_LIMITS.richTextFormBytes;
  return BODY_LIMITS.formBytes;
}

/** Where the body is left for the Remix adapter (remix-adapter.ts reads it instead of the stream). */
export const BODY_LOCAL = "requestBody";

/**
 * After a refusal, the rest of a body is read and thrown away up to this many bytes, so that the
 * client, still sending, gets to read the 413 instead of a reset connection; past it the
 * connection is closed.
 */
const DRAIN_BYTES = 16 * 1024 * 1024;

/**
 * The middleware. A declared Content-Length over the cap is refused before a byte is read;
 * otherwise the body is read and counted as it streams in (chunked bodies have no length) and
 * refused as soon as it passes the cap. Compressed bodies are refused (415): nothing here or in
 * Remix would inflate them. The body that passed is handed to Remix as one buffer.
 *
 * Written here rather than with express.raw(): body-parser drains the whole of an oversized body
 * before it answers, however large, where this answers at once and drains at most DRAIN_BYTES.
 */
export function limitRequestBodies(): express.RequestHandler {
  return (req, res, next) => {
    if (req.method === "GET" || req.method === "HEAD") return next();
    const limit = bodyLimitFor(req.path);
    const encoding = req.get("content-encoding");
    if (encoding && encoding.toLowerCase() !== "identity") return refuse(req, res, 415, "encoding", limit);
    const declared = Number(req.get("content-length") ?? "");
    if (Number.isFinite(declared) && declared > limit) return refuse(req, res, 413, "tooLarge", limit);
    readBody(req, limit).then(
      (body) => {
        if (!body) return refuse(req, res, 413, "tooLarge", limit);
        if (countFields(body, req.get("content-type")) > BODY_LIMITS.maxFields) return refuse(req, res, 413, "tooManyFields", limit);
        res.locals[BODY_LOCAL] = body;
        next();
      },
      // The client went away or the stream broke: there is nobody to answer.
      () => req.socket.destroy(),
    );
  };
}

/** The whole body, or null as soon as it is longer than `limit` (the rest is left unread). */
function readBody(req: express.Request, limit: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const finish = (settle: () => void) => {
      req.off("data", onData).off("end", onEnd).off("error", onError).off("close", onClose);
      settle();
    };
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > limit) finish(() => resolve(null));
      else chunks.push(chunk);
    };
    const onEnd = () => finish(() => resolve(Buffer.concat(chunks, received)));
    const onError = (error: Error) => finish(() => reject(error));
    const onClose = () => finish(() => reject(new Error("request closed before its body ended")));
    req.on("data", onData).on("end", onEnd).on("error", onError).on("close", onClose);
  });
}

/** Reads and drops what is left of a refused body, up to DRAIN_BYTES; then closes the connection. */
function drain(req: express.Request) {
  if (req.readableEnded) return;
  let drained = 0;
  req.on("data", (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > DRAIN_BYTES) req.socket.destroy();
  });
  req.resume();
}

/**
 * An upper bound on the number of fields: `&` separators of a URL-encoded body, or boundary lines
 * of a multipart one. Counted on the bytes with indexOf, so it costs far less than parsing them.
 */
export function countFields(body: Buffer, contentType: string | undefined): number {
  const boundary = /^multipart\/form-data\b.*?;\s*boundary="?([^";]+)"?/i.exec(contentType ?? "")?.[1];
  const needle = boundary ? Buffer.from(`--${boundary}`) : Buffer.from("&");
  let count = boundary ? 0 : 1;
  for (let at = body.indexOf(needle); at !== -1; at = body.indexOf(needle, at + needle.length)) count++;
  return boundary ? Math.max(0, count - 1) : count;
}

type Reason = "tooLarge" | "tooManyFields" | "encoding";

/**
 * The refusal, in the form the client can show: JSON (the shape of an action's failure, which the
 * editor's upload and Remix fetchers read) unless a browser asked for a page by submitting a form
 * without JavaScript, then a small HTML page.
 */
function refuse(req: express.Request, res: express.Response, status: number, reason: Reason, limit: number) {
  const declared = Number(req.get("content-length") ?? "");
  if (declared > DRAIN_BYTES) res.setHeader("Connection", "close");
  else drain(req);
  const lang = visitorLanguage(req.headers.cookie, req.get("accept-language"));
  const t = getI18n(lang).t;
  const size = limit >= 1024 * 1024 ? `${Math.round((limit / (1024 * 1024)) * 10) / 10} MB` : `${Math.round(limit / 1024)} KB`;
  const message = t(`errors.body.${reason}`, { size, fields: BODY_LIMITS.maxFields });
  const wantsPage = !("_data" in req.query) && /\btext\/html\b/.test(req.get("accept") ?? "");
  if (!wantsPage) {
    res.status(status).json({ ok: false, kind: "invalid", message, formErrors: [message], fieldErrors: {} });
    return;
  }
  const title = t("errors.body.title");
  const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  res
    .status(status)
    .type("html")
    .send(
      `<!DOCTYPE html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
        `<title>${escape(title)}</title></head><body><main><h1>${escape(title)}</h1><p>${escape(message)}</p>` +
        `<p><a href="/">${escape(t("errors.home"))}</a></p></main></body></html>`,
    );
}

import express from "express";
import { IMAGE_LIMITS } from "~/modules/content/image-limits.ts";
import { MAX_DOC_BYTES } from "~/modules/content/text-limits.ts";
import { getI18n, pickLanguage } from "~/utils/i18n.ts";

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
  /** POST /uploads: one image and its multipart framing. */
  uploadBytes: IMAGE_LIMITS.maxBytes + 64 * 1024,
  /** Fields in one form (URL-encoded pairs or multipart parts); real forms have a few dozen at most. */
  maxFields: 1000,
} as const;

const RICH_TEXT_FORMS = [/^\/questions\/new\/?$/, /^\/questions\/\d+\/[^/]+\/?$/, /^\/posts\/\d+\/edit\/?$/, /^\/kb\/new\/?$/, /^\/kb\/articles\/\d+\/edit\/?$/];

/** The cap for a request path. */
export function bodyLimitFor(path: string): number {
  if (/^\/uploads\/?$/.test(path)) return BODY_LIMITS.uploadBytes;
  if (RICH_TEXT_FORMS.some((pattern) => pattern.test(path))) return BODY_LIMITS.richTextFormBytes;
  return BODY_LIMITS.formBytes;
}

/** Where the body is left for the Remix adapter (remix-adapter.ts reads it instead of the stream). */
export const BODY_LOCAL = "requestBody";

/**
 * The middleware: refuses a declared Content-Length over the cap at once (the body is not read and
 * the connection is closed after the answer), otherwise reads the body with Express's own reader
 * (body-parser, which stops counting at the cap, answers 413 and drains the rest) and counts its
 * fields. Compressed bodies are refused (415): nothing here or in Remix would inflate them.
 */
export function limitRequestBodies(): express.RequestHandler {
  const readers = new Map<number, express.RequestHandler>();
  const reader = (limit: number) => {
    let read = readers.get(limit);
    if (!read) {
      read = express.raw({ type: () => true, limit, inflate: false });
      readers.set(limit, read);
    }
    return read;
  };
  return (req, res, next) => {
    if (req.method === "GET" || req.method === "HEAD") return next();
    const limit = bodyLimitFor(req.path);
    const declared = Number(req.get("content-length") ?? "");
    if (Number.isFinite(declared) && declared > limit) {
      res.setHeader("Connection", "close");
      return refuse(req, res, 413, "tooLarge", limit);
    }
    reader(limit)(req, res, (error?: unknown) => {
      if (error) {
        const { type, status } = error as { type?: string; status?: number };
        if (type === "entity.too.large") return refuse(req, res, 413, "tooLarge", limit);
        if (type === "encoding.unsupported") return refuse(req, res, 415, "encoding", limit);
        if (type === "request.aborted") return void res.status(400).end();
        if (status && status >= 400 && status < 500) return refuse(req, res, status, "unreadable", limit);
        return next(error);
      }
      const body: unknown = req.body;
      if (Buffer.isBuffer(body)) {
        if (countFields(body, req.get("content-type")) > BODY_LIMITS.maxFields) return refuse(req, res, 413, "tooManyFields", limit);
        res.locals[BODY_LOCAL] = body;
      }
      next();
    });
  };
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

type Reason = "tooLarge" | "tooManyFields" | "encoding" | "unreadable";

/**
 * The refusal, in the form the client can show: JSON (the shape of an action's failure, which the
 * editor's upload and Remix fetchers read) unless a browser asked for a page by submitting a form
 * without JavaScript, then a small HTML page.
 */
function refuse(req: express.Request, res: express.Response, status: number, reason: Reason, limit: number) {
  const lang = pickLanguage(req.get("accept-language") ?? null);
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

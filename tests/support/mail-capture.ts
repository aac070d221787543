import fs from "node:fs";
import path from "node:path";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

export type MailCaptureOptions = {
  /** Recipients refused at RCPT TO with this SMTP reply (a bounce: 550, or a temporary 451). */
  refuse?: Map<string, { code: number; message: string }>;
  /** Called once the whole message is in, before the server answers; its promise delays the answer. */
  beforeAccept?: (record: CapturedMail) => Promise<void> | void;
};

/**
 * A real SMTP server on 127.0.0.1 for tests: the app sends through it exactly as it would through
 * a provider, and each message is stored as JSON in `dir` for the test to read (its text and HTML
 * parts, and its headers with lower-case names).
 */
export async function startMailCapture(dir: string, port = 0, options: MailCaptureOptions = {}): Promise<{ port: number; close: () => Promise<void> }> {
  fs.mkdirSync(dir, { recursive: true });
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    closeTimeout: 1000,
    onRcptTo(address, _session, callback) {
      const refusal = options.refuse?.get(address.address.toLowerCase());
      if (!refusal) return callback();
      const error = new Error(refusal.message) as Error & { responseCode: number };
      error.responseCode = refusal.code;
      callback(error);
    },
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then(async (mail) => {
          const to = Array.isArray(mail.to) ? mail.to.flatMap((a) => a.value) : (mail.to?.value ?? []);
          const headers: Record<string, string> = {};
          for (const line of mail.headerLines) headers[line.key.toLowerCase()] = line.line.slice(line.line.indexOf(":") + 1).trim();
          const record: CapturedMail = {
            to: to.map((a) => a.address ?? ""),
            subject: mail.subject ?? "",
            text: mail.text ?? "",
            html: typeof mail.html === "string" ? mail.html : "",
            headers,
            messageId: mail.messageId ?? "",
            receivedAt: new Date().toISOString(),
          };
          const file = path.join(dir, `${Date.now()}-${Math.random().toString(36).slice(2, 8)}.json`);
          fs.writeFileSync(file, JSON.stringify(record, null, 2));
          await options.beforeAccept?.(record);
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", () => resolve()));
  const address = server.server.address();
  return {
    port: typeof address === "object" && address ? address.port : port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type CapturedMail = { to: string[]; subject: string; text: string; html?: string; headers?: Record<string, string>; messageId?: string; receivedAt: string };

export function readMailbox(dir: string): CapturedMail[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")) as CapturedMail);
}

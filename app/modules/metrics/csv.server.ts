import { Readable } from "node:stream";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { stringify } from "csv-stringify";
import { attachmentDisposition } from "~/utils/headers.ts";

export type CsvCell = string | number | null;

/**
 * Formula-injection guard (OWASP "CSV injection"): a text cell that a spreadsheet would read as a
 * formula (starting with = + - @, a tab or a carriage return) gets a leading apostrophe. Numbers are
 * written as numbers, so a negative change stays a number.
 */
export function safeCell(value: CsvCell): string | number {
  if (value === null) return "";
  if (typeof value === "number") return value;
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/**
 * Streams rows as CSV: UTF-8 with a byte-order mark (so spreadsheets read Chinese and Romanian text
 * correctly), a header row, CRLF line ends, every text cell passed through safeCell. Rows are pulled
 * from the async iterable as the client reads, so nothing is buffered whole.
 */
export function csvStream(header: string[], rows: AsyncIterable<CsvCell[]> | Iterable<CsvCell[]>): ReadableStream<Uint8Array> {
  const stringifier = stringify({ bom: true, header: true, columns: header, record_delimiter: "windows" });
  const source = Readable.from(
    (async function* () {
      for await (const row of rows) yield row.map(safeCell);
    })(),
    { objectMode: true },
  );
  source.on("error", (error) => stringifier.destroy(error));
  return createReadableStreamFromReadable(source.pipe(stringifier));
}

export function csvResponse(filename: string, header: string[], rows: AsyncIterable<CsvCell[]> | Iterable<CsvCell[]>): Response {
  return new Response(csvStream(header, rows), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": attachmentDisposition(filename),
      "Cache-Control": "private, no-store",
    },
  });
}

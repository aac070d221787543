import zlib from "node:zlib";

/**
 * A cached page with holes for what differs per response (the CSP nonce, the CSRF token, the request id),
 * kept as byte pieces with each piece also compressed once (issue 25, ADR 075): a hit joins the pieces and the
 * few bytes of the holes instead of re-encoding and re-gzipping 100 KB of HTML.
 *
 * The gzip form is one gzip member whose DEFLATE data is the pieces' compressed forms back to back. Each piece
 * is compressed by a fresh compressor ending in a full flush (byte-aligned, no final block, no reference to what
 * came before), so they chain; a final empty block, then the CRC-32 of the whole text (`zlib.crc32`) and its length
 * close the member (RFC 1951 and 1952). The values in the holes (a few dozen bytes each) go in as stored blocks,
 * written here: a compressor made for each of them cost a tenth of a cache hit's CPU in profiles.
 */
export type PageTemplate = {
  /** The text between the holes: one more than `holes`. */
  parts: Buffer[];
  /** For each hole, the index of the value that fills it. */
  holes: number[];
  /** Each part compressed on its own (raw DEFLATE, full flush). */
  deflated: Buffer[];
  /** Bytes held (text and compressed). */
  bytes: number;
};

const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff]);
const FINAL_BLOCK = zlib.deflateRawSync(Buffer.alloc(0));
const PIECE = { level: 1, finishFlush: zlib.constants.Z_FULL_FLUSH } as const;

/** Most bytes one stored DEFLATE block holds (its LEN field is 16 bits). */
const STORED_MAX = 0xffff;

/**
 * `data` as stored (uncompressed) DEFLATE blocks, for a stream that is byte-aligned here (after a full flush):
 * per block a header byte (BFINAL 0, BTYPE 00, padding), LEN and its one's complement NLEN, then the bytes (RFC 1951
 * §3.2.4). The stream stays byte-aligned after it.
 */
export function storedBlocks(data: Buffer): Buffer {
  const blocks: Buffer[] = [];
  let offset = 0;
  do {
    const chunk = data.subarray(offset, offset + STORED_MAX);
    const header = Buffer.alloc(5);
    header.writeUInt16LE(chunk.length, 1);
    header.writeUInt16LE(~chunk.length & 0xffff, 3);
    blocks.push(header, chunk);
    offset += chunk.length;
  } while (offset < data.length);
  return Buffer.concat(blocks);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Cuts `body` at every occurrence of each placeholder (non-empty, distinct strings). */
export function compileTemplate(body: string, placeholders: readonly string[]): PageTemplate {
  const pattern = new RegExp(placeholders.map(escapeRegExp).join("|"), "g");
  const parts: Buffer[] = [];
  const holes: number[] = [];
  let last = 0;
  for (const match of body.matchAll(pattern)) {
    parts.push(Buffer.from(body.slice(last, match.index)));
    holes.push(placeholders.indexOf(match[0]));
    last = match.index + match[0].length;
  }
  parts.push(Buffer.from(body.slice(last)));
  const deflated = parts.map((part) => zlib.deflateRawSync(part, PIECE));
  const bytes = parts.reduce((n, p) => n + p.length, 0) + deflated.reduce((n, d) => n + d.length, 0);
  return { parts, holes, deflated, bytes };
}

/** The page with its holes filled: the text, and its gzip form made on demand from the compressed pieces. */
export function fillTemplate(template: PageTemplate, values: readonly string[]): { text: Buffer; gzip: () => Buffer } {
  const filled = values.map((value) => Buffer.from(value));
  const pieces: Buffer[] = [];
  template.parts.forEach((part, i) => {
    pieces.push(part);
    if (i < template.holes.length) pieces.push(filled[template.holes[i]!]!);
  });
  const text = Buffer.concat(pieces);
  const gzip = () => {
    const out: Buffer[] = [GZIP_HEADER];
    const compressedValues = filled.map(storedBlocks);
    template.deflated.forEach((piece, i) => {
      out.push(piece);
      if (i < template.holes.length) out.push(compressedValues[template.holes[i]!]!);
    });
    out.push(FINAL_BLOCK);
    const trailer = Buffer.alloc(8);
    trailer.writeUInt32LE(zlib.crc32(text) >>> 0, 0);
    trailer.writeUInt32LE(text.length >>> 0, 4);
    out.push(trailer);
    return Buffer.concat(out);
  };
  return { text, gzip };
}

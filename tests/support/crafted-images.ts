import zlib from "node:zlib";
import sharp from "sharp";

/**
 * Tiny image files written byte by byte whose headers declare any width and height ("pixel
 * floods"), one per header the upload check must read: PNG IHDR, JPEG SOF0, the GIF logical screen
 * and image descriptor, and WebP's VP8 (lossy), VP8L (lossless) and VP8X (extended) chunks. Each is
 * a well-formed header followed by almost no pixel data, a few dozen bytes in all.
 */
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function pngChunk(type: string, data: Buffer): Buffer {
  const typed = Buffer.concat([Buffer.from(type, "latin1"), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, crc]);
}

export function craftedPng(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth; colour type 0 (grey), no interlace
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, pngChunk("IHDR", ihdr), pngChunk("IDAT", zlib.deflateSync(Buffer.alloc(1))), pngChunk("IEND", Buffer.alloc(0))]);
}

export function craftedJpeg(width: number, height: number): Buffer {
  const dqt = Buffer.concat([Buffer.from([0xff, 0xdb, 0, 67, 0]), Buffer.alloc(64, 1)]);
  const sof0 = Buffer.from([0xff, 0xc0, 0, 11, 8, height >> 8, height & 255, width >> 8, width & 255, 1, 1, 0x11, 0]);
  const dhtDc = Buffer.from([0xff, 0xc4, 0, 20, 0x00, 1, ...Array(15).fill(0), 0]);
  const dhtAc = Buffer.from([0xff, 0xc4, 0, 20, 0x10, 1, ...Array(15).fill(0), 0]);
  const sos = Buffer.from([0xff, 0xda, 0, 8, 1, 1, 0x00, 0, 63, 0]);
  return Buffer.concat([Buffer.from([0xff, 0xd8]), dqt, sof0, dhtDc, dhtAc, sos, Buffer.from([0x00, 0xff, 0xd9])]);
}

/** A GIF whose screen and each of `frames` frames declare width × height. */
export function craftedGif(width: number, height: number, frames = 1): Buffer {
  const screen = Buffer.alloc(13);
  screen.write("GIF89a", 0, "latin1");
  screen.writeUInt16LE(width, 6);
  screen.writeUInt16LE(height, 8);
  const frame = Buffer.alloc(14);
  frame[0] = 0x2c; // image descriptor at 0,0 of the screen's size
  frame.writeUInt16LE(width, 5);
  frame.writeUInt16LE(height, 7);
  frame.set([2, 1, 0x44, 0], 10); // LZW minimum code size, one data byte, end of data
  return Buffer.concat([screen, ...Array.from({ length: frames }, () => frame), Buffer.from([0x3b])]);
}

function riff(chunks: Buffer[]): Buffer {
  const body = Buffer.concat([Buffer.from("WEBP"), ...chunks]);
  const header = Buffer.alloc(8);
  header.write("RIFF", 0, "latin1");
  header.writeUInt32LE(body.length, 4);
  return Buffer.concat([header, body]);
}
function webpChunk(type: string, data: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header.write(type, 0, "latin1");
  header.writeUInt32LE(data.length, 4);
  return Buffer.concat([header, data, Buffer.alloc(data.length % 2)]);
}
function vp8lBitstream(width: number, height: number): Buffer {
  const data = Buffer.alloc(10);
  data[0] = 0x2f;
  data.writeUInt32LE((((width - 1) & 0x3fff) | (((height - 1) & 0x3fff) << 14)) >>> 0, 1);
  return data;
}

/** Lossy WebP: a key frame header with 14-bit width and height (at most 16383). */
export function craftedWebpVp8(width: number, height: number): Buffer {
  const data = Buffer.alloc(20);
  data.set([0x10, 0x02, 0x00, 0x9d, 0x01, 0x2a]);
  data.writeUInt16LE(width & 0x3fff, 6);
  data.writeUInt16LE(height & 0x3fff, 8);
  return riff([webpChunk("VP8 ", data)]);
}

/** Lossless WebP: width and height minus one in 14 bits each (at most 16384). */
export function craftedWebpVp8l(width: number, height: number): Buffer {
  return riff([webpChunk("VP8L", vp8lBitstream(width, height))]);
}

/** Extended WebP: a 24-bit canvas size in VP8X, then a bitstream of the same size. */
export function craftedWebpVp8x(width: number, height: number): Buffer {
  const vp8x = Buffer.alloc(10);
  vp8x.writeUIntLE(width - 1, 4, 3);
  vp8x.writeUIntLE(height - 1, 7, 3);
  return riff([webpChunk("VP8X", vp8x), webpChunk("VP8L", vp8lBitstream(width, height))]);
}

/** A real (decodable) JPEG photo carrying EXIF: camera, GPS position, and an orientation of 6 (turn 90° clockwise). */
export async function photoWithGps(width = 64, height = 48): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 200, g: 30, b: 30 } } })
    .jpeg()
    .withExif({
      IFD0: { Make: "PhoneCo", Model: "Pocket 9" },
      IFD3: { GPSLatitudeRef: "N", GPSLatitude: "44/1 25/1 3000/100", GPSLongitudeRef: "E", GPSLongitude: "26/1 6/1 1200/100" },
    })
    .withMetadata({ orientation: 6 })
    .toBuffer();
}

/** Whether an EXIF block holds a GPS IFD pointer (tag 0x8825), in either byte order. */
export function hasGpsTag(exif: Buffer | undefined): boolean {
  if (!exif) return false;
  return exif.includes(Buffer.from([0x88, 0x25])) || exif.includes(Buffer.from([0x25, 0x88]));
}

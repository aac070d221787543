import crypto from "node:crypto";
import http from "node:http";

/**
 * A minimal S3-compatible server on 127.0.0.1 for tests (path-style only): PutObject, GetObject,
 * HeadObject and ListObjectsV2 on one bucket, held in memory. Like S3, it refuses (403) a request whose
 * AWS Signature Version 4 does not verify with the configured key and secret, or whose body does not
 * match its signed hash.
 */
export async function startFakeS3(options: { bucket: string; accessKeyId: string; secretAccessKey: string }) {
  const objects = new Map<string, { bytes: Buffer; contentType: string }>();
  const requests: { method: string; path: string }[] = [];
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    requests.push({ method: req.method ?? "", path: url.pathname });
    if (!signatureVerifies(req, Buffer.concat(chunks), options)) return error(res, 403, "SignatureDoesNotMatch");
    const [, bucket, ...rest] = url.pathname.split("/");
    if (bucket !== options.bucket) return error(res, 404, "NoSuchBucket");
    const key = decodeURIComponent(rest.join("/"));
    if (req.method === "GET" && !key && url.searchParams.get("list-type") === "2") {
      const prefix = url.searchParams.get("prefix") ?? "";
      const keys = [...objects.keys()].filter((k) => k.startsWith(prefix)).sort();
      const contents = keys.map((k) => `<Contents><Key>${escapeXml(k)}</Key><Size>${objects.get(k)!.bytes.length}</Size></Contents>`).join("");
      res.writeHead(200, { "Content-Type": "application/xml" });
      res.end(
        `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${bucket}</Name><Prefix>${escapeXml(prefix)}</Prefix><KeyCount>${keys.length}</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>${contents}</ListBucketResult>`,
      );
      return;
    }
    if (req.method === "PUT" && key) {
      objects.set(key, { bytes: Buffer.concat(chunks), contentType: String(req.headers["content-type"] ?? "application/octet-stream") });
      res.writeHead(200, { ETag: '"fake"' });
      res.end();
      return;
    }
    if ((req.method === "GET" || req.method === "HEAD") && key) {
      const object = objects.get(key);
      if (!object) return error(res, 404, "NoSuchKey");
      res.writeHead(200, { "Content-Type": object.contentType, "Content-Length": object.bytes.length, ETag: '"fake"' });
      res.end(req.method === "HEAD" ? undefined : object.bytes);
      return;
    }
    error(res, 400, "NotImplemented");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    objects,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function error(res: http.ServerResponse, status: number, code: string) {
  res.writeHead(status, { "Content-Type": "application/xml" });
  res.end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${code}</Message></Error>`);
}

function escapeXml(text: string) {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** SigV4 (https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html), header form only. */
function signatureVerifies(req: http.IncomingMessage, body: Buffer, keys: { accessKeyId: string; secretAccessKey: string }): boolean {
  const auth = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/s3\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/.exec(req.headers.authorization ?? "");
  if (!auth || auth[1] !== keys.accessKeyId) return false;
  const [, , day, region, signedHeaders, signature] = auth as unknown as [string, string, string, string, string, string];
  const amzDate = String(req.headers["x-amz-date"] ?? "");
  const payloadHash = String(req.headers["x-amz-content-sha256"] ?? "");
  if (!amzDate.startsWith(day)) return false;
  if (payloadHash !== "UNSIGNED-PAYLOAD" && payloadHash !== sha256(body)) return false;
  const [rawPath, rawQuery = ""] = (req.url ?? "/").split("?");
  const query = rawQuery
    .split("&")
    .filter(Boolean)
    .map((pair) => pair.split("=").map((part) => encode(decodeURIComponent(part ?? ""))) as [string, string?])
    .sort(([a, av = ""], [b, bv = ""]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([key, value = ""]) => `${key}=${value}`)
    .join("&");
  const headers = signedHeaders
    .split(";")
    .map((name) => `${name}:${String(req.headers[name] ?? "").trim().replace(/\s+/g, " ")}\n`)
    .join("");
  const canonical = [req.method, rawPath, query, headers, signedHeaders, payloadHash].join("\n");
  const scope = `${day}/${region}/s3/aws4_request`;
  const toSign = ["AWS4-HMAC-SHA256", amzDate, scope, sha256(canonical)].join("\n");
  let key: Buffer = Buffer.from(`AWS4${keys.secretAccessKey}`);
  for (const part of [day, region, "s3", "aws4_request"]) key = crypto.createHmac("sha256", key).update(part).digest();
  const expected = crypto.createHmac("sha256", key).update(toSign).digest("hex");
  return crypto.timingSafeEqual(Buffer.from(expected), Buffer.from(signature));
}

function sha256(data: string | Buffer): string {
  return crypto.createHash("sha256").update(data).digest("hex");
}

function encode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

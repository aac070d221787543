import http from "node:http";

/**
 * A minimal S3-compatible server on 127.0.0.1 for tests (path-style only): PutObject, GetObject,
 * HeadObject and ListObjectsV2 on one bucket, held in memory. It checks that each request is signed
 * (SigV4 `Authorization` header naming the expected access key); it does not verify the signature
 * itself (the AWS SDK computes it; what is under test is the app's use of the store).
 */
export async function startFakeS3(options: { bucket: string; accessKeyId: string }) {
  const objects = new Map<string, { bytes: Buffer; contentType: string }>();
  const requests: { method: string; path: string }[] = [];
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    requests.push({ method: req.method ?? "", path: url.pathname });
    const auth = req.headers.authorization ?? "";
    if (!auth.startsWith(`AWS4-HMAC-SHA256 Credential=${options.accessKeyId}/`)) return error(res, 403, "AccessDenied");
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

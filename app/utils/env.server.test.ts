import { expect, test } from "vitest";
import { parseEnv } from "./env.server.ts";

const BASE = { DATABASE_URL: "postgresql://x@127.0.0.1/x" };
const S3 = { UPLOAD_STORAGE: "s3", S3_BUCKET: "uploads", S3_ACCESS_KEY_ID: "AKIA", S3_SECRET_ACCESS_KEY: "secret" };

test("UPLOAD_STORAGE=s3 is accepted with its settings, and refused at start naming each missing one", () => {
  expect(parseEnv({ ...BASE, ...S3, S3_ENDPOINT: "http://127.0.0.1:9000" })).toMatchObject({ UPLOAD_STORAGE: "s3", S3_BUCKET: "uploads", S3_REGION: "us-east-1", S3_PREFIX: "" });
  let message = "";
  try {
    parseEnv({ ...BASE, UPLOAD_STORAGE: "s3" });
  } catch (error) {
    message = (error as Error).message;
  }
  for (const name of ["S3_BUCKET", "S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY"]) expect(message).toContain(`${name} must be set when UPLOAD_STORAGE=s3`);
  expect(() => parseEnv({ ...BASE, ...S3, S3_ENDPOINT: "minio:9000" })).toThrow("S3_ENDPOINT must be an http(s) URL");
  expect(() => parseEnv({ ...BASE, ...S3, S3_PREFIX: "../up" })).toThrow("S3_PREFIX must be empty or folder names");
  expect(() => parseEnv({ ...BASE, UPLOAD_STORAGE: "gcs" })).toThrow('UPLOAD_STORAGE must be "local" or "s3"');
  // Local needs none of them.
  expect(parseEnv(BASE).UPLOAD_STORAGE).toBe("local");
});

test("METRICS_TOKEN, when set, is long enough to be a secret", () => {
  expect(() => parseEnv({ ...BASE, METRICS_TOKEN: "short" })).toThrow("METRICS_TOKEN must be at least 24 characters");
  expect(parseEnv({ ...BASE, METRICS_TOKEN: "a".repeat(32) }).METRICS_TOKEN).toBe("a".repeat(32));
  expect(parseEnv(BASE).METRICS_TOKEN).toBeUndefined();
});

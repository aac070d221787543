import { z } from "zod";

/**
 * Every setting the server reads, checked once at start. A bad value stops the process with a
 * message naming the variable instead of failing later in a request.
 */
const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z.string().url({ message: "DATABASE_URL must be a postgresql:// URL" }),
  /**
   * A session connection to PostgreSQL itself, for what a transaction pooler (PgBouncer) cannot carry:
   * LISTEN, the job queue, migrations, session advisory locks (docs/decisions/061-connection-pooling.md).
   * Unset: DATABASE_URL is used for those too (no pooler).
   */
  DATABASE_DIRECT_URL: z.string().url({ message: "DATABASE_DIRECT_URL must be a postgresql:// URL" }).optional(),
  SESSION_SECRET: z.string().min(16, "SESSION_SECRET must be at least 16 characters").default("dev-only-session-secret-change-me"),
  PORT: z.coerce.number().int().positive().default(3000),
  HOST: z.string().default("0.0.0.0"),
  APP_URL: z.string().url().optional(),
  SMTP_URL: z.string().optional(),
  MAIL_FROM: z.string().default("Threadwise <no-reply@threadwise.local>"),
  MAIL_DIR: z.string().default(".data/mail"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  JOBS_IN_PROCESS: z
    .enum(["true", "false"])
    .default("true")
    .transform((v) => v === "true"),
  SECURE_COOKIES: z.enum(["true", "false"]).optional(),
  DB_POOL_SIZE: z.coerce.number().int().positive().default(10),
  /** Seconds an "at once" notification e-mail waits, so a notice read in the app meanwhile is not mailed (ADR 041). */
  NOTIFICATION_MAIL_DELAY_SECONDS: z.coerce.number().int().min(0).max(3600).default(60),
  /**
   * How long a request may wait for a database connection, or for its transaction to start, before it
   * is answered 503 with Retry-After (docs/decisions/035-busy-database.md).
   */
  DB_QUEUE_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  /** Where uploads are stored (app/utils/storage.server.ts): "local" (UPLOAD_DIR) or "s3" (the S3_* settings). */
  UPLOAD_STORAGE: z.enum(["local", "s3"], { message: 'UPLOAD_STORAGE must be "local" or "s3"' }).default("local"),
  /** The S3-compatible bucket when UPLOAD_STORAGE=s3 (docs/decisions/066-metrics-and-s3-storage.md). */
  S3_BUCKET: z.string().min(1).optional(),
  S3_REGION: z.string().min(1).default("us-east-1"),
  /** Unset: AWS S3 itself. Set (MinIO, R2, Ceph): path-style requests to this URL. */
  S3_ENDPOINT: z
    .string()
    .regex(/^https?:\/\/[^\s/?#]+\/?$/, { message: "S3_ENDPOINT must be an http(s) URL such as https://minio.example.net:9000" })
    .optional(),
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  /** Prepended to every object name ("uploads/"), so one bucket can hold other things too. */
  S3_PREFIX: z
    .string()
    .regex(/^([A-Za-z0-9_.-]+\/)*$/, { message: 'S3_PREFIX must be empty or folder names ending in "/", such as "threadwise/uploads/"' })
    .default(""),
  /** The bearer token of /metrics (Prometheus); unset: /metrics answers 404 (ADR 066). */
  METRICS_TOKEN: z.string().min(24, "METRICS_TOKEN must be at least 24 characters (use: openssl rand -hex 32)").optional(),
  RATE_LIMITS: z
    .enum(["on", "off"])
    .default("on")
    .transform((v) => v === "on"),
}).superRefine((env, ctx) => {
  if (env.UPLOAD_STORAGE !== "s3") return;
  // Refused at start, naming each missing setting, rather than failing at the first upload.
  for (const name of ["S3_BUCKET", "S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY"] as const) {
    if (!env[name]) ctx.addIssue({ code: z.ZodIssueCode.custom, path: [name], message: `${name} must be set when UPLOAD_STORAGE=s3` });
  }
});

export type Env = z.infer<typeof schema>;

let cached: Env | undefined;

export function getEnv(): Env {
  if (cached) return cached;
  cached = parseEnv(process.env);
  return cached;
}

/** Checks a set of settings (getEnv: the process's); throws naming every bad one. */
/**
 * Settings are read by operators, in English (ADR 071): the app's error map answers catalog keys, so those
 * become Zod's own English, while a message written on a setting (UPLOAD_STORAGE's) is kept as written.
 */
export const operatorErrorMap: z.ZodErrorMap = (issue, ctx) => (ctx.defaultError.startsWith("messages.") ? z.defaultErrorMap(issue, ctx) : { message: ctx.defaultError });

export function parseEnv(source: Record<string, string | undefined>): Env {
  const parsed = schema.safeParse(source, { errorMap: operatorErrorMap });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
    throw new Error(`Invalid environment:\n${problems}`);
  }
  if (parsed.data.NODE_ENV === "production" && parsed.data.SESSION_SECRET === "dev-only-session-secret-change-me") {
    // The embedded demo (npm start) sets its own secret under .data/; a real deployment must set one.
    throw new Error("SESSION_SECRET must be set in production");
  }
  return parsed.data;
}

/** The session connection for LISTEN, jobs, migrations and session locks (DATABASE_DIRECT_URL, else DATABASE_URL). */
export function directDatabaseUrl(): string {
  const env = getEnv();
  return env.DATABASE_DIRECT_URL ?? env.DATABASE_URL;
}

/** Cookies are Secure in production unless explicitly turned off (plain-HTTP local demo). */
export function secureCookies(): boolean {
  const env = getEnv();
  if (env.SECURE_COOKIES) return env.SECURE_COOKIES === "true";
  return env.NODE_ENV === "production";
}

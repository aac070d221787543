import { pino } from "pino";

/** One structured logger for the process; request loggers are children carrying the request id. */
export const logger = pino({
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "warn" : "info"),
  base: { app: "threadwise" },
  redact: { paths: ["password", "*.password", "req.headers.cookie", "token"], remove: true },
});

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { HttpClient } from "../support/app-server.ts";
import { killProcessGroup, startServerProcess, waitForExit } from "../support/server-process.ts";

/** Signs up over HTTP; the 302 to the account page is the acknowledgement. */
async function signUp(url: string, email: string) {
  const client = new HttpClient(url);
  const response = await client.post("/signup", { email, handle: email.split("@")[0]!.replace(/[^a-z0-9-]/g, "-"), displayName: "Durable Dana", password: "survives a crash" });
  expect(response.status).toBe(302);
  expect(response.headers.get("location")).toBe("/account?welcome=1");
}

async function canSignIn(url: string, email: string) {
  const client = new HttpClient(url);
  const response = await client.post("/login", { email, password: "survives a crash" });
  return response.status === 302;
}

async function crashAndRestart(env: Record<string, string | undefined>) {
  const email = `durable-${Date.now().toString(36)}@example.com`;
  const first = await startServerProcess(env);
  await signUp(first.url, email);
  killProcessGroup(first.child, "SIGKILL");
  await waitForExit(first.child);
  expect(first.child.signalCode).toBe("SIGKILL");
  const second = await startServerProcess(env);
  try {
    expect(await canSignIn(second.url, email)).toBe(true);
  } finally {
    killProcessGroup(second.child, "SIGTERM");
    await waitForExit(second.child);
  }
}

describe("an acknowledged sign-up survives kill -9 of the server", () => {
  test("on the PostgreSQL server in DATABASE_URL", async () => {
    await crashAndRestart({ DATABASE_URL: process.env.DATABASE_URL, JOBS_IN_PROCESS: "false" });
  }, 180_000);

  test("on the embedded database kept in the data directory", async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "threadwise-durability-"));
    try {
      await crashAndRestart({ DATABASE_URL: undefined, DATA_DIR: dataDir, JOBS_IN_PROCESS: "false" });
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 180_000);
});

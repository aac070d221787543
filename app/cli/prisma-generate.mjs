// Runs `prisma generate` after `npm install`. DATABASE_URL must be set even for generate, or
// Prisma silently tries to download an engine (see ../shared/ENVIRONMENT.md); a dummy is fine.
import { spawnSync } from "node:child_process";

const env = { ...process.env };
env.DATABASE_URL ||= "postgresql://generate@127.0.0.1:5432/generate";
env.PRISMA_HIDE_UPDATE_MESSAGE = "1";
const result = spawnSync("npx", ["prisma", "generate", "--config", "prisma/prisma.config.ts"], { stdio: "inherit", env });
process.exit(result.status ?? 1);

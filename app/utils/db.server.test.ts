import pg from "pg";
import { describe, expect, test } from "vitest";
import { isEmbeddedDatabase, mayNameStatements, rawQuery, statementName } from "./db.server.ts";

/** ADR 078: the hot reads keep their plans through named statements, only where names are safe. */

const NAMES_SQL = "SELECT coalesce(array_agg(name::text), '{}') AS names FROM pg_prepared_statements WHERE $1::int = 1";

describe("named statements for the hot reads", () => {
  test("a statement's name follows its text: the same text one name, another text another", () => {
    expect(statementName("SELECT 1")).toBe(statementName(`SELECT ${1}`));
    expect(statementName("SELECT 1")).not.toBe(statementName("SELECT 2"));
    expect(statementName("SELECT 1")).toMatch(/^tw_[A-Za-z0-9_-]{22}$/);
  });

  test("on a PostgreSQL server reached directly, a prepared read is named and kept by its connection; on the embedded database it is not", async () => {
    const embedded = await isEmbeddedDatabase();
    expect(await mayNameStatements()).toBe(!embedded);
    // The statement sees itself among the connection's prepared statements when it was sent named.
    const [row] = await rawQuery<{ names: string[] }>(NAMES_SQL, [1], { prepare: true });
    expect(row!.names.includes(statementName(NAMES_SQL))).toBe(!embedded);
    // Without `prepare` nothing is named.
    const other = `${NAMES_SQL} AND true`;
    const [unnamed] = await rawQuery<{ names: string[] }>(other, [1]);
    expect(unnamed!.names).not.toContain(statementName(other));
  });

  test("behind a pooler (DATABASE_DIRECT_URL apart from DATABASE_URL) nothing is named: PgBouncer 1.18 does not track prepared statements", async () => {
    const url = process.env.DATABASE_URL!;
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    try {
      expect(await mayNameStatements(pool, { DATABASE_URL: "postgresql://app@127.0.0.1:6432/threadwise", DATABASE_DIRECT_URL: url })).toBe(false);
    } finally {
      await pool.end();
    }
    const direct = new pg.Pool({ connectionString: url, max: 1 });
    try {
      // The same URL twice is no pooler: the answer is the server's kind.
      expect(await mayNameStatements(direct, { DATABASE_URL: url, DATABASE_DIRECT_URL: url })).toBe(!(await isEmbeddedDatabase(direct)));
    } finally {
      await direct.end();
    }
  });
});

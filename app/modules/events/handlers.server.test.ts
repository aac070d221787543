import { describe, expect, test } from "vitest";
import { prisma } from "~/utils/db.server.ts";
import { handleEvent, subscribe, subscriptionTable, type EventHandler } from "./handlers.server.ts";

async function newEvent(): Promise<bigint> {
  const row = await prisma.domainEvent.create({
    data: { type: "question.asked", actorId: null, subjectType: "thread", subjectId: "0", payload: { categoryId: 1, tags: [] } },
    select: { id: true },
  });
  return row.id;
}

async function claimed(eventId: bigint): Promise<string[]> {
  const rows = await prisma.eventHandling.findMany({ where: { eventId }, select: { handler: true }, orderBy: { handler: "asc" } });
  return rows.map((r) => r.handler);
}

/** A handler that counts its runs and writes a row of its own in the handler's transaction. */
function recording(name: string, runs: string[], fail = () => false): EventHandler {
  return {
    name,
    async handle(tx, event) {
      runs.push(name);
      await tx.$executeRaw`INSERT INTO event_handlings (handler, event_id) VALUES (${`${name}:effect`}, ${event.id})`;
      if (fail()) throw new Error(`${name} failed`);
    },
  };
}

describe("running an event's handlers", () => {
  test("every handler runs once, together, without waiting for the WAL flush; running the event again runs nothing", async () => {
    const id = await newEvent();
    const runs: string[] = [];
    const settings: string[] = [];
    const flushCheck: EventHandler = {
      name: "test.flush",
      async handle(tx) {
        const [row] = await tx.$queryRaw<{ value: string }[]>`SELECT current_setting('synchronous_commit') AS value`;
        settings.push(row!.value);
      },
    };
    const table = { "question.asked": [recording("test.a", runs), recording("test.b", runs), recording("test.c", runs), flushCheck] };
    await handleEvent(id, table);
    await handleEvent(id, table);
    expect(runs).toEqual(["test.a", "test.b", "test.c"]);
    expect(settings).toEqual(["off"]);
    expect(await claimed(id)).toEqual(["test.a", "test.a:effect", "test.b", "test.b:effect", "test.c", "test.c:effect", "test.flush"]);
  });

  test("a failing handler keeps nothing of its own, holds back none of the others, and is the only one run again", async () => {
    const id = await newEvent();
    const runs: string[] = [];
    let broken = true;
    const table = { "question.asked": [recording("test.a", runs), recording("test.b", runs, () => broken), recording("test.c", runs)] };
    await expect(handleEvent(id, table)).rejects.toThrow("test.b failed");
    // Together first (a, b fails), then each on its own: a, b (fails again), c.
    expect(runs).toEqual(["test.a", "test.b", "test.a", "test.b", "test.c"]);
    expect(await claimed(id)).toEqual(["test.a", "test.a:effect", "test.c", "test.c:effect"]);

    broken = false;
    runs.length = 0;
    await handleEvent(id, table);
    expect(runs).toEqual(["test.b"]);
    expect(await claimed(id)).toEqual(["test.a", "test.a:effect", "test.b", "test.b:effect", "test.c", "test.c:effect"]);
  });
});

describe("what a handler receives", () => {
  test("the event with its payload parsed by the catalogue's schema, typed by the types it subscribes to", async () => {
    const { id } = await prisma.domainEvent.create({
      data: { type: "answer.accepted", actorId: null, subjectType: "post", subjectId: "12", payload: { threadId: "5", previous: null } },
      select: { id: true },
    });
    const seen: unknown[] = [];
    const subscription = subscribe({
      name: "test.accepted",
      summary: "test",
      types: ["answer.accepted"],
      async handle(_tx, event) {
        // Typed: payload.threadId is a string here, no cast needed.
        seen.push({ type: event.type, threadId: event.payload.threadId, previous: event.payload.previous, subjectId: event.subjectId });
      },
    });
    await handleEvent(id, subscriptionTable([subscription]));
    expect(seen).toEqual([{ type: "answer.accepted", threadId: "5", previous: null, subjectId: "12" }]);
  });

  test("a stored payload that does not match the catalogue runs no handler and fails the job", async () => {
    const { id } = await prisma.domainEvent.create({
      data: { type: "answer.accepted", actorId: null, subjectType: "post", subjectId: "12", payload: { threadId: 5 } },
      select: { id: true },
    });
    const runs: string[] = [];
    await expect(handleEvent(id, { "answer.accepted": [recording("test.bad", runs)] })).rejects.toThrow(/payload does not match the catalogue/);
    expect(runs).toEqual([]);
    expect(await claimed(id)).toEqual([]);
  });

  test("two subscriptions with the same name (an idempotency key) cannot be wired", () => {
    const one = subscribe({ name: "test.same", summary: "", types: ["vote.cast"], handle: async () => {} });
    expect(() => subscriptionTable([one, one])).toThrow(/two event subscriptions are named test.same/);
  });
});

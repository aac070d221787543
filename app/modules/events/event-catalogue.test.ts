import fs from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { DOC, ROOT, committedBlock, renderEventsTable, scanSources } from "~/cli/event-sources.ts";
import { subscriptions } from "~/modules/jobs/event-subscriptions.server.ts";
import { prisma } from "~/utils/db.server.ts";
import { EVENT_TYPES, isEventType } from "./event-catalogue.ts";
import { InvalidEventError, recordEvent, type NewEvent } from "./record-event.server.ts";

/**
 * The catalogue, the code that records events and the subscriptions the worker wires must agree:
 * a subscription to a type nobody records (a dashboard figure that stays 0), or a type recorded but
 * missing from the catalogue, fails here (ADR 038). The source is read with the TypeScript parser
 * (app/cli/event-sources.ts); the subscriptions are the ones the worker really runs.
 */
const sources = scanSources();
const produced = new Set(sources.producers.map((p) => p.type));
const at = (p: { file: string; line: number }) => `${p.file}:${p.line}`;

describe("the event catalogue agrees with the code", () => {
  test("the source scan finds the producers (a scan that finds nothing would prove nothing)", () => {
    expect(sources.producers.length).toBeGreaterThan(40);
    expect(sources.producers).toContainEqual({ type: "answer.accepted", file: "app/modules/questions/accept-answer.server.ts", line: expect.any(Number), fn: "acceptAnswer" });
  });

  test("every event type a handler subscribes to is recorded somewhere in the code", () => {
    const orphans = subscriptions.flatMap((s) => s.types.filter((type) => !produced.has(type)).map((type) => `${type} (subscribed by ${s.name})`));
    expect(orphans, "subscribed to, but no code records it").toEqual([]);
  });

  test("every type the code records is in the catalogue, written where recordEvent is called", () => {
    expect(sources.producers.filter((p) => !isEventType(p.type)).map((p) => `${p.type} at ${at(p)}`), "recorded but not in the catalogue").toEqual([]);
    expect(sources.unreadable.map((u) => `${at(u)}: ${u.text}`), "write the type as a literal (or a conditional between literals)").toEqual([]);
  });

  test("every catalogued type is recorded somewhere (no dead entries)", () => {
    expect(EVENT_TYPES.filter((type) => !produced.has(type))).toEqual([]);
  });

  test("nothing writes domain_events except recordEvent", () => {
    expect(sources.directWrites.map((w) => `${at(w)}: ${w.text}`)).toEqual([]);
  });

  test("every subscription is declared with subscribe() in its capability's module", () => {
    expect(subscriptions.filter((s) => !sources.subscriptionFiles.has(s.name)).map((s) => s.name)).toEqual([]);
  });

  test("the 'What happens when …' table of docs/architecture.md is the one `npm run docs:events` generates", () => {
    const committed = committedBlock(fs.readFileSync(path.join(ROOT, DOC), "utf8"));
    expect(committed, `${DOC} lost its events:begin / events:end markers`).not.toBeNull();
    expect(committed, "run `npm run docs:events` and commit the result").toBe(renderEventsTable(subscriptions, sources));
  });
});

describe("recordEvent checks every event against the catalogue", () => {
  const countRows = async () => {
    const [row] = await prisma.$queryRaw<{ events: number; jobs: number }[]>`
      SELECT (SELECT count(*)::int FROM domain_events) AS events,
             (SELECT count(*)::int FROM graphile_worker.jobs WHERE task_identifier = 'handle-event') AS jobs`;
    return row!;
  };
  const good = { type: "answer.accepted", actorId: null, subjectType: "post", subjectId: "7", payload: { threadId: "3", previous: null } } as const;

  test.each([
    ["a payload missing a field", { ...good, payload: { threadId: "3" } }, /previous: Required/],
    ["a field of the wrong type", { ...good, payload: { threadId: 3, previous: null } }, /threadId: Expected string/],
    ["a field the catalogue does not know", { ...good, payload: { threadId: "3", previous: null, bonus: 10 } }, /Unrecognized key/],
    ["a type that is not in the catalogue", { ...good, type: "answer.flagged" }, /not in the catalogue/],
    ["the wrong kind of subject", { ...good, subjectType: "thread" }, /subject must be a post/],
  ])("%s is refused, and the transaction writes neither the event nor its job", async (_, event, message) => {
    const before = await countRows();
    const attempt = prisma.$transaction((tx) => recordEvent(tx, event as unknown as NewEvent));
    await expect(attempt).rejects.toThrow(InvalidEventError);
    await expect(attempt).rejects.toThrow(message);
    expect(await countRows()).toEqual(before);
  });

  test("a matching event is stored with its payload and one handle-event job carrying its type", async () => {
    const before = await countRows();
    const id = await prisma.$transaction((tx) => recordEvent(tx, good));
    expect(await countRows()).toEqual({ events: before.events + 1, jobs: before.jobs + 1 });
    const stored = await prisma.domainEvent.findUniqueOrThrow({ where: { id } });
    expect(stored).toMatchObject({ type: "answer.accepted", subjectType: "post", subjectId: "7", payload: { threadId: "3", previous: null } });
    const [job] = await prisma.$queryRaw<{ payload: unknown }[]>`
      SELECT j.payload FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks t ON t.id = j.task_id
      WHERE t.identifier = 'handle-event' ORDER BY j.id DESC LIMIT 1`;
    expect(job!.payload).toEqual({ eventId: id.toString(), type: "answer.accepted" });
  });
});

/**
 * Reads the source to tell who records which domain event and where each subscription lives, and
 * renders the "What happens when …" table of docs/architecture.md from the catalogue
 * (app/modules/events/event-catalogue.ts), those producers and the wired subscriptions
 * (app/modules/jobs/event-subscriptions.server.ts). Used by `npm run docs:events` and by
 * app/modules/events/event-catalogue.test.ts (ADR 038).
 *
 * A producer is a call `recordEvent(tx, { type: …, … })` whose `type` is a string literal or a
 * conditional between literals (`value === 0 ? "vote.withdrawn" : "vote.cast"`): anything else is
 * reported as unreadable, so every producer stays findable by reading (and by grep).
 */
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";
import type { z } from "zod";
import { EVENTS, EVENT_TYPES, type EventType } from "~/modules/events/event-catalogue.ts";
import type { EventSubscription } from "~/modules/events/handlers.server.ts";

export type Producer = { type: string; file: string; line: number; fn: string };
export type SourcePlace = { file: string; line: number; text: string };
export type SourceMap = {
  producers: Producer[];
  /** recordEvent calls whose type cannot be read from the call itself. */
  unreadable: SourcePlace[];
  /** Writes to domain_events that bypass recordEvent (and so its checks and its job). */
  directWrites: SourcePlace[];
  /** subscribe({ name: "…" }) calls: the file each subscription is declared in. */
  subscriptionFiles: Map<string, string>;
};

export const ROOT = path.resolve(import.meta.dirname, "../..");
const RECORDER = "app/modules/events/record-event.server.ts";

/** Every application source file (tests and generated code excluded), relative to the repository. */
function sourceFiles(root: string): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = path.posix.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (rel !== "app/generated") walk(rel);
      } else if (/\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)) files.push(rel);
    }
  };
  walk("app");
  return files.sort();
}

/** The string literals an expression can evaluate to, or null when it is not literals only. */
function literals(node: ts.Expression): string[] | null {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return [node.text];
  if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isSatisfiesExpression(node)) return literals(node.expression);
  if (ts.isConditionalExpression(node)) {
    const a = literals(node.whenTrue);
    const b = literals(node.whenFalse);
    return a && b ? [...a, ...b] : null;
  }
  return null;
}

/** The name of the nearest named function around a node (a declaration, a method, or a const arrow). */
function enclosingFunction(node: ts.Node): string {
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) {
    if ((ts.isFunctionDeclaration(n) || ts.isMethodDeclaration(n)) && n.name) return n.name.getText();
    if ((ts.isArrowFunction(n) || ts.isFunctionExpression(n)) && ts.isVariableDeclaration(n.parent)) return n.parent.name.getText();
  }
  return "(module)";
}

function calleeName(call: ts.CallExpression): string | null {
  const callee = call.expression;
  if (ts.isIdentifier(callee)) return callee.text;
  if (ts.isPropertyAccessExpression(callee)) return callee.name.text;
  return null;
}

function property(object: ts.ObjectLiteralExpression, name: string): ts.ObjectLiteralElementLike | undefined {
  return object.properties.find((p) => p.name && ts.isIdentifier(p.name) && p.name.text === name);
}

/** Scans the application source for producers, direct writes and subscription declarations. */
export function scanSources(root = ROOT): SourceMap {
  const map: SourceMap = { producers: [], unreadable: [], directWrites: [], subscriptionFiles: new Map() };
  for (const file of sourceFiles(root)) {
    const text = fs.readFileSync(path.join(root, file), "utf8");
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith(".tsx") ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
    const place = (node: ts.Node): SourcePlace => ({
      file,
      line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1,
      text: node.getText().replace(/\s+/g, " ").slice(0, 160),
    });
    if (file !== RECORDER) {
      for (const match of text.matchAll(/INSERT\s+INTO\s+"?domain_events"?|\bdomainEvent\.(create|createMany|createManyAndReturn|upsert)\b/gi)) {
        map.directWrites.push({ file, line: text.slice(0, match.index).split("\n").length, text: match[0] });
      }
    }
    const visit = (node: ts.Node) => {
      if (ts.isCallExpression(node)) {
        const name = calleeName(node);
        const object = node.arguments.find(ts.isObjectLiteralExpression);
        if (name === "recordEvent") {
          const typeProp = node.arguments[1] && ts.isObjectLiteralExpression(node.arguments[1]) ? property(node.arguments[1], "type") : undefined;
          const types = typeProp && ts.isPropertyAssignment(typeProp) ? literals(typeProp.initializer) : null;
          if (types) for (const type of types) map.producers.push({ type, file, line: place(node).line, fn: enclosingFunction(node) });
          else map.unreadable.push(place(node));
        } else if (name === "subscribe" && object) {
          const nameProp = property(object, "name");
          const names = nameProp && ts.isPropertyAssignment(nameProp) ? literals(nameProp.initializer) : null;
          for (const n of names ?? []) map.subscriptionFiles.set(n, file);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return map;
}

/** A payload schema as a short type, e.g. `{ threadId: id, previous: id | null }`. */
export function describeSchema(schema: z.ZodTypeAny): string {
  const def = schema._def as { typeName: string; description?: string } & Record<string, unknown>;
  // Wrappers first: zod copies the inner schema's description onto .nullable() and .optional().
  if (def.description && def.typeName !== "ZodNullable" && def.typeName !== "ZodOptional") return def.description;
  switch (def.typeName) {
    case "ZodObject": {
      const shape = (schema as z.AnyZodObject).shape as Record<string, z.ZodTypeAny>;
      const fields = Object.entries(shape).map(([key, value]) =>
        value._def.typeName === "ZodOptional" ? `${key}?: ${describeSchema(value._def.innerType)}` : `${key}: ${describeSchema(value)}`,
      );
      return fields.length ? `{ ${fields.join(", ")} }` : "{}";
    }
    case "ZodString":
      return "string";
    case "ZodNumber":
      return (def.checks as { kind: string }[]).some((c) => c.kind === "int") ? "integer" : "number";
    case "ZodBoolean":
      return "boolean";
    case "ZodEnum":
      return (def.values as string[]).map((v) => JSON.stringify(v)).join(" \\| ");
    case "ZodLiteral":
      return JSON.stringify(def.value);
    case "ZodNullable":
      return `${describeSchema(def.innerType as z.ZodTypeAny)} \\| null`;
    case "ZodOptional":
      return `${describeSchema(def.innerType as z.ZodTypeAny)} (optional)`;
    case "ZodArray":
      return `${describeSchema(def.type as z.ZodTypeAny)}[]`;
    case "ZodUnion": {
      const options = (def.options as z.ZodTypeAny[]).map(describeSchema);
      return options.every((o) => o.startsWith("{")) ? options.join(" or ") : options.join(" \\| ");
    }
    default:
      return def.typeName.replace(/^Zod/, "").toLowerCase();
  }
}

const code = (s: string) => `\`${s}\``;

/** The Markdown block between the markers: one row per event type, then one per handler. */
export function renderEventsTable(subscriptions: readonly EventSubscription[], sources: SourceMap = scanSources()): string {
  const byType = new Map<EventType, string[]>();
  for (const s of subscriptions) for (const type of s.types) byType.set(type, [...(byType.get(type) ?? []), s.name]);
  const lines = [
    "| When … | Event (subject) | Recorded by | Payload | Then, after commit |",
    "| --- | --- | --- | --- | --- |",
  ];
  for (const type of EVENT_TYPES) {
    const spec = EVENTS[type];
    const byFile = new Map<string, Set<string>>();
    for (const p of sources.producers.filter((p) => p.type === type)) byFile.set(p.file, (byFile.get(p.file) ?? new Set()).add(p.fn));
    const producers = [...byFile].map(([file, fns]) => `${[...fns].map(code).join(", ")} (${code(file.replace(/^app\/modules\//, ""))})`).join("; ");
    const handlers = (byType.get(type) ?? []).map(code).join(", ") || "nothing";
    lines.push(`| ${spec.summary} | ${code(type)} (${spec.subject}) | ${producers || "nothing"} | ${describeSchema(spec.payload).replaceAll("`", "")} | ${handlers} |`);
  }
  lines.push("", "| Handler | Declared in | What it does |", "| --- | --- | --- |");
  for (const s of subscriptions) {
    const file = sources.subscriptionFiles.get(s.name) ?? "?";
    lines.push(`| ${code(s.name)} | ${code(file.replace(/^app\/modules\//, ""))} | ${s.summary} |`);
  }
  return lines.join("\n");
}

export const DOC = "docs/architecture.md";
export const BEGIN = "<!-- events:begin (generated by `npm run docs:events` from the event catalogue, the producers and the subscriptions; do not edit by hand) -->";
export const END = "<!-- events:end -->";

/** The generated block as it stands in the document (null when the markers are missing). */
export function committedBlock(doc: string): string | null {
  const start = doc.indexOf(BEGIN);
  const end = doc.indexOf(END);
  if (start < 0 || end < start) return null;
  return doc.slice(start + BEGIN.length, end).trim();
}

/** The document with its block replaced by `table`. */
export function withBlock(doc: string, table: string): string {
  const start = doc.indexOf(BEGIN);
  const end = doc.indexOf(END);
  if (start < 0 || end < start) throw new Error(`${DOC} has no ${BEGIN} … ${END} markers`);
  return `${doc.slice(0, start + BEGIN.length)}\n${table}\n${doc.slice(end)}`;
}

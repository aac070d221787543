import fs from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, test } from "vitest";
import { readMessage, ZOD_MESSAGE_KEYS } from "~/utils/messages.ts";

/**
 * Messages from the rules are catalog keys (ADR 071). Derived from the code, not from a list:
 * - every message key a use case, schema, policy or route can produce (a `"messages.…"` literal, the first
 *   argument of `msg()`, the keys of the Zod error map) has its text in every catalog, in each language's
 *   plural forms when it is counted, and every parameter its English text names is passed by `msg()`;
 * - no English sentence is left where a message is made: the arguments of `invalid()`, `forbidden()`,
 *   `notFound()`, `conflict()`, `rateLimited()`, `unavailable()`, a `message:` property, the message argument
 *   of a Zod check (`.min(3, …)`, `.refine(f, …)`, `errorMap`, `required_error`) or of the text helpers
 *   (`typedText`, `boundedString`, `boundedStrings`, `PostBody`), or a page's `invariantResponse()` (its error page).
 */
const ROOT = path.resolve(import.meta.dirname, "../..");
const LANGUAGES = ["en", "ro", "zh-Hans", "zh-Hant"] as const;
/**
 * Not read by members on a page: configuration errors at start-up (operators), and the JSON API's own
 * schemas and problem titles, which speak English by decision (ADR 071; rules' keys it meets are put in English).
 */
const OPERATOR_FILES = new Set(["app/utils/env.server.ts", "app/modules/sso/sso-config.server.ts", "app/modules/api/api-http.server.ts", "app/modules/api/openapi.server.ts", "app/modules/api/api.schema.ts"]);

type Catalog = Map<string, string>;
function flatten(node: unknown, prefix = "", out: Catalog = new Map()): Catalog {
  if (typeof node === "string") out.set(prefix, node);
  else if (node && typeof node === "object") for (const [k, v] of Object.entries(node)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  return out;
}
const catalogs = Object.fromEntries(LANGUAGES.map((lng) => [lng, flatten(JSON.parse(fs.readFileSync(path.join(ROOT, "app/locales", lng, "common.json"), "utf8")))])) as Record<
  (typeof LANGUAGES)[number],
  Catalog
>;

/** The text of `key` in `lng`: the plain key, or every plural form the language uses. */
function textsOf(lng: (typeof LANGUAGES)[number], key: string): string[] | null {
  const catalog = catalogs[lng];
  const plain = catalog.get(key);
  if (plain !== undefined) return [plain];
  const forms = (new Intl.PluralRules(lng).resolvedOptions().pluralCategories as string[]).map((c) => catalog.get(`${key}_${c}`));
  return forms.every((f) => f !== undefined) ? (forms as string[]) : null;
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "generated" || entry.name === "locales" ? [] : sourceFiles(full);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

const FAILURES = new Set(["invalid", "forbidden", "notFound", "conflict", "rateLimited", "unavailable"]);
const ZOD_CHECKS = new Set(["min", "max", "length", "regex", "refine", "int", "positive", "nonnegative", "email", "url", "nonempty", "startsWith", "endsWith", "includes"]);
const TEXT_HELPERS = new Set(["typedText", "boundedString", "boundedStrings", "PostBody"]);
const MESSAGE_PROPERTIES = new Set(["message", "required_error", "invalid_type_error", "required", "characters"]);
/** A catalog key, as rules write them; anything else in a message position must not be a sentence. */
const KEY = /^[a-z][A-Za-z0-9]*(\.[A-Za-z0-9_]+)+$/;

type Found = { file: string; line: number; text: string };
type MsgCall = Found & { params: string[] | null };

function scan() {
  const keys: Found[] = [];
  const msgCalls: MsgCall[] = [];
  const english: Found[] = [];
  for (const file of sourceFiles(path.join(ROOT, "app"))) {
    const rel = path.relative(ROOT, file);
    const code = fs.readFileSync(file, "utf8");
    // A resource route (no page: a feed, a sitemap, a CSV) answers its errors as plain text, not through the error page.
    const resourceRoute = rel.startsWith("app/routes/") && !/export default/.test(code);
    const source = ts.createSourceFile(file, code, ts.ScriptTarget.Latest, true, file.endsWith(".tsx") ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
    const where = (node: ts.Node) => ({ file: rel, line: source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1 });
    /** String texts an expression can evaluate to (literals, templates, both arms of a conditional, arrays and object values inside). */
    const texts = (node: ts.Node): ts.Node[] => {
      if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateExpression(node)) return [node];
      if (ts.isConditionalExpression(node)) return [...texts(node.whenTrue), ...texts(node.whenFalse)];
      if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken) return [...texts(node.left), ...texts(node.right)];
      if (ts.isArrayLiteralExpression(node)) return node.elements.flatMap(texts);
      if (ts.isObjectLiteralExpression(node)) return node.properties.flatMap((p) => (ts.isPropertyAssignment(p) ? texts(p.initializer) : []));
      if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node)) return texts(node.expression);
      if (ts.isArrowFunction(node) && !ts.isBlock(node.body)) return texts(node.body);
      return [];
    };
    const checkMessage = (node: ts.Node) => {
      if (OPERATOR_FILES.has(rel)) return;
      for (const text of texts(node)) {
        const value = ts.isTemplateExpression(text) ? text.getText(source) : (text as ts.StringLiteral).text;
        if (!KEY.test(value) && /[A-Za-z]{2,}\s+[A-Za-z]{2,}/.test(value)) english.push({ ...where(text), text: value });
      }
    };
    const visit = (node: ts.Node) => {
      if ((ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) && /^messages\./.test(node.text) && KEY.test(node.text)) keys.push({ ...where(node), text: node.text });
      if (ts.isCallExpression(node)) {
        const callee = node.expression;
        const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : "";
        if (name === "msg" && node.arguments[0] && ts.isStringLiteral(node.arguments[0])) {
          const params = node.arguments[1];
          const names =
            params === undefined
              ? []
              : ts.isObjectLiteralExpression(params) && params.properties.every((p) => !ts.isSpreadAssignment(p))
                ? params.properties.map((p) => p.name?.getText(source) ?? "")
                : null; // built elsewhere (atLeastParams): checked by the catalog's placeholder test
          msgCalls.push({ ...where(node), text: node.arguments[0].text, params: names });
        }
        if (ts.isIdentifier(callee) && FAILURES.has(name)) node.arguments.forEach((arg) => checkMessage(arg));
        if (ts.isPropertyAccessExpression(callee) && ZOD_CHECKS.has(name)) node.arguments.slice(name === "email" || name === "url" || name === "int" || name === "positive" || name === "nonnegative" || name === "nonempty" ? 0 : 1).forEach((arg) => checkMessage(arg));
        if (ts.isIdentifier(callee) && TEXT_HELPERS.has(name)) node.arguments.slice(name === "PostBody" ? 0 : 1, name === "PostBody" ? 1 : 2).forEach((arg) => checkMessage(arg));
        if (ts.isIdentifier(callee) && name === "runStateChange") checkMessage(node.arguments[4] ?? node);
        // A loader's 404/403 is shown by the error page (GeneralErrorBoundary translates it).
        if (ts.isIdentifier(callee) && name === "invariantResponse" && !resourceRoute && node.arguments[1]) checkMessage(node.arguments[1]);
      }
      if (ts.isPropertyAssignment(node) && MESSAGE_PROPERTIES.has(node.name.getText(source))) checkMessage(node.initializer);
      if (ts.isPropertyAssignment(node) && node.name.getText(source) === "errorMap") checkMessage(node.initializer);
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return { keys, msgCalls, english };
}

const { keys, msgCalls, english } = scan();
const produced = [...new Set([...keys.map((k) => k.text), ...msgCalls.map((c) => c.text), ...ZOD_MESSAGE_KEYS])].sort();

describe("messages from the rules", () => {
  test("the scan finds the rules' messages (a guard against a scan that finds nothing)", () => {
    expect(produced.length).toBeGreaterThan(200);
    expect(produced).toEqual(expect.arrayContaining(["messages.content.writeAtLeast", "messages.questions.bodyRequired", "messages.field.tooShort"]));
  });

  test.each(LANGUAGES)("every key the code can produce has its text in the %s catalog", (lng) => {
    const missing = produced.filter((key) => textsOf(lng, key) === null).map((key) => {
      const at = [...keys, ...msgCalls].find((k) => k.text === key);
      return `${key} (${at ? `${at.file}:${at.line}` : "the Zod error map"})`;
    });
    expect(missing, `message keys with no text in app/locales/${lng}/common.json`).toEqual([]);
  });

  test("msg() passes every parameter its English text names", () => {
    const wrong: string[] = [];
    for (const call of msgCalls) {
      if (call.params === null) continue;
      for (const text of textsOf("en", call.text) ?? []) {
        const needed = [...text.matchAll(/\{\{\s*([\w]+)[^}]*\}\}/g)].map((m) => m[1]!);
        const absent = needed.filter((name) => !call.params!.includes(name));
        if (absent.length) wrong.push(`${call.file}:${call.line} ${call.text} lacks ${absent.join(", ")}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  test("no English sentence is left where a rule makes a message", () => {
    expect(english.map((e) => `${e.file}:${e.line} ${JSON.stringify(e.text)}`), "write a messages.* key (msg() for parameters) and its text in the four catalogs").toEqual([]);
  });

  test("a message with parameters reads back as its key and parameters", () => {
    expect(readMessage('messages.field.tooShort {"count":20}')).toEqual({ key: "messages.field.tooShort", params: { count: 20 } });
    expect(readMessage("Write the text")).toBeNull();
    expect(readMessage('messages.x {"broken"')).toBeNull();
  });
});

import path from "node:path";
import Validator from "@adobe/structured-data-validator";
import ts from "typescript";

/**
 * Checks for schema.org JSON-LD in tests (ADR 054):
 *
 * 1. `vocabularyErrors()`: the maintained validator `@adobe/structured-data-validator` over the whole
 *    schema.org vocabulary: every @type is a schema.org type and every property is defined for it
 *    (inherited ones included), and Google's rules the validator knows for the types we nest
 *    (BreadcrumbList, ListItem, Person, Organization). A typo such as "upvoteCounts" fails.
 *    The validator wants the vocabulary as schema.org publishes it (`@graph` of rdfs:Class and
 *    rdf:Property). Nothing can be downloaded at test time and no npm package ships that file, so it
 *    is built from `schema-dts` (a maintained package generated from the schema.org release, the same
 *    one that types our builders in app/modules/seo/structured-data.ts): each `<Type>Leaf` interface of
 *    its declarations is a type, its properties with those of the interfaces it extends. Read with the
 *    TypeScript parser only (no type checker), once per test file.
 * 2. `googleErrors()`: the fields Google Search requires (and the ones it recommends that we promise)
 *    for QAPage, Article and BreadcrumbList rich results, with the value types Google asks for. The
 *    validator has no QAPage, Question, Answer or Article rules, so these stay ours.
 */

type Obj = Record<string, unknown>;
type Issue = { issueMessage: string; severity: "ERROR" | "WARNING"; path?: { type: string }[]; fieldNames?: string[] };

/** schema.org types and their properties, as `schema-dts` declares them. */
export function schemaDtsVocabulary(): Map<string, Set<string>> {
  const file = path.resolve("node_modules/schema-dts/dist/schema.d.ts");
  const source = ts.createSourceFile(file, ts.sys.readFile(file) ?? "", ts.ScriptTarget.Latest, false);
  const interfaces = new Map<string, { own: string[]; parents: string[] }>();
  ts.forEachChild(source, (node) => {
    if (!ts.isInterfaceDeclaration(node)) return;
    const own = node.members.filter(ts.isPropertySignature).map((m) => (ts.isStringLiteral(m.name) || ts.isIdentifier(m.name) ? m.name.text : ""));
    const parents = (node.heritageClauses ?? []).flatMap((h) => h.types.map((t) => t.expression.getText(source)));
    interfaces.set(node.name.text, { own, parents });
  });
  const closure = (name: string, seen = new Set<string>()): Set<string> => {
    const decl = interfaces.get(name);
    if (!decl || seen.has(name)) return new Set();
    seen.add(name);
    return new Set([...decl.own, ...decl.parents.flatMap((p) => [...closure(p, seen)])]);
  };
  const vocabulary = new Map<string, Set<string>>();
  for (const name of interfaces.keys()) {
    if (!name.endsWith("Leaf")) continue;
    vocabulary.set(name.slice(0, -"Leaf".length), new Set([...closure(name)].filter((p) => p && !p.startsWith("@"))));
  }
  return vocabulary;
}

/** The vocabulary in schema.org's own JSON-LD release format, which the validator reads. */
function schemaOrgGraph(vocabulary: Map<string, Set<string>>) {
  const domains = new Map<string, string[]>();
  for (const [type, properties] of vocabulary) for (const p of properties) domains.set(p, [...(domains.get(p) ?? []), type]);
  return {
    "@graph": [
      ...[...vocabulary.keys()].map((type) => ({ "@id": `schema:${type}`, "@type": "rdfs:Class" })),
      ...[...domains].map(([property, types]) => ({ "@id": `schema:${property}`, "@type": "rdf:Property", "schema:domainIncludes": types.map((t) => ({ "@id": `schema:${t}` })) })),
    ],
  };
}

let validator: Validator | undefined;

/** Every issue the validator finds in one JSON-LD block (errors and warnings alike), as readable lines. */
export async function vocabularyErrors(node: unknown): Promise<string[]> {
  if (typeof node !== "object" || node === null || Array.isArray(node)) return ["$: not an object"];
  const block = node as Obj;
  const errors: string[] = [];
  if (block["@context"] !== "https://schema.org") errors.push("$: @context is not https://schema.org");
  if (typeof block["@type"] !== "string") return [...errors, "$: no @type"];
  validator ??= new Validator(schemaOrgGraph(schemaDtsVocabulary()));
  // The shape @marbec/web-auto-extractor gives the validator: blocks by format and root type. A copy: it edits what it reads.
  const issues = (await validator.validate({ jsonld: { [block["@type"]]: [structuredClone(block)] } })) as Issue[];
  return [...errors, ...issues.map((i) => `${i.severity} ${(i.path ?? []).map((p) => p.type).join(" > ")}: ${i.issueMessage}`)];
}

const isInteger = (v: unknown) => Number.isInteger(v) && (v as number) >= 0;
const isDateTime = (v: unknown) => typeof v === "string" && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(v);
const isUrl = (v: unknown) => typeof v === "string" && /^https?:\/\/\S+$/.test(v) && URL.canParse(v);

/** Google's value types for the fields it reads. */
function valueErrors(obj: Obj | undefined, fields: Record<string, (v: unknown) => boolean>, path: string): string[] {
  if (!obj) return [];
  return Object.entries(fields)
    .filter(([f, ok]) => obj[f] !== undefined && !ok(obj[f]))
    .map(([f]) => `${path}.${f}: ${JSON.stringify(obj[f])?.slice(0, 60)} has the wrong type`);
}

function need(obj: Record<string, unknown> | undefined, fields: string[], path: string): string[] {
  if (!obj) return [`${path}: missing`];
  return fields.filter((f) => obj[f] === undefined || obj[f] === "" || obj[f] === null).map((f) => `${path}.${f}: required by Google`);
}

/** Google Search's required (and promised recommended) fields per rich-result type. */
export function googleErrors(doc: Obj): string[] {
  const errors: string[] = [];
  if (doc["@type"] === "QAPage") {
    const q = doc.mainEntity as Obj | undefined;
    errors.push(...need(doc, ["mainEntity"], "$"));
    if (q) {
      if (q["@type"] !== "Question") errors.push("$.mainEntity: must be a Question");
      errors.push(...need(q, ["name", "text", "answerCount", "datePublished", "author"], "$.mainEntity"));
      if (!q.acceptedAnswer && !q.suggestedAnswer) errors.push("$.mainEntity: needs acceptedAnswer or suggestedAnswer");
      if (typeof q.answerCount === "number" && q.answerCount < 1) errors.push("$.mainEntity.answerCount: a QAPage needs an answer");
      errors.push(...need(q.author as Obj, ["name"], "$.mainEntity.author"));
      errors.push(...valueErrors(q, { name: (v) => typeof v === "string", text: (v) => typeof v === "string", answerCount: isInteger, upvoteCount: isInteger, dateCreated: isDateTime, datePublished: isDateTime }, "$.mainEntity"));
      errors.push(...valueErrors(q.author as Obj, { url: isUrl }, "$.mainEntity.author"));
      const answers = [...(q.acceptedAnswer ? [q.acceptedAnswer] : []), ...((q.suggestedAnswer as Obj[] | undefined) ?? [])] as Obj[];
      answers.forEach((a, i) => {
        errors.push(...need(a, ["text", "author", "datePublished", "url", "upvoteCount"], `$.answer[${i}]`));
        errors.push(...need(a.author as Obj, ["name", "url"], `$.answer[${i}].author`));
        errors.push(...valueErrors(a, { text: (v) => typeof v === "string", upvoteCount: isInteger, url: isUrl, dateCreated: isDateTime, datePublished: isDateTime }, `$.answer[${i}]`));
        errors.push(...valueErrors(a.author as Obj, { url: isUrl }, `$.answer[${i}].author`));
      });
    }
  } else if (doc["@type"] === "Article") {
    errors.push(...need(doc, ["headline", "datePublished", "dateModified", "author"], "$"));
    if (typeof doc.headline === "string" && doc.headline.length > 110) errors.push("$.headline: longer than 110 characters");
    errors.push(...need(doc.author as Obj, ["name", "url"], "$.author"));
    errors.push(...valueErrors(doc, { datePublished: isDateTime, dateModified: isDateTime, url: isUrl }, "$"));
    errors.push(...valueErrors(doc.author as Obj, { url: isUrl }, "$.author"));
  } else if (doc["@type"] === "BreadcrumbList") {
    const items = (doc.itemListElement as Obj[] | undefined) ?? [];
    if (items.length < 2) errors.push("$.itemListElement: at least two crumbs");
    items.forEach((it, i) => {
      errors.push(...need(it, ["position", "name", ...(i < items.length - 1 ? ["item"] : [])], `$.itemListElement[${i}]`));
      if (it.position !== i + 1) errors.push(`$.itemListElement[${i}].position: expected ${i + 1}`);
      errors.push(...valueErrors(it, { item: isUrl }, `$.itemListElement[${i}]`));
    });
  } else errors.push(`$: no Google rules for ${String(doc["@type"])}`);
  return errors;
}

/** The JSON-LD blocks of an HTML page, parsed. */
export function jsonLdBlocks(html: string): Obj[] {
  return [...html.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)].map((m) => JSON.parse(m[1]!) as Obj);
}

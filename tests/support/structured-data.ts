/**
 * Checks for schema.org JSON-LD in tests (ADR 054):
 *
 * 1. `vocabularyErrors()`: every @type is a schema.org type, every property is defined on that type or
 *    an ancestor, and every value is of a type the property's range allows (Text, Integer, URL,
 *    DateTime, or an object whose @type is the expected type or a subtype). The vocabulary below is
 *    copied from schema.org (the types and properties we emit, with their inheritance, as published in
 *    the schema.org release files); a typo such as "upvoteCounts" or a string where an Integer belongs
 *    fails. When a maintained validator package is added to the project (asked for: see ADR 054), it
 *    plugs in here, beside this check.
 * 2. `googleErrors()`: the fields Google Search requires (and the ones it recommends that we promise)
 *    for QAPage, Article and BreadcrumbList rich results.
 */

type Range = "Text" | "Integer" | "URL" | "DateTime" | string;
type TypeDef = { parent: string | null; properties: Record<string, Range[]> };

// https://schema.org/<Type> — only the properties we use, each with its schema.org range.
const VOCABULARY: Record<string, TypeDef> = {
  Thing: { parent: null, properties: { name: ["Text"], url: ["URL"], description: ["Text"], mainEntityOfPage: ["URL", "CreativeWork"] } },
  CreativeWork: {
    parent: "Thing",
    properties: {
      author: ["Person", "Organization"],
      dateCreated: ["DateTime"],
      datePublished: ["DateTime"],
      dateModified: ["DateTime"],
      headline: ["Text"],
      text: ["Text"],
      publisher: ["Person", "Organization"],
      upvoteCount: ["Integer"],
      mainEntity: ["Thing"],
      commentCount: ["Integer"],
      inLanguage: ["Text"],
    },
  },
  WebPage: { parent: "CreativeWork", properties: { breadcrumb: ["BreadcrumbList", "Text"] } },
  QAPage: { parent: "WebPage", properties: {} },
  Comment: { parent: "CreativeWork", properties: { upvoteCount: ["Integer"], downvoteCount: ["Integer"] } },
  Question: { parent: "Comment", properties: { answerCount: ["Integer"], acceptedAnswer: ["Answer", "ItemList"], suggestedAnswer: ["Answer", "ItemList"] } },
  Answer: { parent: "Comment", properties: {} },
  Article: { parent: "CreativeWork", properties: { articleBody: ["Text"] } },
  Person: { parent: "Thing", properties: {} },
  Organization: { parent: "Thing", properties: {} },
  ItemList: { parent: "Thing", properties: { itemListElement: ["ListItem", "Text", "Thing"], numberOfItems: ["Integer"] } },
  BreadcrumbList: { parent: "ItemList", properties: {} },
  ListItem: { parent: "Thing", properties: { position: ["Integer", "Text"], item: ["Thing", "URL"] } },
};

function isSubtype(type: string, expected: string): boolean {
  for (let t: string | null = type; t; t = VOCABULARY[t]?.parent ?? null) if (t === expected) return true;
  return false;
}

function propertyRange(type: string, property: string): Range[] | null {
  for (let t: string | null = type; t; t = VOCABULARY[t]?.parent ?? null) {
    const range = VOCABULARY[t]?.properties[property];
    if (range) return range;
  }
  return null;
}

function valueFits(value: unknown, range: Range[]): boolean {
  return range.some((r) => {
    if (r === "Text") return typeof value === "string";
    if (r === "Integer") return Number.isInteger(value);
    if (r === "URL") return typeof value === "string" && /^https?:\/\/[^\s]+$/.test(value) && !!URL.canParse(value);
    if (r === "DateTime") return typeof value === "string" && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(value);
    return typeof value === "object" && value !== null && typeof (value as { "@type"?: unknown })["@type"] === "string" && isSubtype((value as { "@type": string })["@type"], r);
  });
}

export function vocabularyErrors(node: unknown, path = "$"): string[] {
  if (typeof node !== "object" || node === null || Array.isArray(node)) return [`${path}: not an object`];
  const record = node as Record<string, unknown>;
  const errors: string[] = [];
  if (path === "$" && record["@context"] !== "https://schema.org") errors.push(`${path}: @context is not https://schema.org`);
  const type = record["@type"];
  if (typeof type !== "string" || !VOCABULARY[type]) return [...errors, `${path}: unknown @type ${String(type)}`];
  for (const [key, value] of Object.entries(record)) {
    if (key.startsWith("@")) continue;
    const range = propertyRange(type, key);
    if (!range) {
      errors.push(`${path}.${key}: not a property of ${type}`);
      continue;
    }
    for (const [i, item] of (Array.isArray(value) ? value : [value]).entries()) {
      const at = Array.isArray(value) ? `${path}.${key}[${i}]` : `${path}.${key}`;
      if (!valueFits(item, range)) errors.push(`${at}: ${JSON.stringify(item)?.slice(0, 80)} is not ${range.join(" or ")}`);
      else if (typeof item === "object" && item !== null) errors.push(...vocabularyErrors(item, at));
    }
  }
  return errors;
}

function need(obj: Record<string, unknown> | undefined, fields: string[], path: string): string[] {
  if (!obj) return [`${path}: missing`];
  return fields.filter((f) => obj[f] === undefined || obj[f] === "" || obj[f] === null).map((f) => `${path}.${f}: required by Google`);
}

type Obj = Record<string, unknown>;

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
      const answers = [...(q.acceptedAnswer ? [q.acceptedAnswer] : []), ...((q.suggestedAnswer as Obj[] | undefined) ?? [])] as Obj[];
      answers.forEach((a, i) => {
        errors.push(...need(a, ["text", "author", "datePublished", "url", "upvoteCount"], `$.answer[${i}]`));
        errors.push(...need(a.author as Obj, ["name", "url"], `$.answer[${i}].author`));
      });
    }
  } else if (doc["@type"] === "Article") {
    errors.push(...need(doc, ["headline", "datePublished", "dateModified", "author"], "$"));
    if (typeof doc.headline === "string" && doc.headline.length > 110) errors.push("$.headline: longer than 110 characters");
    errors.push(...need(doc.author as Obj, ["name", "url"], "$.author"));
  } else if (doc["@type"] === "BreadcrumbList") {
    const items = (doc.itemListElement as Obj[] | undefined) ?? [];
    if (items.length < 2) errors.push("$.itemListElement: at least two crumbs");
    items.forEach((it, i) => {
      errors.push(...need(it, ["position", "name", ...(i < items.length - 1 ? ["item"] : [])], `$.itemListElement[${i}]`));
      if (it.position !== i + 1) errors.push(`$.itemListElement[${i}].position: expected ${i + 1}`);
    });
  } else errors.push(`$: no Google rules for ${String(doc["@type"])}`);
  return errors;
}

/** The JSON-LD blocks of an HTML page, parsed. */
export function jsonLdBlocks(html: string): Obj[] {
  return [...html.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)].map((m) => JSON.parse(m[1]!) as Obj);
}

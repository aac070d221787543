import fs from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, test } from "vitest";

/**
 * The catalogs (ADR 055): every language has every English key (in its own plural forms, by
 * Intl.PluralRules, as i18next resolves them), no language keeps a key English no longer has, every
 * translation keeps the English placeholders, and every English key is used by the code.
 *
 * When a new page adds English keys, this test names each missing key with its English text, per
 * language, so the translations can be written straight from the failure message.
 */
const ROOT = path.resolve(import.meta.dirname, "../..");
const LOCALES = path.join(ROOT, "app/locales");
const TRANSLATIONS = ["ro", "zh-Hans", "zh-Hant"] as const;
const PLURAL = /_(zero|one|two|few|many|other)$/;

/**
 * Keys the code builds at run time. Each template of a `t()` key with `${…}` in app/ must match one
 * of these (the test lists any that does not), and the catalog keys each one covers count as used.
 */
const DYNAMIC_KEYS: { template: RegExp; keys: RegExp }[] = [
  { template: /^notifications\.groups\.\$\{[^}]+\}\.(label|hint)$/, keys: /^notifications\.groups\.[a-z_]+\.(label|hint)$/ },
  { template: /^notifications\.delivery\.\$\{[^}]+\}$/, keys: /^notifications\.delivery\.[a-z_]+$/ },
  { template: /^notifications\.email\.digest\.\$\{[^}]+\}$/, keys: /^notifications\.email\.digest\.(daily|weekly)$/ },
  { template: /^notifications\.(text|grouped|reason)\.\$\{[^}]+\}$/, keys: /^notifications\.(text|grouped|reason)\.[a-z_]+$/ },
  { template: /^notifications\.watch\.(type|reason)\.\$\{[^}]+\}$/, keys: /^notifications\.watch\.(type|reason)\.[a-z_]+$/ },
  { template: /^reputation\.badge\.\$\{[^}]+\}\.(name|rule)$/, keys: /^reputation\.badge\.[a-z_]+\.(name|rule)$/ },
  { template: /^reputation\.(privilege|reason|level|period|by)\.\$\{[^}]+\}$/, keys: /^reputation\.(privilege|reason|level|period|by)\.[A-Za-z_]+$/ },
  { template: /^roles\.\$\{[^}]+\}$/, keys: /^roles\.[a-z]+$/ },
  { template: /^statuses\.\$\{[^}]+\}$/, keys: /^statuses\.[a-z]+$/ },
  { template: /^questions\.(filter|sort)\.\$\{[^}]+\}$/, keys: /^questions\.(filter|sort)\.[a-z]+$/ },
  { template: /^search\.type\.\$\{[^}]+\}$/, keys: /^search\.type\.[a-z]+$/ },
  { template: /^kb\.status\.\$\{[^}]+\}$/, keys: /^kb\.status\.[a-z]+$/ },
  { template: /^dashboard\.(preset|figure|change|chart|col)\.\$\{[^}]+\}(\.(label|definition))?$/, keys: /^dashboard\.(preset\.\w+|figure\.\w+\.(label|definition)|change\.\w+|chart\.(day|week)|col\.\w+)$/ },
  { template: /^errors\.body\.\$\{[^}]+\}$/, keys: /^errors\.body\.(tooLarge|tooManyFields|encoding)$/ },
  { template: /^editor\.\$\{[^}]+\}$/, keys: /^editor\.\w+$/ },
  { template: /^flags\.(reasons|statuses|kinds|held|outcomes)\.\$\{[^}]+\}$/, keys: /^flags\.(reasons|statuses|kinds|held|outcomes)\.[a-z_]+$/ },
  { template: /^threadStates\.reason\.\$\{[^}]+\}$/, keys: /^threadStates\.reason\.[a-z_]+$/ },
  { template: /^support\.(status|priority|source|outcome)\.\$\{[^}]+\}$/, keys: /^support\.(status|priority|source|outcome)\.[a-z_]+$/ },
  { template: /^support\.thread\.state\.\$\{[^}]+\}$/, keys: /^support\.thread\.state\.[a-z_]+$/ },
  { template: /^support\.ticket\.(kind|send)\.\$\{[^}]+\}$/, keys: /^support\.ticket\.(kind|send)\.[a-z_]+$/ },
  { template: /^support\.journey\.kind\.\$\{[^}]+\}$/, keys: /^support\.journey\.kind\.[a-z_]+(\.[a-z_]+)?$/ },
  { template: /^support\.notifications\.(reason\.)?\$\{[^}]+\}$/, keys: /^support\.notifications\.(reason\.)?[a-z_]+$/ },
  { template: /^apiKeys\.scopes\.\$\{[^}]+\}$/, keys: /^apiKeys\.scopes\.[a-z]+$/ },
  { template: /^audit\.(columns|actions|targets)\.\$\{[^}]+\}$/, keys: /^audit\.(columns\.[a-z]+|targets\.[a-z_]+|actions\.[a-z_]+\.[a-z_]+)$/ },
  { template: /^webhooks\.(statuses|done)\.\$\{[^}]+\}$/, keys: /^webhooks\.(statuses|done)\.[a-z]+$/ },
  { template: /^moderationNotices\.(text|reason|closeReason)\.\$\{[^}]+\}(\.\$\{[^}]+\})?$/, keys: /^moderationNotices\.(text|reason|closeReason)\.[a-z_]+(\.(answer|question))?$/ },
];

/** Texts that are the same word in the other languages: the product's name, a loanword. */
const SAME_AS_ENGLISH = new Set(["site.name", "account.device", "roles.moderator"]);

type Catalog = Map<string, string>;

function flatten(node: unknown, prefix = "", out: Catalog = new Map()): Catalog {
  if (typeof node === "string") out.set(prefix, node);
  else if (node && typeof node === "object") for (const [k, v] of Object.entries(node)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  return out;
}

const load = (lng: string) => flatten(JSON.parse(fs.readFileSync(path.join(LOCALES, lng, "common.json"), "utf8")));
const en = load("en");
/**
 * English plural keys come as `_one` and `_other` pairs. A name that only ends like a plural form (the audit
 * action "post.edited_by_other") has no `_one` beside it: it is a plain key, looked up as it is.
 */
const englishPlurals = new Set([...en.keys()].filter((key) => key.endsWith("_one") && en.has(key.replace(/_one$/, "_other"))).map((key) => key.replace(/_one$/, "")));
const base = (key: string) => {
  const stripped = key.replace(PLURAL, "");
  // A translation may give plural forms to a key that is plain in English ("reputation.needs").
  if (stripped === key || englishPlurals.has(stripped) || en.has(stripped)) return stripped;
  return en.has(key) ? key : stripped;
};
const placeholders = (text: string) => new Set([...text.matchAll(/\{\{\s*([\w.]+)[^}]*\}\}/g)].map((m) => m[1]!));

/** English keys grouped by base key: plural (has _one/_other) or plain. */
const englishBases = new Map<string, { plural: boolean; sample: string }>();
for (const [key, text] of en) {
  const b = base(key);
  const plural = b !== key;
  const known = englishBases.get(b);
  englishBases.set(b, { plural: plural || (known?.plural ?? false), sample: known?.sample ?? text });
}

describe.each(TRANSLATIONS)("the %s catalog", (lng) => {
  const catalog = load(lng);
  const categories = new Intl.PluralRules(lng).resolvedOptions().pluralCategories as string[];

  test("has every English key, in this language's plural forms", () => {
    const missing: string[] = [];
    for (const [b, { plural, sample }] of englishBases) {
      const forms = categories.map((c) => `${b}_${c}`);
      const hasAllForms = forms.every((f) => catalog.has(f));
      if (plural ? !hasAllForms : !(catalog.has(b) || hasAllForms)) {
        const needed = plural ? forms.filter((f) => !catalog.has(f)) : [b];
        for (const key of needed) missing.push(`  ${key}: ${JSON.stringify(sample)}`);
      }
    }
    expect(missing, `${missing.length} key(s) missing from app/locales/${lng}/common.json (English text shown):\n${missing.join("\n")}\n`).toEqual([]);
  });

  test("has no key English does not have, and no plural form the language does not use", () => {
    const extra = [...catalog.keys()].filter((key) => {
      if (!englishBases.has(base(key))) return true;
      const suffix = base(key) === key ? undefined : PLURAL.exec(key)?.[1];
      return suffix !== undefined && !categories.includes(suffix);
    });
    expect(extra, `keys in app/locales/${lng}/common.json that no code can reach (${lng} plural forms: ${categories.join(", ")})`).toEqual([]);
  });

  test("keeps the English placeholders in every translation", () => {
    const wrong: string[] = [];
    for (const [key, text] of catalog) {
      const english = en.get(key) ?? en.get(`${base(key)}_other`) ?? en.get(base(key));
      if (english === undefined) continue;
      const want = placeholders(english);
      const got = placeholders(text);
      // A plural form may leave the number out ("Ultima zi" for one day); nothing else may go missing or be invented.
      const lost = [...want].filter((p) => !got.has(p) && !(p === "count" && PLURAL.test(key)));
      const invented = [...got].filter((p) => !want.has(p) && !(p === "count" && PLURAL.test(key)));
      if (lost.length || invented.length) wrong.push(`${key}: ${JSON.stringify(text)} (English: ${JSON.stringify(english)})`);
    }
    expect(wrong).toEqual([]);
  });

  test("is translated, not copied: most texts differ from English", () => {
    // Texts that are only placeholders, names and units ("{{name}} (@{{handle}})", "{{value}} min") may stay as they are.
    const words = (text: string) => text.replace(/\{\{[^}]*\}\}/g, "").replace(/[^\p{L}]+/gu, "");
    const same = [...catalog].filter(([key, text]) => words(text).length > 6 && text === en.get(key) && !SAME_AS_ENGLISH.has(key));
    expect(same.map(([key]) => key)).toEqual([]);
  });
});

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "generated" || entry.name === "locales" ? [] : sourceFiles(full);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

/** Every string literal of app/ that names a catalog key, and every key template built with `${…}`. */
function scanSource(): { literals: Set<string>; templates: { file: string; text: string }[]; calls: { file: string; key: string }[] } {
  const literals = new Set<string>();
  const calls: { file: string; key: string }[] = [];
  const templates: { file: string; text: string }[] = [];
  const firstSegments = new Set([...englishBases.keys()].map((k) => k.split(".")[0]!));
  for (const file of sourceFiles(path.join(ROOT, "app"))) {
    const source = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true, file.endsWith(".tsx") ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
    const visit = (node: ts.Node) => {
      if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) literals.add(node.text);
      // t("a.b"), i18n.t("a.b"), translate(t, "a.b"): the key must exist in English.
      if (ts.isCallExpression(node)) {
        const callee = node.expression.getText(source);
        const arg = /(^|\.)t$/.test(callee) ? node.arguments[0] : callee === "translate" ? node.arguments[1] : undefined;
        if (arg && (ts.isStringLiteral(arg) || ts.isNoSubstitutionTemplateLiteral(arg))) calls.push({ file: path.relative(ROOT, file), key: arg.text });
      }
      else if (ts.isTemplateExpression(node)) {
        const text = node.head.text + node.templateSpans.map((s) => "${" + s.expression.getText(source) + "}" + s.literal.text).join("");
        if (/^[a-zA-Z]+\./.test(text) && firstSegments.has(text.split(".")[0]!)) templates.push({ file: path.relative(ROOT, file), text });
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return { literals, templates, calls };
}

describe("the English catalog", () => {
  const { literals, templates, calls } = scanSource();

  test("has every key the code asks for", () => {
    const missing = calls.filter(({ key }) => !englishBases.has(key)).map(({ file, key }) => `${file}: ${key}`);
    expect(missing, "t() keys with no text in app/locales/en/common.json").toEqual([]);
  });

  test("every key template the code builds is declared in DYNAMIC_KEYS", () => {
    const undeclared = templates.filter(({ text }) => !DYNAMIC_KEYS.some((d) => d.template.test(text))).map(({ file, text }) => `${file}: \`${text}\``);
    expect(undeclared, "add these to DYNAMIC_KEYS in tests/unit/locale-catalogs.test.ts, with the keys each can build").toEqual([]);
  });

  test("every key is used by the code", () => {
    const dynamic = DYNAMIC_KEYS.filter((d) => templates.some(({ text }) => d.template.test(text)));
    const unused = [...englishBases.keys()].filter((b) => !literals.has(b) && !dynamic.some((d) => d.keys.test(b)));
    expect(unused, "keys in app/locales/en/common.json that no code uses: remove them from every catalog").toEqual([]);
  });
});

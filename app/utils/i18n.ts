import i18next, { type i18n, type Resource, type ResourceKey } from "i18next";
import { initReactI18next } from "react-i18next";
import en from "~/locales/en/common.json";
import ro from "~/locales/ro/common.json";
import zhHans from "~/locales/zh-Hans/common.json";
import zhHant from "~/locales/zh-Hant/common.json";
// Installs the Zod error map that reports with catalog keys (ADR 071), in the browser and on the server.
import "./messages.ts";

/**
 * All UI and e-mail text goes through i18next (docs/decisions/009-i18n.md, 055-languages.md): one
 * catalog per language under app/locales/<lng>/common.json, plurals by i18next's Intl.PluralRules
 * suffixes (`_one`, `_few`, `_other`…), dates and numbers by Intl in the same language.
 */
export const SUPPORTED_LANGUAGES = ["en", "ro", "zh-Hans", "zh-Hant"] as const;
export type Language = (typeof SUPPORTED_LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = "en";

/**
 * The pseudo-locale: English with accented letters inside ⟦ ⟧, made from the English catalog. It is
 * only ever chosen when the server runs with PSEUDO_LOCALE=1 (the end-to-end tests), so any English
 * text on a page in that language bypassed the catalogs (tests/e2e/pseudo-locale.test.ts).
 */
export const PSEUDO_LANGUAGE = "en-XA";

/** Each language's own name, as the switcher shows it (never translated). */
export const LANGUAGE_NAMES: Record<Language, string> = { en: "English", ro: "Română", "zh-Hans": "简体中文", "zh-Hant": "繁體中文" };

export const resources = {
  en: { common: en },
  ro: { common: ro },
  "zh-Hans": { common: zhHans },
  "zh-Hant": { common: zhHant },
} as const;

const ACCENTS: Record<string, string> = {
  a: "á", b: "ƀ", c: "ç", d: "ð", e: "é", f: "ƒ", g: "ĝ", h: "ĥ", i: "í", j: "ĵ", k: "ķ", l: "ĺ", m: "ɱ", n: "ñ", o: "ó", p: "þ", q: "ǫ", r: "ŕ", s: "š", t: "ţ", u: "ú", v: "ṽ", w: "ŵ", x: "ẋ", y: "ý", z: "ž",
  A: "Á", B: "Ɓ", C: "Ç", D: "Ð", E: "É", F: "Ƒ", G: "Ĝ", H: "Ĥ", I: "Í", J: "Ĵ", K: "Ķ", L: "Ĺ", M: "Ṁ", N: "Ñ", O: "Ó", P: "Þ", Q: "Ǫ", R: "Ŕ", S: "Š", T: "Ţ", U: "Ú", V: "Ṽ", W: "Ŵ", X: "Ẋ", Y: "Ý", Z: "Ž",
};

/** "Sign in {{name}}" → "⟦Šíĝñ íñ {{name}}⟧": placeholders and nesting stay intact. */
export function pseudoText(text: string): string {
  if (text === "") return text;
  const accented = text
    .split(/(\{\{[^}]*\}\}|\$t\([^)]*\))/)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(/[A-Za-z]/g, (c) => ACCENTS[c] ?? c)))
    .join("");
  return `⟦${accented}⟧`;
}

function pseudoCatalog(node: ResourceKey): ResourceKey {
  if (typeof node === "string") return pseudoText(node);
  if (node && typeof node === "object") return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, pseudoCatalog(v as ResourceKey)]));
  return node;
}

let pseudoResources: Resource | null = null;
function resourcesFor(lng: string): Resource {
  if (lng !== PSEUDO_LANGUAGE) return resources as unknown as Resource;
  pseudoResources ??= { ...(resources as unknown as Resource), [PSEUDO_LANGUAGE]: { common: pseudoCatalog(en as ResourceKey) } };
  return pseudoResources;
}

/** Server side: the pseudo-locale is offered only when the process was started with PSEUDO_LOCALE=1. */
export function pseudoEnabled(): boolean {
  return typeof process !== "undefined" && process.env?.PSEUDO_LOCALE === "1";
}

const instances = new Map<string, i18n>();

/**
 * The i18next instance for a language. Instances are made once and shared: building one per request
 * cost ~9% of a page's server time. Nothing per-request is stored on them (the language is fixed).
 */
export function getI18n(lng: string): i18n {
  let instance = instances.get(lng);
  if (!instance) {
    instance = createI18n(lng);
    instances.set(lng, instance);
  }
  return instance;
}

export function createI18n(lng: string): i18n {
  const language = lng === PSEUDO_LANGUAGE ? lng : toLanguage(lng);
  const instance = i18next.createInstance();
  void instance.use(initReactI18next).init({
    lng: language,
    fallbackLng: DEFAULT_LANGUAGE,
    supportedLngs: [...SUPPORTED_LANGUAGES, PSEUDO_LANGUAGE],
    // "zh-Hans" is a language of its own here, not a region of "zh".
    nonExplicitSupportedLngs: false,
    load: "currentOnly",
    defaultNS: "common",
    ns: ["common"],
    resources: resourcesFor(language),
    interpolation: { escapeValue: false },
    initAsync: false,
    showSupportNotice: false,
  });
  memoizePlainKeys(instance);
  return instance;
}

/** Distinct plain keys remembered per instance (the catalog bounds them); past this, a call is translated anew. */
const MEMOIZED_KEYS_MAX = 5_000;
/** Calls with values (a name, a count) remembered per instance; the set starts again when it is full. */
const MEMOIZED_CALLS_MAX = 2_000;
/** Scopes (language, namespace, key prefix) whose translator is kept; the app uses a handful. */
const MEMOIZED_SCOPES_MAX = 64;

/**
 * `t(key)` always gives the same text for an instance (its language is fixed, its resources never change), and
 * so does `t(key, { count: 3, name: "Ioana" })` for the same values, yet each i18next call copies the instance's
 * whole options object: ~3 ms of a signed-in thread page's server time (issue 25, ADR 075). The functions
 * `useTranslation()` gets remember those texts: plain keys in one map, calls whose options are all strings,
 * numbers or booleans in another (cleared when full); any other call goes to i18next as before.
 */
function memoizePlainKeys(instance: i18n): void {
  type Translate = ((...args: unknown[]) => unknown) & { lng?: unknown; lngs?: unknown; ns?: unknown; keyPrefix?: unknown };
  const getFixedT = instance.getFixedT.bind(instance) as unknown as (...args: unknown[]) => Translate;
  let plainCount = 0;
  const calls = new Map<string, string>();
  // One translator per scope (language, namespace, key prefix): react-i18next asks for one on every
  // `useTranslation()` call, and making it anew (i18next's closure, then ours) was about 2 % of a signed-in
  // thread page's server time. Its plain keys are looked up by the key itself (issue 25).
  const translators = new Map<string, Translate>();
  instance.getFixedT = ((lng: unknown, ns?: unknown, keyPrefix?: unknown) => {
    const scope = `${String(lng)}\u0000${String(ns)}\u0000${String(keyPrefix)}\u0000`;
    const kept = translators.get(scope);
    if (kept) return kept;
    const translate = getFixedT(lng, ns, keyPrefix);
    const texts = new Map<string, string>();
    const memoized = (key: unknown, ...rest: unknown[]) => {
      if (typeof key !== "string" || rest.length > 1) return translate(key, ...rest);
      if (rest.length === 0) {
        let text = texts.get(key);
        if (text === undefined) {
          text = String(translate(key));
          if (plainCount < MEMOIZED_KEYS_MAX) {
            texts.set(key, text);
            plainCount++;
          }
        }
        return text;
      }
      const options = rest[0];
      if (!options || typeof options !== "object" || Array.isArray(options)) return translate(key, ...rest);
      let id = scope + key;
      for (const [name, value] of Object.entries(options)) {
        const type = typeof value;
        if (type !== "string" && type !== "number" && type !== "boolean") return translate(key, ...rest);
        id += `\u0001${name}\u0002${type}\u0002${String(value)}`;
      }
      let text = calls.get(id);
      if (text === undefined) {
        text = String(translate(key, options));
        if (calls.size >= MEMOIZED_CALLS_MAX) calls.clear();
        calls.set(id, text);
      }
      return text;
    };
    const fixed: Translate = Object.assign(memoized, { lng: translate.lng, lngs: translate.lngs, ns: translate.ns, keyPrefix: translate.keyPrefix });
    if (translators.size < MEMOIZED_SCOPES_MAX) translators.set(scope, fixed);
    return fixed;
  }) as unknown as typeof instance.getFixedT;
}

const KNOWN_PRIMARY = new Set(["en", "ro", "mo", "zh"]);

/**
 * One language tag (a cookie, a form field, a member's setting, one Accept-Language entry) as a
 * supported language, or null. Case-insensitive; the script decides Chinese, and a tag without one
 * takes its likely script from CLDR (Intl.Locale#maximize): zh-TW, zh-HK, zh-MO → zh-Hant; zh, zh-CN,
 * zh-SG → zh-Hans. Malformed tags are null, never an error.
 */
export function matchLanguage(tag: string | null | undefined): Language | null {
  if (!tag || tag.length > 35) return null;
  // Remembered per tag: Intl.Locale#maximize was 3 % of an anonymous cached page's CPU (issue 25). The tags
  // come from request headers, so the memory is bounded: it starts again past MATCHED_MAX entries.
  const known = matched.get(tag);
  if (known !== undefined) return known;
  const language = matchUncached(tag);
  if (matched.size >= MATCHED_MAX) matched.clear();
  matched.set(tag, language);
  return language;
}

const MATCHED_MAX = 1_000;
const matched = new Map<string, Language | null>();

function matchUncached(tag: string): Language | null {
  // Only these primary subtags can match: anything else is answered before the (costly) Intl.Locale.
  if (!KNOWN_PRIMARY.has(tag.trim().split(/[-_]/)[0]!.toLowerCase())) return null;
  let locale: Intl.Locale;
  try {
    locale = new Intl.Locale(tag.trim()).maximize();
  } catch {
    return null;
  }
  if (locale.language === "en") return "en";
  if (locale.language === "ro" || locale.language === "mo") return "ro";
  if (locale.language === "zh") return locale.script === "Hant" ? "zh-Hant" : "zh-Hans";
  return null;
}

/** A stored or submitted preference, or English for anything unknown (no error: issue 21). */
export function toLanguage(tag: string | null | undefined): Language {
  return matchLanguage(tag) ?? DEFAULT_LANGUAGE;
}


/**
 * Text analysis shared by indexing and querying (ADR 020): the same function turns a document and a
 * query into the same index terms, so lunr only ever sees finished terms (its own pipeline is empty).
 *
 * - The text is split into runs by script. Han runs are Chinese; the other runs are cut into sentences
 *   and each sentence is detected as Romanian or English (Romanian letters, Romanian vs English stop
 *   words). A document may hold all three languages.
 * - English: lunr's stop words and Porter stemmer.
 * - Romanian: diacritics are folded first (ş/ș, ţ/ț, ă, â, î → s, t, a, a, i), then lunr-languages' stop
 *   words (folded too) and Snowball stemmer, so "factură", "factura" and "facturi" all give "factur".
 * - Chinese: Traditional is converted to Simplified (opencc-js, Taiwan and Hong Kong tables), then segmented into
 *   words with Intl.Segmenter; single-character function words are dropped.
 *
 * Server-side only (it loads CommonJS plugins with createRequire), and self-contained: it imports only
 * npm packages, so other modules may copy or import it.
 */
import { createRequire } from "node:module";
import lunr from "lunr";
import * as OpenCC from "opencc-js";

export type Language = "en" | "ro" | "zh";

type LunrWithRo = typeof lunr & {
  ro: { stemmer: (token: lunr.Token) => lunr.Token };
};

const require = createRequire(import.meta.url);

/** Loads lunr-languages' Romanian plugin once, capturing its stop word list as it is registered. */
function loadRomanian(): { lunrRo: LunrWithRo; stopWords: string[] } {
  const l = lunr as unknown as LunrWithRo & { generateStopWordFilter: (words: string[]) => unknown };
  let captured: string[] = [];
  if ((lunr as { ro?: unknown }).ro === undefined) {
    const original = l.generateStopWordFilter;
    l.generateStopWordFilter = (words: string[]) => {
      captured = words;
      return original(words);
    };
    try {
      (require("lunr-languages/lunr.stemmer.support.js") as (x: unknown) => void)(l);
      (require("lunr-languages/lunr.ro.js") as (x: unknown) => void)(l);
    } finally {
      l.generateStopWordFilter = original;
    }
  }
  return { lunrRo: l, stopWords: captured.length > 0 ? captured : FALLBACK_RO_STOP_WORDS };
}

const FALLBACK_RO_STOP_WORDS = "si sau la de pe in cu nu se sa ca ce din pentru este sunt un o mai care".split(" ");

const { lunrRo, stopWords: roStopWordsRaw } = loadRomanian();

// Character-level tables only ("tw", "hk"): the phrase table ("twp") also rewrites Simplified words
// (程序 → 进程), which would change the meaning of text that is already Simplified.
const t2s = OpenCC.Converter({ from: "tw", to: "cn" });
const hk2s = OpenCC.Converter({ from: "hk", to: "cn" });
const zhSegmenter = new Intl.Segmenter("zh", { granularity: "word" });

/** Folds Romanian (and other Latin) diacritics; ş/ţ (cedilla) and ș/ț (comma) become s/t alike. */
export function foldDiacritics(text: string): string {
  return text.normalize("NFD").replace(/\p{M}+/gu, "").replace(/ß/g, "ss").replace(/[łŁ]/g, "l");
}

const RO_STOP = new Set(roStopWordsRaw.map((w) => foldDiacritics(w.toLowerCase())).filter(Boolean));
const EN_STOP = new Set(
  // lunr's English list (lunr.stopWordFilter) plus contractions' leftovers.
  "a able about across after all almost also am among an and any are as at be because been but by can cannot could dear did do does either else ever every for from get got had has have he her hers him his how however i if in into is it its just least let like likely may me might most must my neither no nor not of off often on only or other our own rather said say says she should since so some than that the their them then there these they this tis to too twas us wants was we were what when where which while who whom why will with would yet you your s t".split(
    " ",
  ),
);
/** Chinese single-character function words that carry no meaning for search. */
const ZH_STOP = new Set("的 了 是 在 和 与 及 或 也 都 就 而 吗 呢 吧 啊 着 过 把 被 之 于 个 我 你 他 她 它 们 这 那 有 么 怎 如 何 为 什 请".split(" "));

/** Romanian-only letters (before folding) and words frequent in Romanian but not in English. */
const RO_LETTERS = /[ăâîșşțţ]/i;
const RO_HINTS = new Set(
  "si sau nu este sunt cum pentru care din la de cu se sa ca ce mai cand dupa daca poate fost eroare nu-mi imi meu mea".split(" "),
);
const EN_HINTS = new Set(
  "the and is are how what why when to of in on for with not can cannot does do my i it this that from after".split(" "),
);

const HAN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u{20000}-\u{2ffff}]/u;
const SCRIPT_RUNS = /([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef\u{20000}-\u{2ffff}]+)|([^\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef\u{20000}-\u{2ffff}]+)/gu;
const LATIN_WORD = /[\p{L}\p{N}]+(?:[.+#][\p{L}\p{N}+#]+)*[+#]*/gu;
const MAX_TERM_LENGTH = 40;

export type Run = { language: Language; text: string };

/** Normalizes width, case and the two Romanian comma/cedilla forms. */
export function normalize(text: string): string {
  return text.normalize("NFKC").toLowerCase().replace(/ş/g, "ș").replace(/ţ/g, "ț");
}

function latinLanguage(sentence: string): Language | null {
  const words = foldDiacritics(sentence).match(/[a-z]+/g) ?? [];
  let ro = RO_LETTERS.test(sentence) ? 2 : 0;
  let en = 0;
  for (const word of words) {
    if (RO_HINTS.has(word)) ro++;
    if (EN_HINTS.has(word)) en++;
  }
  if (ro === 0 && en === 0) return null;
  return ro > en ? "ro" : "en";
}

/**
 * Splits text into language runs. Latin sentences whose language cannot be told (no hint at all) take
 * `fallback` (for documents: the document's dominant Latin language, else English).
 */
export function splitRuns(text: string, fallback?: Language): Run[] {
  const normalized = normalize(text);
  const runs: Run[] = [];
  const pending: string[] = [];
  let dominant: Record<"en" | "ro", number> = { en: 0, ro: 0 };
  for (const match of normalized.matchAll(SCRIPT_RUNS)) {
    if (match[1]) {
      if (HAN.test(match[1])) runs.push({ language: "zh", text: match[1] });
      continue;
    }
    for (const sentence of match[2].split(/[.!?;\n\r]+(?:\s|$)|\n/)) {
      if (!/[\p{L}\p{N}]/u.test(sentence)) continue;
      const language = latinLanguage(sentence);
      if (language === "en" || language === "ro") dominant = { ...dominant, [language]: dominant[language] + 1 };
      runs.push({ language: language ?? "en", text: sentence });
      if (!language) pending.push(sentence);
    }
  }
  if (pending.length > 0) {
    const choice: Language = fallback ?? (dominant.ro > dominant.en ? "ro" : "en");
    for (const run of runs) if (pending.includes(run.text) && run.language !== "zh") run.language = choice;
  }
  return runs;
}

/** Stemming is most of the cost of analysis and vocabularies are small: results are memoized (bounded). */
const MEMO_LIMIT = 200_000;
const enMemo = new Map<string, string | null>();
const roMemo = new Map<string, string | null>();
function memo(cache: Map<string, string | null>, word: string, compute: (w: string) => string | null): string | null {
  let term = cache.get(word);
  if (term === undefined) {
    term = compute(word);
    if (cache.size >= MEMO_LIMIT) cache.clear();
    cache.set(word, term);
  }
  return term;
}

function englishTerm(word: string): string | null {
  return memo(enMemo, word, englishTermUncached);
}

function romanianTerm(word: string): string | null {
  return memo(roMemo, word, romanianTermUncached);
}

function englishTermUncached(word: string): string | null {
  if (EN_STOP.has(word) || word.length < 2) return null;
  if (/[\d.+#]/.test(word) || word.length <= 2) return foldDiacritics(word);
  return foldDiacritics(lunr.stemmer(new lunr.Token(word, {})).toString());
}

function romanianTermUncached(word: string): string | null {
  const folded = foldDiacritics(word);
  if (RO_STOP.has(folded) || folded.length < 2) return null;
  if (/[\d.+#]/.test(folded) || folded.length <= 2) return folded;
  return lunrRo.ro.stemmer(new lunr.Token(folded, {})).toString();
}

/** Converts Traditional Chinese to Simplified (both Taiwan and Hong Kong variants). */
export function toSimplified(text: string): string {
  return hk2s(t2s(text));
}

function chineseTerms(text: string, out: string[]): void {
  for (const part of zhSegmenter.segment(toSimplified(text))) {
    if (!part.isWordLike) continue;
    const word = part.segment;
    if (word.length === 1 && ZH_STOP.has(word)) continue;
    out.push(word);
  }
}

/** Terms of one run, in text order (duplicates kept: lunr counts them for term frequency). */
export function analyzeRun(run: Run, out: string[] = []): string[] {
  if (run.language === "zh") {
    chineseTerms(run.text, out);
    return out;
  }
  for (const [word] of run.text.matchAll(LATIN_WORD)) {
    if (word.length > MAX_TERM_LENGTH) continue;
    if (HAN.test(word)) continue;
    const term = run.language === "ro" ? romanianTerm(word) : englishTerm(word);
    if (term) out.push(term);
  }
  return out;
}

/** The index terms of a text, in order, with duplicates (used for documents and for clustering). */
export function analyze(text: string): string[] {
  const out: string[] = [];
  for (const run of splitRuns(text)) analyzeRun(run, out);
  return out;
}

/** Languages present in a text, most frequent first. */
export function detectLanguages(text: string): Language[] {
  const counts = new Map<Language, number>();
  for (const run of splitRuns(text)) counts.set(run.language, (counts.get(run.language) ?? 0) + run.text.length);
  return [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([language]) => language);
}

export type AnalyzedQuery = {
  /** Languages detected in the query ("en" when nothing tells). */
  languages: Language[];
  /** Alternative readings of the query, each a list of distinct terms that should all match. */
  variants: string[][];
  /** Every distinct term of every variant (logged, and used to highlight snippets). */
  terms: string[];
  /** The last word as typed, normalized, when it may be an unfinished word (for suggestions). */
  lastWord: { term: string; language: Language } | null;
};

const MAX_QUERY_TERMS = 12;

/**
 * Analyzes a query. A Latin query with no language hint ("factura", "install printer") is read both
 * as English and as Romanian, and the two readings are searched together; a query with Romanian
 * letters or words, or English words, is read in that language. Chinese words are the same in both.
 */
export function analyzeQuery(text: string): AnalyzedQuery {
  const runs = splitRuns(text.slice(0, 1000));
  const undetermined = runs.some((run) => run.language !== "zh" && latinLanguage(run.text) === null);
  const readings: Array<Language | null> = undetermined ? ["en", "ro"] : [null];
  const variants: string[][] = [];
  for (const reading of readings) {
    const terms: string[] = [];
    for (const run of runs) {
      const language = run.language !== "zh" && reading && latinLanguage(run.text) === null ? reading : run.language;
      analyzeRun({ language, text: run.text }, terms);
    }
    const distinct = [...new Set(terms)].slice(0, MAX_QUERY_TERMS);
    if (distinct.length > 0 && !variants.some((v) => v.join(" ") === distinct.join(" "))) variants.push(distinct);
  }
  const languages = [...new Set(runs.map((run) => run.language))];
  const lastRun = runs.at(-1);
  let lastWord: AnalyzedQuery["lastWord"] = null;
  if (lastRun && lastRun.language !== "zh" && /[\p{L}\p{N}]$/u.test(text)) {
    const words = lastRun.text.match(LATIN_WORD) ?? [];
    const word = words.at(-1);
    if (word && word.length <= MAX_TERM_LENGTH) lastWord = { term: foldDiacritics(word), language: lastRun.language };
  }
  return {
    languages: languages.length > 0 ? languages : ["en"],
    variants,
    terms: [...new Set(variants.flat())],
    lastWord,
  };
}

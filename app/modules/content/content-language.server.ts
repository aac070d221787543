import * as OpenCC from "opencc-js";
import { detectLanguages } from "~/modules/search/analyze.ts";
import type { Language } from "~/utils/i18n.ts";

/** Taiwan's character table only: a text that it changes has Traditional characters. */
const toSimplified = OpenCC.Converter({ from: "tw", to: "cn" });
const HAN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/gu;
const SAMPLE = 600;

/**
 * The language a member wrote a text in, by the detector search uses (ADR 020): the language with
 * the most text wins, and Chinese is Traditional when any of its Han characters has a Simplified
 * form. Pages mark such content with `lang` when it differs from the page's (ADR 055), so browsers
 * pick the right CJK font and screen readers the right voice. Reads the first 600 characters only.
 */
export function contentLanguage(text: string): Language {
  const sample = text.slice(0, SAMPLE);
  let language = remembered.get(sample);
  if (language === undefined) {
    language = detect(sample);
    // The same titles are shown on every list page: detection (~0.1 ms) runs once per text.
    if (remembered.size >= REMEMBERED) remembered.delete(remembered.keys().next().value!);
    remembered.set(sample, language);
  }
  return language;
}

const REMEMBERED = 5000;
const remembered = new Map<string, Language>();

function detect(sample: string): Language {
  const [main] = detectLanguages(sample);
  if (main === "ro") return "ro";
  if (main !== "zh") return "en";
  const han = (sample.match(HAN) ?? []).join("");
  return toSimplified(han) === han ? "zh-Hans" : "zh-Hant";
}

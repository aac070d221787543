import i18next, { type i18n } from "i18next";
import { initReactI18next } from "react-i18next";
import en from "~/locales/en/common.json";

/**
 * All UI text goes through i18next (docs/decisions/009-i18n.md). Only English ships today; adding
 * Romanian or Chinese is a new catalog under app/locales/<lng>/ and a line here.
 */
export const SUPPORTED_LANGUAGES = ["en"] as const;
export type Language = (typeof SUPPORTED_LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = "en";

export const resources = { en: { common: en } } as const;

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
  const instance = i18next.createInstance();
  void instance.use(initReactI18next).init({
    lng,
    fallbackLng: DEFAULT_LANGUAGE,
    supportedLngs: [...SUPPORTED_LANGUAGES],
    defaultNS: "common",
    ns: ["common"],
    resources,
    interpolation: { escapeValue: false },
    initAsync: false,
    showSupportNotice: false,
  });
  return instance;
}

/** Picks the best supported language from an Accept-Language header. */
export function pickLanguage(acceptLanguage: string | null): Language {
  if (!acceptLanguage) return DEFAULT_LANGUAGE;
  const wanted = acceptLanguage
    .split(",")
    .map((part) => part.split(";")[0]!.trim().toLowerCase())
    .filter(Boolean);
  for (const tag of wanted) {
    const match = SUPPORTED_LANGUAGES.find((l) => tag === l.toLowerCase() || tag.startsWith(`${l.toLowerCase()}-`));
    if (match) return match;
  }
  return DEFAULT_LANGUAGE;
}

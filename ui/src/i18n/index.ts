// Languages: English, Russian and Persian, switchable at run time and remembered.
// Persian mirrors the whole window (`<html dir="rtl">`); see shared/format.ts for Intl.

import i18next from "i18next";
import { initReactI18next } from "react-i18next";
import en from "./locales/en.json";
import fa from "./locales/fa.json";
import ru from "./locales/ru.json";

export const LANGUAGES = ["en", "ru", "fa"] as const;
export type Language = (typeof LANGUAGES)[number];
export const STORAGE_KEY = "accord.language";

export const resources = {
  en: { translation: en },
  ru: { translation: ru },
  fa: { translation: fa },
} as const;

export function isLanguage(value: unknown): value is Language {
  return typeof value === "string" && (LANGUAGES as readonly string[]).includes(value);
}

function readStored(): Language | null {
  try {
    const stored = window.localStorage.getItem(STORAGE_KEY);
    return isLanguage(stored) ? stored : null;
  } catch {
    return null;
  }
}

/** The saved choice, else the system language when we have it, else English. */
export function detectLanguage(): Language {
  const stored = readStored();
  if (stored) return stored;
  const candidates = typeof navigator === "undefined" ? [] : [...(navigator.languages ?? []), navigator.language];
  for (const tag of candidates) {
    const base = tag?.toLowerCase().split("-")[0];
    if (isLanguage(base)) return base;
  }
  return "en";
}

export function directionOf(language: Language): "ltr" | "rtl" {
  return language === "fa" ? "rtl" : "ltr";
}

function applyToDocument(language: Language) {
  const root = document.documentElement;
  root.lang = language;
  root.dir = directionOf(language);
}

export const i18n = i18next.createInstance();

i18n.on("languageChanged", (lng) => {
  if (isLanguage(lng)) applyToDocument(lng);
});

void i18n.use(initReactI18next).init({
  resources,
  lng: detectLanguage(),
  fallbackLng: "en",
  supportedLngs: [...LANGUAGES],
  interpolation: { escapeValue: false },
  returnNull: false,
  initAsync: false,
});

/** The language the window shows now. */
export function currentLanguage(): Language {
  return isLanguage(i18n.language) ? i18n.language : "en";
}

/** Switches every text, the direction and the formats, and remembers the choice. */
export async function setLanguage(language: Language): Promise<void> {
  try {
    window.localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // Storage may be unavailable; the switch still applies for this session.
  }
  await i18n.changeLanguage(language);
}

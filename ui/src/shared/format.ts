// Every date, number and money amount goes through Intl in the chosen language's locale.
// `fa-IR` writes Persian digits and uses the Solar Hijri calendar.

import type { Language } from "../i18n";

const LOCALES: Record<Language, string> = { en: "en-GB", ru: "ru-RU", fa: "fa-IR" };

export function localeOf(language: Language): string {
  return LOCALES[language];
}

const cache = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();

function dateFormat(language: Language, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `d|${language}|${JSON.stringify(options)}`;
  let format = cache.get(key) as Intl.DateTimeFormat | undefined;
  if (!format) {
    format = new Intl.DateTimeFormat(localeOf(language), options);
    cache.set(key, format);
  }
  return format;
}

function numberFormat(language: Language, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `n|${language}|${JSON.stringify(options)}`;
  let format = cache.get(key) as Intl.NumberFormat | undefined;
  if (!format) {
    format = new Intl.NumberFormat(localeOf(language), options);
    cache.set(key, format);
  }
  return format;
}

function toDate(value: string | number | Date): Date | null {
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** A calendar date, e.g. "23 Nov 2026", "23 нояб. 2026 г.", "۲ آذر ۱۴۰۵". */
export function formatDate(value: string | number | Date, language: Language): string {
  const date = toDate(value);
  return date ? dateFormat(language, { dateStyle: "medium" }).format(date) : String(value);
}

/** A moment with its time of day, in the user's time zone. */
export function formatDateTime(value: string | number | Date, language: Language): string {
  const date = toDate(value);
  return date ? dateFormat(language, { dateStyle: "medium", timeStyle: "short" }).format(date) : String(value);
}

export function formatNumber(value: number, language: Language): string {
  return numberFormat(language, {}).format(value);
}

export function formatMoney(value: number, currency: string, language: Language): string {
  return numberFormat(language, { style: "currency", currency }).format(value);
}

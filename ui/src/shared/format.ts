// Every date, number and money amount goes through Intl in the chosen language's locale.
// `fa-IR` writes Persian digits and uses the Solar Hijri calendar. Phones go through
// libphonenumber-js (its small "min" metadata) and keep Latin digits.

import { parsePhoneNumberFromString } from "libphonenumber-js/min";
import { directionOf, i18n, type Language } from "../i18n";

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

/** A moment with its time of day as a clock in `timeZone` shows it (a scheduled contact in its own zone). */
export function formatDateTimeIn(value: string | number | Date, language: Language, timeZone: string): string {
  const date = toDate(value);
  if (!date) return String(value);
  try {
    return dateFormat(language, { dateStyle: "medium", timeStyle: "short", timeZone }).format(date);
  } catch {
    // A zone this computer does not know: the moment in the computer's own.
    return formatDateTime(date, language);
  }
}

/** A day of the week by name (0 Sunday … 6 Saturday): "Monday", "понедельник", "دوشنبه". */
export function formatWeekday(day: number, language: Language, width: "long" | "short" = "long"): string {
  // 4 January 1970 was a Sunday.
  return dateFormat(language, { weekday: width, timeZone: "UTC" }).format(new Date(Date.UTC(1970, 0, 4 + day)));
}

export function formatNumber(value: number, language: Language): string {
  return numberFormat(language, {}).format(value);
}

/** A calendar day stored as "YYYY-MM-DD" (a custom date field): the same day in every time zone. */
export function formatCalendarDate(value: string, language: Language): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return value;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  if (Number.isNaN(date.getTime())) return value;
  return dateFormat(language, { dateStyle: "medium", timeZone: "UTC" }).format(date);
}

/**
 * An exact decimal kept as text ("1250.50"), with as many decimals as it has, in the language's
 * digits: "1,250.50", "1 250,50", "۱٬۲۵۰٫۵۰". Intl reads the text as an exact decimal (no floating
 * point), so a long amount keeps its every digit; text that is not a number is shown as it is.
 */
export function formatDecimal(value: string, language: Language): string {
  const match = /^[-+]?\d+(?:\.(\d+))?$/.exec(value.trim());
  if (!match) return value;
  const decimals = Math.min(match[1]?.length ?? 0, 20);
  const format = numberFormat(language, { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
  // ES2023 takes a numeric string as an exact decimal; the ES2022 typings know only numbers.
  return format.format(value.trim() as unknown as number);
}

/** A number that names something (an audit entry's #): the language's digits, no thousands separators. */
export function formatSerial(value: number, language: Language): string {
  return numberFormat(language, { useGrouping: false }).format(value);
}

/** Items joined as the language says it: "A, B and C", "A, B и C", "A، B و C". */
export function formatList(items: readonly string[], language: Language): string {
  return new Intl.ListFormat(localeOf(language), { style: "long", type: "conjunction" }).format(items);
}

/** Items as alternatives: "A, B or C", "A, B или C", "A، B یا C". */
export function formatAlternatives(items: readonly string[], language: Language): string {
  return new Intl.ListFormat(localeOf(language), { style: "long", type: "disjunction" }).format(items);
}

/** The units a file's size is said in, each 1024 times the one before (as the core's 25 MB limit counts). */
const SIZE_UNITS = ["kilobyte", "megabyte", "gigabyte", "terabyte"] as const;

/**
 * A file's size for people, in the language's digits and unit words: "512 bytes", "2.4 MB",
 * "2,4 МБ", "۲٫۴ MB". One decimal below ten units, none above; whole bytes under a kilobyte.
 */
export function formatFileSize(bytes: number, language: Language): string {
  if (!Number.isFinite(bytes) || bytes < 1024) {
    return numberFormat(language, { style: "unit", unit: "byte", unitDisplay: "long" }).format(Math.max(0, Math.round(bytes) || 0));
  }
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < SIZE_UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  // 1023.96 KB would round up to "1,024 KB": said as the next unit instead.
  if (Math.round(value) >= 1024 && unit < SIZE_UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const decimals = value < 9.95 ? 1 : 0;
  return numberFormat(language, { style: "unit", unit: SIZE_UNITS[unit], unitDisplay: "short", maximumFractionDigits: decimals }).format(value);
}

export function formatMoney(value: number, currency: string, language: Language): string {
  return numberFormat(language, { style: "currency", currency }).format(value);
}

/** A count rounded as "about" says it, to two significant digits: 123,456 → 120,000; 37 → 37. */
export function roughCount(value: number): number {
  if (value < 100) return Math.round(value);
  const step = 10 ** (Math.floor(Math.log10(value)) - 1);
  return Math.round(value / step) * step;
}

/** How the core stores a phone: E.164, with an RFC 3966 extension when there is one ("+74951234567;ext=12"). */
const STORED_PHONE = /^\+\d+(?:;ext=\d+)?$/;

export function isStoredPhone(text: string): boolean {
  return STORED_PHONE.test(text);
}

/**
 * A stored phone in international format with the extension word of `language`, e.g.
 * "+7 495 123 45 67 ext. 12"; the value itself when it cannot be read. Digits stay Latin (the
 * number is dialled as written); show it in LTR isolation.
 */
export function formatPhone(value: string, language: Language): string {
  const phone = isStoredPhone(value) ? parsePhoneNumberFromString(value) : undefined;
  if (!phone) return value;
  const word = extensionWord(language);
  return phone.formatInternational({ formatExtension: (number, extension) => `${number} ${word} ${extension}` });
}

/**
 * "ext." in `language`. A right-to-left word is isolated (FSI … PDI): otherwise, inside the LTR
 * number, the bidi algorithm would take the extension's digits into the word's run and show
 * them before it, next to the number itself.
 */
function extensionWord(language: Language): string {
  const word = i18n.getFixedT(language)("phone.extension");
  return directionOf(language) === "rtl" ? `\u2068${word}\u2069` : word;
}

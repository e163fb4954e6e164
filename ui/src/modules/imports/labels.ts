// Imports in words: the kinds imported, the fields a column may fill (standard ones by the
// window's own field labels, custom ones by their label), what a file turned out to be, how a
// date reads in each order, the problems and notices of a row, and an import's status.

import type { TFunction } from "i18next";
import type { DateOrder, HistoryTable, ImportNotice, ImportTarget, JobStatus, ReportedProblem } from "../../api/generated";
import { i18n, type Language } from "../../i18n";
import { fieldErrorMessage } from "../../shared/errors";
import { formatCalendarDate, localeOf } from "../../shared/format";
import { fieldLabel } from "../../shared/labels";

type LooseT = (key: string, options?: Record<string, unknown>) => string;

/** The kinds a file may be imported as, in the order the screen offers them. */
export const IMPORT_TABLES = ["organisations", "contacts"] as const satisfies readonly HistoryTable[];
export type ImportTable = (typeof IMPORT_TABLES)[number];

export function isImportTable(table: string): table is ImportTable {
  return (IMPORT_TABLES as readonly string[]).includes(table);
}

/** The two ways a date such as 03/04/2026 reads, in the order the choice offers them. */
export const DATE_ORDERS = ["day_month_year", "month_day_year"] as const satisfies readonly DateOrder[];

export function isDateOrder(value: string): value is DateOrder {
  return (DATE_ORDERS as readonly string[]).includes(value);
}

/** A field a column may fill, as people call it: a custom field by its label, a standard one in words. */
export function targetLabel(t: TFunction, target: Pick<ImportTarget, "field" | "label">): string {
  return target.label ?? fieldLabel(t, target.field);
}

/**
 * The country phone numbers without a country code are read in unless the person says otherwise:
 * the one the window's language suggests (Russia for Russian, Iran for Persian), none for English.
 */
export function defaultCountryFor(language: Language): string {
  if (language === "ru") return "RU";
  if (language === "fa") return "IR";
  return "";
}

/** A country by its code, in the window's language ("IR" → "Iran", "Иран", "ایران"); the code when unknown. */
export function countryName(code: string, language: Language): string {
  try {
    return new Intl.DisplayNames([localeOf(language)], { type: "region" }).of(code) ?? code;
  } catch {
    return code;
  }
}

/** What a file turned out to be, as the core says it (`SheetFormat`); read loosely, field by field. */
type SheetFormatView = { format?: unknown; encoding?: unknown; delimiter?: unknown; sheet?: unknown };

/** Encodings by their technical names, the same in every language. */
const ENCODINGS: Record<string, string> = {
  utf8: "UTF-8",
  utf16_le: "UTF-16 LE",
  utf16_be: "UTF-16 BE",
  windows1251: "Windows-1251",
};

const DELIMITERS: Record<string, "comma" | "semicolon" | "tab" | "pipe" | "space"> = {
  ",": "comma",
  ";": "semicolon",
  "\t": "tab",
  "|": "pipe",
  " ": "space",
};

/** "CSV, UTF-8, separated by semicolons", "Excel workbook, sheet “Clients”". */
export function formatDescription(t: TFunction, format: unknown): string {
  const loose = t as unknown as LooseT;
  const view = (typeof format === "object" && format !== null ? format : {}) as SheetFormatView;
  const text = (value: unknown) => (typeof value === "string" ? value : "");
  if (view.format === "xlsx") return loose("imports.choose.formatXlsx", { sheet: text(view.sheet) });
  const encoding = ENCODINGS[text(view.encoding)] ?? text(view.encoding);
  const name = DELIMITERS[text(view.delimiter)];
  const delimiter = name ? loose(`imports.choose.delimiters.${name}`) : `“${text(view.delimiter)}”`;
  return loose("imports.choose.formatCsv", { encoding, delimiter });
}

export function dateOrderLabel(t: TFunction, order: DateOrder): string {
  return (t as unknown as LooseT)(`imports.map.dateOrders.${order}`);
}

/** Persian and Arabic-Indic digits as Latin ones, as the core reads them. */
function latinDigits(text: string): string {
  return text.replace(/[۰-۹]/g, (d) => String(d.charCodeAt(0) - 0x06f0)).replace(/[٠-٩]/g, (d) => String(d.charCodeAt(0) - 0x0660));
}

/** The day and month of a date written with numbers, year last (03/04/2026, 3.4.2026), as the core splits it. */
function dayMonthParts(cell: string): [number, number, number] | null {
  const parts = latinDigits(cell.trim())
    .split(/[./\- ]/)
    .filter((p) => p !== "");
  if (parts.length !== 3) return null;
  const [a, b, y] = parts;
  if (y.length !== 4 || a.length > 2 || b.length > 2 || !/^\d+$/.test(a + b + y)) return null;
  return [Number(a), Number(b), Number(y)];
}

/** Whether a cell is a date written with numbers, day and month in some order (what the order choice is about). */
export function isNumericDate(cell: string): boolean {
  return dayMonthParts(cell) !== null;
}

/** A date written with numbers read in `order`, as "YYYY-MM-DD"; null when it is no date that way. */
export function readDate(cell: string, order: DateOrder): string | null {
  const parts = dayMonthParts(cell);
  if (!parts) return null;
  const [a, b, year] = parts;
  const [day, month] = order === "day_month_year" ? [a, b] : [b, a];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  const two = (n: number) => String(n).padStart(2, "0");
  return `${year}-${two(month)}-${two(day)}`;
}

/** How `cell` reads in `order`: "03/04/2026 is 3 Apr 2026", or that it would be no date. */
export function dateExample(t: TFunction, cell: string, order: DateOrder, language: Language): string {
  const loose = t as unknown as LooseT;
  const date = readDate(cell, order);
  return date === null
    ? loose("imports.map.notADate", { value: cell })
    : loose("imports.map.dateReads", { value: cell, date: formatCalendarDate(date, language) });
}

/**
 * A row's problem in words, for its cell: the core's code in the window's language (a cell left
 * empty, a name not found, an email or phone that is none); the core's own sentence only for a
 * code this build does not know.
 */
export function problemText(t: TFunction, problem: Pick<ReportedProblem, "code" | "message">): string {
  // "Not valid" says nothing the person can act on; the core's own words (in English) say why
  // ("35.13.1990 is not a date in the order chosen"), so an English window shows them.
  if (problem.code === "invalid_value" && problem.message && i18n.language === "en") return problem.message;
  const key = `imports.problemCodes.${problem.code}`;
  if (i18n.exists(key)) return (t as unknown as LooseT)(key);
  return fieldErrorMessage(t, problem);
}

/** Where a problem is: the column's heading in the file, else the field it concerns. */
export function problemPlace(t: TFunction, problem: Pick<ReportedProblem, "header" | "field">, targets?: readonly ImportTarget[]): string {
  if (problem.header) return problem.header;
  const target = targets?.find((tg) => tg.field === problem.field);
  return target ? targetLabel(t, target) : fieldLabel(t, problem.field);
}

/** The country a phone notice names ("… read as a number in IR, …"). */
const NOTICE_COUNTRY = /\b([A-Z]{2})\b/;

/**
 * What the import did with a row that the person should know, in words: a phone without a
 * country code read in the default country, that country named in the window's language. A
 * notice this build has no words for is shown as the core wrote it, after its field.
 */
export function noticeText(t: TFunction, notice: ImportNotice, language: Language, targets?: readonly ImportTarget[]): string {
  const loose = t as unknown as LooseT;
  const country = NOTICE_COUNTRY.exec(notice.message)?.[1];
  const target = targets?.find((tg) => tg.field === notice.field);
  const field = target ? targetLabel(t, target) : fieldLabel(t, notice.field);
  if (country && (notice.field === "phone" || target?.kind === "phone")) {
    return loose("imports.notices.phoneCountry", { field, country: countryName(country, language), code: country });
  }
  return `${field}: ${notice.message}`;
}

export function statusLabel(t: TFunction, status: JobStatus): string {
  return (t as unknown as LooseT)(`imports.status.${status}`);
}

// The efficiency report as the window asks for it: periods are calendar days of the computer's
// own time zone (what "today" means to the person looking), sent to the core as instants, and
// "this month" is the month of the calendar the window shows (Solar Hijri in Persian).

import type { TFunction } from "i18next";
import type { ApiError, EfficiencyInput, EfficiencySheetLabels } from "../../api/generated";
import type { Language } from "../../i18n";
import { errorMessage } from "../../shared/errors";
import { localeOf } from "../../shared/format";

export const PERIOD_PRESETS = ["today", "last7", "last30", "thisMonth", "custom"] as const;
export type PeriodPreset = (typeof PERIOD_PRESETS)[number];

/** The period chosen; the days ("YYYY-MM-DD", both included) count only for a custom one. */
export type PeriodChoice = { preset: PeriodPreset; firstDay: string; lastDay: string };
export const LAST_7_DAYS: PeriodChoice = { preset: "last7", firstDay: "", lastDay: "" };

/** From its first instant to the instant after it (exclusive), as the core counts. */
export type Period = { from: Date; to: Date };

function startOfDay(date: Date): Date {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate());
}

/** Calendar days, not 24-hour steps: a day with a clock change is still one day. */
function addDays(day: Date, days: number): Date {
  return new Date(day.getFullYear(), day.getMonth(), day.getDate() + days);
}

const dayFormats = new Map<Language, Intl.DateTimeFormat>();

/** The day's number in its month, in the calendar `language` shows dates in. */
function dayOfMonth(day: Date, language: Language): number {
  let format = dayFormats.get(language);
  if (!format) {
    format = new Intl.DateTimeFormat(localeOf(language), { day: "numeric", numberingSystem: "latn" });
    dayFormats.set(language, format);
  }
  return Number(format.formatToParts(day).find((part) => part.type === "day")?.value);
}

/** The month `today` is in, in the calendar of `language`: its first day to the next month's. */
function monthOf(today: Date, language: Language): Period {
  const from = addDays(today, 1 - dayOfMonth(today, language));
  // A month is 28 to 31 days long in either calendar: the next one starts on the first day numbered 1.
  let to = addDays(from, 28);
  for (let extra = 0; extra < 3 && dayOfMonth(to, language) !== 1; extra++) to = addDays(to, 1);
  return { from, to };
}

function presetPeriod(preset: Exclude<PeriodPreset, "custom">, now: Date, language: Language): Period {
  const today = startOfDay(now);
  const tomorrow = addDays(today, 1);
  switch (preset) {
    case "today":
      return { from: today, to: tomorrow };
    case "last7":
      return { from: addDays(today, -6), to: tomorrow };
    case "last30":
      return { from: addDays(today, -29), to: tomorrow };
    case "thisMonth":
      return monthOf(today, language);
  }
}

const DATE_INPUT = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A date input's value as that day's local midnight; null when it is empty or not a date. */
function localDay(value: string): Date | null {
  const match = DATE_INPUT.exec(value);
  if (!match) return null;
  const day = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return Number.isNaN(day.getTime()) ? null : day;
}

/** The period `choice` means at `now` to who reads `language`; null while a custom one lacks a day. */
export function periodOf(choice: PeriodChoice, now: Date, language: Language): Period | null {
  if (choice.preset !== "custom") return presetPeriod(choice.preset, now, language);
  const first = localDay(choice.firstDay);
  const last = localDay(choice.lastDay);
  return first && last ? { from: first, to: addDays(last, 1) } : null;
}

/** A local day as a date input shows it, "2026-11-05". */
export function dateInputValue(day: Date): string {
  const two = (n: number) => String(n).padStart(2, "0");
  return `${day.getFullYear()}-${two(day.getMonth() + 1)}-${two(day.getDate())}`;
}

/** A custom period starting as the last seven days, for the person to adjust. */
export function customFromLastWeek(now: Date): PeriodChoice {
  const today = startOfDay(now);
  return { preset: "custom", firstDay: dateInputValue(addDays(today, -6)), lastDay: dateInputValue(today) };
}

/** The report's input: the person only when one is chosen ("" is everyone). */
export function efficiencyInput(period: Period, userId: string): EfficiencyInput {
  const input: EfficiencyInput = { from: period.from.toISOString(), to: period.to.toISOString() };
  if (userId) input.user_id = userId;
  return input;
}

/** The workbook's words, in the window's language: the same headings as the table on screen. */
export function sheetLabels(t: TFunction): EfficiencySheetLabels {
  return {
    people_sheet: t("admin.efficiency.sheets.people"),
    operations_sheet: t("admin.efficiency.sheets.operations"),
    person: t("admin.efficiency.columns.person"),
    sign_ins: t("admin.efficiency.columns.signIns"),
    failed_sign_ins: t("admin.efficiency.columns.failedSignIns"),
    actions: t("admin.efficiency.columns.actions"),
    records_changed: t("admin.efficiency.columns.recordsChanged"),
    last_activity: t("admin.efficiency.columns.lastActivity"),
    operation: t("admin.efficiency.columns.operation"),
    unknown_person: t("admin.efficiency.unknownPerson"),
  };
}

/** What went wrong in words; a period the core refuses says what a period may be. */
export function efficiencyErrorMessage(t: TFunction, error: ApiError): string {
  if (error.code === "invalid_input" && error.fields.to) return t("admin.efficiency.periodInvalid");
  return errorMessage(t, error);
}

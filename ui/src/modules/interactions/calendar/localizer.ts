// The calendar's dates in the window's language: react-big-calendar's localizer over date-fns
// (English and Russian: Gregorian months, weeks from Monday) or date-fns-jalali (Persian: Solar Hijri
// months, weeks from Saturday, Persian digits). Days, weeks and hours are the same in both
// calendars; months and years are the calendar's own, so the month grid, "next month" and which
// days are outside the month follow it.

import {
  addMonths as gAddMonths,
  addYears as gAddYears,
  endOfMonth as gEndOfMonth,
  endOfYear as gEndOfYear,
  format as gFormat,
  startOfMonth as gStartOfMonth,
  startOfYear as gStartOfYear,
} from "date-fns";
import { enGB, ru } from "date-fns/locale";
import {
  addMonths as jAddMonths,
  addYears as jAddYears,
  endOfMonth as jEndOfMonth,
  endOfYear as jEndOfYear,
  format as jFormat,
  startOfMonth as jStartOfMonth,
  startOfYear as jStartOfYear,
} from "date-fns-jalali";
import { faIR } from "date-fns-jalali/locale";
import { DateLocalizer, type Formats, type View } from "react-big-calendar";
import type { Language } from "../../../i18n";

type Unit = NonNullable<Parameters<DateLocalizer["startOf"]>[1]>;
type Range = { start: Date; end: Date };

/** A calendar's months and years, and how its dates are written. */
type Months = {
  format: (date: Date, pattern: string) => string;
  startOfMonth: (date: Date) => Date;
  endOfMonth: (date: Date) => Date;
  addMonths: (date: Date, n: number) => Date;
  startOfYear: (date: Date) => Date;
  endOfYear: (date: Date) => Date;
  addYears: (date: Date, n: number) => Date;
};

const PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹";
/** Latin digits as Persian ones (as Intl writes them for fa-IR). */
export const persianDigits = (text: string) => text.replace(/[0-9]/g, (d) => PERSIAN_DIGITS[Number(d)]);

const GREGORIAN = (locale: typeof enGB): Months => ({
  format: (date, pattern) => gFormat(date, pattern, { locale }),
  startOfMonth: gStartOfMonth,
  endOfMonth: gEndOfMonth,
  addMonths: gAddMonths,
  startOfYear: gStartOfYear,
  endOfYear: gEndOfYear,
  addYears: gAddYears,
});

const SOLAR_HIJRI: Months = {
  format: (date, pattern) => persianDigits(jFormat(date, pattern, { locale: faIR })),
  startOfMonth: jStartOfMonth,
  endOfMonth: jEndOfMonth,
  addMonths: jAddMonths,
  startOfYear: jStartOfYear,
  endOfYear: jEndOfYear,
  addYears: jAddYears,
};

/** The day a week starts on (0 Sunday … 6 Saturday): Saturday in Persian, Monday in English and Russian. */
export function weekStart(language: Language): 0 | 1 | 2 | 3 | 4 | 5 | 6 {
  return language === "fa" ? 6 : 1;
}

function monthsOf(language: Language): Months {
  return language === "fa" ? SOLAR_HIJRI : GREGORIAN(language === "ru" ? ru : enGB);
}

function formatsOf(m: Months): Formats {
  const range = (pattern: string) => ({ start, end }: Range) => `${m.format(start, pattern)} – ${m.format(end, pattern)}`;
  const sameMonth = (a: Date, b: Date) => m.startOfMonth(a).getTime() === m.startOfMonth(b).getTime();
  return {
    dateFormat: (date: Date) => m.format(date, "d"),
    dayFormat: (date: Date) => m.format(date, "EEE d"),
    weekdayFormat: (date: Date) => m.format(date, "EEE"),
    timeGutterFormat: (date: Date) => m.format(date, "HH:mm"),
    monthHeaderFormat: (date: Date) => m.format(date, "LLLL yyyy"),
    dayHeaderFormat: (date: Date) => m.format(date, "EEEE d MMMM yyyy"),
    dayRangeHeaderFormat: ({ start, end }: Range) =>
      sameMonth(start, end) ? `${m.format(start, "d")} – ${m.format(end, "d MMMM yyyy")}` : `${m.format(start, "d MMMM")} – ${m.format(end, "d MMMM yyyy")}`,
    agendaHeaderFormat: range("d MMM yyyy"),
    agendaDateFormat: (date: Date) => m.format(date, "EEE d MMM"),
    agendaTimeFormat: (date: Date) => m.format(date, "HH:mm"),
    agendaTimeRangeFormat: range("HH:mm"),
    eventTimeRangeFormat: range("HH:mm"),
    eventTimeRangeStartFormat: ({ start }: Range) => `${m.format(start, "HH:mm")} – `,
    eventTimeRangeEndFormat: ({ end }: Range) => ` – ${m.format(end, "HH:mm")}`,
    selectRangeFormat: range("HH:mm"),
  };
}

/** The localizer of a language (one per language, made once). */
export function calendarLocalizer(language: Language): DateLocalizer {
  let made = localizers.get(language);
  if (!made) {
    made = makeLocalizer(language);
    localizers.set(language, made);
  }
  return made;
}

const localizers = new Map<Language, DateLocalizer>();

function makeLocalizer(language: Language): DateLocalizer {
  const m = monthsOf(language);
  const first = weekStart(language);
  const formats = formatsOf(m);
  // Days, weeks and time: react-big-calendar's own arithmetic.
  const base = new DateLocalizer({ format: (value) => String(value), firstOfWeek: () => first, formats });
  const calendarUnit = (unit: Unit | undefined): unit is "month" | "year" => unit === "month" || unit === "year";

  const startOf = (date: Date, unit?: Unit, firstOfWeek?: number): Date => {
    if (unit === "month") return m.startOfMonth(date);
    if (unit === "year") return m.startOfYear(date);
    return base.startOf(date, unit as never, firstOfWeek as never);
  };
  const endOf = (date: Date, unit?: Unit, firstOfWeek?: number): Date => {
    if (unit === "month") return m.endOfMonth(date);
    if (unit === "year") return m.endOfYear(date);
    return base.endOf(date, unit as never, firstOfWeek as never);
  };
  const add = (date: Date, n: number, unit?: Unit): Date => {
    if (unit === "month") return m.addMonths(date, n);
    if (unit === "year") return m.addYears(date, n);
    return base.add(date, n, unit as Unit);
  };
  const compare =
    (test: (a: number, b: number) => boolean, fallback: (a: Date, b: Date, unit?: Unit) => boolean) =>
    (a: Date, b: Date, unit?: Unit): boolean =>
      calendarUnit(unit) ? test(startOf(a, unit).getTime(), startOf(b, unit).getTime()) : fallback(a, b, unit);
  const firstVisibleDay = (date: Date) => base.startOf(startOf(date, "month"), "week", first);
  const lastVisibleDay = (date: Date) => base.endOf(endOf(date, "month"), "week", first);
  const visibleDays = (date: Date) => {
    const days: Date[] = [];
    const last = lastVisibleDay(date);
    for (let day = firstVisibleDay(date); day <= last; day = base.add(day, 1, "day")) days.push(day);
    return days;
  };

  return new DateLocalizer({
    formats,
    firstOfWeek: () => first,
    format: (value, pattern) => m.format(value instanceof Date ? value : new Date(value as string | number), pattern),
    startOf: startOf as DateLocalizer["startOf"],
    endOf: endOf as DateLocalizer["endOf"],
    add: add as DateLocalizer["add"],
    eq: compare((a, b) => a === b, base.eq) as DateLocalizer["eq"],
    neq: compare((a, b) => a !== b, base.neq) as DateLocalizer["neq"],
    lt: compare((a, b) => a < b, base.lt) as DateLocalizer["lt"],
    lte: compare((a, b) => a <= b, base.lte) as DateLocalizer["lte"],
    gt: compare((a, b) => a > b, base.gt) as DateLocalizer["gt"],
    gte: compare((a, b) => a >= b, base.gte) as DateLocalizer["gte"],
    firstVisibleDay,
    lastVisibleDay,
    visibleDays,
  });
}

/** How many days the agenda lists from its date (react-big-calendar's own default). */
export const AGENDA_DAYS = 30;

/**
 * The period a view shows around `date`, as the instants to ask the core for: from the first
 * visible day's start to the start of the day after the last (exclusive).
 */
export function visibleRange(view: View, date: Date, localizer: DateLocalizer): { from: Date; to: Date } {
  const dayStart = (d: Date) => localizer.startOf(d, "day");
  const nextDay = (d: Date, n = 1) => localizer.add(dayStart(d), n, "day");
  switch (view) {
    case "month":
      return { from: dayStart(localizer.firstVisibleDay(date, localizer)), to: nextDay(localizer.lastVisibleDay(date, localizer)) };
    case "week":
    case "work_week": {
      const start = localizer.startOf(date, "week", localizer.startOfWeek("") as never);
      return { from: start, to: nextDay(start, 7) };
    }
    case "day":
      return { from: dayStart(date), to: nextDay(date) };
    default:
      return { from: dayStart(date), to: nextDay(date, AGENDA_DAYS + 1) };
  }
}

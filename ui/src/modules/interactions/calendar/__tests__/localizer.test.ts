import { newDate } from "date-fns-jalali";
import { describe, expect, it } from "vitest";
import { calendarLocalizer, visibleRange, weekStart } from "../localizer";

const fa = calendarLocalizer("fa");
const en = calendarLocalizer("en");
const ru = calendarLocalizer("ru");
const format = (localizer: typeof fa, key: "monthHeaderFormat" | "dateFormat" | "weekdayFormat" | "timeGutterFormat", date: Date) =>
  (localizer.formats[key] as (d: Date) => string)(date);
const day = (date: Date) => [date.getFullYear(), date.getMonth() + 1, date.getDate()];

describe("the Persian (Solar Hijri) calendar", () => {
  it("starts the month view of Dey 1405 on the Saturday before 1 Dey (Tuesday 22 December 2026)", () => {
    const firstOfDey = newDate(1405, 9, 1);
    expect(day(firstOfDey)).toEqual([2026, 12, 22]);
    const days = fa.visibleDays(newDate(1405, 9, 15), fa);
    expect(day(days[0])).toEqual([2026, 12, 19]);
    expect(days[0].getDay()).toBe(6);
    // 30 Dey is Wednesday 20 January 2027: the grid ends on the Friday after, five whole weeks.
    expect(day(days.at(-1)!)).toEqual([2027, 1, 22]);
    expect(days).toHaveLength(35);
    // 28 Azar is outside Dey, 1 Dey inside.
    expect(fa.neq(days[0], firstOfDey, "month")).toBe(true);
    expect(fa.eq(days[3], firstOfDey, "month")).toBe(true);
  });

  it("knows Esfand's length: 30 days in a leap year (1403), 29 otherwise (1404)", () => {
    const lastOf = (year: number) => fa.endOf(newDate(year, 11, 10), "month");
    expect(day(lastOf(1403))).toEqual(day(newDate(1403, 11, 30)));
    expect(day(lastOf(1403))).toEqual([2025, 3, 20]);
    expect(day(lastOf(1404))).toEqual([2026, 3, 20]);
    expect(fa.eq(newDate(1404, 11, 29), fa.add(newDate(1404, 11, 29), 1, "day"), "month")).toBe(false);
    // The month after Esfand is Farvardin of the next year.
    expect(day(fa.add(newDate(1403, 11, 30), 1, "month"))).toEqual(day(newDate(1404, 0, 30)));
  });

  it("writes months by their Persian names, in Persian digits, with weeks from Saturday", () => {
    expect(format(fa, "monthHeaderFormat", newDate(1405, 9, 15))).toBe("دی ۱۴۰۵");
    expect(format(fa, "dateFormat", newDate(1405, 9, 1))).toBe("۱");
    expect(format(fa, "timeGutterFormat", new Date(2026, 11, 22, 14, 5))).toBe("۱۴:۰۵");
    expect(weekStart("fa")).toBe(6);
    expect(fa.startOfWeek("")).toBe(6);
    expect(fa.startOf(new Date(2026, 11, 24), "week", 6).getDay()).toBe(6);
  });
});

describe("the Gregorian calendar of English and Russian", () => {
  it("starts weeks on Monday and the month view on the Monday before the 1st", () => {
    for (const localizer of [en, ru]) {
      expect(localizer.startOfWeek("")).toBe(1);
      const days = localizer.visibleDays(new Date(2026, 11, 15), localizer);
      expect(day(days[0])).toEqual([2026, 11, 30]);
      expect(day(days.at(-1)!)).toEqual([2027, 1, 3]);
    }
  });

  it("names the months in their language", () => {
    expect(format(en, "monthHeaderFormat", new Date(2026, 11, 15))).toBe("December 2026");
    expect(format(ru, "monthHeaderFormat", new Date(2026, 11, 15))).toBe("декабрь 2026");
    expect(format(en, "timeGutterFormat", new Date(2026, 11, 22, 14, 5))).toBe("14:05");
  });
});

describe("the period a view shows", () => {
  const at = new Date(2026, 11, 24, 15, 30);
  it("is the visible days of the month grid, to the start of the day after the last", () => {
    expect(visibleRange("month", at, en)).toEqual({ from: new Date(2026, 10, 30), to: new Date(2027, 0, 4) });
    expect(visibleRange("month", at, fa)).toEqual({ from: new Date(2026, 11, 19), to: new Date(2027, 0, 23) });
  });

  it("is the week from its first day, the day, or the agenda's days", () => {
    expect(visibleRange("week", at, en)).toEqual({ from: new Date(2026, 11, 21), to: new Date(2026, 11, 28) });
    expect(visibleRange("week", at, fa)).toEqual({ from: new Date(2026, 11, 19), to: new Date(2026, 11, 26) });
    expect(visibleRange("day", at, ru)).toEqual({ from: new Date(2026, 11, 24), to: new Date(2026, 11, 25) });
    expect(visibleRange("agenda", at, en)).toEqual({ from: new Date(2026, 11, 24), to: new Date(2027, 0, 24) });
  });
});

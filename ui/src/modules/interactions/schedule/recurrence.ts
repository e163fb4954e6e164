// Repeats as the schedule dialog offers them, and the RRULE values (RFC 5545) the core keeps:
// built from the dialog's choices, and read back into them for editing. A rule the dialog cannot
// show as choices (BYMONTHDAY, BYSETPOS, an hourly rule…) is not read: it is shown as text and
// kept as it is.

import { untilDate, untilOf } from "./zones";

/** RRULE weekdays, Monday first (the order BYDAY is written in). */
export const WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export const FREQUENCIES = ["daily", "weekly", "monthly", "yearly"] as const;
export type Frequency = (typeof FREQUENCIES)[number];

export type RepeatEnd = { kind: "never" } | { kind: "until"; date: string } | { kind: "count"; count: number };

/** A repeat the dialog can show: every `interval` days, weeks (on `byDay`), months or years, ending so. */
export type Repeat = { freq: Frequency; interval: number; byDay: Weekday[]; end: RepeatEnd };

const FREQ_NAME: Record<Frequency, string> = { daily: "DAILY", weekly: "WEEKLY", monthly: "MONTHLY", yearly: "YEARLY" };

/** JavaScript's day of the week (0 Sunday) as an RRULE weekday. */
export function weekdayOfDay(day: number): Weekday {
  return WEEKDAYS[(day + 6) % 7];
}

/** The RRULE weekdays in the order a week shows them: from Saturday in Persian, Monday otherwise. */
export function weekdaysFrom(first: Weekday): Weekday[] {
  const i = WEEKDAYS.indexOf(first);
  return [...WEEKDAYS.slice(i), ...WEEKDAYS.slice(0, i)];
}

/**
 * The RRULE value (without "RRULE:") of a repeat: "FREQ=WEEKLY;INTERVAL=1;BYDAY=MO,WE;UNTIL=…".
 * UNTIL is the last second of the chosen day in the contact's zone, in UTC; null when the repeat
 * cannot be written (no weekday chosen, an end date that is no date, a count below one).
 */
export function buildRule(repeat: Repeat, zone: string): string | null {
  if (!Number.isInteger(repeat.interval) || repeat.interval < 1) return null;
  const parts = [`FREQ=${FREQ_NAME[repeat.freq]}`, `INTERVAL=${repeat.interval}`];
  if (repeat.freq === "weekly") {
    if (repeat.byDay.length === 0) return null;
    parts.push(`BYDAY=${WEEKDAYS.filter((d) => repeat.byDay.includes(d)).join(",")}`);
  }
  if (repeat.end.kind === "until") {
    const until = untilOf(repeat.end.date, zone);
    if (until === null) return null;
    parts.push(`UNTIL=${until}`);
  } else if (repeat.end.kind === "count") {
    if (!Number.isInteger(repeat.end.count) || repeat.end.count < 1) return null;
    parts.push(`COUNT=${repeat.end.count}`);
  }
  return parts.join(";");
}

/**
 * A stored rule as the dialog's choices; null for one it cannot show (it is then kept as text).
 * `weekdayOfStart` is the start's weekday, which a weekly rule without BYDAY repeats on.
 */
export function parseRule(rule: string, zone: string, weekdayOfStart: Weekday): Repeat | null {
  const fields = new Map<string, string>();
  for (const part of rule.trim().replace(/^RRULE:/i, "").split(";")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    if (eq <= 0) return null;
    const key = part.slice(0, eq).toUpperCase();
    if (fields.has(key)) return null;
    fields.set(key, part.slice(eq + 1).toUpperCase());
  }
  const freq = (Object.keys(FREQ_NAME) as Frequency[]).find((f) => FREQ_NAME[f] === fields.get("FREQ"));
  if (!freq) return null;
  const known = new Set(["FREQ", "INTERVAL", "UNTIL", "COUNT", ...(freq === "weekly" ? ["BYDAY", "WKST"] : [])]);
  if ([...fields.keys()].some((key) => !known.has(key))) return null;

  const intervalText = fields.get("INTERVAL") ?? "1";
  if (!/^\d+$/.test(intervalText) || Number(intervalText) < 1) return null;

  let byDay: Weekday[] = [];
  if (freq === "weekly") {
    const days = fields.get("BYDAY")?.split(",") ?? [weekdayOfStart];
    if (!days.every((d): d is Weekday => (WEEKDAYS as readonly string[]).includes(d))) return null;
    byDay = WEEKDAYS.filter((d) => days.includes(d));
  }

  const until = fields.get("UNTIL");
  const count = fields.get("COUNT");
  let end: RepeatEnd = { kind: "never" };
  if (until !== undefined && count !== undefined) return null;
  if (until !== undefined) {
    const date = untilDate(until, zone);
    if (date === null) return null;
    end = { kind: "until", date };
  } else if (count !== undefined) {
    if (!/^\d+$/.test(count) || Number(count) < 1) return null;
    end = { kind: "count", count: Number(count) };
  }
  return { freq, interval: Number(intervalText), byDay, end };
}

/** Two repeats say the same (a weekly one's days in any order). */
export function sameRepeat(a: Repeat | null, b: Repeat | null): boolean {
  if (a === null || b === null) return a === b;
  const days = (r: Repeat) => WEEKDAYS.filter((d) => r.byDay.includes(d)).join(",");
  return a.freq === b.freq && a.interval === b.interval && (a.freq !== "weekly" || days(a) === days(b)) && JSON.stringify(a.end) === JSON.stringify(b.end);
}

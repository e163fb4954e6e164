// Wall clocks in IANA time zones, through Intl alone: a scheduled contact's start is kept as the
// clock on the wall in its zone ("2026-12-08T10:00:00" in Asia/Tehran), while the core answers
// with UTC instants. Daylight saving is Intl's to know.

/** A wall-clock moment: what a clock in some zone shows. Months from 1. */
export type Wall = { year: number; month: number; day: number; hour: number; minute: number; second: number };

const two = (n: number) => String(n).padStart(2, "0");
const formats = new Map<string, Intl.DateTimeFormat>();

function partsFormat(zone: string): Intl.DateTimeFormat {
  let format = formats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      calendar: "gregory",
      numberingSystem: "latn",
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formats.set(zone, format);
  }
  return format;
}

/** The zone this computer is in (what a new contact is planned in unless changed). */
export function localZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}

/** Every IANA zone the window knows, by name; `extra` (a stored one it does not know) kept in. */
export function allZones(extra?: string): string[] {
  const zones = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];
  const all = new Set(zones);
  all.add("UTC");
  if (extra) all.add(extra);
  return [...all].sort();
}

/** Whether Intl knows the zone. */
export function isZone(zone: string): boolean {
  try {
    partsFormat(zone);
    return true;
  } catch {
    return false;
  }
}

/** What a clock in `zone` shows at `instant`. */
export function wallAt(instant: Date, zone: string): Wall {
  const parts = Object.fromEntries(partsFormat(zone).formatToParts(instant).map((p) => [p.type, p.value]));
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour) % 24,
    minute: Number(parts.minute),
    second: Number(parts.second),
  };
}

function wallAsUtc(wall: Wall): number {
  const date = new Date(0);
  date.setUTCFullYear(wall.year, wall.month - 1, wall.day);
  date.setUTCHours(wall.hour, wall.minute, wall.second, 0);
  return date.getTime();
}

/** How far `zone` is ahead of UTC at `instant`, in milliseconds. */
function offsetAt(instant: number, zone: string): number {
  const whole = instant - (((instant % 1000) + 1000) % 1000);
  return wallAsUtc(wallAt(new Date(whole), zone)) - whole;
}

/**
 * The instant a clock in `zone` shows `wall`. A time skipped by daylight saving is taken after the
 * change (as the core's rule library does); a time shown twice, the first time.
 */
export function instantOf(wall: Wall, zone: string): Date {
  const guess = wallAsUtc(wall);
  const first = guess - offsetAt(guess, zone);
  const second = guess - offsetAt(first, zone);
  if (first === second) return new Date(first);
  // The offset changes near here: of the two readings, the earlier that shows the wall time.
  const [early, late] = first < second ? [first, second] : [second, first];
  if (wallAsUtc(wallAt(new Date(early), zone)) === guess) return new Date(early);
  if (wallAsUtc(wallAt(new Date(late), zone)) === guess) return new Date(late);
  return new Date(Math.max(first, second));
}

/** "2026-12-08" and "10:00" as a wall clock; null when either is not a valid date or time. */
export function wallOf(date: string, time: string): Wall | null {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const t = /^(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(time);
  if (!d || !t) return null;
  const wall = { year: Number(d[1]), month: Number(d[2]), day: Number(d[3]), hour: Number(t[1]), minute: Number(t[2]), second: Number(t[3] ?? 0) };
  const check = new Date(wallAsUtc(wall));
  const valid =
    check.getUTCFullYear() === wall.year &&
    check.getUTCMonth() === wall.month - 1 &&
    check.getUTCDate() === wall.day &&
    wall.hour < 24 &&
    wall.minute < 60 &&
    wall.second < 60;
  return valid ? wall : null;
}

/** "2026-12-08": the wall clock's date, as a date control holds it. */
export function dateText(wall: Wall): string {
  return `${String(wall.year).padStart(4, "0")}-${two(wall.month)}-${two(wall.day)}`;
}

/** "10:00": the wall clock's time of day, as a time control holds it. */
export function timeText(wall: Wall): string {
  return `${two(wall.hour)}:${two(wall.minute)}`;
}

/** "2026-12-08T10:00:00": the wall clock as the core takes a start. */
export function wallText(wall: Wall): string {
  return `${dateText(wall)}T${timeText(wall)}:${two(wall.second)}`;
}

/** The wall clock `days` days later (the same time of day). */
export function addDays(wall: Wall, days: number): Wall {
  const date = new Date(wallAsUtc(wall));
  date.setUTCDate(date.getUTCDate() + days);
  return { ...wall, year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

/** The day of the week of a date (0 Sunday … 6 Saturday), whatever the zone. */
export function dayOfWeek(date: string): number | null {
  const wall = wallOf(date, "00:00");
  return wall ? new Date(wallAsUtc(wall)).getUTCDay() : null;
}

/** An RRULE UNTIL: the last second of `date` in `zone`, as UTC ("20270601T205959Z"). */
export function untilOf(date: string, zone: string): string | null {
  const wall = wallOf(date, "23:59:59");
  if (!wall) return null;
  return instantOf(wall, zone)
    .toISOString()
    .replace(/\.\d{3}Z$/, "Z")
    .replace(/[-:]/g, "");
}

/** The date in `zone` an RRULE UNTIL ends on ("20270601T205959Z" or "20270601"); null when unreadable. */
export function untilDate(until: string, zone: string): string | null {
  const m = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z?))?$/.exec(until);
  if (!m) return null;
  if (m[4] === undefined) return `${m[1]}-${m[2]}-${m[3]}`;
  const wall: Wall = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]), hour: Number(m[4]), minute: Number(m[5]), second: Number(m[6]) };
  // UTC (Z) as the core writes it; a floating time is the zone's own.
  const instant = m[7] === "Z" ? new Date(wallAsUtc(wall)) : instantOf(wall, zone);
  return dateText(wallAt(instant, zone));
}

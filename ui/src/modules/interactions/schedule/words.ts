// Scheduled contacts in words: a repeat ("Every 2 weeks on Monday and Wednesday, until 1 Jun 2027"),
// a reminder's lead and a duration, in the window's language and digits.

import type { TFunction } from "i18next";
import type { FieldError } from "../../../api/generated";
import type { Language } from "../../../i18n";
import { fieldErrorMessage } from "../../../shared/errors";
import { formatCalendarDate, formatList, formatNumber, formatWeekday } from "../../../shared/format";
import { interactionFieldError } from "../labels";
import { WEEKDAYS, weekdaysFrom, type Repeat, type Weekday } from "./recurrence";

/** The weekday a week starts on: Saturday in Persian, Monday in English and Russian. */
export function firstWeekday(language: Language): Weekday {
  return language === "fa" ? "SA" : "MO";
}

/** JavaScript's day number (0 Sunday) of an RRULE weekday. */
export function dayNumber(day: Weekday): number {
  return (WEEKDAYS.indexOf(day) + 1) % 7;
}

export function weekdayName(day: Weekday, language: Language, width: "long" | "short" = "long"): string {
  return formatWeekday(dayNumber(day), language, width);
}

/** A repeat in words; "Does not repeat" for none. */
export function describeRepeat(t: TFunction, language: Language, repeat: Repeat | null): string {
  if (repeat === null) return t("schedule.repeat.none");
  const n = formatNumber(repeat.interval, language);
  const every = repeat.interval === 1 ? t(`schedule.repeat.every.${repeat.freq}`) : t(`schedule.repeat.everyN.${repeat.freq}`, { count: repeat.interval, n });
  const days = weekdaysFrom(firstWeekday(language)).filter((d) => repeat.byDay.includes(d));
  const rule = repeat.freq === "weekly" && days.length > 0 ? t("schedule.repeat.onDays", { every, days: formatList(days.map((d) => weekdayName(d, language)), language) }) : every;
  if (repeat.end.kind === "until") return t("schedule.repeat.withEnd", { rule, end: t("schedule.repeat.until", { date: formatCalendarDate(repeat.end.date, language) }) });
  if (repeat.end.kind === "count")
    return t("schedule.repeat.withEnd", { rule, end: t("schedule.repeat.times", { count: repeat.end.count, n: formatNumber(repeat.end.count, language) }) });
  return rule;
}

/** A stored rule the dialog cannot show as choices, as text. */
export function describeCustomRule(t: TFunction, rule: string): string {
  return t("schedule.repeat.custom", { rule });
}

/** How long before a start its reminder is raised: "15 minutes before", "1 day before", "At the start". */
export function describeLead(t: TFunction, language: Language, minutes: number): string {
  if (minutes === 0) return t("schedule.lead.atStart");
  if (minutes % 1440 === 0) return t("schedule.lead.days", { count: minutes / 1440, n: formatNumber(minutes / 1440, language) });
  if (minutes % 60 === 0) return t("schedule.lead.hours", { count: minutes / 60, n: formatNumber(minutes / 60, language) });
  return t("schedule.lead.minutes", { count: minutes, n: formatNumber(minutes, language) });
}

/** A duration: "30 min", "1 h 30 min". */
export function describeDuration(t: TFunction, language: Language, minutes: number): string {
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours === 0) return t("schedule.duration.minutes", { n: formatNumber(rest, language) });
  if (rest === 0) return t("schedule.duration.hours", { n: formatNumber(hours, language) });
  return t("schedule.duration.hoursMinutes", { h: formatNumber(hours, language), m: formatNumber(rest, language) });
}

/** A field problem of the schedule dialog (or one the core reported for it) in words. */
export function scheduleFieldError(t: TFunction, field: string, error: FieldError): string {
  if (field === "starts_at" && error.code === "invalid_value") return t("schedule.errors.startsAt");
  if (field === "starts_at" && error.code === "required") return t("schedule.errors.startsAtMissing");
  if (field === "time_zone" && (error.code === "invalid_value" || error.code === "required")) return t("schedule.errors.timeZone");
  if (field === "recurrence" && error.code === "invalid_value") return t("schedule.errors.recurrence");
  if (field === "recurrence" && error.code === "required") return t("schedule.errors.weekdays");
  if (field === "duration_minutes" && error.code === "invalid_value") return t("schedule.errors.duration");
  if (field === "lead_minutes" && error.code === "invalid_value") return t("schedule.errors.lead");
  if ((field === "interval" || field === "count") && error.code === "invalid_value") return t("schedule.errors.number");
  if (field === "until" && error.code === "invalid_value") return t("schedule.errors.until");
  if (field === "contact_id" || field === "organisation_id" || field === "topic_id") return interactionFieldError(t, field, error);
  return fieldErrorMessage(t, error);
}

/** Why an occurrence could not move: into the past, or one already done. */
export function moveFieldError(t: TFunction, field: string, error: FieldError): string {
  if (field === "to" && error.code === "invalid_value") return t("schedule.errors.moveTo");
  if (field === "occurrence" && error.code === "invalid_value") return t("schedule.errors.moveOccurrence");
  if (field === "duration_minutes" && error.code === "invalid_value") return t("schedule.errors.duration");
  return fieldErrorMessage(t, error);
}

// The schedule dialog's pure part: what it holds, what it sends to `interactions.schedule` (a new
// contact) or `interactions.update_scheduled` (the whole series redefined), and what it says is
// missing before sending anything.

import type { ApiError, InputOf, InteractionChannel, ScheduleContactInput, ScheduledContact } from "../../../api/generated";
import type { Whom } from "../../../shared/interactions/InteractionsSlot";
import { buildRule, parseRule, sameRepeat, weekdayOfDay, type Frequency, type Repeat, type Weekday } from "./recurrence";
import { dateText, dayOfWeek, instantOf, localZone, timeText, wallAt, wallOf } from "./zones";

/** The reminder leads offered, in minutes before the start (1440: a day). */
export const LEADS = [0, 5, 10, 15, 30, 60, 1440] as const;
export const DEFAULT_LEAD = 15;
export const DEFAULT_DURATION = 30;
/** The longest a contact may last in the dialog: a day. */
export const MAX_DURATION = 1440;

export type RepeatChoice = "none" | Frequency | "custom";
export type EndChoice = "never" | "until" | "count";

/** What the dialog holds; every text as its control holds it. */
export type ScheduleDraft = {
  whom: Whom | null;
  topicId: string | null;
  channel: InteractionChannel;
  /** "2026-12-08" and "10:00": the wall clock in `timeZone`. */
  date: string;
  time: string;
  timeZone: string;
  duration: string;
  repeat: RepeatChoice;
  interval: string;
  byDay: Weekday[];
  /** The days were chosen by the person: they no longer follow the start's weekday. */
  daysChosen: boolean;
  end: EndChoice;
  until: string;
  count: string;
  /** A stored rule the dialog cannot show as choices: kept as it is while "custom" is chosen. */
  customRule: string | null;
  lead: number;
  responsibleId: string;
  note: string;
};

/** Where a new contact starts when the dialog is opened from a calendar's empty slot (or, absent, the next hour). */
export type SchedulePrefill = {
  whom?: Whom | null;
  /** The slot's start; its date only when `allDay` (a month's day). */
  start?: Date;
  minutes?: number;
  allDay?: boolean;
};

/** A new contact: by phone, at the next whole hour (or the slot chosen), in this computer's zone, reminded 15 minutes before. */
export function newScheduleDraft(prefill: SchedulePrefill, me: string, now: Date, zone = localZone()): ScheduleDraft {
  let date: string;
  let time: string;
  if (prefill.start) {
    const wall = wallAt(prefill.start, zone);
    date = dateText(wall);
    time = prefill.allDay ? "10:00" : timeText(wall);
  } else {
    const wall = wallAt(new Date(now.getTime() + 60 * 60 * 1000), zone);
    date = dateText(wall);
    time = timeText({ ...wall, minute: 0 });
  }
  const minutes = prefill.minutes && !prefill.allDay && prefill.minutes > 0 && prefill.minutes <= MAX_DURATION ? prefill.minutes : DEFAULT_DURATION;
  const weekday = dayOfWeek(date);
  return {
    whom: prefill.whom ?? null,
    topicId: null,
    channel: "phone",
    date,
    time,
    timeZone: zone,
    duration: String(minutes),
    repeat: "none",
    interval: "1",
    byDay: weekday === null ? [] : [weekdayOfDay(weekday)],
    daysChosen: false,
    end: "never",
    until: "",
    count: "10",
    customRule: null,
    lead: DEFAULT_LEAD,
    responsibleId: me,
    note: "",
  };
}

/** A stored series as the dialog edits it: its first start on the wall in its own zone, its rule as choices when it can be. */
export function scheduledDraft(stored: ScheduledContact, whom: Whom | null): ScheduleDraft {
  const wall = wallAt(new Date(stored.starts_at), stored.time_zone);
  const date = dateText(wall);
  const weekday = weekdayOfDay(dayOfWeek(date) ?? 1);
  const base = newScheduleDraft({}, stored.responsible_id, new Date(stored.starts_at), stored.time_zone);
  const draft: ScheduleDraft = {
    ...base,
    whom,
    topicId: stored.topic_id,
    channel: stored.channel,
    date,
    time: timeText(wall),
    duration: String(stored.duration_minutes),
    byDay: [weekday],
    lead: stored.lead_minutes,
    responsibleId: stored.responsible_id,
    note: stored.note ?? "",
  };
  if (stored.recurrence === null) return draft;
  const repeat = parseRule(stored.recurrence, stored.time_zone, weekday);
  if (repeat === null) return { ...draft, repeat: "custom", customRule: stored.recurrence };
  return {
    ...draft,
    repeat: repeat.freq,
    interval: String(repeat.interval),
    byDay: repeat.freq === "weekly" ? repeat.byDay : draft.byDay,
    daysChosen: repeat.freq === "weekly",
    end: repeat.end.kind,
    until: repeat.end.kind === "until" ? repeat.end.date : "",
    count: repeat.end.kind === "count" ? String(repeat.end.count) : draft.count,
  };
}

const wholeNumber = (text: string) => (/^\s*\d+\s*$/.test(text) ? Number(text) : NaN);

/** The repeat chosen; null for none (or a custom rule, kept as text). */
export function repeatOf(draft: ScheduleDraft): Repeat | null {
  if (draft.repeat === "none" || draft.repeat === "custom") return null;
  const end = draft.end === "until" ? { kind: "until" as const, date: draft.until } : draft.end === "count" ? { kind: "count" as const, count: wholeNumber(draft.count) } : { kind: "never" as const };
  return { freq: draft.repeat, interval: wholeNumber(draft.interval), byDay: draft.byDay, end };
}

/** The RRULE value to send; null: once. A rule read from the stored series and left as it was is sent as it was. */
export function recurrenceOf(draft: ScheduleDraft, opened?: ScheduleDraft, storedRule?: string | null): string | null {
  if (draft.repeat === "none") return null;
  if (draft.repeat === "custom") return draft.customRule;
  const repeat = repeatOf(draft);
  if (opened && storedRule && draft.timeZone === opened.timeZone && sameRepeat(repeat, repeatOf(opened))) return storedRule;
  return repeat && buildRule(repeat, draft.timeZone);
}

const missing = (code: "required" | "invalid_value") => ({ code, message: "" });

/** What cannot be sent: every problem the dialog can see, at the fields the core would name. */
export function scheduleProblems(draft: ScheduleDraft): ApiError | null {
  const fields: ApiError["fields"] = {};
  if (draft.whom === null) fields.contact_id = missing("required");
  if (draft.topicId === null) fields.topic_id = missing("required");
  if (draft.date === "" || draft.time === "") fields.starts_at = missing("required");
  else if (wallOf(draft.date, draft.time) === null) fields.starts_at = missing("invalid_value");
  const duration = wholeNumber(draft.duration);
  if (!(duration >= 1 && duration <= MAX_DURATION)) fields.duration_minutes = missing("invalid_value");
  if (draft.repeat !== "none" && draft.repeat !== "custom") {
    const interval = wholeNumber(draft.interval);
    if (!(interval >= 1 && interval <= 999)) fields.interval = missing("invalid_value");
    if (draft.repeat === "weekly" && draft.byDay.length === 0) fields.recurrence = missing("required");
    if (draft.end === "until") {
      if (wallOf(draft.until, "00:00") === null) fields.until = missing("required");
      else if (draft.until < draft.date) fields.until = missing("invalid_value");
    }
    if (draft.end === "count" && !(wholeNumber(draft.count) >= 1 && wholeNumber(draft.count) <= 999)) fields.count = missing("invalid_value");
  }
  if (Object.keys(fields).length === 0) return null;
  return { code: "invalid_input", message: "", fields };
}

/** A new scheduled contact as the core takes it: whom by one id, the responsible person when not oneself, the note when written. */
export function scheduleInput(draft: ScheduleDraft, me: string): ScheduleContactInput {
  const input: ScheduleContactInput = {
    topic_id: draft.topicId ?? "",
    channel: draft.channel,
    starts_at: `${draft.date}T${draft.time}:00`,
    time_zone: draft.timeZone,
    duration_minutes: wholeNumber(draft.duration),
    lead_minutes: draft.lead,
  };
  if (draft.whom?.kind === "contact") input.contact_id = draft.whom.contact.id;
  else if (draft.whom?.kind === "organisation") input.organisation_id = draft.whom.organisation.id;
  if (draft.responsibleId !== me) input.responsible_id = draft.responsibleId;
  const note = draft.note.trim();
  if (note !== "") input.note = note;
  const recurrence = recurrenceOf(draft);
  if (recurrence !== null) input.recurrence = recurrence;
  return input;
}

/** The whole series redefined (`interactions.update_scheduled`): every field, as the dialog shows it now. */
export function updateInput(stored: ScheduledContact, opened: ScheduleDraft, draft: ScheduleDraft): InputOf<"interactions.update_scheduled"> {
  const input = { ...scheduleInput(draft, ""), id: stored.id, version: stored.version, responsible_id: draft.responsibleId };
  const recurrence = recurrenceOf(draft, opened, stored.recurrence);
  if (recurrence === null) delete input.recurrence;
  else input.recurrence = recurrence;
  return input;
}

/** The person typed something the dialog would lose if closed now. */
export function hasTypedSchedule(opened: ScheduleDraft, draft: ScheduleDraft): boolean {
  return JSON.stringify(opened) !== JSON.stringify(draft);
}

/** The start the dialog shows, as a UTC instant (for the hint in the viewer's zone); null when not a valid time. */
export function startInstant(draft: ScheduleDraft): Date | null {
  const wall = wallOf(draft.date, draft.time);
  if (!wall) return null;
  try {
    return instantOf(wall, draft.timeZone);
  } catch {
    return null;
  }
}

/** A new date: the weekly days follow the start's weekday until the person chooses them. */
export function withDate(draft: ScheduleDraft, date: string): ScheduleDraft {
  const weekday = dayOfWeek(date);
  return { ...draft, date, byDay: !draft.daysChosen && weekday !== null ? [weekdayOfDay(weekday)] : draft.byDay };
}



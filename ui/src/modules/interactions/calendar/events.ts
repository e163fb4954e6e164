// Occurrences as the calendar shows them: titled "<topic> — <contact or organisation>", placed at
// their start and end in the reader's time zone, styled by their state.

import type { Occurrence } from "../../../api/generated";

export type CalendarEvent = {
  /** The series and the occurrence's start: one occurrence. */
  id: string;
  title: string;
  start: Date;
  end: Date;
  occurrence: Occurrence;
};

/** "<topic> — <contact or organisation>"; `someone` names a customer out of reach. */
export function eventTitle(o: Occurrence, someone: string): string {
  return `${o.topic} — ${o.contact_name ?? o.organisation_name ?? someone}`;
}

export function toEvents(items: readonly Occurrence[], someone: string): CalendarEvent[] {
  return items.map((o) => ({
    id: `${o.scheduled_id}@${o.starts_at}`,
    title: eventTitle(o, someone),
    start: new Date(o.starts_at),
    end: new Date(o.ends_at),
    occurrence: o,
  }));
}

/** Only what is still to happen moves: a done occurrence stays where it happened. */
export function canMove(event: CalendarEvent): boolean {
  return event.occurrence.state !== "done";
}

/** Whole minutes between two moments (a resized event's new length). */
export function minutesBetween(start: Date, end: Date): number {
  return Math.round((end.getTime() - start.getTime()) / 60000);
}

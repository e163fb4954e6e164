// Data freshness (CUST-6) as the window reckons it: the kinds whose data is confirmed from time
// to time, when a record's data was last known current (confirmed, else created), and whether
// that is longer ago than its kind allows — the same calendar months the core counts with.

import type { FreshnessRule } from "../../api/generated";

/** The kinds whose data is confirmed, in the order the window shows them. */
export const FRESHNESS_TABLES = ["organisations", "contacts"] as const;
export type FreshnessTable = (typeof FRESHNESS_TABLES)[number];

export function isFreshnessTable(table: string): table is FreshnessTable {
  return (FRESHNESS_TABLES as readonly string[]).includes(table);
}

/** What a record says about its freshness: when it was last confirmed (never: null) and created. */
export type Confirmable = { confirmed_at: string | null; created_at: string };

/** When the record's data was last known current: confirmed, else created. */
export function lastCurrent(record: Confirmable): string {
  return record.confirmed_at ?? record.created_at;
}

/**
 * `months` calendar months before `now`; a day the earlier month lacks becomes its last day
 * (31 March less one month is 28 or 29 February), as the core's cutoff does.
 */
export function monthsBefore(now: Date, months: number): Date {
  const total = now.getUTCFullYear() * 12 + now.getUTCMonth() - months;
  const year = Math.floor(total / 12);
  const month = total - year * 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return new Date(
    Date.UTC(
      year,
      month,
      Math.min(now.getUTCDate(), lastDay),
      now.getUTCHours(),
      now.getUTCMinutes(),
      now.getUTCSeconds(),
      now.getUTCMilliseconds(),
    ),
  );
}

/** Whether the record's data was last known current longer than `months` ago (the core's "stale"). */
export function isStale(record: Confirmable, months: number, now: Date = new Date()): boolean {
  const last = new Date(lastCurrent(record));
  if (Number.isNaN(last.getTime())) return false;
  return last.getTime() < monthsBefore(now, months).getTime();
}

/** A kind's months, by its rule; undefined while the rules are unknown (nothing is flagged then). */
export function monthsFor(rules: readonly FreshnessRule[] | undefined, table: string): number | undefined {
  return rules?.find((rule) => rule.table === table)?.months;
}

/** The months a rule may set, as the core takes them (`SetFreshnessRuleInput.months`). */
export const MONTHS_MIN = 1;
export const MONTHS_MAX = 120;

// Freshness in words, for a card and the "Needs confirmation" screen alike: when a record's data
// was last confirmed (or that it never was, with the day it was added), and a kind's months.

import type { TFunction } from "i18next";
import type { Language } from "../../i18n";
import { formatDate, formatNumber } from "../format";
import type { Confirmable } from "./freshness";

/** "Data confirmed on 3 Mar 2026", or "Data never confirmed (added 3 Mar 2025)". */
export function confirmedLine(t: TFunction, record: Confirmable, language: Language): string {
  return record.confirmed_at
    ? t("freshness.card.confirmedOn", { date: formatDate(record.confirmed_at, language) })
    : t("freshness.card.neverConfirmed", { date: formatDate(record.created_at, language) });
}

/** A table's cell: "3 Mar 2026", or "Never (added 3 Mar 2025)". */
export function lastConfirmed(t: TFunction, record: Confirmable, language: Language): string {
  return record.confirmed_at
    ? formatDate(record.confirmed_at, language)
    : t("freshness.never", { date: formatDate(record.created_at, language) });
}

/** "Confirmed every 12 months", in the language's digits and plural. */
export function ruleText(t: TFunction, months: number, language: Language): string {
  return t("freshness.rule", { count: months, total: formatNumber(months, language) });
}

// Labels for values that come from the core (field names, kinds…), looked up by their code.

import type { TFunction } from "i18next";
import type { HistoryTable } from "../api/generated";
import { i18n, type Language } from "../i18n";
import { formatNumber } from "./format";

type LooseT = (key: string) => string;

/** A field's label ("tax_id" → "Tax ID"); the raw name when this build has no label for it. */
export function fieldLabel(t: TFunction, field: string): string {
  const key = `fields.${field}`;
  return i18n.exists(key) ? (t as unknown as LooseT)(key) : field;
}

/** A kind's label ("prospect" → "Prospect"); null when this build has no label for it. */
export function kindLabel(t: TFunction, kind: string): string | null {
  const key = `kinds.${kind}`;
  return i18n.exists(key) ? (t as unknown as LooseT)(key) : null;
}

/** How many records of a kind, in words ("3 organisations", "5 контактов"). */
export function recordCount(t: TFunction, table: HistoryTable, count: number, language: Language): string {
  return t(`records.${table}`, { count, total: formatNumber(count, language) });
}

/**
 * An id too long to read, shortened to its last characters (the whole id goes in a title).
 * The last, not the first: ids are UUIDv7, whose first characters are the time they were made,
 * so two devices or records made the same hour would look alike.
 */
export function shortId(id: string): string {
  return id.length > 8 ? id.slice(-8) : id;
}

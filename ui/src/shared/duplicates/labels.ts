// Merges in words, for the Duplicates screen and a record's card alike.

import type { TFunction } from "i18next";
import type { HistoryTable, ReferenceCount } from "../../api/generated";
import { i18n, type Language } from "../../i18n";
import { formatList, formatNumber } from "../format";
import { recordCount } from "../labels";

/** A record's name as the core gave it, or "(untitled)" when it could not (out of reach, say). */
export function titleOr(t: TFunction, title: string | null | undefined): string {
  return title ?? t("duplicates.screen.untitled");
}

/**
 * What refers to a record, in words: "4 contacts and 1 relation" (a kind counted once however
 * many of its fields refer); null when nothing does.
 */
export function referencesText(t: TFunction, language: Language, counts: readonly ReferenceCount[]): string | null {
  const byTable = new Map<string, { table: string; label: string; count: number }>();
  for (const c of counts) {
    if (c.count <= 0) continue;
    const seen = byTable.get(c.table);
    if (seen) seen.count += c.count;
    else byTable.set(c.table, { table: c.table, label: c.label, count: c.count });
  }
  if (byTable.size === 0) return null;
  const parts = [...byTable.values()].map(({ table, label, count }) =>
    // A kind this build has no word for is named as the core names it.
    i18n.exists(`records.${table}_other`) ? recordCount(t, table as HistoryTable, count, language) : `${formatNumber(count, language)} ${label}`,
  );
  return formatList(parts, language);
}

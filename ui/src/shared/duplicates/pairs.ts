// A likely pair in words: how sure, and why.

import type { TFunction } from "i18next";
import type { DuplicateReason, HistoryTable } from "../../api/generated";
import { i18n } from "../../i18n";
import { fieldLabel } from "../labels";

type LooseT = (key: string, options?: Record<string, unknown>) => string;

/** The kinds whose duplicates are found and merged, in the order the screen offers them. */
export const DUPLICATE_TABLES = ["organisations", "contacts"] as const satisfies readonly HistoryTable[];
export type DuplicateTable = (typeof DUPLICATE_TABLES)[number];

export type Likelihood = "certain" | "veryLikely" | "likely";

/** The core's score in words: 100 and more near certain, 75 and more very likely, else likely (from 50). */
export function likelihoodOf(score: number): Likelihood {
  if (score >= 100) return "certain";
  if (score >= 75) return "veryLikely";
  return "likely";
}

/**
 * Why a pair is likely, as a short chip: "Same email", "Similar name". A contact's name is a
 * person's (some languages word it apart from an organisation's); a field this build has no
 * words for is named by its label.
 */
export function reasonLabel(t: TFunction, table: string, reason: DuplicateReason): string {
  const loose = t as unknown as LooseT;
  const mode = reason.similar ? "similar" : "same";
  const name = reason.field === "name" && table === "contacts" ? "personName" : reason.field;
  const key = `duplicates.reasons.${mode}.${name}`;
  if (i18n.exists(key)) return loose(key);
  return loose(reason.similar ? "duplicates.reasons.similarField" : "duplicates.reasons.sameField", {
    field: fieldLabel(t, reason.field).toLocaleLowerCase(i18n.language),
  });
}

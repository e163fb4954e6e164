// Segments in words: the kinds they select from, the fields (standard ones by the window's own
// field labels, custom ones by their label), the comparisons as each type of field reads them,
// and the core's problems with a filter.

import type { TFunction } from "i18next";
import type { HistoryTable, SegmentField, SegmentOperator } from "../../api/generated";
import { i18n, type Language } from "../../i18n";
import { fieldErrorMessage } from "../../shared/errors";
import { formatSerial } from "../../shared/format";
import { fieldLabel } from "../../shared/labels";
import type { FieldType, FilterProblem, Path } from "./filter";

type LooseT = (key: string, options?: Record<string, unknown>) => string;

/** The kinds segments select from, in the order the screen offers them. */
export const SEGMENT_TABLES = ["organisations", "contacts"] as const satisfies readonly HistoryTable[];
export type SegmentTable = (typeof SEGMENT_TABLES)[number];

export function isSegmentTable(table: string): table is SegmentTable {
  return (SEGMENT_TABLES as readonly string[]).includes(table);
}

/** A field as people call it: a custom field by its label, a standard one in words ("owner_id" → "Owner"). */
export function segmentFieldLabel(t: TFunction, field: Pick<SegmentField, "field" | "label">): string {
  return field.label ?? fieldLabel(t, field.field);
}

/** How a comparison reads for a type of field: "is any of", "holds any of", "is at least", "is on or after". */
export function operatorLabel(t: TFunction, type: FieldType | undefined, op: SegmentOperator): string {
  const family = type === "multi_choice" ? "multi" : type === "number" ? "number" : type === "date" ? "date" : "value";
  return (t as unknown as LooseT)(`segments.ops.${family}.${op}`);
}

/** A row's number as people count: the path from 1, "2.1" (in the language's digits). */
export function rowNumber(path: Path, language: Language): string {
  return path.map((i) => formatSerial(i + 1, language)).join(".");
}

/** A problem the core found with a filter, in words for its place and its field's type. */
export function problemMessage(t: TFunction, problem: FilterProblem, type: FieldType | undefined, op: SegmentOperator | undefined): string {
  const { part, error, item } = problem;
  const loose = t as unknown as LooseT;
  if (part === "node") {
    if (error.code === "too_long") return loose("segments.errors.tooMany");
    if (error.code === "invalid_value") return loose("segments.errors.depth");
    return fieldErrorMessage(t, error);
  }
  if (part === "field") return loose("segments.errors.field");
  if (part === "op") return loose("segments.errors.op");
  if (error.code === "required") return loose("segments.errors.required");
  if (op === "any_of" && item === null) return loose("segments.errors.list");
  if (error.code === "invalid_value" || error.code === "wrong_type") {
    const key = `segments.errors.values.${type ?? "text"}`;
    if (i18n.exists(key)) return loose(key);
  }
  return fieldErrorMessage(t, error);
}

/** For the banner: a problem no row shows, said with where it is. */
export function unplacedMessage(t: TFunction, problem: FilterProblem, language: Language): string {
  const loose = t as unknown as LooseT;
  const message = problemMessage(t, problem, undefined, undefined);
  if (problem.path.length === 0) return message;
  return loose("segments.errors.at", { row: rowNumber(problem.path, language), message });
}

// What a merge keeps, field by field: pure functions over a comparison and the choices made.
//
// A choice names whose value a field ends with ("first" or "second": the record, not its role),
// so choosing the other record to keep leaves what was chosen as it was: the merged record will
// look the same, only the values taken and kept swap. A field not chosen follows the default.

import type { RecordComparison } from "../../api/generated";

/** One of the two records compared: `first` is the older. */
export type Side = "first" | "second";

/** The values chosen, by field; a field not in it follows `defaultSide`. */
export type Choices = Partial<Record<string, Side>>;

export function otherSide(side: Side): Side {
  return side === "first" ? "second" : "first";
}

/** No value: null, absent, blank text, an empty list. */
export function isEmptyValue(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (typeof value === "string") return value.trim() === "";
  if (Array.isArray(value)) return value.length === 0;
  return false;
}

/** Both records hold the same value (no value on both sides counts as the same). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (isEmptyValue(a) || isEmptyValue(b)) return isEmptyValue(a) && isEmptyValue(b);
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Whose value a field ends with unless chosen: the kept record's, unless it has none and the other has one. */
export function defaultSide(first: unknown, second: unknown, survivor: Side): Side {
  const [kept, merged] = survivor === "first" ? [first, second] : [second, first];
  return isEmptyValue(kept) && !isEmptyValue(merged) ? otherSide(survivor) : survivor;
}

/** Whose value `field` ends with; null when both hold the same (there is nothing to choose). */
export function chosenSide(comparison: RecordComparison, field: string, survivor: Side, choices: Choices): Side | null {
  const first = comparison.first[field];
  const second = comparison.second[field];
  if (sameValue(first, second)) return null;
  return choices[field] ?? defaultSide(first, second, survivor);
}

/** The fields the survivor takes from the merged record, in the comparison's order: those ending with the merged record's value. */
export function fieldsToTake(comparison: RecordComparison, survivor: Side, choices: Choices): string[] {
  const merged = otherSide(survivor);
  return comparison.fields.filter((field) => chosenSide(comparison, field, survivor, choices) === merged);
}

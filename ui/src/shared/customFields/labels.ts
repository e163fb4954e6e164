// Names of what custom fields are made of, in the window's language.

import type { TFunction } from "i18next";
import type { CustomFieldKind, CustomFieldTarget } from "../../api/generated";
import { i18n } from "../../i18n";

type LooseT = (key: string) => string;

/** Every kind of custom field, in the order administration offers them (checked against the generated union). */
export const CUSTOM_FIELD_KINDS = [
  "text",
  "number",
  "decimal",
  "date",
  "choice",
  "multi_choice",
  "yes_no",
  "link",
] as const satisfies readonly CustomFieldKind[];
const _allKinds: Exclude<CustomFieldKind, (typeof CUSTOM_FIELD_KINDS)[number]> extends never ? true : never = true;
void _allKinds;

/** "multi_choice" → "Several choices". */
export function fieldKindLabel(t: TFunction, kind: CustomFieldKind): string {
  return t(`customFields.kinds.${kind}`);
}

/** Whether a kind of field has choices to edit. */
export function hasChoices(kind: CustomFieldKind): boolean {
  return kind === "choice" || kind === "multi_choice";
}

/** A kind of record ("organisations") in words; the core's own label when this build has none. */
export function recordKindLabel(t: TFunction, target: Pick<CustomFieldTarget, "table" | "label">): string {
  const key = `customFields.tables.${target.table}`;
  return i18n.exists(key) ? (t as unknown as LooseT)(key) : target.label;
}

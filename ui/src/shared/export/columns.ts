// What an export asks the core for: the columns, in order and named in the window's language,
// and the words for stored values, so the file reads as the window does. Pure functions, shared
// by a saved segment's export and a list's.

import type { TFunction } from "i18next";
import type { Colleagues, CustomField, ExportColumn, ExportRecordsInput, HistoryTable, OrganisationKind } from "../../api/generated";
import { choiceLabel, customFieldName, customKeyOf, isRetired } from "../customFields/values";
import { fieldLabel, kindLabel } from "../labels";

/** The kinds of record the core exports (those segments select from). */
export const EXPORT_TABLES = ["organisations", "contacts"] as const satisfies readonly HistoryTable[];
export type ExportTable = (typeof EXPORT_TABLES)[number];

/** The core takes 1 to this many columns. */
export const MAX_EXPORT_COLUMNS = 50;

/** A kind's own columns, in the order a segment's file shows them, before its custom fields. */
export const MAIN_EXPORT_COLUMNS = {
  organisations: ["name", "kind", "industry", "country", "city", "email", "phone"],
  contacts: ["full_name", "organisation_id", "role", "email", "phone"],
} as const satisfies Record<ExportTable, readonly string[]>;

/** Every kind of organisation (checked against the generated union), for the words of `kind`. */
const ORGANISATION_KINDS = ["customer", "prospect", "supplier", "partner"] as const satisfies readonly OrganisationKind[];
const _allKinds: Exclude<OrganisationKind, (typeof ORGANISATION_KINDS)[number]> extends never ? true : never = true;
void _allKinds;

export type ValueLabels = NonNullable<ExportRecordsInput["value_labels"]>;

/**
 * The columns of `table`'s export: its own columns named as the card names them, then its active
 * custom fields in their order, by their labels (at most MAX_EXPORT_COLUMNS in all).
 */
export function exportColumns(t: TFunction, table: ExportTable, fields: readonly CustomField[]): ExportColumn[] {
  const own = MAIN_EXPORT_COLUMNS[table].map((field) => ({ field, label: fieldLabel(t, field) }));
  const custom = fields
    .filter((f) => f.record_table === table && !isRetired(f))
    .map((f) => customColumn(f));
  return [...own, ...custom].slice(0, MAX_EXPORT_COLUMNS);
}

/** A custom field as a column: `custom.<key>`, headed by its label. */
export function customColumn(field: Pick<CustomField, "key" | "label">): ExportColumn {
  return { field: customFieldName(field.key), label: field.label };
}

/**
 * The words for the stored values of `columns`, by field and value: an organisation's kind, a
 * custom choice's or several choices' keys (retired choices too: records may still hold them),
 * a yes/no value's `true`/`false`, and an owner's id when the colleagues are known. Only the
 * columns exported are given words; a column whose values are shown as stored has none.
 */
export function exportValueLabels(
  t: TFunction,
  columns: readonly ExportColumn[],
  fields: readonly CustomField[],
  directory?: Colleagues,
): ValueLabels {
  const out: ValueLabels = {};
  for (const { field } of columns) {
    const words = valueWords(t, field, fields, directory);
    if (words && Object.keys(words).length > 0) out[field] = words;
  }
  return out;
}

function valueWords(t: TFunction, field: string, fields: readonly CustomField[], directory: Colleagues | undefined): Record<string, string> | null {
  if (field === "kind") return Object.fromEntries(ORGANISATION_KINDS.map((kind) => [kind, kindLabel(t, kind) ?? kind]));
  if (field === "owner_id") return directory ? Object.fromEntries(directory.users.map((u) => [u.id, u.display_name])) : null;
  const key = customKeyOf(field);
  const custom = key === null ? undefined : fields.find((f) => f.key === key);
  if (!custom) return null;
  switch (custom.kind) {
    case "choice":
    case "multi_choice":
      return Object.fromEntries(custom.choices.map((c) => [c.key, choiceLabel(custom, c.key)]));
    case "yes_no":
      return { true: t("customFields.yes"), false: t("customFields.no") };
    default:
      return null;
  }
}

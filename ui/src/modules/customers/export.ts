// What the organisation list's export asks the core for: the list's own columns as its head
// names them, then the custom fields it shows; the kind chosen as a filter; a name for the file.
// Pure functions.

import type { TFunction } from "i18next";
import type { CustomField, ExportColumn, OrganisationKind, SegmentFilter } from "../../api/generated";
import { customColumn, MAX_EXPORT_COLUMNS } from "../../shared/export/columns";

/** The list's built-in columns, in the order it shows them (its head and its rows). */
export const LIST_COLUMNS = ["name", "kind", "tax_id", "email", "phone", "city"] as const;

/** The columns the list shows: its own, headed as it heads them, then the custom fields chosen as columns. */
export function listExportColumns(t: TFunction, custom: readonly CustomField[]): ExportColumn[] {
  const own = LIST_COLUMNS.map((field) => ({ field, label: t(`customers.columns.${field}`) }));
  return [...own, ...custom.map(customColumn)].slice(0, MAX_EXPORT_COLUMNS);
}

/** The records the list shows as a segment filter: those of the kind chosen; none for every kind. */
export function listExportFilter(kind: OrganisationKind | null): SegmentFilter | null {
  return kind === null ? null : { type: "all", of: [{ type: "condition", field: "kind", op: "is", value: kind }] };
}

/** The file's and the sheet's name: "Organisations", or "Organisations – Suppliers" with a kind chosen. */
export function listExportName(t: TFunction, kind: OrganisationKind | null): string {
  return t(`customers.export.names.${kind ?? "all"}`);
}

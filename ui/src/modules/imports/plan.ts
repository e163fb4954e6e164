// An import's settings as the wizard holds them — per column of the file, the field it fills —
// and the plan the core is sent; what the settings still lack (a required field, the order of
// day and month); and where the core's problems with a plan belong. Pure functions.

import type { ApiError, DateColumn, DateOrder, FieldError, ImportColumn, ImportInput, ImportTarget, InspectedFile } from "../../api/generated";
import { isNumericDate, type ImportTable } from "./labels";

/** Per column of the file, in order, the field it fills; "" for a column not imported. */
export type Selection = readonly string[];

/** What the wizard holds: the file, the kind, the columns' fields, the date order chosen, the default country typed. */
export type Settings = {
  path: string;
  table: ImportTable;
  selection: Selection;
  /** "" while nobody has said (never guessed). */
  dateOrder: DateOrder | "";
  country: string;
};

/** The columns' fields as the core proposed them (remembered or guessed), for the fields it still offers. */
export function selectionOf(file: InspectedFile): string[] {
  const offered = new Set(file.targets.map((t) => t.field));
  const selection = file.headers.map(() => "");
  for (const { column, field } of file.mapping) {
    if (column < selection.length && offered.has(field)) selection[column] = field;
  }
  return selection;
}

/** The mapping sent: the imported columns, in the file's order. */
export function mappingOf(selection: Selection): ImportColumn[] {
  return selection.flatMap((field, column) => (field ? [{ column, field }] : []));
}

/** A country as the core takes it: two capital letters, or nothing. */
export function countryOf(text: string): string {
  return text.trim().toUpperCase();
}

/** The plan the core previews and imports: only what was said (no date order nobody chose, no empty country). */
export function planOf(settings: Settings): ImportInput {
  const country = countryOf(settings.country);
  return {
    path: settings.path,
    table: settings.table,
    mapping: mappingOf(settings.selection),
    ...(settings.dateOrder ? { date_order: settings.dateOrder } : {}),
    ...(country ? { defaults: { country } } : {}),
  };
}

/** The fields every record needs that no column fills. */
export function missingRequired(targets: readonly ImportTarget[], selection: Selection): ImportTarget[] {
  return targets.filter((t) => t.required && !selection.includes(t.field));
}

/** The other column that fills the same field as `column` (each field takes one column); null when none does. */
export function sameFieldAs(selection: Selection, column: number): number | null {
  const field = selection[column];
  if (!field) return null;
  const other = selection.findIndex((f, i) => i !== column && f === field);
  return other === -1 ? null : other;
}

/** The columns written with numeric dates whose column fills a date field. */
export function mappedDateColumns(file: InspectedFile, selection: Selection): DateColumn[] {
  const kinds = new Map(file.targets.map((t) => [t.field, t.kind]));
  return file.date_columns.filter((c) => kinds.get(selection[c.column] ?? "") === "date");
}

/**
 * Whether the order of day and month must be asked before importing: a date field is filled from
 * a column whose dates read either way, or from columns that show different orders. The core
 * asks too (a `date_order` problem); the order is never guessed.
 */
export function mustAskDateOrder(file: InspectedFile, selection: Selection): boolean {
  const mapped = mappedDateColumns(file, selection);
  return mapped.some((c) => c.reading.reading === "ambiguous") || shownOrders(mapped).size > 1;
}

/** The one order the dates of the mapped date columns show (a day above 12 somewhere); null when they show none or disagree. */
export function shownDateOrder(file: InspectedFile, selection: Selection): DateOrder | null {
  const mapped = mappedDateColumns(file, selection);
  if (mapped.some((c) => c.reading.reading === "ambiguous")) return null;
  const shown = shownOrders(mapped);
  return shown.size === 1 ? [...shown][0] : null;
}

function shownOrders(columns: readonly DateColumn[]): Set<DateOrder> {
  return new Set(columns.flatMap((c) => (c.reading.reading === "shows" ? [c.reading.order] : [])));
}

/** The first sample date written with numbers, from the date columns that matter most (ambiguous and mapped first). */
export function firstSampleDate(file: InspectedFile, selection: Selection): string | null {
  const mapped = mappedDateColumns(file, selection);
  const rank = (c: DateColumn) => (mapped.includes(c) ? 0 : 2) + (c.reading.reading === "ambiguous" ? 0 : 1);
  const columns = [...file.date_columns].sort((a, b) => rank(a) - rank(b));
  for (const { column } of columns) {
    for (const row of file.sample) {
      const cell = row[column]?.trim();
      if (cell && isNumericDate(cell)) return cell;
    }
  }
  return null;
}

/** Up to `count` non-empty cells of a column from the file's first rows. */
export function sampleValues(file: InspectedFile, column: number, count = 3): string[] {
  const values: string[] = [];
  for (const row of file.sample) {
    const cell = row[column]?.trim();
    if (cell) values.push(cell);
    if (values.length === count) break;
  }
  return values;
}

/**
 * The core's problems with the mapping sent, by the file column they belong to: `mapping.N.field`
 * names the Nth column of the mapping sent, not of the file.
 */
export function mappingErrorsByColumn(error: ApiError | null, sent: readonly ImportColumn[]): Map<number, FieldError> {
  const byColumn = new Map<number, FieldError>();
  if (!error) return byColumn;
  for (const [name, fieldError] of Object.entries(error.fields)) {
    const match = /^mapping\.(\d+)\.(field|column)$/.exec(name);
    const column = match ? sent[Number(match[1])]?.column : undefined;
    if (column !== undefined && !byColumn.has(column)) byColumn.set(column, fieldError);
  }
  return byColumn;
}

// Tables for spreadsheets: RFC 4180 CSV, opened safely by Excel and LibreOffice.

export type CsvValue = string | number | null | undefined;

/** Excel reads a file without it as the system's legacy code page, garbling Cyrillic and Persian. */
const UTF8_BOM = "\uFEFF";

/** What a spreadsheet would take for the start of a formula (CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;

/** A field holding any of these must be quoted (RFC 4180, section 2). */
const NEEDS_QUOTES = /[",\r\n]/;

/**
 * One field. Text that a spreadsheet would run as a formula gets a leading apostrophe, so it
 * is shown, not evaluated (the text may come from anyone: a login typed at the sign-in screen).
 * Numbers are written as they are: the window made them, they cannot hold a formula.
 */
export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return "";
  const text = typeof value === "number" ? String(value) : neutraliseFormula(value);
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function neutraliseFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** The whole file: a byte order mark, then each row on its own CRLF-ended line. */
export function toCsv(rows: readonly (readonly CsvValue[])[]): string {
  return UTF8_BOM + rows.map((row) => `${row.map(csvField).join(",")}\r\n`).join("");
}

/**
 * Records as a table: a header of `columns` (the records' own field names), then each record's
 * values in that order; a record without a column's field leaves its cell empty.
 */
export function recordsCsv<Column extends string>(
  columns: readonly Column[],
  records: readonly { readonly [K in NoInfer<Column>]?: CsvValue }[],
): string {
  return toCsv([columns, ...records.map((record) => columns.map((column) => record[column]))]);
}

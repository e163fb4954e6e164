//! Writing a table for export (CUST-7, SEC-5): CSV (UTF-8 with a byte-order mark, so Excel
//! reads Cyrillic and Persian right; text made inert against formula injection) or XLSX (one
//! sheet, a bold header row, frozen; strings written as strings, never as formulas).

use rust_xlsxwriter::{Format, Workbook};

use crate::error::ApiError;

/// One cell of an exported row.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
}

/// The two formats an export is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
#[ts(rename = "ExportFormat")]
pub enum ExportFormat {
    Csv,
    Xlsx,
}

impl ExportFormat {
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Csv => "csv",
            ExportFormat::Xlsx => "xlsx",
        }
    }

    pub fn media_type(self) -> &'static str {
        match self {
            ExportFormat::Csv => "text/csv",
            ExportFormat::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }
}

/// The file of `headers` and `rows` in `format`.
pub fn write(
    format: ExportFormat,
    sheet_name: &str,
    headers: &[String],
    rows: &[Vec<Cell>],
) -> Result<Vec<u8>, ApiError> {
    match format {
        ExportFormat::Csv => csv(headers, rows),
        ExportFormat::Xlsx => xlsx(sheet_name, headers, rows),
    }
}

fn csv(headers: &[String], rows: &[Vec<Cell>]) -> Result<Vec<u8>, ApiError> {
    let failed = |e: csv::Error| ApiError::internal(format!("could not write the CSV file: {e}"));
    let mut out = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    out.write_record(headers.iter().map(|h| super::neutralise(h).into_owned())).map_err(failed)?;
    for row in rows {
        out.write_record(row.iter().map(|cell| match cell {
            Cell::Empty => String::new(),
            Cell::Text(text) => super::neutralise(text).into_owned(),
            Cell::Number(n) => n.to_string(),
        }))
        .map_err(failed)?;
    }
    out.into_inner().map_err(|e| ApiError::internal(format!("could not write the CSV file: {e}")))
}

fn xlsx(sheet_name: &str, headers: &[String], rows: &[Vec<Cell>]) -> Result<Vec<u8>, ApiError> {
    let failed = |e: rust_xlsxwriter::XlsxError| ApiError::internal(format!("could not write the workbook: {e}"));
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    // Sheet names may not hold []:*?/\ and are at most 31 characters.
    let name: String = sheet_name.chars().filter(|c| !"[]:*?/\\".contains(*c)).take(31).collect();
    sheet.set_name(if name.trim().is_empty() { "Export" } else { name.as_str() }).map_err(failed)?;
    let bold = Format::new().set_bold();
    for (column, header) in headers.iter().enumerate() {
        sheet.write_string_with_format(0, column as u16, header, &bold).map_err(failed)?;
    }
    for (index, row) in rows.iter().enumerate() {
        let at = index as u32 + 1;
        for (column, cell) in row.iter().enumerate() {
            match cell {
                Cell::Empty => {}
                Cell::Text(text) => {
                    sheet.write_string(at, column as u16, text).map_err(failed)?;
                }
                Cell::Number(n) => {
                    sheet.write_number(at, column as u16, *n).map_err(failed)?;
                }
            }
        }
    }
    sheet.set_freeze_panes(1, 0).map_err(failed)?;
    workbook.save_to_buffer().map_err(failed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> (Vec<String>, Vec<Vec<Cell>>) {
        let headers = vec!["Name".to_owned(), "Staff".to_owned()];
        let rows = vec![
            vec![Cell::Text("=HYPERLINK(\"http://evil\")".into()), Cell::Number(120.0)],
            vec![Cell::Text("پارس‌نیرو".into()), Cell::Empty],
        ];
        (headers, rows)
    }

    #[test]
    fn a_csv_export_reads_back_with_its_text_inert() {
        let (headers, rows) = table();
        let bytes = write(ExportFormat::Csv, "x", &headers, &rows).unwrap();
        let sheet = super::super::open("export.csv", bytes).unwrap();
        assert_eq!(sheet.headers, headers);
        let read: Vec<Vec<String>> = sheet.rows.map(|r| r.unwrap().cells).collect();
        assert_eq!(read[0][0], "'=HYPERLINK(\"http://evil\")", "a formula is made inert");
        assert_eq!(read[0][1], "120");
        assert_eq!(read[1][0], "پارس‌نیرو", "Persian with its ZWNJ survives");
    }

    #[test]
    fn an_xlsx_export_reads_back_as_written() {
        let (headers, rows) = table();
        let bytes = write(ExportFormat::Xlsx, "Segment: A/B", &headers, &rows).unwrap();
        let sheet = super::super::open("export.xlsx", bytes).unwrap();
        assert_eq!(sheet.headers, headers);
        let read: Vec<Vec<String>> = sheet.rows.map(|r| r.unwrap().cells).collect();
        assert_eq!(read[0][0], "=HYPERLINK(\"http://evil\")", "kept as text, never a formula");
        assert_eq!(read[0][1], "120");
        assert_eq!(read[1][0], "پارس‌نیرو");
    }
}

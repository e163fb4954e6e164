//! Tabular files people import and export (CUST-7): CSV in any delimiter and in UTF-8,
//! UTF-16 or Windows-1251, and XLSX. Reading yields rows of text with their row number in the
//! file, streaming, so a file of a million rows never sits in memory whole; formulas are never
//! evaluated (a cell's text is data); a file that cannot be read says what to do about it.

mod decode;
mod delimited;
mod workbook;
mod write;

pub use decode::{TextEncoding, detect_encoding};
pub use delimited::{CsvReader, sniff_delimiter};
pub use workbook::read_xlsx;
pub use write::{Cell, ExportFormat, SheetFile, write};

use crate::error::{ApiError, ErrorCode};

/// What a file turned out to be.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case", tag = "format")]
#[ts(rename = "SheetFormat")]
pub enum Format {
    Csv { encoding: TextEncoding, delimiter: String },
    Xlsx { sheet: String },
}

/// One row of a file: its number as a spreadsheet shows it (the header is row 1) and its cells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub number: u64,
    pub cells: Vec<String>,
}

/// A file's header and a way to read its rows one by one.
pub struct Sheet {
    pub format: Format,
    pub headers: Vec<String>,
    pub rows: Box<dyn Iterator<Item = Result<Row, ApiError>> + Send>,
}

/// Opens `bytes` as the tabular file its name and content say it is.
pub fn open(name: &str, bytes: Vec<u8>) -> Result<Sheet, ApiError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(unreadable("The file is empty. Choose a file with a header row and at least one row of data."));
    }
    let lower = name.to_lowercase();
    if bytes.starts_with(b"PK\x03\x04") || lower.ends_with(".xlsx") {
        return read_xlsx(bytes);
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) || lower.ends_with(".xls") {
        return Err(unreadable(
            "This is an old Excel file (.xls), which Accord does not read. Save it as .xlsx or as CSV (UTF-8) and choose it again.",
        ));
    }
    CsvReader::open(bytes)
}

/// Opens the tabular file at `path`, reading a CSV file's rows from disk as they are asked
/// for, so its size does not matter; a workbook is read whole, as XLSX is a zip.
pub fn open_file(path: &std::path::Path) -> Result<Sheet, ApiError> {
    use std::io::Read;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let cannot = |e: std::io::Error| {
        unreadable(format!(
            "The file \"{name}\" could not be opened ({e}). Check that it is there and that you may read it."
        ))
    };
    let mut file = std::fs::File::open(path).map_err(cannot)?;
    let mut start = Vec::with_capacity(64 * 1024);
    (&mut file).take(64 * 1024).read_to_end(&mut start).map_err(cannot)?;
    let lower = name.to_lowercase();
    if start.starts_with(b"PK\x03\x04")
        || lower.ends_with(".xlsx")
        || lower.ends_with(".xls")
        || start.starts_with(&[0xD0, 0xCF, 0x11, 0xE0])
    {
        file.read_to_end(&mut start).map_err(cannot)?;
        return open(&name, start);
    }
    if start.iter().all(|b| b.is_ascii_whitespace()) {
        return open(&name, start);
    }
    CsvReader::read(start, Box::new(std::io::BufReader::with_capacity(256 * 1024, file)))
}

/// The error of a file that cannot be read as a table.
pub fn unreadable(message: impl Into<String>) -> ApiError {
    ApiError::new(ErrorCode::InvalidInput, message)
}

/// Text that a spreadsheet would run as a formula if it started a cell (`=`, `+`, `-`, `@`,
/// tab, carriage return), made inert for export by a leading apostrophe (OWASP's advice
/// against CSV injection). Numbers such as `-5` stay as they are.
pub fn neutralise(text: &str) -> std::borrow::Cow<'_, str> {
    let risky = text.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let number = text.parse::<f64>().is_ok();
    if risky && !number { std::borrow::Cow::Owned(format!("'{text}")) } else { std::borrow::Cow::Borrowed(text) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn all_rows(sheet: Sheet) -> Vec<Result<Row, ApiError>> {
        sheet.rows.collect()
    }

    #[test]
    fn formulas_are_neutralised_for_export_and_numbers_are_not() {
        assert_eq!(neutralise("=HYPERLINK(\"http://x\")"), "'=HYPERLINK(\"http://x\")");
        assert_eq!(neutralise("+7 916 123"), "'+7 916 123");
        assert_eq!(neutralise("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralise("-5"), "-5");
        assert_eq!(neutralise("Ромашка"), "Ромашка");
    }

    #[test]
    fn an_xlsx_workbook_reads_as_people_see_it_and_formulas_are_not_run() {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet().set_name("Клиенты").unwrap();
        sheet.write_string(0, 0, "Name").unwrap();
        sheet.write_string(0, 1, "Employees").unwrap();
        sheet.write_string(0, 2, "Founded").unwrap();
        sheet.write_string(0, 3, "Score").unwrap();
        sheet.write_string(1, 0, "پارس‌نیرو").unwrap();
        sheet.write_number(1, 1, 120.0).unwrap();
        let date = rust_xlsxwriter::ExcelDateTime::from_ymd(2026, 1, 5).unwrap();
        let format = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
        sheet.write_datetime_with_format(1, 2, &date, &format).unwrap();
        sheet.write_formula(1, 3, rust_xlsxwriter::Formula::new("=B2*2").set_result("240")).unwrap();
        sheet.write_string(2, 0, "=cmd|' /C calc'!A0").unwrap();
        let bytes = book.save_to_buffer().unwrap();
        let sheet = open("clients.xlsx", bytes).expect("readable");
        assert_eq!(sheet.format, Format::Xlsx { sheet: "Клиенты".into() });
        assert_eq!(sheet.headers, ["Name", "Employees", "Founded", "Score"]);
        let rows: Vec<Row> = all_rows(sheet).into_iter().map(|r| r.unwrap()).collect();
        assert_eq!(
            rows[0],
            Row {
                number: 2, cells: vec!["پارس‌نیرو".into(), "120".into(), "2026-01-05".into(), "240".into()]
            }
        );
        assert_eq!(rows[1].cells[0], "=cmd|' /C calc'!A0", "text that looks like a formula is only text");
    }

    #[test]
    fn files_that_are_not_tables_are_explained() {
        let empty = open("a.csv", Vec::new()).err().unwrap();
        assert!(empty.message.contains("empty"), "{}", empty.message);
        let xls = open("old.xls", vec![0xD0, 0xCF, 0x11, 0xE0, 0, 0]).err().unwrap();
        assert!(xls.message.contains(".xlsx"), "{}", xls.message);
        let broken = open("broken.xlsx", b"PK\x03\x04 not really a zip".to_vec()).err().unwrap();
        assert!(broken.message.contains("not a readable XLSX"), "{}", broken.message);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn any_bytes_are_read_or_refused_without_a_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048), xlsx in any::<bool>()) {
            let name = if xlsx { "f.xlsx" } else { "f.csv" };
            if let Ok(sheet) = open(name, bytes) {
                for row in sheet.rows.take(10_000) {
                    let _ = row;
                }
            }
        }

        #[test]
        fn csv_like_text_is_read_without_a_panic(text in "[a-zА-я\"';,\t|\r\n =+\u{200c}]{0,400}") {
            if let Ok(sheet) = open("f.csv", text.into_bytes()) {
                for row in sheet.rows.flatten() {
                    prop_assert!(row.number >= 2);
                }
            }
        }
    }
}

//! Writing a table for export (CUST-7, SEC-5): CSV (UTF-8 with a byte-order mark, so Excel
//! reads Cyrillic and Persian right; text made inert against formula injection) or XLSX (one
//! sheet, a bold header row, frozen; strings written as strings, never as formulas).

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

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

/// The file of `headers` and `rows` in `format`, in memory (a report of a few thousand rows).
pub fn write(
    format: ExportFormat,
    sheet_name: &str,
    headers: &[String],
    rows: &[Vec<Cell>],
) -> Result<Vec<u8>, ApiError> {
    match format {
        ExportFormat::Csv => {
            let mut out = csv_writer(Vec::new(), headers)?;
            write_csv_rows(&mut out, rows)?;
            out.into_inner().map_err(|e| csv_failed(e.into_error().into()))
        }
        ExportFormat::Xlsx => {
            let mut workbook = workbook(sheet_name, headers, false)?;
            write_xlsx_rows(&mut workbook, 1, rows)?;
            workbook.save_to_buffer().map_err(xlsx_failed)
        }
    }
}

/// A file being written to disk a batch of rows at a time (an export of any size), under a
/// name of its own beside `path` until it is finished: a file that is cancelled, fails or is
/// dropped half-way is removed, and never mistaken for a whole export.
pub struct SheetFile {
    path: PathBuf,
    partial: PathBuf,
    writer: Option<Writer>,
}

enum Writer {
    Csv(Box<csv::Writer<BufWriter<File>>>),
    /// The workbook keeps its rows in temporary files (rust_xlsxwriter's constant memory
    /// mode), and the next row to write.
    Xlsx(Box<Workbook>, u32),
}

impl SheetFile {
    /// Starts the file of `headers` to be finished at `path`.
    pub fn create(path: &Path, format: ExportFormat, sheet_name: &str, headers: &[String]) -> Result<Self, ApiError> {
        let partial = crate::files::partial_path(path);
        let writer = match format {
            ExportFormat::Csv => {
                let file = File::create(&partial).map_err(|e| not_writable(path, &e))?;
                Writer::Csv(Box::new(csv_writer(BufWriter::new(file), headers)?))
            }
            ExportFormat::Xlsx => {
                // Checked now, not after the last row: the workbook is written at the end.
                File::create(&partial).map_err(|e| not_writable(path, &e))?;
                Writer::Xlsx(Box::new(workbook(sheet_name, headers, true)?), 1)
            }
        };
        Ok(Self { path: path.to_owned(), partial, writer: Some(writer) })
    }

    pub fn write_rows(&mut self, rows: &[Vec<Cell>]) -> Result<(), ApiError> {
        match self.writer.as_mut() {
            Some(Writer::Csv(out)) => write_csv_rows(out, rows),
            Some(Writer::Xlsx(workbook, next)) => {
                write_xlsx_rows(workbook, *next, rows)?;
                *next += rows.len() as u32;
                Ok(())
            }
            None => Err(ApiError::internal("rows were written to a finished file")),
        }
    }

    /// Writes the rest and puts the file at its path, replacing one there.
    pub fn finish(mut self) -> Result<(), ApiError> {
        match self.writer.take() {
            Some(Writer::Csv(out)) => {
                let file = out.into_inner().map_err(|e| csv_failed(e.into_error().into()))?;
                file.into_inner().map_err(|e| not_writable(&self.path, e.error()))?;
            }
            Some(Writer::Xlsx(mut workbook, _)) => workbook.save(&self.partial).map_err(xlsx_failed)?,
            None => {}
        }
        std::fs::rename(&self.partial, &self.path).map_err(|e| not_writable(&self.path, &e))
    }
}

impl Drop for SheetFile {
    fn drop(&mut self) {
        if self.writer.is_some() || self.partial.exists() {
            self.writer = None;
            let _ = std::fs::remove_file(&self.partial);
        }
    }
}

use crate::files::not_writable;

fn csv_failed(e: csv::Error) -> ApiError {
    ApiError::internal(format!("could not write the CSV file: {e}"))
}

fn xlsx_failed(e: rust_xlsxwriter::XlsxError) -> ApiError {
    ApiError::internal(format!("could not write the workbook: {e}"))
}

/// A CSV writer with its byte-order mark and header row written.
fn csv_writer<W: Write>(mut out: W, headers: &[String]) -> Result<csv::Writer<W>, ApiError> {
    out.write_all(b"\xEF\xBB\xBF").map_err(|e| csv_failed(e.into()))?;
    let mut out = csv::Writer::from_writer(out);
    out.write_record(headers.iter().map(|h| super::neutralise(h).into_owned())).map_err(csv_failed)?;
    Ok(out)
}

fn write_csv_rows<W: Write>(out: &mut csv::Writer<W>, rows: &[Vec<Cell>]) -> Result<(), ApiError> {
    for row in rows {
        out.write_record(row.iter().map(|cell| match cell {
            Cell::Empty => String::new(),
            Cell::Text(text) => super::neutralise(text).into_owned(),
            Cell::Number(n) => n.to_string(),
        }))
        .map_err(csv_failed)?;
    }
    Ok(())
}

/// A workbook of one sheet named after `sheet_name`, its bold header row frozen.
fn workbook(sheet_name: &str, headers: &[String], constant_memory: bool) -> Result<Workbook, ApiError> {
    let mut workbook = Workbook::new();
    let sheet = if constant_memory {
        workbook.add_worksheet_with_constant_memory().map_err(xlsx_failed)?
    } else {
        workbook.add_worksheet()
    };
    // Sheet names may not hold []:*?/\ and are at most 31 characters.
    let name: String = sheet_name.chars().filter(|c| !"[]:*?/\\".contains(*c)).take(31).collect();
    sheet.set_name(if name.trim().is_empty() { "Export" } else { name.as_str() }).map_err(xlsx_failed)?;
    let bold = Format::new().set_bold();
    for (column, header) in headers.iter().enumerate() {
        sheet.write_string_with_format(0, column as u16, header, &bold).map_err(xlsx_failed)?;
    }
    sheet.set_freeze_panes(1, 0).map_err(xlsx_failed)?;
    Ok(workbook)
}

/// Writes `rows` from row `first` on; text always as a string, never as a formula.
fn write_xlsx_rows(workbook: &mut Workbook, first: u32, rows: &[Vec<Cell>]) -> Result<(), ApiError> {
    let sheet = workbook.worksheet_from_index(0).map_err(xlsx_failed)?;
    for (index, row) in rows.iter().enumerate() {
        let at = first + index as u32;
        for (column, cell) in row.iter().enumerate() {
            match cell {
                Cell::Empty => {}
                Cell::Text(text) => {
                    sheet.write_string(at, column as u16, text).map_err(xlsx_failed)?;
                }
                Cell::Number(n) => {
                    sheet.write_number(at, column as u16, *n).map_err(xlsx_failed)?;
                }
            }
        }
    }
    Ok(())
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

    #[test]
    fn a_file_written_in_batches_reads_back_whole_and_a_dropped_one_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let (headers, rows) = table();
        for format in [ExportFormat::Csv, ExportFormat::Xlsx] {
            let path = dir.path().join(format!("people.{}", format.extension()));
            let mut file = SheetFile::create(&path, format, "People", &headers).unwrap();
            file.write_rows(&rows[..1]).unwrap();
            file.write_rows(&rows[1..]).unwrap();
            assert!(!path.exists(), "no file at its path before it is finished");
            file.finish().unwrap();
            let sheet = super::super::open_file(&path).unwrap();
            assert_eq!(sheet.headers, headers);
            let read: Vec<Vec<String>> = sheet.rows.map(|r| r.unwrap().cells).collect();
            assert_eq!(read.len(), 2, "{format:?}");
            assert_eq!(read[1][0], "پارس‌نیرو");

            let dropped = dir.path().join(format!("dropped.{}", format.extension()));
            let mut file = SheetFile::create(&dropped, format, "People", &headers).unwrap();
            file.write_rows(&rows).unwrap();
            drop(file);
            let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
            assert!(!dropped.exists() && left.len() == 1 + usize::from(format == ExportFormat::Xlsx), "{left:?}");
        }
    }

    #[test]
    fn a_file_in_a_missing_folder_is_refused_at_its_path() {
        let error = SheetFile::create(Path::new("/no/such/folder/x.csv"), ExportFormat::Csv, "x", &[]).err().unwrap();
        assert!(error.fields["path"].message.contains("/no/such/folder/x.csv cannot be written"), "{error:?}");
    }
}

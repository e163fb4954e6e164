//! XLSX workbooks, read with `calamine`: the first sheet, each cell as the text a person sees
//! (whole numbers without ".0", dates as ISO). A formula is never evaluated: the value the
//! spreadsheet saved with it is read, like any other cell.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};

use super::{Format, Row, Sheet, unreadable};
use crate::error::ApiError;

/// Opens the first sheet of an XLSX workbook.
pub fn read_xlsx(bytes: Vec<u8>) -> Result<Sheet, ApiError> {
    let damaged = |e: &dyn std::fmt::Display| {
        unreadable(format!(
            "This file is not a readable XLSX workbook ({e}); it may be damaged or another kind of file. \
             Open it in your spreadsheet, save it as .xlsx or CSV (UTF-8) and choose it again."
        ))
    };
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(|e| damaged(&e))?;
    let sheet = book.sheet_names().first().cloned().ok_or_else(|| damaged(&"it has no sheets"))?;
    let range = book.worksheet_range(&sheet).map_err(|e| damaged(&e))?;
    // The range starts at the first cell in use; spreadsheet rows count from the sheet's top.
    let first_row = u64::from(range.start().map(|(row, _)| row).unwrap_or(0));
    let mut rows = RangeRows { range, next: 0, first_row };
    let header = rows.by_ref().find(|row| row.cells.iter().any(|c| !c.trim().is_empty())).ok_or_else(|| {
        unreadable(format!("The sheet \"{sheet}\" is empty. Put a header row and data on the first sheet."))
    })?;
    let headers = super::delimited::header_names(header.cells);
    Ok(Sheet { format: Format::Xlsx { sheet }, headers, rows: Box::new(rows.map(Ok)) })
}

/// The rows of a sheet read already, handed out one by one like a CSV's.
struct RangeRows {
    range: calamine::Range<Data>,
    next: usize,
    first_row: u64,
}

impl Iterator for RangeRows {
    type Item = Row;

    fn next(&mut self) -> Option<Row> {
        let (height, width) = self.range.get_size();
        if self.next >= height {
            return None;
        }
        let row = self.next;
        self.next += 1;
        let cells = (0..width).map(|col| self.range.get((row, col)).map(cell_text).unwrap_or_default()).collect();
        Some(Row { number: self.first_row + row as u64 + 1, cells })
    }
}

/// What a cell shows, as text.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(text) => text.clone(),
        Data::Int(n) => n.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_owned(),
        Data::DateTime(date) => {
            let (y, m, d, hh, mm, ss, _) = date.to_ymd_hms_milli();
            if date.is_datetime() && (hh, mm, ss) != (0, 0, 0) {
                format!("{y:04}-{m:02}-{d:02} {hh:02}:{mm:02}:{ss:02}")
            } else {
                format!("{y:04}-{m:02}-{d:02}")
            }
        }
        Data::DateTimeIso(text) | Data::DurationIso(text) => text.clone(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

//! CSV and other delimited text: the encoding detected, the delimiter guessed from the first
//! lines, rows read one by one through `csv` (quotes, quoted line breaks, doubled quotes).

use std::io::{Cursor, Read};

use encoding_rs_io::{DecodeReaderBytes, DecodeReaderBytesBuilder};

use super::{Format, Row, Sheet, TextEncoding, detect_encoding, unreadable};
use crate::error::ApiError;

/// The delimiters people's files use, in the order a tie is settled.
const DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];
/// A cell longer than this is taken for a quote left open (the rest of the file in one cell).
pub const CELL_MAX: usize = 32_000;

/// Where a file's bytes come from: memory, or the file on disk read as the rows are.
pub type Source = Box<dyn Read + Send>;

type Records = csv::StringRecordsIntoIter<DecodeReaderBytes<Source, Vec<u8>>>;

/// Reads a delimited text file's rows.
pub struct CsvReader {
    records: Records,
    number: u64,
}

impl CsvReader {
    /// Opens `bytes`: detects the encoding and the delimiter, reads the header row.
    pub fn open(bytes: Vec<u8>) -> Result<Sheet, ApiError> {
        Self::read(Vec::new(), Box::new(Cursor::new(bytes)))
    }

    /// Opens a file whose first bytes (`start`, read already) are followed by `rest`: the
    /// encoding and the delimiter are told from the start, and the rest is read as rows are.
    pub fn read(mut start: Vec<u8>, mut rest: Source) -> Result<Sheet, ApiError> {
        if start.len() < SAMPLE {
            let wanted = SAMPLE - start.len();
            rest.by_ref().take(wanted as u64).read_to_end(&mut start).map_err(|e| {
                unreadable(format!(
                    "The file could not be read ({e}). Check that it is still there and choose it again."
                ))
            })?;
        }
        let encoding = detect_encoding(&start);
        let sample = decoded_sample(&start, encoding);
        let delimiter = sniff_delimiter(&sample);
        let source: Source = Box::new(Cursor::new(start).chain(rest));
        let decoder = DecodeReaderBytesBuilder::new()
            .encoding(Some(encoding.encoding()))
            .bom_sniffing(true)
            .strip_bom(true)
            .build(source);
        let records = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .from_reader(decoder)
            .into_records();
        let mut reader = CsvReader { records, number: 0 };
        let header = loop {
            match reader.next() {
                None => {
                    return Err(unreadable(
                        "The file has no rows. Choose a file with a header row and at least one row of data.",
                    ));
                }
                Some(Err(e)) => return Err(e),
                Some(Ok(row)) if row.cells.iter().all(|c| c.trim().is_empty()) => continue,
                Some(Ok(row)) => break row,
            }
        };
        let headers = header_names(header.cells);
        let format = Format::Csv { encoding, delimiter: (delimiter as char).to_string() };
        Ok(Sheet { format, headers, rows: Box::new(reader) })
    }
}

impl Iterator for CsvReader {
    type Item = Result<Row, ApiError>;

    fn next(&mut self) -> Option<Self::Item> {
        let record = self.records.next()?;
        self.number += 1;
        let number = self.number;
        Some(match record {
            Ok(record) => {
                let cells: Vec<String> = record.iter().map(str::to_owned).collect();
                match cells.iter().position(|c| c.chars().count() > CELL_MAX) {
                    Some(column) => Err(unreadable(format!(
                        "Row {number}, column {}, holds more than {CELL_MAX} characters: a quote (\") is probably \
                         not closed. Close it or remove it in the file and choose the file again.",
                        column + 1
                    ))),
                    None => Ok(Row { number, cells }),
                }
            }
            Err(e) => {
                Err(unreadable(format!("Row {number} cannot be read ({e}). Fix it in the file and choose it again.")))
            }
        })
    }
}

/// Header cells as column names: trimmed; an empty one is called by its position.
pub(super) fn header_names(cells: Vec<String>) -> Vec<String> {
    cells
        .into_iter()
        .enumerate()
        .map(|(i, cell)| {
            let name = cell.trim_matches(|c: char| c.is_whitespace() || crate::validate::is_invisible(c));
            if name.is_empty() { format!("#{}", i + 1) } else { name.to_owned() }
        })
        .collect()
}

/// How much of a file's start its encoding and delimiter are told from.
const SAMPLE: usize = 64 * 1024;

/// The first 64 KiB of the file as text, for guessing its delimiter.
fn decoded_sample(bytes: &[u8], encoding: TextEncoding) -> String {
    let sample = &bytes[..bytes.len().min(SAMPLE)];
    let (text, _) = encoding.encoding().decode_with_bom_removal(sample);
    text.into_owned()
}

/// The delimiter that splits the first lines into the same number of cells (more than one),
/// the most often; a comma when none does (a file of one column).
pub fn sniff_delimiter(sample: &str) -> u8 {
    let lines: Vec<&str> = sample.lines().filter(|l| !l.trim().is_empty()).take(20).collect();
    let lines = if sample.len() >= 64 * 1024 && lines.len() > 1 { &lines[..lines.len() - 1] } else { &lines[..] };
    let mut best: Option<(usize, usize, u8)> = None; // (lines agreeing, cells, delimiter)
    for delimiter in DELIMITERS {
        let counts: Vec<usize> = lines.iter().map(|line| count_outside_quotes(line, delimiter)).collect();
        let Some(&first) = counts.first() else { continue };
        if first == 0 {
            continue;
        }
        let agreeing = counts.iter().filter(|c| **c == first).count();
        let candidate = (agreeing, first, delimiter);
        if best.is_none_or(|b| (candidate.0, candidate.1) > (b.0, b.1)) {
            best = Some(candidate);
        }
    }
    best.map(|b| b.2).unwrap_or(b',')
}

fn count_outside_quotes(line: &str, delimiter: u8) -> usize {
    let mut quoted = false;
    let mut count = 0;
    for b in line.bytes() {
        if b == b'"' {
            quoted = !quoted;
        } else if b == delimiter && !quoted {
            count += 1;
        }
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(bytes: Vec<u8>) -> (Sheet, Vec<Row>) {
        let mut sheet = CsvReader::open(bytes).expect("readable");
        let rows: Vec<Row> = sheet.rows.by_ref().map(|r| r.expect("row")).collect();
        (sheet, rows)
    }

    #[test]
    fn delimiters_are_guessed_from_the_first_lines() {
        assert_eq!(sniff_delimiter("a;b;c\n1;2;3\n\"x;y\";2;3\n"), b';');
        assert_eq!(sniff_delimiter("a\tb\n1,5\t2\n"), b'\t');
        assert_eq!(sniff_delimiter("name,city\n\"Smith; Jones\",York\n"), b',');
        assert_eq!(sniff_delimiter("just one column\nvalue\n"), b',');
    }

    #[test]
    fn a_windows_1251_file_with_semicolons_reads_as_russian_text() {
        let text = "Название;Город\r\n\"ООО \"\"Ромашка\"\"\";Москва\r\n;\r\nИП Петров;\"Санкт-\r\nПетербург\"\r\n";
        let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(text);
        let (sheet, rows) = read(bytes.into_owned());
        assert_eq!(sheet.headers, ["Название", "Город"]);
        assert_eq!(sheet.format, Format::Csv { encoding: TextEncoding::Windows1251, delimiter: ";".into() });
        assert_eq!(rows[0], Row { number: 2, cells: vec!["ООО \"Ромашка\"".into(), "Москва".into()] });
        assert_eq!(rows[2], Row { number: 4, cells: vec!["ИП Петров".into(), "Санкт-\r\nПетербург".into()] });
    }

    #[test]
    fn utf16_with_tabs_and_a_persian_header_reads() {
        let text = "\u{FEFF}نام\tشهر\nپارس‌نیرو\tتهران\n";
        let bytes: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let (sheet, rows) = read(bytes);
        assert_eq!(sheet.headers, ["نام", "شهر"]);
        assert_eq!(rows[0].cells, ["پارس‌نیرو", "تهران"]);
    }

    #[test]
    fn empty_files_and_open_quotes_are_explained() {
        let empty = CsvReader::open(b"\n\n".to_vec()).err().expect("refused");
        assert!(empty.message.contains("no rows"), "{}", empty.message);
        let mut text = String::from("name,notes\nA,\"never closed\n");
        text.push_str(&"x".repeat(CELL_MAX + 10));
        let mut sheet = CsvReader::open(text.into_bytes()).expect("header reads");
        let err = sheet.rows.next().unwrap().unwrap_err();
        assert!(err.message.contains("Row 2, column 2"), "{}", err.message);
    }
}

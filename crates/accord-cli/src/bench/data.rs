//! `accord bench data`: the first step of an import alone — reading a CSV file of generated
//! contacts (English, Russian and Persian names, `;`-delimited, UTF-8) through
//! `accord_core::sheets`, row by row — with its rate and the process's peak memory; and the
//! whole import of such a file (`imports.rs`).

use std::io::Write;
use std::time::Instant;

use accord_core::ApiError;
use accord_core::seed::Generator;
use accord_core::sheets;

use super::internal;
use super::sync::{peak_memory_mib, reset_peak_memory};

pub fn bench_read(rows: usize, runs: usize) -> Result<serde_json::Value, ApiError> {
    let path = std::env::temp_dir().join(format!("accord-bench-{}.csv", uuid::Uuid::now_v7().simple()));
    let result = read_runs(&path, rows, runs);
    let _ = std::fs::remove_file(&path);
    result
}

/// Imports a CSV of `rows` generated contacts through the door (see `imports.rs`).
pub async fn bench_import(rows: usize, runs: usize) -> Result<serde_json::Value, ApiError> {
    let path = std::env::temp_dir().join(format!("accord-bench-import-{}.csv", uuid::Uuid::now_v7().simple()));
    let written = write_contacts(&path, rows)?;
    eprintln!("import: {rows} contacts, {:.0} MiB of CSV", written as f64 / 1048576.0);
    let result = super::imports::bench_import(&path, rows, runs).await;
    let _ = std::fs::remove_file(&path);
    result
}

fn read_runs(path: &std::path::Path, rows: usize, runs: usize) -> Result<serde_json::Value, ApiError> {
    let bytes_written = write_contacts(path, rows)?;
    eprintln!("data: {rows} contacts, {:.0} MiB of CSV", bytes_written as f64 / 1048576.0);
    let mut rates = Vec::new();
    let mut peaks = Vec::new();
    for _ in 0..runs {
        reset_peak_memory();
        let started = Instant::now();
        let sheet = sheets::open("contacts.csv", std::fs::read(path).map_err(internal)?)?;
        let mut read = 0usize;
        for row in sheet.rows {
            row?;
            read += 1;
        }
        let seconds = started.elapsed().as_secs_f64();
        if read != rows {
            return Err(internal(format!("read {read} rows of {rows}")));
        }
        rates.push(read as f64 / seconds);
        peaks.push(peak_memory_mib());
        eprintln!(
            "  read in {seconds:.2} s: {:.0} rows/s, peak {:.0} MiB",
            read as f64 / seconds,
            peaks[peaks.len() - 1]
        );
    }
    rates.sort_by(f64::total_cmp);
    peaks.sort_by(f64::total_cmp);
    Ok(serde_json::json!({
        "rows": rows,
        "file_mib": bytes_written as f64 / 1048576.0,
        "read_rows_per_s_median": rates[rates.len() / 2],
        "peak_mib_median": peaks[peaks.len() / 2],
    }))
}

/// Writes `rows` generated contacts with a header; returns the file's size.
fn write_contacts(path: &std::path::Path, rows: usize) -> Result<u64, ApiError> {
    let file = std::fs::File::create(path).map_err(internal)?;
    let mut out = std::io::BufWriter::new(file);
    let mut generator = Generator::new(42);
    writeln!(out, "first_name;last_name;role;email;phone").map_err(internal)?;
    for _ in 0..rows {
        let c = generator.contact(None);
        let field = |v: Option<String>| v.unwrap_or_default();
        writeln!(
            out,
            "{};{};{};{};{}",
            c.first_name,
            field(c.last_name),
            field(c.role),
            field(c.email),
            field(c.phone)
        )
        .map_err(internal)?;
    }
    out.flush().map_err(internal)?;
    Ok(std::fs::metadata(path).map_err(internal)?.len())
}

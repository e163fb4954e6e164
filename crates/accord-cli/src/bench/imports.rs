//! `accord bench data --import-rows N`: importing a CSV of generated contacts through the
//! door as a person does — `imports.start` on a new SQLite file, the job reading the file from
//! disk, each row checked by the contacts' own rules, stored with its change-log entries and
//! search document, duplicates held back — with its rate and the process's peak memory; then
//! undoing it; and beside it the raw baseline: the same rows parsed and inserted with plain
//! multi-row INSERTs, nothing checked, no change log, no search.

use std::time::Instant;

use accord_core::data::RawPool;
use accord_core::{Actor, ApiError, Door, sheets};
use serde_json::json;
use uuid::Uuid;

use super::internal;
use super::sync::{peak_memory_mib, reset_peak_memory};

pub async fn bench_import(csv: &std::path::Path, rows: usize, runs: usize) -> Result<serde_json::Value, ApiError> {
    let mut rates = Vec::new();
    let mut peaks = Vec::new();
    let mut undo_rates = Vec::new();
    let mut baseline = Vec::new();
    for run in 0..runs {
        let dir = std::env::temp_dir().join(format!("accord-bench-import-{}", Uuid::now_v7().simple()));
        let url = format!("sqlite:{}", dir.join("bench.sqlite3").display());
        let door = Door::open(&url, Uuid::now_v7()).await?;
        let owner = Actor::local_owner();
        reset_peak_memory();
        let started = Instant::now();
        let mapping = json!([
            {"column": 0, "field": "first_name"}, {"column": 1, "field": "last_name"}, {"column": 2, "field": "role"},
            {"column": 3, "field": "email"}, {"column": 4, "field": "phone"}
        ]);
        let import = door
            .dispatch(&owner, "imports.start", json!({"path": csv, "table": "contacts", "mapping": mapping}))
            .await?;
        door.finish_jobs().await;
        let seconds = started.elapsed().as_secs_f64();
        let peak = peak_memory_mib();
        let summary = door.dispatch(&owner, "imports.get", json!({"id": import["id"]})).await?;
        let read = summary["rows_read"].as_u64().unwrap_or(0) as usize;
        if read != rows || summary["status"] != "finished" {
            return Err(internal(format!("the import read {read} rows of {rows}: {summary}")));
        }
        rates.push(rows as f64 / seconds);
        peaks.push(peak);
        eprintln!(
            "  import {}: {seconds:.1} s, {:.0} rows/s ({} imported, {} held, {} failed), peak {peak:.0} MiB",
            run + 1,
            rows as f64 / seconds,
            summary["imported"],
            summary["held"],
            summary["failed"]
        );
        if run == 0 {
            let started = Instant::now();
            door.dispatch(&owner, "imports.undo", json!({"id": import["id"]})).await?;
            door.finish_jobs().await;
            let seconds = started.elapsed().as_secs_f64();
            let undone = door.dispatch(&owner, "imports.get", json!({"id": import["id"]})).await?;
            let archived = undone["undo"]["archived"].as_f64().unwrap_or(0.0);
            undo_rates.push(archived / seconds);
            eprintln!("  undo: {archived} archived in {seconds:.1} s");
            baseline.push(raw_insert(&url, csv, rows).await?);
        }
        drop(door);
        let _ = std::fs::remove_dir_all(&dir);
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v.get(v.len() / 2).copied().unwrap_or(0.0)
    };
    Ok(json!({
        "rows": rows,
        "import_rows_per_s_median": median(&mut rates),
        "import_peak_mib_median": median(&mut peaks),
        "undo_rows_per_s": median(&mut undo_rates),
        "raw_insert_rows_per_s": median(&mut baseline),
    }))
}

/// The raw baseline on a new file: the CSV parsed, its rows inserted 500 at a time in
/// transactions of 1,000.
async fn raw_insert(url: &str, csv: &std::path::Path, rows: usize) -> Result<f64, ApiError> {
    let scratch = url.replace("bench.sqlite3", "raw.sqlite3");
    let door = Door::open(&scratch, Uuid::now_v7()).await?;
    let RawPool::Sqlite(pool) = &door.database().raw else { return Err(internal("the baseline runs on SQLite")) };
    let started = Instant::now();
    let sheet = sheets::open_file(csv)?;
    let now = chrono::Utc::now();
    let owner = Actor::local_owner().user_id;
    let mut batch: Vec<Vec<String>> = Vec::with_capacity(1000);
    let mut rows_iter = sheet.rows;
    let mut inserted = 0usize;
    loop {
        batch.clear();
        for row in rows_iter.by_ref().take(1000) {
            batch.push(row?.cells);
        }
        if batch.is_empty() {
            break;
        }
        let mut tx = pool.begin().await.map_err(internal)?;
        for chunk in batch.chunks(500) {
            let mut query = sqlx::QueryBuilder::<sqlx::Sqlite>::new(
                "INSERT INTO contacts (id, first_name, last_name, full_name, sort_name, role, email, phone, custom, \
                 version, created_at, updated_at, created_by, updated_by) ",
            );
            query.push_values(chunk, |mut b, cells| {
                let cell = |i: usize| cells.get(i).cloned().unwrap_or_default();
                b.push_bind(Uuid::now_v7())
                    .push_bind(cell(0))
                    .push_bind(cell(1))
                    .push_bind(format!("{} {}", cell(0), cell(1)))
                    .push_bind(cell(0))
                    .push_bind(cell(2))
                    .push_bind(cell(3))
                    .push_bind(cell(4))
                    .push_bind("{}")
                    .push_bind(1i64)
                    .push_bind(now)
                    .push_bind(now)
                    .push_bind(owner)
                    .push_bind(owner);
            });
            query.build().execute(&mut *tx).await.map_err(internal)?;
        }
        tx.commit().await.map_err(internal)?;
        inserted += batch.len();
    }
    let seconds = started.elapsed().as_secs_f64();
    if inserted != rows {
        return Err(internal(format!("the baseline inserted {inserted} of {rows}")));
    }
    eprintln!("  raw baseline: {seconds:.1} s, {:.0} rows/s", rows as f64 / seconds);
    Ok(rows as f64 / seconds)
}

//! `accord bench data`'s segment: a filter of three conditions over the generated contacts
//! (two roles, an email, created since yesterday), previewed through the door — its count and
//! first page of 50 by name, within reach — beside the same two statements through the core's
//! own sqlx pool.

use std::time::Duration;

use accord_core::data::RawPool;
use accord_core::segments::{Filter, Operator, PreviewSegment, PreviewSegmentInput};
use accord_core::{Actor, ApiError, Door};
use serde_json::json;

use super::{internal, percentile, sql, time};
use accord_core::io::IdInput;
use accord_core::jobs::JobStatus;
use accord_core::segments::{ExportColumn, ExportRecords, ExportRecordsInput, GetExport};
use accord_core::sheets::ExportFormat;

/// Every contact exported to XLSX with five columns, the organisation by name, as the
/// background job the window starts, to its end: seconds per run.
async fn export_times(door: &Door, owner: &Actor, runs: usize) -> Result<Vec<f64>, ApiError> {
    let column = |field: &str, label: &str| ExportColumn { field: field.into(), label: label.into() };
    let path = std::env::temp_dir().join(format!("accord-bench-{}.xlsx", std::process::id()));
    let mut seconds = Vec::new();
    for _ in 0..runs {
        let started = std::time::Instant::now();
        let export = door
            .call::<ExportRecords>(
                owner,
                ExportRecordsInput {
                    segment_id: None,
                    table: Some("contacts".into()),
                    filter: None,
                    format: ExportFormat::Xlsx,
                    columns: vec![
                        column("full_name", "Name"),
                        column("organisation_id", "Organisation"),
                        column("role", "Role"),
                        column("email", "Email"),
                        column("phone", "Phone"),
                    ],
                    value_labels: Default::default(),
                    name: Some("contacts".into()),
                    path: path.display().to_string(),
                },
            )
            .await?;
        door.finish_jobs().await;
        seconds.push(started.elapsed().as_secs_f64());
        let ended = door.call::<GetExport>(owner, IdInput { id: export.id }).await?;
        if ended.status != JobStatus::Finished || ended.written != ended.total {
            return Err(internal(format!(
                "the export ended {:?} with {} of {} rows",
                ended.status, ended.written, ended.total
            )));
        }
        let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        eprintln!(
            "  export of every contact to XLSX: {:.1} s, {:.1} MiB",
            seconds[seconds.len() - 1],
            size as f64 / 1048576.0
        );
        let _ = std::fs::remove_file(&path);
    }
    Ok(seconds)
}

pub async fn bench_segment(door: &Door, runs: usize) -> Result<serde_json::Value, ApiError> {
    let owner = Actor::local_owner();
    let since = (chrono::Utc::now() - chrono::Duration::days(1)).date_naive();
    let condition = |field: &str, op, value| Filter::Condition { field: field.into(), op, value };
    let filter = Filter::All {
        of: vec![
            condition("role", Operator::AnyOf, Some(json!(["Chief accountant", "Главный бухгалтер"]))),
            condition("email", Operator::NotEmpty, None),
            condition("created_at", Operator::AtLeast, Some(json!(since.format("%Y-%m-%d").to_string()))),
        ],
    };
    let input =
        || PreviewSegmentInput { table: "contacts".into(), filter: filter.clone(), limit: Some(50), after: None };
    let first = door.call::<PreviewSegment>(&owner, input()).await?;
    let core = time(runs, |_| async {
        door.call::<PreviewSegment>(&owner, input()).await?;
        Ok(())
    })
    .await?;
    let database = door.database();
    let engine = database.engine;
    let start = since.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc();
    let wanted = "deleted_at IS NULL AND role IN (?, ?) AND email IS NOT NULL AND created_at >= ?";
    let count_sql = sql(engine, &format!("SELECT COUNT(*) FROM contacts WHERE {wanted}"));
    let page_sql =
        sql(engine, &format!("SELECT id, sort_name FROM contacts WHERE {wanted} ORDER BY sort_name, id LIMIT 51"));
    let raw = time(runs, |_| {
        let (count_sql, page_sql) = (count_sql.clone(), page_sql.clone());
        async move {
            match &database.raw {
                RawPool::Sqlite(pool) => {
                    for text in [count_sql, page_sql] {
                        sqlx::query(sqlx::AssertSqlSafe(text))
                            .bind("Chief accountant")
                            .bind("Главный бухгалтер")
                            .bind(start)
                            .fetch_all(pool)
                            .await
                            .map_err(internal)?;
                    }
                }
                RawPool::Postgres(pool) => {
                    for text in [count_sql, page_sql] {
                        sqlx::query(sqlx::AssertSqlSafe(text))
                            .bind("Chief accountant")
                            .bind("Главный бухгалтер")
                            .bind(start)
                            .fetch_all(pool)
                            .await
                            .map_err(internal)?;
                    }
                }
            }
            Ok(())
        }
    })
    .await?;
    let export = export_times(door, &owner, 3).await?;
    let ms = |samples: &[Duration], p| percentile(samples, p) / 1000.0;
    eprintln!(
        "  segment of 3 conditions: {} members; core p50 {:.1} ms p95 {:.1} ms | sqlx p50 {:.1} ms ({:.2}×)",
        first.count,
        ms(&core, 0.5),
        ms(&core, 0.95),
        ms(&raw, 0.5),
        ms(&core, 0.5) / ms(&raw, 0.5)
    );
    Ok(json!({
        "export_all_contacts_xlsx_s": export,
        "members": first.count,
        "core_p50_ms": ms(&core, 0.5),
        "core_p95_ms": ms(&core, 0.95),
        "raw_p50_ms": ms(&raw, 0.5),
        "ratio_p50": ms(&core, 0.5) / ms(&raw, 0.5),
    }))
}

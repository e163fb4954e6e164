//! `accord bench audit`: a long audit log, written directly in chain order (as a database
//! that has lived for years would hold it), then `audit.verify` and the efficiency report
//! over all of it timed through the door.

use std::time::Instant;

use accord_core::audit::{Entry, VerifyAuditLog, VerifyAuditLogInput, chain_hash};
use accord_core::data::RawPool;
use accord_core::platform::{EfficiencyInput, ReadEfficiency};
use accord_core::{Actor, ApiError, Door};
use uuid::Uuid;

use super::internal;

/// Rows per INSERT: 10 values each, below SQLite's bound-parameter limit.
const BATCH: usize = 2_000;

pub async fn bench_verify(label: &str, url: &str, entries: usize, runs: usize) -> Result<serde_json::Value, ApiError> {
    let door = Door::open(url, Uuid::now_v7()).await?;
    eprintln!("{label}: writing {entries} audit entries…");
    let written = Instant::now();
    fill(&door, entries).await?;
    eprintln!("  written in {:.1} s", written.elapsed().as_secs_f64());
    let mut per_second = Vec::new();
    for _ in 0..runs {
        let started = Instant::now();
        let report = door.call::<VerifyAuditLog>(&Actor::local_owner(), VerifyAuditLogInput {}).await?;
        let seconds = started.elapsed().as_secs_f64();
        if !report.intact {
            return Err(ApiError::internal(format!("the generated chain does not verify: {report:?}")));
        }
        per_second.push(report.entries as f64 / seconds);
        eprintln!(
            "  verify: {} entries in {seconds:.2} s, {:.0} entries/s",
            report.entries,
            report.entries as f64 / seconds
        );
    }
    per_second.sort_by(f64::total_cmp);
    let efficiency_ms = time_efficiency_report(&door, runs).await?;
    Ok(serde_json::json!({
        "engine": label,
        "entries": entries,
        "verify_entries_per_s_median": per_second.get(per_second.len() / 2),
        "verify_entries_per_s_all": per_second,
        "efficiency_report_ms_median": efficiency_ms.get(efficiency_ms.len() / 2),
        "efficiency_report_ms_all": efficiency_ms,
    }))
}

/// The efficiency report over the whole generated log (one 400-day period), in milliseconds.
async fn time_efficiency_report(door: &Door, runs: usize) -> Result<Vec<f64>, ApiError> {
    let from = log_start();
    let input = EfficiencyInput { from, to: from + chrono::Duration::days(400), user_id: None };
    let mut millis = Vec::new();
    for _ in 0..runs {
        let started = Instant::now();
        let report = door.call::<ReadEfficiency>(&Actor::local_owner(), input.clone()).await?;
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        eprintln!("  efficiency report: {} people in {ms:.0} ms", report.people.len());
        millis.push(ms);
    }
    millis.sort_by(f64::total_cmp);
    Ok(millis)
}

/// When the generated log begins: ten years ago, to the second, so a rerun's period matches.
fn log_start() -> chrono::DateTime<chrono::Utc> {
    use chrono::{DurationRound, TimeDelta};
    let start = chrono::Utc::now() - chrono::Duration::days(3650);
    start.duration_trunc(TimeDelta::days(1)).unwrap_or(start)
}

/// Appends `entries` to the database's chain, deterministic but for the ids, and moves the head.
async fn fill(door: &Door, entries: usize) -> Result<(), ApiError> {
    let raw = &door.database().raw;
    let mut prev = current_head(raw).await?;
    let actor = Uuid::from_u128(0x0001);
    let device = door.device_id();
    let start = log_start();
    let mut done = 0;
    while done < entries {
        let mut rows = Vec::with_capacity(BATCH);
        for i in done..(done + BATCH).min(entries) {
            let at = start + chrono::Duration::milliseconds(i as i64 * 300);
            let at_text = at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
            let operation: &'static str =
                ["customers.archive_organisation", "security.sign_in", "customers.restore_contact"][i % 3];
            let detail = (i % 3 == 1).then(|| format!("login user{} from WS-{:03}", i % 200, i % 97));
            let table: Option<&'static str> = (i % 3 != 1).then_some("organisations");
            let target = (i % 3 != 1).then(|| Uuid::from_u128(i as u128));
            let entry = Entry {
                id: Uuid::now_v7(),
                at: &at_text,
                actor_id: actor,
                device_id: device,
                operation,
                target_table: table,
                target_id: target,
                detail: detail.as_deref(),
            };
            let hash = chain_hash(&prev, &entry);
            rows.push((entry.id, at, operation, table, target, detail.clone(), prev.clone(), hash.clone()));
            prev = hash;
        }
        done += rows.len();
        insert(raw, actor, device, &rows).await?;
    }
    match raw {
        RawPool::Sqlite(pool) => {
            sqlx::query("UPDATE audit_head SET hash = ? WHERE id = 1").bind(&prev).execute(pool).await.map(drop)
        }
        RawPool::Postgres(pool) => {
            sqlx::query("UPDATE audit_head SET hash = $1 WHERE id = 1").bind(&prev).execute(pool).await.map(drop)
        }
    }
    .map_err(internal)
}

type Row<'a> =
    (Uuid, chrono::DateTime<chrono::Utc>, &'a str, Option<&'a str>, Option<Uuid>, Option<String>, String, String);

async fn insert(raw: &RawPool, actor: Uuid, device: Uuid, rows: &[Row<'_>]) -> Result<(), ApiError> {
    macro_rules! push {
        ($pool:expr, $db:ty) => {{
            let mut builder = sqlx::QueryBuilder::<$db>::new(
                "INSERT INTO audit_log (id, at, actor_id, device_id, operation, target_table, target_id, detail, prev_hash, hash) ",
            );
            builder.push_values(rows, |mut b, row| {
                b.push_bind(row.0)
                    .push_bind(row.1)
                    .push_bind(actor)
                    .push_bind(device)
                    .push_bind(row.2)
                    .push_bind(row.3)
                    .push_bind(row.4)
                    .push_bind(row.5.clone())
                    .push_bind(row.6.clone())
                    .push_bind(row.7.clone());
            });
            builder.build().execute($pool).await.map(drop).map_err(internal)
        }};
    }
    match raw {
        RawPool::Sqlite(pool) => push!(pool, sqlx::Sqlite),
        RawPool::Postgres(pool) => push!(pool, sqlx::Postgres),
    }
}

async fn current_head(raw: &RawPool) -> Result<String, ApiError> {
    let select = "SELECT hash FROM audit_head WHERE id = 1";
    match raw {
        RawPool::Sqlite(pool) => sqlx::query_scalar(select).fetch_one(pool).await,
        RawPool::Postgres(pool) => sqlx::query_scalar(select).fetch_one(pool).await,
    }
    .map_err(internal)
}

//! `accord bench sync`: a team server with the deterministic customers and a long history
//! (update entries written in bulk, as years of work would leave them), an initial replica of
//! it on a SQLite file, then a day's offline work pushed and the office's day pulled in one
//! round. Timed through the core; prints figures and asserts nothing.

use std::time::Instant;

use accord_core::customers::organisations::GetOrganisation;
use accord_core::io::IdInput;
use accord_core::{Actor, ApiError, Door, seed, sync};
use rand::{Rng, SeedableRng};
use sea_orm::{ConnectionTrait, Statement};
use uuid::Uuid;

pub struct Sizes {
    pub orgs: usize,
    pub contacts: usize,
    pub entries: usize,
    pub changes: usize,
}

pub async fn bench_sync(server_url: &str, sizes: Sizes) -> Result<serde_json::Value, ApiError> {
    let owner = Actor::local_owner();
    let server = Door::open(server_url, Uuid::now_v7()).await?;
    eprintln!("server: seeding {} organisations and {} contacts…", sizes.orgs, sizes.contacts);
    seed::seed_customers(&server, &owner, 42, sizes.orgs, sizes.contacts).await?;
    let history = write_history(&server, sizes.entries).await?;
    eprintln!("  {history} change-log entries on the server");
    // A server that has held its history for a while has statistics of it (autovacuum
    // analyses a table within a minute of such a change); right after a bulk write it has
    // none, and PostgreSQL then plans the log's read by commit order as a scan of the whole
    // log for every page (docs/performance.md, issue 15 third session).
    let conn = &server.database().conn;
    conn.execute_unprepared("ANALYZE").await?;

    let dir = std::env::temp_dir().join(format!("accord-bench-replica-{}", Uuid::now_v7().simple()));
    let replica_url = format!("sqlite:{}", dir.join("replica.sqlite3").display());
    let report = measure(&server, &replica_url, sizes, history).await;
    let _ = std::fs::remove_dir_all(&dir);
    report
}

async fn measure(server: &Door, replica_url: &str, sizes: Sizes, history: i64) -> Result<serde_json::Value, ApiError> {
    let owner = Actor::local_owner();
    let laptop = Door::open(replica_url, Uuid::now_v7()).await?;
    reset_peak_memory();
    let started = Instant::now();
    let created = sync::create_replica(&laptop, &owner, server, &owner, "bench server").await?;
    let initial_s = started.elapsed().as_secs_f64();
    let initial_peak_mib = peak_memory_mib();
    eprintln!("  initial replica: {} entries in {initial_s:.1} s, peak {initial_peak_mib:.0} MiB", created.pulled);
    drop(laptop);
    let laptop = Door::open(replica_url, Uuid::now_v7()).await?;

    // A day: the laptop and the office each change `changes` organisations.
    let ids = organisation_ids(server).await?;
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
    for (door, city) in [(&laptop, "Tabriz"), (server, "Kazan")] {
        for _ in 0..sizes.changes {
            let id = ids[rng.random_range(0..ids.len())];
            let card = door.call::<GetOrganisation>(&owner, IdInput { id }).await?;
            let input = serde_json::json!({"id": id, "version": card.organisation.version, "changes": {"city": city}});
            door.dispatch(&owner, "customers.update_organisation", input).await?;
        }
    }
    reset_peak_memory();
    let started = Instant::now();
    let round = sync::sync(&laptop, &owner, server, &owner).await?;
    let round_s = started.elapsed().as_secs_f64();
    let round_peak_mib = peak_memory_mib();
    eprintln!(
        "  a day's sync: {} pushed, {} pulled in {round_s:.2} s, peak {round_peak_mib:.0} MiB",
        round.pushed, round.pulled
    );
    Ok(serde_json::json!({
        "organisations": sizes.orgs,
        "contacts": sizes.contacts,
        "server_entries": history,
        "initial_replica_s": initial_s,
        "initial_replica_entries": created.pulled,
        "initial_replica_peak_rss_mib": initial_peak_mib,
        "day_changes_each_way": sizes.changes,
        "day_pushed": round.pushed,
        "day_pulled": round.pulled,
        "day_sync_s": round_s,
        "day_sync_peak_rss_mib": round_peak_mib,
    }))
}

/// Adds update entries (and the updates) in bulk until the log holds `entries`: each round
/// changes every organisation's notes once, with an entry that says so.
async fn write_history(server: &Door, entries: usize) -> Result<i64, ApiError> {
    let conn = &server.database().conn;
    let device = Uuid::now_v7();
    let start_ms = chrono::Utc::now().timestamp_millis();
    let mut round = 0i64;
    loop {
        let held = count(conn, "SELECT COUNT(*) FROM change_log").await?;
        if held as usize >= entries {
            return Ok(held);
        }
        round += 1;
        let note = format!("visit {round}");
        let base = (start_ms + round * 1_000) << 16;
        let values = [base.into(), device.into(), Actor::local_owner().user_id.into(), note.clone().into()];
        let insert = "INSERT INTO change_log (hlc, device_id, actor_id, operation, table_name, row_id, action, changes) \
             SELECT $1 + row_number() OVER (ORDER BY id), $2, $3, 'bench.history', 'organisations', id, 'update', \
                    json_build_object('notes', json_build_object('old', notes, 'new', $4::text))::text \
             FROM organisations";
        conn.execute_raw(Statement::from_sql_and_values(conn.get_database_backend(), insert, values)).await?;
        let update = "UPDATE organisations SET notes = $1, version = version + 1";
        conn.execute_raw(Statement::from_sql_and_values(conn.get_database_backend(), update, [note.into()])).await?;
    }
}

async fn organisation_ids(door: &Door) -> Result<Vec<Uuid>, ApiError> {
    let conn = &door.database().conn;
    let rows = conn
        .query_all_raw(Statement::from_string(conn.get_database_backend(), "SELECT id FROM organisations ORDER BY id"))
        .await?;
    rows.iter().map(|r| r.try_get::<Uuid>("", "id").map_err(ApiError::from)).collect()
}

async fn count(conn: &impl ConnectionTrait, sql: &str) -> Result<i64, ApiError> {
    let row = conn.query_one_raw(Statement::from_string(conn.get_database_backend(), sql.to_owned())).await?;
    Ok(row.map(|r| r.try_get_by_index::<i64>(0)).transpose()?.unwrap_or(0))
}

/// Starts measuring this process's peak memory afresh (Linux: `clear_refs` 5).
pub(crate) fn reset_peak_memory() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// This process's peak resident memory since the last reset, in MiB (Linux `VmHWM`).
pub(crate) fn peak_memory_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kib = status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .unwrap_or(0.0);
    kib / 1024.0
}

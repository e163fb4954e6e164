//! `accord bench customers`: loads the deterministic data set through the core and times the
//! customer queries through the door beside the same query in raw SQL on the same database.
//! Prints figures; asserts nothing (targets live in docs/performance.md).

mod audit;
mod data;
mod duplicates;
mod imports;
mod interactions;
mod native;
mod segments;
mod server;
mod sync;

use std::future::Future;
use std::time::{Duration, Instant};

use accord_core::customers::organisations::{GetOrganisation, ListOrganisations, ListOrganisationsInput};
use accord_core::data::{Engine, RawPool};
use accord_core::io::IdInput;
use accord_core::paging::Cursor;
use accord_core::platform::{Search, SearchInput};
use accord_core::search;
use accord_core::{Actor, ApiError, Door, seed};
use rand::{Rng, SeedableRng};
use sqlx::Row;
use uuid::Uuid;

#[derive(clap::Subcommand)]
pub enum Which {
    /// 100,000 organisations and 300,000 contacts; list, deep page, search, card.
    Customers {
        #[arg(long, default_value_t = 100_000)]
        orgs: usize,
        #[arg(long, default_value_t = 300_000)]
        contacts: usize,
        /// Timed runs per query (after 20 warm-up runs).
        #[arg(long, default_value_t = 300)]
        runs: usize,
        /// Comma-separated: sqlite, postgres.
        #[arg(long, default_value = "sqlite,postgres")]
        engines: String,
        /// Server for the PostgreSQL run; a scratch database is created and dropped on it.
        #[arg(long, env = "ACCORD_BENCH_PG_URL", default_value = "postgres://postgres@127.0.0.1:5432/postgres")]
        pg: String,
    },
    /// Offline laptops: an initial replica of a server with a long history, then a day's sync.
    Sync {
        #[arg(long, default_value_t = 50_000)]
        orgs: usize,
        #[arg(long, default_value_t = 0)]
        contacts: usize,
        /// Change-log entries on the server before the replica is made.
        #[arg(long, default_value_t = 500_000)]
        entries: usize,
        /// Changes made on each side during the offline day.
        #[arg(long, default_value_t = 2_000)]
        changes: usize,
        #[arg(long, env = "ACCORD_BENCH_PG_URL", default_value = "postgres://postgres@127.0.0.1:5432/postgres")]
        pg: String,
    },
    /// Customer data at scale: reading a CSV of generated contacts (the import's first step),
    /// and the duplicate scan over many contacts with planted pairs.
    Data {
        #[arg(long, default_value_t = 1_000_000)]
        rows: usize,
        /// Contacts the duplicate scan looks through (0: no scan).
        #[arg(long, default_value_t = 300_000)]
        contacts: usize,
        /// Contacts imported from a CSV file through `imports.start`, on SQLite (0: no import).
        #[arg(long, default_value_t = 1_000_000)]
        import_rows: usize,
        /// Timed runs of each.
        #[arg(long, default_value_t = 3)]
        runs: usize,
        #[arg(long, default_value = "sqlite")]
        engines: String,
        #[arg(long, env = "ACCORD_BENCH_PG_URL", default_value = "postgres://postgres@127.0.0.1:5432/postgres")]
        pg: String,
    },
    /// Interactions and scheduled contacts: histories, an employee's and a team's week, an .ics export, the next reminder.
    Interactions {
        #[arg(long, default_value_t = 1_000_000)]
        interactions: usize,
        #[arg(long, default_value_t = 100_000)]
        scheduled: usize,
        #[arg(long, default_value_t = 200)]
        employees: usize,
        #[arg(long, default_value_t = 10_000)]
        orgs: usize,
        #[arg(long, default_value_t = 30_000)]
        contacts: usize,
        /// Timed runs per query (after 20 warm-up runs).
        #[arg(long, default_value_t = 300)]
        runs: usize,
        #[arg(long, default_value = "sqlite")]
        engines: String,
        #[arg(long, env = "ACCORD_BENCH_PG_URL", default_value = "postgres://postgres@127.0.0.1:5432/postgres")]
        pg: String,
    },
    /// A long audit log: how fast `audit.verify` checks it.
    Audit {
        #[arg(long, default_value_t = 1_000_000)]
        entries: usize,
        /// Timed verifications.
        #[arg(long, default_value_t = 3)]
        runs: usize,
        #[arg(long, default_value = "sqlite,postgres")]
        engines: String,
        #[arg(long, env = "ACCORD_BENCH_PG_URL", default_value = "postgres://postgres@127.0.0.1:5432/postgres")]
        pg: String,
    },
}

pub async fn run(which: Which) -> Result<serde_json::Value, ApiError> {
    match which {
        Which::Customers { orgs, contacts, runs, engines, pg } => {
            on_scratch_databases(&engines, &pg, |label, url| async move {
                bench_engine(label, &url, orgs, contacts, runs).await
            })
            .await
        }
        Which::Sync { orgs, contacts, entries, changes, pg } => {
            on_scratch_databases("postgres", &pg, |_, url| async move {
                sync::bench_sync(&url, sync::Sizes { orgs, contacts, entries, changes }).await
            })
            .await
        }
        Which::Data { rows, contacts, import_rows, runs, engines, pg } => {
            let read = if rows > 0 { data::bench_read(rows, runs)? } else { serde_json::Value::Null };
            let import =
                if import_rows > 0 { data::bench_import(import_rows, runs).await? } else { serde_json::Value::Null };
            let scans = if contacts > 0 {
                on_scratch_databases(&engines, &pg, |label, url| async move {
                    duplicates::bench_scan(label, &url, contacts, runs).await
                })
                .await?
            } else {
                serde_json::Value::Null
            };
            Ok(serde_json::json!({"read": read, "import": import, "duplicate_scan": scans}))
        }
        Which::Interactions { interactions, scheduled, employees, orgs, contacts, runs, engines, pg } => {
            on_scratch_databases(&engines, &pg, |label, url| async move {
                let sizes = interactions::Sizes { interactions, scheduled, employees, organisations: orgs, contacts };
                interactions::bench_interactions(label, &url, sizes, runs).await
            })
            .await
        }
        Which::Audit { entries, runs, engines, pg } => {
            on_scratch_databases(&engines, &pg, |label, url| async move {
                audit::bench_verify(label, &url, entries, runs).await
            })
            .await
        }
    }
}

/// Runs `bench` on a new database of each engine, removed afterwards.
async fn on_scratch_databases<F, Fut>(engines: &str, pg: &str, bench: F) -> Result<serde_json::Value, ApiError>
where
    F: Fn(&'static str, String) -> Fut,
    Fut: Future<Output = Result<serde_json::Value, ApiError>>,
{
    let mut results = Vec::new();
    for engine in engines.split(',').map(str::trim).filter(|e| !e.is_empty()) {
        let report = match engine {
            "sqlite" => {
                let dir = std::env::temp_dir().join(format!("accord-bench-{}", Uuid::now_v7().simple()));
                let url = format!("sqlite:{}", dir.join("bench.sqlite3").display());
                let report = bench("sqlite", url).await;
                let _ = std::fs::remove_dir_all(&dir);
                report?
            }
            "postgres" => {
                let name = format!("accord_bench_{}", Uuid::now_v7().simple());
                admin(pg, &format!("CREATE DATABASE {name}")).await?;
                let url = match pg.rsplit_once('/') {
                    Some((base, _)) => format!("{base}/{name}"),
                    None => return Err(ApiError::internal("the PostgreSQL URL needs a database path")),
                };
                let report = bench("postgres", url).await;
                admin(pg, &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await?;
                admin(pg, &server::drop_roles_sql()).await?;
                report?
            }
            other => return Err(ApiError::internal(format!("unknown engine {other}; use sqlite or postgres"))),
        };
        results.push(report);
    }
    Ok(serde_json::Value::Array(results))
}

async fn admin(url: &str, sql: &str) -> Result<(), ApiError> {
    let pool = sqlx::PgPool::connect(url).await.map_err(|e| ApiError::internal(format!("cannot reach {url}: {e}")))?;
    sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_owned()))
        .execute(&pool)
        .await
        .map_err(|e| ApiError::internal(e.to_string()))?;
    pool.close().await;
    Ok(())
}

pub(crate) fn internal(e: impl std::fmt::Display) -> ApiError {
    ApiError::internal(e.to_string())
}

#[derive(serde::Serialize)]
struct Timing {
    query: &'static str,
    core_p50_us: f64,
    core_p95_us: f64,
    /// The same SQL through the core's own sqlx pool.
    raw_p50_us: f64,
    raw_p95_us: f64,
    ratio_p50: f64,
    /// The same SQL through the engine's own driver (rusqlite, tokio-postgres): the limit.
    native_p50_us: f64,
    native_p95_us: f64,
    native_ratio_p50: f64,
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index].as_secs_f64() * 1e6
}

/// Runs `f(i)` `runs` times after a warm-up and returns the sorted durations.
async fn time<F, Fut>(runs: usize, mut f: F) -> Result<Vec<Duration>, ApiError>
where
    F: FnMut(usize) -> Fut,
    Fut: Future<Output = Result<(), ApiError>>,
{
    for i in 0..20 {
        f(i).await?;
    }
    let mut samples = Vec::with_capacity(runs);
    for i in 0..runs {
        let started = Instant::now();
        f(i + 20).await?;
        samples.push(started.elapsed());
    }
    samples.sort();
    Ok(samples)
}

fn timing(query: &'static str, core: &[Duration], raw: &[Duration], native: &[Duration]) -> Timing {
    let (core_p50, raw_p50, native_p50) = (percentile(core, 0.5), percentile(raw, 0.5), percentile(native, 0.5));
    let t = Timing {
        query,
        core_p50_us: core_p50,
        core_p95_us: percentile(core, 0.95),
        raw_p50_us: raw_p50,
        raw_p95_us: percentile(raw, 0.95),
        ratio_p50: core_p50 / raw_p50,
        native_p50_us: native_p50,
        native_p95_us: percentile(native, 0.95),
        native_ratio_p50: core_p50 / native_p50,
    };
    eprintln!(
        "  {:<28} core p50 {:>7.0} µs p95 {:>7.0} | sqlx p50 {:>7.0} p95 {:>7.0} ({:.2}×) | native p50 {:>7.0} p95 {:>7.0} ({:.2}×)",
        t.query,
        t.core_p50_us,
        t.core_p95_us,
        t.raw_p50_us,
        t.raw_p95_us,
        t.ratio_p50,
        t.native_p50_us,
        t.native_p95_us,
        t.native_ratio_p50
    );
    t
}

/// The same SQL on both engines apart from placeholders.
pub(crate) fn sql(engine: Engine, text: &str) -> String {
    match engine {
        Engine::Sqlite => text.to_owned(),
        Engine::Postgres => {
            let mut out = String::with_capacity(text.len() + 8);
            let mut n = 0;
            for c in text.chars() {
                if c == '?' {
                    n += 1;
                    out.push_str(&format!("${n}"));
                } else {
                    out.push(c);
                }
            }
            out
        }
    }
}

/// Runs one raw statement with the given binds and decodes every row into `$row` (a tuple),
/// as the core decodes its rows into structs.
macro_rules! raw_fetch_as {
    ($raw:expr, $engine:expr, $row:ty, $text:expr $(, $bind:expr)*) => {{
        let text = sql($engine, $text);
        match $raw {
            RawPool::Sqlite(pool) => sqlx::query_as::<_, $row>(sqlx::AssertSqlSafe(text))$(.bind($bind))*.fetch_all(pool).await.map_err(internal)?.len(),
            RawPool::Postgres(pool) => sqlx::query_as::<_, $row>(sqlx::AssertSqlSafe(text))$(.bind($bind))*.fetch_all(pool).await.map_err(internal)?.len(),
        }
    }};
}

/// The columns of a list row and of a search hit.
pub(crate) type ListRow = (
    Uuid,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    chrono::DateTime<chrono::Utc>,
);
type HitRow = (String, Uuid, String, Option<String>, bool);

/// Runs one raw statement with the given binds and reads every row.
macro_rules! raw_fetch {
    ($raw:expr, $engine:expr, $text:expr $(, $bind:expr)*) => {{
        let text = sql($engine, $text);
        match $raw {
            RawPool::Sqlite(pool) => {
                let rows = sqlx::query(sqlx::AssertSqlSafe(text))$(.bind($bind))*.fetch_all(pool).await.map_err(internal)?;
                rows.len()
            }
            RawPool::Postgres(pool) => {
                let rows = sqlx::query(sqlx::AssertSqlSafe(text))$(.bind($bind))*.fetch_all(pool).await.map_err(internal)?;
                rows.len()
            }
        }
    }};
}

pub(crate) const LIST_SQL: &str = "SELECT id, kind, name, sort_name, tax_id, email, phone, city, updated_at FROM organisations \
     WHERE deleted_at IS NULL ORDER BY sort_name, id LIMIT 51";
pub(crate) const DEEP_SQL: &str = "SELECT id, kind, name, sort_name, tax_id, email, phone, city, updated_at FROM organisations \
     WHERE deleted_at IS NULL AND (sort_name, id) > (?, ?) ORDER BY sort_name, id LIMIT 51";
pub(crate) const CARD_ORG_SQL: &str = "SELECT * FROM organisations WHERE id = ?";
pub(crate) const CARD_CONTACTS_SQL: &str = "SELECT id, organisation_id, full_name, sort_name, role, email, phone FROM contacts \
     WHERE organisation_id = ? AND deleted_at IS NULL ORDER BY sort_name LIMIT 200";
pub(crate) const CARD_RELATIONS_SQL: &str = "SELECT * FROM organisation_relations \
     WHERE (organisation_id = ? OR related_organisation_id = ?) AND deleted_at IS NULL";

/// Name prefixes a user types, in the three scripts of the data set.
const NAME_PREFIXES: &[&str] = &["север", "ром", "پار", "bright", "kings", "آریا", "вол", "البرز", "mer", "гран"];

/// The search service's candidate query (the 200 newest matches, which it then ranks);
/// the baselines run it alone.
pub(crate) fn search_sql(engine: Engine) -> &'static str {
    match engine {
        Engine::Sqlite => {
            "SELECT d.entity, d.row_id, d.title, d.subtitle, d.archived FROM search_fts \
             JOIN search_documents d ON d.doc_id = search_fts.rowid WHERE search_fts MATCH ? AND NOT d.archived \
             ORDER BY search_fts.rowid DESC LIMIT 200"
        }
        Engine::Postgres => {
            "SELECT d.entity, d.row_id, d.title, d.subtitle, d.archived FROM search_documents d \
             WHERE d.tsv @@ to_tsquery('simple', ?) AND NOT d.archived ORDER BY d.doc_id + 0 DESC LIMIT 200"
        }
    }
}

async fn bench_engine(
    label: &str,
    url: &str,
    orgs: usize,
    contacts: usize,
    runs: usize,
) -> Result<serde_json::Value, ApiError> {
    eprintln!("{label}: loading {orgs} organisations and {contacts} contacts through the core…");
    let door = &Door::open(url, Uuid::now_v7()).await?;
    let actor = &Actor::local_owner();
    let load = seed::seed_customers(door, actor, 42, orgs, contacts).await?;
    let records_per_s = (load.organisations + load.contacts) as f64 / load.seconds;
    eprintln!("  load: {:.1} s, {:.0} records/s (with change log and search index)", load.seconds, records_per_s);
    let db = door.database();
    let engine = db.engine;
    let raw = &db.raw;
    // Fresh statistics, as after the app's periodic optimisation.
    let analyze = if engine == Engine::Sqlite { "ANALYZE" } else { "VACUUM ANALYZE" };
    raw_fetch!(raw, engine, analyze);

    let ids: Vec<Uuid> = {
        let text = "SELECT id FROM organisations";
        match raw {
            RawPool::Sqlite(pool) => {
                sqlx::query(text).fetch_all(pool).await.map_err(internal)?.iter().map(|r| r.get(0)).collect()
            }
            RawPool::Postgres(pool) => {
                sqlx::query(text).fetch_all(pool).await.map_err(internal)?.iter().map(|r| r.get(0)).collect()
            }
        }
    };
    let deep_offset = (ids.len() * 9 / 10) as i64;
    let (deep_key, deep_id): (String, Uuid) = {
        let text = sql(
            engine,
            "SELECT sort_name, id FROM organisations WHERE deleted_at IS NULL ORDER BY sort_name, id LIMIT 1 OFFSET ?",
        );
        match raw {
            RawPool::Sqlite(pool) => {
                let row =
                    sqlx::query(sqlx::AssertSqlSafe(text)).bind(deep_offset).fetch_one(pool).await.map_err(internal)?;
                (row.get(0), row.get(1))
            }
            RawPool::Postgres(pool) => {
                let row =
                    sqlx::query(sqlx::AssertSqlSafe(text)).bind(deep_offset).fetch_one(pool).await.map_err(internal)?;
                (row.get(0), row.get(1))
            }
        }
    };
    let deep_cursor = Cursor { key: deep_key.clone(), id: deep_id }.encode();
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
    let picks: Vec<Uuid> = (0..runs + 20).map(|_| ids[rng.random_range(0..ids.len())]).collect();
    let email_fragments: Vec<String> =
        (0..runs + 20).map(|_| format!("info{}@", rng.random_range(1..=orgs.max(1)))).collect();

    let native = &native::Native::connect(engine, url).await?;
    let mut timings = Vec::new();
    let list = |after: Option<String>| ListOrganisationsInput { limit: Some(50), after, ..Default::default() };

    let core = time(runs, |_| async { door.call::<ListOrganisations>(actor, list(None)).await.map(drop) }).await?;
    let raw_t = time(runs, |_| async {
        raw_fetch_as!(raw, engine, ListRow, LIST_SQL);
        Ok(())
    })
    .await?;
    let native_t = time(runs, |_| async { native.list().await.map(drop) }).await?;
    timings.push(timing("list first page (50 by name)", &core, &raw_t, &native_t));

    let core = time(runs, |_| async {
        door.call::<ListOrganisations>(actor, list(Some(deep_cursor.clone()))).await.map(drop)
    })
    .await?;
    let raw_t = time(runs, |_| async {
        raw_fetch_as!(raw, engine, ListRow, DEEP_SQL, deep_key.clone(), deep_id);
        Ok(())
    })
    .await?;
    let native_t = time(runs, |_| async { native.deep(&deep_key, deep_id).await.map(drop) }).await?;
    timings.push(timing("list page 90% deep", &core, &raw_t, &native_t));

    let name_prefixes: Vec<String> =
        (0..runs + 20).map(|i| NAME_PREFIXES[i % NAME_PREFIXES.len()].to_owned()).collect();
    for (label, texts) in [("search name prefix", &name_prefixes), ("search email fragment", &email_fragments)] {
        let core = time(runs, |i| {
            let input = SearchInput { text: texts[i].clone(), limit: Some(20), entities: None, include_archived: None };
            async { door.call::<Search>(actor, input).await.map(drop) }
        })
        .await?;
        let raw_t = time(runs, |i| {
            let query = search::match_expression(db.backend(), &search::query_words(&texts[i]));
            async move {
                raw_fetch_as!(raw, engine, HitRow, search_sql(engine), query);
                Ok(())
            }
        })
        .await?;
        let native_t = time(runs, |i| {
            let query = search::match_expression(db.backend(), &search::query_words(&texts[i]));
            async move { native.search(&query).await.map(drop) }
        })
        .await?;
        timings.push(timing(label, &core, &raw_t, &native_t));
    }

    let core = time(runs, |i| {
        let id = picks[i];
        async move { door.call::<GetOrganisation>(actor, IdInput { id }).await.map(drop) }
    })
    .await?;
    let raw_t = time(runs, |i| {
        let id = picks[i];
        async move {
            raw_fetch!(raw, engine, CARD_ORG_SQL, id);
            raw_fetch!(raw, engine, CARD_CONTACTS_SQL, id);
            raw_fetch!(raw, engine, CARD_RELATIONS_SQL, id, id);
            Ok(())
        }
    })
    .await?;
    let native_t = time(runs, |i| {
        let id = picks[i];
        async move { native.card(id).await.map(drop) }
    })
    .await?;
    timings.push(timing("get organisation + contacts", &core, &raw_t, &native_t));
    let reach = reach_cost(door, url, &ids, runs, &name_prefixes).await?;

    Ok(serde_json::json!({
        "engine": label,
        "organisations": load.organisations,
        "contacts": load.contacts,
        "load_seconds": load.seconds,
        "load_records_per_s": records_per_s,
        "runs": runs,
        "timings": timings,
        "reach": reach,
    }))
}

/// What the user's scope costs (SEC-2): the records spread over ten departments, the list's
/// first page and a name search as a salesperson who sees two of them, beside the same
/// calls for someone who sees everything. Microseconds at the median.
async fn reach_cost(
    door: &Door,
    url: &str,
    ids: &[Uuid],
    runs: usize,
    name_prefixes: &[String],
) -> Result<serde_json::Value, ApiError> {
    use accord_core::security::{Reach, platform};
    let db = door.database();
    let (engine, raw) = (db.engine, &db.raw);
    let departments: Vec<Uuid> = (0..10u128).map(|i| Uuid::from_u128(0xD0_0000 + i)).collect();
    for (i, chunk) in ids.chunks(ids.len().div_ceil(10).max(1)).enumerate() {
        for part in chunk.chunks(500) {
            let list = part.iter().map(|id| format!("'{id}'")).collect::<Vec<_>>().join(",");
            let department = departments[i % departments.len()];
            let (org_ids, doc_ids) = match engine {
                // SQLite stores UUIDs as 16-byte blobs.
                Engine::Sqlite => {
                    let blobs = part.iter().map(|id| format!("x'{}'", id.simple())).collect::<Vec<_>>().join(",");
                    (blobs.clone(), blobs)
                }
                Engine::Postgres => (list.clone(), list),
            };
            let value = match engine {
                Engine::Sqlite => format!("x'{}'", department.simple()),
                Engine::Postgres => format!("'{department}'"),
            };
            raw_fetch!(
                raw,
                engine,
                &format!("UPDATE organisations SET department_id = {value} WHERE id IN ({org_ids})")
            );
            raw_fetch!(
                raw,
                engine,
                &format!("UPDATE search_documents SET department_id = {value} WHERE row_id IN ({doc_ids})")
            );
        }
    }
    let analyze = if engine == Engine::Sqlite { "ANALYZE" } else { "VACUUM ANALYZE" };
    raw_fetch!(raw, engine, analyze);
    let everyone = &Actor::local_owner();
    let seller = Uuid::now_v7();
    let salesperson = &Actor::with_permissions(
        seller,
        "bench salesperson",
        &[accord_core::customers::permissions::READ, platform::SEARCH],
    )
    .in_department(Some(departments[0]), Reach::Limited { user_id: seller, departments: departments[..2].to_vec() });
    let mut figures = serde_json::Map::new();
    for (who, actor) in [("all", everyone), ("two_of_ten_departments", salesperson)] {
        figures.insert(who.to_owned(), scope_timings(door, actor, runs, name_prefixes).await?);
    }
    if engine == Engine::Postgres {
        // The same two departments seen by a manager through their own role on a server that
        // enforces access itself: the core's narrowing and PostgreSQL's row-level security.
        let (own_door, manager) = server::manager_on_own_role(door, url, &departments).await?;
        figures.insert(
            "two_of_ten_departments_own_role_rls".to_owned(),
            scope_timings(&own_door, &manager, runs, name_prefixes).await?,
        );
    }
    eprintln!("  reach: {}", serde_json::Value::Object(figures.clone()));
    Ok(serde_json::Value::Object(figures))
}

/// The list's first page and a name-prefix search as `actor`, µs at the median.
async fn scope_timings(
    door: &Door,
    actor: &Actor,
    runs: usize,
    name_prefixes: &[String],
) -> Result<serde_json::Value, ApiError> {
    let list = time(runs, |_| async {
        let input = ListOrganisationsInput { limit: Some(50), ..Default::default() };
        door.call::<ListOrganisations>(actor, input).await.map(drop)
    })
    .await?;
    let found = time(runs, |i| {
        let input =
            SearchInput { text: name_prefixes[i].clone(), limit: Some(20), entities: None, include_archived: None };
        async move { door.call::<Search>(actor, input).await.map(drop) }
    })
    .await?;
    Ok(
        serde_json::json!({"list_first_page_p50_us": percentile(&list, 0.5), "search_name_prefix_p50_us": percentile(&found, 0.5)}),
    )
}

//! The model-based randomized test of sync (ADR 0014), the way sync engines are tested: 2–5
//! laptops and the office take seeded random steps — edit, create, archive, restore, sync,
//! sync over a connection cut midway or whose reply is lost, crash and restart, deliver an old
//! batch again, a laptop's date jumping back by days or ahead by hours — and after the clocks
//! are set right and a final full sync, every replica equals the server, every entry any side
//! wrote is on every side exactly once, every audit entry made offline is in the server's
//! intact chain once, and each database's records are what a simple reference model makes of
//! its log.
//!
//! `ACCORD_SYNC_HISTORIES` sets how many histories run (the benchmark job runs 10,000);
//! `ACCORD_SYNC_SEED` replays one history exactly.

mod common;

use accord_core::attachments::contents::FileContent;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicI32, AtomicI64, Ordering};

use accord_core::audit::AuditRecord;
use accord_core::data::Engine;
use accord_core::sync::{self, ChangesPage, Cursor, DoorLink, ServerLink, SyncEntry};
use accord_core::{Actor, ApiError, Door, ErrorCode};
use common::{TestDb, agreed_organisations, organisation_rows};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};
use uuid::Uuid;

fn owner() -> Actor {
    Actor::local_owner()
}

/// How far each laptop's date is off, per server engine (the two tests run side by side).
static SKEW_MS: [[AtomicI64; 5]; 2] = [const { [const { AtomicI64::new(0) }; 5] }; 2];

/// The wall clock of laptop `I` of the histories on engine `E`: a clock is a plain function,
/// so each laptop has one of its own.
fn wall<const E: usize, const I: usize>() -> i64 {
    chrono::Utc::now().timestamp_millis() + SKEW_MS[E][I].load(Ordering::SeqCst)
}

const WALLS: [[fn() -> i64; 5]; 2] = [
    [wall::<0, 0>, wall::<0, 1>, wall::<0, 2>, wall::<0, 3>, wall::<0, 4>],
    [wall::<1, 0>, wall::<1, 1>, wall::<1, 2>, wall::<1, 3>, wall::<1, 4>],
];

const HOUR_MS: i64 = 60 * 60 * 1000;

/// How far ahead a laptop's date may jump in a history: less than the day a stamp may be
/// ahead of the computer that receives it, so every change can go through once the clocks are
/// right. (A date days ahead keeps its changes waiting, with a message; `sync.rs` tests it.)
const MOST_AHEAD_MS: i64 = 20 * HOUR_MS;

fn engine_index(engine: Engine) -> usize {
    match engine {
        Engine::Sqlite => 0,
        Engine::Postgres => 1,
    }
}

/// How a connection fails on one call of a round.
#[derive(Debug, Clone, Copy)]
enum Fault {
    /// The call never reaches the server.
    CutBefore(i32),
    /// The server does the work, the reply is lost.
    LoseReply(i32),
}

/// The fault-injecting wrapper on the connection between a replica and its server.
struct FaultyLink<'a> {
    inner: DoorLink<'a>,
    fault: Fault,
    calls: AtomicI32,
}

impl FaultyLink<'_> {
    fn dropped() -> ApiError {
        ApiError::new(ErrorCode::DatabaseUnavailable, "the connection dropped (injected)")
    }

    /// Counts this call; says whether it fails, and when.
    fn this_call(&self) -> Option<bool> {
        let n = self.calls.fetch_add(1, Ordering::SeqCst);
        match self.fault {
            Fault::CutBefore(at) if at == n => Some(true),
            Fault::LoseReply(at) if at == n => Some(false),
            _ => None,
        }
    }
}

impl ServerLink for FaultyLink<'_> {
    fn actor(&self) -> &Actor {
        self.inner.actor()
    }

    async fn identity(&self) -> Result<String, ApiError> {
        self.inner.identity().await
    }

    async fn push(&self, entries: Vec<SyncEntry>) -> Result<sync::PushReport, ApiError> {
        match self.this_call() {
            Some(true) => Err(Self::dropped()),
            Some(false) => {
                self.inner.push(entries).await?;
                Err(Self::dropped())
            }
            None => self.inner.push(entries).await,
        }
    }

    async fn push_audit(&self, entries: Vec<AuditRecord>) -> Result<sync::AuditPushReport, ApiError> {
        match self.this_call() {
            Some(true) => Err(Self::dropped()),
            Some(false) => {
                self.inner.push_audit(entries).await?;
                Err(Self::dropped())
            }
            None => self.inner.push_audit(entries).await,
        }
    }

    async fn read(&self, after: Cursor) -> Result<ChangesPage, ApiError> {
        match self.this_call() {
            Some(true) => Err(Self::dropped()),
            Some(false) => {
                self.inner.read(after).await?;
                Err(Self::dropped())
            }
            None => self.inner.read(after).await,
        }
    }

    async fn check_continuity(&self, held: Vec<sync::EntryRef>, cursor: Cursor) -> Result<sync::Continuity, ApiError> {
        match self.this_call() {
            Some(true) => Err(Self::dropped()),
            Some(false) => {
                self.inner.check_continuity(held, cursor).await?;
                Err(Self::dropped())
            }
            None => self.inner.check_continuity(held, cursor).await,
        }
    }

    async fn reach_digest(&self) -> Result<sync::ReachDigest, ApiError> {
        match self.this_call() {
            Some(true) => Err(Self::dropped()),
            Some(false) => {
                self.inner.reach_digest().await?;
                Err(Self::dropped())
            }
            None => self.inner.reach_digest().await,
        }
    }

    async fn readable_among(&self, table: String, row_ids: Vec<Uuid>) -> Result<Vec<Uuid>, ApiError> {
        match self.this_call() {
            Some(true) => Err(Self::dropped()),
            Some(false) => {
                self.inner.readable_among(table, row_ids).await?;
                Err(Self::dropped())
            }
            None => self.inner.readable_among(table, row_ids).await,
        }
    }

    async fn history(&self, table: String, row_ids: Vec<Uuid>) -> Result<Vec<SyncEntry>, ApiError> {
        match self.this_call() {
            Some(true) => Err(Self::dropped()),
            Some(false) => {
                self.inner.history(table, row_ids).await?;
                Err(Self::dropped())
            }
            None => self.inner.history(table, row_ids).await,
        }
    }

    async fn runs_rules(&self) -> Result<bool, ApiError> {
        self.inner.runs_rules().await
    }

    async fn contents_lacking(&self, hashes: Vec<String>) -> Result<Vec<String>, ApiError> {
        match self.this_call() {
            Some(true) => Err(Self::dropped()),
            Some(false) => {
                self.inner.contents_lacking(hashes).await?;
                Err(Self::dropped())
            }
            None => self.inner.contents_lacking(hashes).await,
        }
    }

    async fn store_contents(&self, contents: Vec<FileContent>) -> Result<u32, ApiError> {
        match self.this_call() {
            Some(true) => Err(Self::dropped()),
            Some(false) => {
                self.inner.store_contents(contents).await?;
                Err(Self::dropped())
            }
            None => self.inner.store_contents(contents).await,
        }
    }

    async fn read_contents(&self, hashes: Vec<String>) -> Result<Vec<FileContent>, ApiError> {
        match self.this_call() {
            Some(true) => Err(Self::dropped()),
            Some(false) => {
                self.inner.read_contents(hashes).await?;
                Err(Self::dropped())
            }
            None => self.inner.read_contents(hashes).await,
        }
    }
}

struct World {
    seed: u64,
    /// Which row of [`SKEW_MS`] this history's laptops use.
    engine: usize,
    server: TestDb,
    laptops: Vec<TestDb>,
    rng: ChaCha8Rng,
}

const NAMES: [&str; 6] = ["Vektor", "Пётр и партнёры", "پارس‌نیرو", "Acme", "Сириус", "آریا"];
const CITIES: [&str; 4] = ["Kazan", "Москва", "تهران", "Berlin"];
const KINDS: [&str; 4] = ["customer", "prospect", "supplier", "partner"];

impl World {
    async fn new(seed: u64, server_engine: Engine) -> Self {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let engine = engine_index(server_engine);
        for skew in &SKEW_MS[engine] {
            skew.store(0, Ordering::SeqCst);
        }
        let server = TestDb::new(server_engine).await;
        for name in &NAMES[..2] {
            server.ok("customers.create_organisation", json!({"name": name})).await;
        }
        let mut laptops = Vec::new();
        for _ in 0..rng.random_range(2..=5) {
            let mut laptop = TestDb::new(Engine::Sqlite).await;
            sync::create_replica(&laptop.door, &owner(), &server.door, &owner(), "model server").await.unwrap();
            restart(&mut laptop, WALLS[engine][laptops.len()]).await;
            laptops.push(laptop);
        }
        Self { seed, engine, server, laptops, rng }
    }

    fn skew(&self, i: usize) -> i64 {
        SKEW_MS[self.engine][i].load(Ordering::SeqCst)
    }

    /// Laptop `i`'s date is set wrong: back by up to three days, or ahead by hours.
    fn jump_the_clock(&mut self, i: usize) {
        let skew = match self.rng.random_range(0..3) {
            0 => -self.rng.random_range(0..3 * 24 * HOUR_MS),
            1 => self.rng.random_range(0..MOST_AHEAD_MS),
            _ => 0,
        };
        SKEW_MS[self.engine][i].store(skew, Ordering::SeqCst);
    }

    /// Whether a round of sync may fail as it did: a connection cut by the fault injected,
    /// or — only for a laptop whose date is more than a day behind what it receives — the
    /// refusal that tells the person to check the laptop's date.
    fn may_fail(&self, i: usize, faulty: bool, e: &ApiError) -> bool {
        let cut = faulty && e.code == ErrorCode::DatabaseUnavailable;
        let behind = self.skew(i) < MOST_AHEAD_MS - 24 * HOUR_MS
            && e.code == ErrorCode::InvalidInput
            && e.message.contains("more than a day ahead of this computer's clock");
        cut || behind
    }

    fn db(&self, i: usize) -> &TestDb {
        if i == self.laptops.len() { &self.server } else { &self.laptops[i] }
    }

    /// Runs an operation a person might; refusals a person can meet are fine, nothing else.
    async fn person_does(&self, i: usize, op: &str, input: Value) {
        if let Err(e) = self.db(i).call(op, input.clone()).await {
            let expected = [ErrorCode::Archived, ErrorCode::Conflict, ErrorCode::InvalidInput];
            assert!(expected.contains(&e.code), "seed {}: {op} {input} failed unexpectedly: {e:?}", self.seed);
        }
    }

    async fn step(&mut self) {
        let who = self.rng.random_range(0..=self.laptops.len());
        let roll = self.rng.random_range(0..106);
        let orgs = organisation_rows(self.db(who)).await;
        let pick = (!orgs.is_empty()).then(|| orgs[self.rng.random_range(0..orgs.len())].clone());
        match (roll, pick) {
            (0..35, Some(org)) => {
                let changes = match self.rng.random_range(0..4) {
                    0 => json!({"name": NAMES[self.rng.random_range(0..NAMES.len())]}),
                    1 => json!({"city": CITIES[self.rng.random_range(0..CITIES.len())]}),
                    2 => json!({"kind": KINDS[self.rng.random_range(0..KINDS.len())]}),
                    _ => json!({"notes": format!("note {}", self.rng.random_range(0..3))}),
                };
                let input = json!({"id": org["id"], "version": org["version"], "changes": changes});
                self.person_does(who, "customers.update_organisation", input).await;
            }
            (35..45, _) | (_, None) => {
                let name = NAMES[self.rng.random_range(0..NAMES.len())];
                self.person_does(who, "customers.create_organisation", json!({"name": name})).await;
            }
            (45..52, Some(org)) => {
                let op = if org["archived"] == 1 {
                    "customers.restore_organisation"
                } else {
                    "customers.archive_organisation"
                };
                self.person_does(who, op, json!({"id": org["id"], "version": org["version"]})).await;
            }
            (52..85, _) if who < self.laptops.len() => self.sync_with_faults(who).await,
            (85..92, _) if who < self.laptops.len() => {
                // A crash: the process starts again from what it committed.
                restart(&mut self.laptops[who], WALLS[self.engine][who]).await;
            }
            (92..100, _) if who < self.laptops.len() => self.deliver_again(who).await,
            (100..106, _) if who < self.laptops.len() => self.jump_the_clock(who),
            _ => {}
        }
    }

    async fn sync_with_faults(&mut self, i: usize) {
        let actor = owner();
        let inner = DoorLink { door: &self.server.door, actor: &actor };
        let faulty = self.rng.random_bool(0.4);
        let outcome = if faulty {
            let at = self.rng.random_range(0..7);
            let fault = if self.rng.random_bool(0.5) { Fault::CutBefore(at) } else { Fault::LoseReply(at) };
            let link = FaultyLink { inner, fault, calls: AtomicI32::new(0) };
            sync::sync_over(&self.laptops[i].door, &owner(), &link).await
        } else {
            sync::sync_over(&self.laptops[i].door, &owner(), &inner).await
        };
        match outcome {
            // The server is never restored here: a round that thinks so would push and pull
            // everything again for nothing.
            Ok(report) => assert!(!report.server_restored, "seed {}: laptop {i}: {report:?}", self.seed),
            Err(e) => assert!(
                self.may_fail(i, faulty, &e),
                "seed {}: laptop {i} (date off by {} ms): {e:?}",
                self.seed,
                self.skew(i)
            ),
        }
    }

    /// An old batch arrives again, days later: the laptop's own entries to the server, and the
    /// server's log from the start to the laptop.
    async fn deliver_again(&mut self, i: usize) {
        let laptop = &self.laptops[i];
        let pushed = sync::replica_state(&laptop.door).await.unwrap().unwrap().pushed_seq;
        let own: Vec<SyncEntry> =
            sync::own_entries_after(&laptop.door.database().conn, laptop.door.device_id(), 0, 1000)
                .await
                .unwrap()
                .into_iter()
                .filter(|(seq, _)| *seq <= pushed)
                .map(|(_, e)| e)
                .collect();
        let actor = owner();
        let server = DoorLink { door: &self.server.door, actor: &actor };
        let report = server.push(own).await.unwrap();
        assert_eq!(report.stored, 0, "seed {}: a batch already pushed stored something new", self.seed);
        let everything = server.read(Cursor::default()).await.unwrap();
        let back = DoorLink { door: &laptop.door, actor: &actor };
        if let Err(e) = back.push(everything.entries).await {
            assert!(self.may_fail(i, false, &e), "seed {}: laptop {i}: {e:?}", self.seed);
        }
    }
}

/// A laptop's process starts again (after a crash) on its own wall clock.
async fn restart(laptop: &mut TestDb, wall: fn() -> i64) {
    let door = Door::open(&laptop.url, laptop.door.device_id()).await.expect("reopen");
    laptop.door = door.on_wall_clock(wall);
}

/// The ids of the audit entries in a database's chain made by `device` (all, without one).
async fn audit_ids(db: &TestDb, device: Option<Uuid>) -> Vec<Uuid> {
    let conn = &db.door.database().conn;
    let rows = conn
        .query_all_raw(Statement::from_string(conn.get_database_backend(), "SELECT id, device_id FROM audit_log"))
        .await
        .unwrap();
    rows.iter()
        .filter(|r| device.is_none_or(|device| r.try_get::<Uuid>("", "device_id").unwrap() == device))
        .map(|r| r.try_get("", "id").unwrap())
        .collect()
}

async fn log(db: &TestDb) -> BTreeMap<(Uuid, i64), (Uuid, String)> {
    let conn = &db.door.database().conn;
    let rows = conn
        .query_all_raw(Statement::from_string(
            conn.get_database_backend(),
            "SELECT device_id, hlc, row_id, changes FROM change_log",
        ))
        .await
        .unwrap();
    let mut entries = BTreeMap::new();
    for r in rows {
        let key = (r.try_get("", "device_id").unwrap(), r.try_get("", "hlc").unwrap());
        assert!(entries.insert(key, (r.try_get("", "row_id").unwrap(), r.try_get("", "changes").unwrap())).is_none());
    }
    entries
}

async fn conflicts(db: &TestDb) -> BTreeSet<(Uuid, String, String, String)> {
    let conn = &db.door.database().conn;
    let rows = conn
        .query_all_raw(Statement::from_string(
            conn.get_database_backend(),
            "SELECT row_id, field, kept_value, other_value FROM sync_conflicts",
        ))
        .await
        .unwrap();
    rows.iter()
        .map(|r| {
            (
                r.try_get("", "row_id").unwrap(),
                r.try_get("", "field").unwrap(),
                r.try_get("", "kept_value").unwrap(),
                r.try_get("", "other_value").unwrap(),
            )
        })
        .collect()
}

/// The reference model, written plainly: an ordinary field holds the value of the newest
/// entry (stamp, then device) that set it.
fn reference_value(log: &BTreeMap<(Uuid, i64), (Uuid, String)>, row: Uuid, field: &str) -> Value {
    let mut newest: Option<((i64, Uuid), Value)> = None;
    for ((device, hlc), (row_id, changes)) in log {
        if *row_id != row {
            continue;
        }
        let changes: Value = serde_json::from_str(changes).unwrap();
        if let Some(change) = changes.get(field)
            && newest.as_ref().is_none_or(|(at, _)| (*hlc, *device) > *at)
        {
            newest = Some(((*hlc, *device), change["new"].clone()));
        }
    }
    newest.map(|(_, v)| v).unwrap_or(Value::Null)
}

async fn history(seed: u64, server_engine: Engine, steps: usize) {
    let mut world = World::new(seed, server_engine).await;
    for _ in 0..steps {
        world.step().await;
    }
    // A person sets every laptop's date right, then the final full sync: twice round, so every
    // laptop holds what every other pushed.
    for skew in &SKEW_MS[world.engine] {
        skew.store(0, Ordering::SeqCst);
    }
    for _ in 0..2 {
        for laptop in &world.laptops {
            let report = sync::sync(&laptop.door, &owner(), &world.server.door, &owner()).await.expect("final sync");
            assert!(report.rejected.is_empty(), "seed {seed}: {report:?}");
            assert_eq!(report.pending, 0, "seed {seed}");
        }
    }
    let expected = agreed_organisations(&world.server).await;
    let server_log = log(&world.server).await;
    let server_conflicts = conflicts(&world.server).await;
    for (i, laptop) in world.laptops.iter().enumerate() {
        assert_eq!(agreed_organisations(laptop).await, expected, "seed {seed}: laptop {i} differs from the server");
        assert_eq!(log(laptop).await, server_log, "seed {seed}: laptop {i} holds other entries than the server");
        assert_eq!(conflicts(laptop).await, server_conflicts, "seed {seed}: laptop {i} sees other conflicts");
    }
    // Every audited action taken offline is in the server's chain, once, and the chain holds.
    let server_audit: BTreeSet<Uuid> = audit_ids(&world.server, None).await.into_iter().collect();
    for (i, laptop) in world.laptops.iter().enumerate() {
        for id in audit_ids(laptop, Some(laptop.door.device_id())).await {
            assert!(server_audit.contains(&id), "seed {seed}: laptop {i}'s audit entry {id} is not on the server");
        }
    }
    let verified = world.server.ok("audit.verify", json!({})).await;
    assert_eq!(verified["intact"], true, "seed {seed}: {verified}");
    for org in &expected {
        let id: Uuid = serde_json::from_value(org["id"].clone()).unwrap();
        for field in ["name", "city", "notes"] {
            assert_eq!(org[field], reference_value(&server_log, id, field), "seed {seed}: {field} of {id}");
        }
    }
}

/// The seeds to run: `ACCORD_SYNC_SEED` alone, or `ACCORD_SYNC_HISTORIES` (else `default`)
/// of them from `first`.
fn seeds(first: u64, default: u64) -> std::ops::Range<u64> {
    if let Some(seed) = std::env::var("ACCORD_SYNC_SEED").ok().and_then(|s| s.parse().ok()) {
        return seed..seed + 1;
    }
    let count = std::env::var("ACCORD_SYNC_HISTORIES").ok().and_then(|s| s.parse().ok()).unwrap_or(default);
    first..first + count
}

/// Runs one history on a runtime of its own, dropped after it, so nothing one history's
/// databases left running (pool maintenance, a hung connection) reaches the next; a history
/// that does not finish fails with its seed instead of stalling the suite.
fn run_history(seed: u64, server_engine: Engine) {
    let runtime =
        tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("a runtime");
    runtime.block_on(async {
        let bounded = tokio::time::timeout(std::time::Duration::from_secs(120), history(seed, server_engine, 40));
        if bounded.await.is_err() {
            panic!("seed {seed}: the history did not finish within two minutes (replay with ACCORD_SYNC_SEED={seed})");
        }
    });
    runtime.shutdown_timeout(std::time::Duration::from_secs(5));
}

#[test]
fn laptops_converge_with_the_server_whatever_happens_sqlite_server() {
    for seed in seeds(1, 200) {
        run_history(seed, Engine::Sqlite);
    }
}

#[test]
fn laptops_converge_with_the_server_whatever_happens_postgres_server() {
    for seed in seeds(1_000_000, 16) {
        run_history(seed, Engine::Postgres);
    }
}

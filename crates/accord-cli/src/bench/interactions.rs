//! `accord bench interactions`: a million interactions and a hundred thousand scheduled
//! contacts over a few hundred employees (the deterministic generator), then what people
//! read all day, through the door: an organisation's and a contact's history page, an
//! employee's week of planned contacts, a manager's team week (ten people), a person's
//! calendar saved as .ics, and the scheduler's question (my next reminder) — the history
//! beside the same statement through the core's own sqlx pool; what workflow rules cost a
//! write; and what attaching, listing and saving files costs.

use std::time::Duration;

use accord_core::data::{Engine, RawPool};
use accord_core::interactions::interactions::{ListInteractions, ListInteractionsInput};
use accord_core::interactions::schedule::{
    ExportCalendar, ExportCalendarInput, GetNextReminder, ListOccurrences, ListOccurrencesInput,
};
use accord_core::security::Reach;
use accord_core::{Actor, ApiError, Door, seed};
use chrono::{Datelike, Duration as Days, Utc};
use rand::{Rng, SeedableRng};
use sqlx::Row;
use uuid::Uuid;

use super::{internal, percentile, sql, time};

/// What workflow rules (COMM-6) cost a write: an organisation created with no rule, with twenty
/// rules listening to organisations whose condition it does not meet, and with one that fires
/// (its task created in the same transaction); and one run of the date rules over the contacts.
async fn workflow_rules(door: &Door, owner: &Actor, runs: usize) -> Result<Vec<serde_json::Value>, ApiError> {
    let create = |i: usize, stage: &str| serde_json::json!({"name": format!("Rule bench {stage} {i}"), "industry": "Logistics", "city": "Kazan"});
    let rule = |name: String, industry: &str| {
        serde_json::json!({"rule": {"name": name, "record_table": "organisations", "trigger": {"type": "created"},
            "condition": {"type": "condition", "field": "industry", "op": "is", "value": industry},
            "action": {"type": "create_task", "title": "Welcome {record}", "responsible": {"type": "record_owner"},
                       "deadline_days": 2}}})
    };
    let created = |stage: &'static str| {
        move |i: usize| async move {
            door.dispatch(owner, "customers.create_organisation", create(i, stage)).await.map(drop)
        }
    };
    let mut lines = Vec::new();
    lines.push(line("an organisation created, no rule", &time(runs, created("none")).await?));
    for n in 0..20 {
        door.dispatch(owner, "workflow.define", rule(format!("Medical {n}"), "Medical")).await?;
    }
    lines.push(line("  20 rules listening, none met", &time(runs, created("unmet")).await?));
    door.dispatch(owner, "workflow.define", rule("Logistics".to_owned(), "Logistics")).await?;
    lines.push(line("  one of them fires (a task)", &time(runs, created("met")).await?));
    let date_rule = serde_json::json!({"rule": {"name": "A month after", "record_table": "contacts",
        "trigger": {"type": "date_reached", "field": "created_at", "days": 30},
        "action": {"type": "create_task", "title": "Check on {record}", "responsible": {"type": "record_owner"},
                   "deadline_days": 2}}});
    door.dispatch(owner, "workflow.define", date_rule).await?;
    let samples = time(runs / 10, |_| async move {
        door.call::<accord_core::workflow::RunDue>(owner, Default::default()).await.map(drop)
    })
    .await?;
    lines.push(line("the date rules' run (one rule over the contacts)", &samples));
    Ok(lines)
}

/// What attaching files (COMM-1, ADR 0023) costs, on interactions of the loaded database: a
/// 1 MB and a 20 MB file attached (each different, so none is kept once for another), the same
/// 1 MB file again (kept once), a call's list of ten files, and a 1 MB file saved back out.
async fn attachments(
    door: &Door,
    owner: &Actor,
    calls: &[Uuid],
    runs: usize,
) -> Result<Vec<serde_json::Value>, ApiError> {
    use accord_core::attachments::{AttachFile, AttachFileInput, ListAttachments, ListAttachmentsInput};
    let folder = std::env::temp_dir().join(format!("accord-bench-files-{}", std::process::id()));
    std::fs::create_dir_all(&folder).map_err(|e| internal(e.to_string()))?;
    let folder = &folder;
    // A file of `size` bytes that differs from every other by its first eight.
    let write = |name: &str, size: usize, n: u64| {
        let mut bytes: Vec<u8> = (0..size).map(|i| (i % 251) as u8).collect();
        bytes[..8].copy_from_slice(&n.to_le_bytes());
        let path = folder.join(name);
        std::fs::write(&path, bytes).map(|()| path.display().to_string()).map_err(|e| internal(e.to_string()))
    };
    let attach = |path: String, record_id: Uuid| AttachFileInput { table: "interactions".into(), record_id, path };
    let mut lines = Vec::new();
    let samples = time(runs, |i| async move {
        let path = write("scan.pdf", 1 << 20, i as u64)?;
        door.call::<AttachFile>(owner, attach(path, calls[i])).await.map(drop)
    })
    .await?;
    lines.push(line("a 1 MB file attached to a call", &samples));
    let samples = time(runs / 30, |i| async move {
        let path = write("video-still.png", 20 << 20, 1_000_000 + i as u64)?;
        door.call::<AttachFile>(owner, attach(path, calls[i])).await.map(drop)
    })
    .await?;
    lines.push(line("  a 20 MB file", &samples));
    let same = write("same.pdf", 1 << 20, 2_000_000)?;
    let same = &same;
    let samples =
        time(runs, |i| async move { door.call::<AttachFile>(owner, attach(same.clone(), calls[i])).await.map(drop) })
            .await?;
    lines.push(line("  the same 1 MB file again (kept once)", &samples));
    let call = calls[runs + 1];
    let mut saved = None;
    for n in 0..10 {
        let path = write(&format!("file-{n}.pdf"), 1 << 20, 3_000_000 + n)?;
        saved = Some(door.call::<AttachFile>(owner, attach(path, call)).await?.attachment.id);
    }
    let list = ListAttachmentsInput { table: "interactions".into(), record_id: call, include_removed: None };
    let samples = time(runs, |_| async { door.call::<ListAttachments>(owner, list.clone()).await.map(drop) }).await?;
    lines.push(line("a call's list of ten files", &samples));
    let id = saved.ok_or_else(|| internal("no file attached".to_owned()))?;
    let samples = time(runs, |_| async move {
        let input =
            accord_core::attachments::SaveAttachmentInput { id, path: folder.join("out.pdf").display().to_string() };
        door.call::<accord_core::attachments::SaveAttachment>(owner, input).await.map(drop)
    })
    .await?;
    lines.push(line("a 1 MB file saved back out", &samples));
    let _ = std::fs::remove_dir_all(folder);
    Ok(lines)
}

/// The people in the benchmark's team.
const TEAM: usize = 10;

/// Puts `member`'s scheduled contacts in the department `team`.
async fn into_team(raw: &RawPool, engine: Engine, team: Uuid, member: Uuid) -> Result<(), ApiError> {
    let text = sql(engine, "UPDATE scheduled_contacts SET department_id = ? WHERE responsible_id = ?");
    match raw {
        RawPool::Sqlite(pool) => {
            let query = sqlx::query(sqlx::AssertSqlSafe(text)).bind(team).bind(member);
            query.execute(pool).await.map(drop).map_err(internal)
        }
        RawPool::Postgres(pool) => {
            let query = sqlx::query(sqlx::AssertSqlSafe(text)).bind(team).bind(member);
            query.execute(pool).await.map(drop).map_err(internal)
        }
    }
}

pub struct Sizes {
    pub interactions: usize,
    pub scheduled: usize,
    pub employees: usize,
    pub organisations: usize,
    pub contacts: usize,
}

fn line(what: &str, samples: &[Duration]) -> serde_json::Value {
    let (p50, p95) = (percentile(samples, 0.5) / 1000.0, percentile(samples, 0.95) / 1000.0);
    eprintln!("  {what:<40} p50 {p50:>7.2} ms  p95 {p95:>7.2} ms");
    serde_json::json!({"query": what, "p50_ms": p50, "p95_ms": p95})
}

async fn ids(raw: &RawPool, text: &str) -> Result<Vec<Uuid>, ApiError> {
    Ok(match raw {
        RawPool::Sqlite(pool) => sqlx::query(sqlx::AssertSqlSafe(text))
            .fetch_all(pool)
            .await
            .map_err(internal)?
            .iter()
            .map(|r| r.get(0))
            .collect(),
        RawPool::Postgres(pool) => sqlx::query(sqlx::AssertSqlSafe(text))
            .fetch_all(pool)
            .await
            .map_err(internal)?
            .iter()
            .map(|r| r.get(0))
            .collect(),
    })
}

/// The history page's statement, as the core sends it for an organisation.
const HISTORY_SQL: &str = "SELECT id, version, happened_at, channel, form, topic_id, contact_id, organisation_id, \
    responsible_id, summary, deleted_at FROM interactions WHERE organisation_id = ? AND deleted_at IS NULL \
    ORDER BY happened_at DESC, id DESC LIMIT 51";

async fn raw_history(raw: &RawPool, engine: Engine, organisation: Uuid) -> Result<usize, ApiError> {
    let text = sql(engine, HISTORY_SQL);
    Ok(match raw {
        RawPool::Sqlite(pool) => {
            sqlx::query(sqlx::AssertSqlSafe(text)).bind(organisation).fetch_all(pool).await.map_err(internal)?.len()
        }
        RawPool::Postgres(pool) => {
            sqlx::query(sqlx::AssertSqlSafe(text)).bind(organisation).fetch_all(pool).await.map_err(internal)?.len()
        }
    })
}

pub async fn bench_interactions(
    label: &str,
    url: &str,
    sizes: Sizes,
    runs: usize,
) -> Result<serde_json::Value, ApiError> {
    let door = &Door::open(url, Uuid::now_v7()).await?;
    let owner = &Actor::local_owner();
    eprintln!("{label}: loading {} organisations and {} contacts…", sizes.organisations, sizes.contacts);
    seed::seed_customers(door, owner, 17, sizes.organisations, sizes.contacts).await?;
    eprintln!("{label}: loading {} interactions and {} scheduled contacts…", sizes.interactions, sizes.scheduled);
    let load = seed::seed_interactions(door, owner, 17, sizes.interactions, sizes.scheduled, sizes.employees).await?;
    let rate = (load.interactions + load.scheduled) as f64 / load.seconds;
    eprintln!("  load: {:.1} s, {rate:.0} records/s (with change log and search index)", load.seconds);
    let db = door.database();
    let (engine, raw) = (db.engine, &db.raw);
    let analyze = if engine == Engine::Sqlite { "ANALYZE" } else { "VACUUM ANALYZE" };
    match raw {
        RawPool::Sqlite(pool) => {
            sqlx::query(analyze).execute(pool).await.map_err(internal)?;
        }
        RawPool::Postgres(pool) => {
            sqlx::query(analyze).execute(pool).await.map_err(internal)?;
        }
    }
    let organisations = ids(raw, "SELECT id FROM organisations").await?;
    let contacts = ids(raw, "SELECT id FROM contacts").await?;
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(11);
    let pick = |list: &[Uuid], rng: &mut rand_chacha::ChaCha8Rng| list[rng.random_range(0..list.len())];
    let org_picks: Vec<Uuid> = (0..runs + 20).map(|_| pick(&organisations, &mut rng)).collect();
    let contact_picks: Vec<Uuid> = (0..runs + 20).map(|_| pick(&contacts, &mut rng)).collect();
    let staff_picks: Vec<Uuid> = (0..runs + 20).map(|_| pick(&load.employees, &mut rng)).collect();
    let (org_picks, contact_picks, staff_picks) = (&org_picks, &contact_picks, &staff_picks);

    let mut lines = Vec::new();
    let history = |organisation_id: Option<Uuid>, contact_id: Option<Uuid>| ListInteractionsInput {
        organisation_id,
        contact_id,
        limit: Some(50),
        ..Default::default()
    };
    let core = time(runs, |i| async move {
        door.call::<ListInteractions>(owner, history(Some(org_picks[i]), None)).await.map(drop)
    })
    .await?;
    lines.push(line("organisation's history, first page of 50", &core));
    let raw_t = time(runs, |i| async move { raw_history(raw, engine, org_picks[i]).await.map(drop) }).await?;
    lines.push(line("  the same statement through sqlx", &raw_t));
    let core = time(runs, |i| async move {
        door.call::<ListInteractions>(owner, history(None, Some(contact_picks[i]))).await.map(drop)
    })
    .await?;
    lines.push(line("contact's history, first page of 50", &core));

    // This week, Monday to Monday in UTC: what a calendar's week view asks for one person.
    let today = Utc::now().date_naive();
    let monday = today - Days::days(i64::from(today.weekday().num_days_from_monday()));
    let from = monday.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc();
    let week =
        |responsible: Uuid| ListOccurrencesInput { responsible_id: Some(responsible), from, to: from + Days::days(7) };
    let mut occurrences = 0;
    let samples =
        time(runs, |i| async move { door.call::<ListOccurrences>(owner, week(staff_picks[i])).await.map(drop) })
            .await?;
    for employee in load.employees.iter().take(5) {
        occurrences += door.call::<ListOccurrences>(owner, week(*employee)).await?.items.len();
    }
    eprintln!("  (an employee's week holds about {} occurrences)", occurrences / 5);
    lines.push(line("employee's week of scheduled contacts", &samples));

    // A manager's team week: the employees are put in departments of ten (the generator
    // leaves records without one, which everyone sees), the manager in the first.
    let team_of = |i: usize| Uuid::from_u128(0x7ea3_0000 + (i / TEAM) as u128);
    for (i, member) in load.employees.iter().enumerate() {
        into_team(raw, engine, team_of(i), *member).await?;
    }
    let team = team_of(0);
    let manager =
        &Actor::with_permissions(load.employees[0], "bench manager", &[accord_core::interactions::permissions::READ])
            .in_department(Some(team), Reach::Limited { user_id: load.employees[0], departments: vec![team] });
    let team_week = ListOccurrencesInput { responsible_id: None, from, to: from + Days::days(7) };
    let team_week = &team_week;
    let shown = door.call::<ListOccurrences>(manager, team_week.clone()).await?.items.len();
    eprintln!("  (the team's week holds {shown} occurrences)");
    let samples =
        time(runs / 10, |_| async move { door.call::<ListOccurrences>(manager, team_week.clone()).await.map(drop) })
            .await?;
    lines.push(line("a manager's team week (10 people)", &samples));
    let everyone = door.call::<ListOccurrences>(owner, team_week.clone()).await?.items.len();
    eprintln!("  (everyone's week holds {everyone} occurrences)");
    let samples =
        time(runs / 10, |_| async move { door.call::<ListOccurrences>(owner, team_week.clone()).await.map(drop) })
            .await?;
    lines.push(line("everyone's week (200 people, an executive)", &samples));

    let folder = std::env::temp_dir().join(format!("accord-bench-ics-{}", std::process::id()));
    std::fs::create_dir_all(&folder).map_err(|e| internal(e.to_string()))?;
    let folder = &folder;
    let samples = time(runs / 10, |i| async move {
        let input = ExportCalendarInput {
            path: folder.join("calendar.ics").display().to_string(),
            responsible_id: Some(staff_picks[i]),
        };
        door.call::<ExportCalendar>(owner, input).await.map(drop)
    })
    .await?;
    let _ = std::fs::remove_dir_all(folder);
    lines.push(line("an employee's calendar saved as .ics", &samples));

    let reminders = accord_core::interactions::permissions::WRITE;
    let samples = time(runs, |i| async move {
        let employee = Actor::with_permissions(staff_picks[i], "bench", &[reminders]);
        door.call::<GetNextReminder>(&employee, Default::default()).await.map(drop)
    })
    .await?;
    lines.push(line("the scheduler's next reminder", &samples));
    lines.extend(workflow_rules(door, owner, runs).await?);
    let calls = ids(raw, &format!("SELECT id FROM interactions ORDER BY id LIMIT {}", runs + 20)).await?;
    lines.extend(attachments(door, owner, &calls, runs).await?);
    Ok(serde_json::json!({"engine": label, "load_seconds": load.seconds, "timings": lines}))
}

//! Segments (CUST-4) through the door, on a real SQLite file and a real PostgreSQL database:
//! the SQL a filter compiles to selects exactly the records the plain rule (`segments::matches`)
//! selects, for random filters over generated organisations with standard and custom fields;
//! saved segments stay live; bad filters are refused at their place with nothing stored.

mod common;

use std::collections::BTreeSet;

use accord_core::customers::organisations;
use accord_core::data::Engine;
use accord_core::{ErrorCode, FieldCode};
use accord_kernel::segments::{self, FieldSpec, FieldType, Filter, Operator, Segmentable};
use common::TestDb;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rstest::rstest;
use serde_json::{Value, json};

const INDUSTRIES: [Option<&str>; 5] = [Some("Retail"), Some("Energy"), Some("Розница"), Some("خرده‌فروشی"), None];
const COUNTRIES: [Option<&str>; 4] = [Some("RU"), Some("IR"), Some("GB"), None];
const REGIONS: [Option<&str>; 4] = [Some("North"), Some("Поволжье"), Some("شمال"), None];

/// Custom fields of every kind a filter compares differently.
async fn define_fields(db: &TestDb) {
    let fields = [
        json!({"label": "Staff", "kind": "number"}),
        json!({"label": "Tier", "kind": "choice", "choices": [{"label": "Gold"}, {"label": "Silver"}, {"label": "Bronze"}]}),
        json!({"label": "Tags", "kind": "multi_choice", "choices": [{"label": "A"}, {"label": "B"}, {"label": "C"}]}),
        json!({"label": "VIP", "kind": "yes_no"}),
        json!({"label": "Since", "kind": "date"}),
        json!({"label": "Region", "kind": "text"}),
        json!({"label": "Revenue", "kind": "decimal"}),
    ];
    for mut field in fields {
        field["record_table"] = json!("organisations");
        db.ok("fields.define", field).await;
    }
}

fn generated_organisation(rng: &mut ChaCha8Rng, n: usize) -> Value {
    let kinds = ["customer", "prospect", "supplier", "partner"];
    let mut custom = serde_json::Map::new();
    if rng.random_bool(0.8) {
        custom.insert("staff".into(), json!(rng.random_range(0..400)));
    }
    if let Some(tier) = [Some("gold"), Some("silver"), Some("bronze"), None].choose(rng).copied().flatten() {
        custom.insert("tier".into(), json!(tier));
    }
    let tags: Vec<&str> = ["a", "b", "c"].into_iter().filter(|_| rng.random_bool(0.4)).collect();
    if !tags.is_empty() {
        custom.insert("tags".into(), json!(tags));
    }
    if rng.random_bool(0.7) {
        custom.insert("vip".into(), json!(rng.random_bool(0.5)));
    }
    if rng.random_bool(0.7) {
        custom.insert(
            "since".into(),
            json!(format!("202{}-0{}-1{}", rng.random_range(0..7), rng.random_range(1..10), rng.random_range(0..10))),
        );
    }
    if let Some(region) = REGIONS.choose(rng).copied().flatten() {
        custom.insert("region".into(), json!(region));
    }
    if rng.random_bool(0.6) {
        custom
            .insert("revenue".into(), json!(format!("{}.{:02}", rng.random_range(0..5000), rng.random_range(0..100))));
    }
    json!({
        "name": format!("Generated {n}"),
        "kind": kinds.choose(rng),
        "industry": INDUSTRIES.choose(rng).copied().flatten(),
        "country": COUNTRIES.choose(rng).copied().flatten(),
        "custom": custom,
    })
}

/// A value a condition on `field` may compare with, drawn from what the data holds.
fn value_for(rng: &mut ChaCha8Rng, field: &FieldSpec, today: &str) -> Value {
    match (&field.field_type, field.field.as_str()) {
        (FieldType::Choice { values } | FieldType::MultiChoice { values }, _) => json!(values.choose(rng)),
        (FieldType::Number, "custom.revenue") => json!(format!("{}.5", rng.random_range(0..5000))),
        (FieldType::Number, _) => json!(rng.random_range(0..400)),
        (FieldType::Date, _) if field.moment => json!(today),
        (FieldType::Date, _) => json!(format!("202{}-0{}-15", rng.random_range(0..7), rng.random_range(1..10))),
        (FieldType::YesNo, _) => json!(rng.random_bool(0.5)),
        (FieldType::Reference { .. }, _) => json!(uuid::Uuid::now_v7()),
        (FieldType::Text, "industry") => json!(INDUSTRIES[rng.random_range(0..4)]),
        (FieldType::Text, "country") => json!(COUNTRIES[rng.random_range(0..3)]),
        (FieldType::Text, "custom.region") => json!(REGIONS[rng.random_range(0..3)]),
        (FieldType::Text, _) => json!("Kazan"),
    }
}

fn random_condition(rng: &mut ChaCha8Rng, fields: &[FieldSpec], today: &str) -> Filter {
    let field = fields.choose(rng).unwrap();
    let ops: &[Operator] = match field.field_type {
        FieldType::Number | FieldType::Date => {
            &[Operator::Is, Operator::IsNot, Operator::AtLeast, Operator::AtMost, Operator::Empty, Operator::NotEmpty]
        }
        FieldType::YesNo => &[Operator::Is, Operator::Empty, Operator::NotEmpty],
        _ => &[Operator::Is, Operator::IsNot, Operator::AnyOf, Operator::Empty, Operator::NotEmpty],
    };
    let op = *ops.choose(rng).unwrap();
    let value = match op {
        Operator::Empty | Operator::NotEmpty => None,
        Operator::AnyOf => Some(json!([value_for(rng, field, today), value_for(rng, field, today)])),
        _ => Some(value_for(rng, field, today)),
    };
    Filter::Condition { field: field.field.clone(), op, value }
}

fn random_filter(rng: &mut ChaCha8Rng, fields: &[FieldSpec], today: &str, depth: usize) -> Filter {
    if depth >= 3 || rng.random_bool(0.35) {
        return random_condition(rng, fields, today);
    }
    let of = (0..rng.random_range(1..4)).map(|_| random_filter(rng, fields, today, depth + 1)).collect();
    if rng.random_bool(0.5) { Filter::All { of } } else { Filter::Any { of } }
}

/// The ids a filter selects, read through `segments.preview` page by page.
async fn previewed(db: &TestDb, filter: &Filter) -> (u64, BTreeSet<String>) {
    let mut ids = BTreeSet::new();
    let mut after: Option<String> = None;
    let mut count;
    loop {
        let page = db
            .ok("segments.preview", json!({"table": "organisations", "filter": filter, "limit": 40, "after": after}))
            .await;
        count = page["count"].as_u64().unwrap();
        ids.extend(page["members"].as_array().unwrap().iter().map(|m| m["id"].as_str().unwrap().to_owned()));
        match page["next_cursor"].as_str() {
            Some(next) => after = Some(next.to_owned()),
            None => break,
        }
    }
    (count, ids)
}

#[rstest]
#[case::sqlite(Engine::Sqlite)]
#[case::postgres(Engine::Postgres)]
#[tokio::test]
async fn a_segment_selects_exactly_what_the_plain_rule_selects(#[case] engine: Engine) {
    let db = TestDb::new(engine).await;
    define_fields(&db).await;
    let mut rng = ChaCha8Rng::seed_from_u64(16);
    let items: Vec<Value> = (0..160).map(|n| generated_organisation(&mut rng, n)).collect();
    db.ok("customers.import_organisations", json!({"items": items})).await;
    let archived = db.ok("customers.create_organisation", json!({"name": "Archived", "industry": "Retail"})).await;
    db.ok("customers.archive_organisation", json!({"id": archived["organisation"]["id"], "version": 1})).await;

    // The records as the plain rule sees them: each custom value a field of its own.
    let mut records = Vec::new();
    let page = db.ok("customers.list_organisations", json!({"limit": 500})).await;
    for row in page["items"].as_array().unwrap() {
        let mut record = db.ok("customers.get_organisation", json!({"id": row["id"]})).await["organisation"].clone();
        accord_kernel::custom_fields::explode(&mut record);
        records.push(record);
    }
    assert_eq!(records.len(), 160);
    let definitions: Vec<accord_kernel::custom_fields::Model> =
        serde_json::from_value(db.ok("fields.list", json!({"record_table": "organisations"})).await["fields"].clone())
            .unwrap();
    let fields = segments::fields_of(<organisations::Model as Segmentable>::FILTER_FIELDS, &definitions);
    let today = chrono::Utc::now().date_naive().format("%Y-%m-%d").to_string();

    let mut non_trivial = 0;
    for round in 0..70 {
        let filter = random_filter(&mut rng, &fields, &today, 0);
        let checked = segments::check(&filter, &fields).unwrap_or_else(|e| panic!("round {round}: {filter:?}: {e:?}"));
        let expected: BTreeSet<String> = records
            .iter()
            .filter(|r| segments::matches(&checked, r))
            .map(|r| r["id"].as_str().unwrap().to_owned())
            .collect();
        let (count, selected) = previewed(&db, &filter).await;
        assert_eq!(selected, expected, "round {round}: {}", serde_json::to_string(&filter).unwrap());
        assert_eq!(count, expected.len() as u64, "round {round}: the count");
        if !expected.is_empty() && expected.len() < records.len() {
            non_trivial += 1;
        }
    }
    assert!(non_trivial >= 20, "most random filters select some but not all: {non_trivial}");
}

/// The names of a saved segment's members now, sorted.
async fn members_of(db: &TestDb, id: Value) -> Vec<String> {
    let page = db.ok("segments.members", json!({"id": id})).await;
    let mut names: Vec<String> =
        page["members"].as_array().unwrap().iter().map(|m| m["title"].as_str().unwrap().to_owned()).collect();
    names.sort();
    names
}

#[rstest]
#[case::sqlite(Engine::Sqlite)]
#[case::postgres(Engine::Postgres)]
#[tokio::test]
async fn a_saved_segment_stays_live_and_bad_filters_are_refused_where_they_are_wrong(#[case] engine: Engine) {
    let db = TestDb::new(engine).await;
    define_fields(&db).await;
    for (name, industry, country, staff) in
        [("Alpha", "Retail", "RU", 50), ("Beta", "Retail", "IR", 500), ("Gamma", "Energy", "RU", 80)]
    {
        let input = json!({"name": name, "industry": industry, "country": country, "custom": {"staff": staff}});
        db.ok("customers.create_organisation", input).await;
    }
    let filter = json!({"type": "all", "of": [
        {"type": "condition", "field": "industry", "op": "is", "value": "Retail"},
        {"type": "any", "of": [
            {"type": "condition", "field": "country", "op": "is", "value": "RU"},
            {"type": "condition", "field": "custom.staff", "op": "at_least", "value": "۴۰۰"},
        ]},
    ]});
    let saved = db
        .ok(
            "segments.save",
            json!({"name": "Retail, Russia or large", "table": "organisations", "filter": filter.clone()}),
        )
        .await;
    let members = |db| members_of(db, saved["id"].clone());
    assert_eq!(members(&db).await, ["Alpha", "Beta"]);
    let delta =
        db.ok("customers.create_organisation", json!({"name": "Delta", "industry": "Retail", "country": "RU"})).await;
    assert_eq!(members(&db).await, ["Alpha", "Beta", "Delta"], "a new match joins at once");
    db.ok("customers.archive_organisation", json!({"id": delta["organisation"]["id"], "version": 1})).await;
    assert_eq!(members(&db).await, ["Alpha", "Beta"], "an archived record leaves");
    let listed = db.ok("segments.list", json!({"table": "organisations"})).await;
    assert_eq!(listed["segments"][0]["name"], "Retail, Russia or large");
    let values = db.ok("segments.field_values", json!({"table": "organisations", "field": "industry"})).await;
    assert_eq!(values["values"][0], json!({"value": "Retail", "count": 2}));

    let before = db.footprint().await;
    let bad = json!({"type": "all", "of": [
        {"type": "condition", "field": "nothing", "op": "is", "value": "x"},
        {"type": "condition", "field": "custom.staff", "op": "any_of", "value": [1]},
        {"type": "condition", "field": "custom.staff", "op": "at_least", "value": "many"},
        {"type": "condition", "field": "custom.tier", "op": "is", "value": "platinum"},
        {"type": "condition", "field": "created_at", "op": "at_least", "value": "07.12.2026"},
        {"type": "condition", "field": "industry", "op": "is"},
        {"type": "all", "of": [{"type": "all", "of": [{"type": "all", "of": [{"type": "all", "of": []}]}]}]},
    ]});
    let err =
        db.call("segments.save", json!({"name": " ", "table": "organisations", "filter": bad})).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
    let codes: Vec<(&str, FieldCode)> = err.fields.iter().map(|(k, v)| (k.as_str(), v.code)).collect();
    assert_eq!(
        codes,
        vec![
            ("filter.of.0.field", FieldCode::InvalidValue),
            ("filter.of.1.op", FieldCode::InvalidValue),
            ("filter.of.2.value", FieldCode::InvalidValue),
            ("filter.of.3.value", FieldCode::InvalidValue),
            ("filter.of.4.value", FieldCode::InvalidValue),
            ("filter.of.5.value", FieldCode::Required),
            ("filter.of.6.of.0.of.0.of.0", FieldCode::InvalidValue),
            ("name", FieldCode::Required),
        ]
    );
    assert_eq!(db.footprint().await[..5], before[..5], "nothing stored");
    let wrong_kind = db
        .call("segments.preview", json!({"table": "audit_log", "filter": {"type": "all", "of": []}}))
        .await
        .unwrap_err();
    assert!(wrong_kind.fields.contains_key("table"));

    // Members are counted within the reader's reach: West's new customer is not East's.
    let west = common::department(&db, "West", None).await;
    let east = common::department(&db, "East", None).await;
    let mia = common::user(&db, "mia", accord_core::security::BuiltInRole::Sales, Some(&west)).await;
    let sam = common::user(&db, "sam", accord_core::security::BuiltInRole::Sales, Some(&east)).await;
    let epsilon = json!({"name": "Epsilon", "industry": "Retail", "country": "RU"});
    db.door.dispatch(&mia, "customers.create_organisation", epsilon).await.unwrap();
    assert_eq!(members(&db).await, ["Alpha", "Beta", "Epsilon"]);
    let preview = json!({"table": "organisations", "filter": filter});
    let theirs = db.door.dispatch(&sam, "segments.preview", preview.clone()).await.unwrap();
    assert_eq!(theirs["count"], 2, "East sees the shared organisations, not West's");
    let hers = db.door.dispatch(&mia, "segments.preview", preview).await.unwrap();
    assert_eq!(hers["count"], 3);
}

/// Runs the export `input` into `dir` to its end: how it ended, and the file read back with the
/// import's own reader (header and rows as text).
async fn export(db: &TestDb, dir: &std::path::Path, mut input: Value) -> (Value, Vec<String>, Vec<Vec<String>>) {
    let name = format!("export-{}", uuid::Uuid::now_v7());
    input["path"] = json!(dir.join(name).display().to_string());
    let started = db.ok("segments.export", input).await;
    assert_eq!(started["status"], "running");
    db.door.finish_jobs().await;
    let ended = db.ok("segments.get_export", json!({"id": started["id"]})).await;
    assert_eq!(ended["status"], "finished", "{ended}");
    let sheet = accord_core::sheets::open_file(std::path::Path::new(ended["path"].as_str().unwrap())).unwrap();
    let rows: Vec<Vec<String>> = sheet.rows.map(|r| r.unwrap().cells).collect();
    assert_eq!(ended["written"].as_u64(), Some(rows.len() as u64), "its progress counts every row");
    (ended, sheet.headers, rows)
}

#[rstest]
#[case::sqlite(Engine::Sqlite)]
#[case::postgres(Engine::Postgres)]
#[tokio::test]
async fn a_segment_is_exported_to_csv_and_xlsx_with_the_columns_shown_and_audited(#[case] engine: Engine) {
    let db = TestDb::new(engine).await;
    let dir = tempfile::tempdir().unwrap();
    define_fields(&db).await;
    let retail = json!({"name": "=Ромашка", "industry": "Retail", "kind": "supplier", "custom": {"staff": 120, "tags": ["a", "c"]}});
    let retail = db.ok("customers.create_organisation", retail).await["organisation"].clone();
    db.ok("customers.create_organisation", json!({"name": "پارس‌نیرو", "industry": "Retail"})).await;
    db.ok("customers.create_organisation", json!({"name": "Elsewhere", "industry": "Energy"})).await;
    db.ok("customers.create_contact", json!({"first_name": "Anna", "organisation_id": retail["id"]})).await;
    let filter = json!({"type": "condition", "field": "industry", "op": "is", "value": "Retail"});
    let saved =
        db.ok("segments.save", json!({"name": "Retail / all", "table": "organisations", "filter": filter})).await;
    let columns = json!([
        {"field": "name", "label": "Name"},
        {"field": "kind", "label": "Kind"},
        {"field": "custom.staff", "label": "Staff"},
        {"field": "custom.tags", "label": "Tags"},
    ]);
    let labels = json!({"kind": {"supplier": "Supplier", "customer": "Customer"}, "custom.tags": {"a": "A", "c": "C"}});
    for format in ["csv", "xlsx"] {
        let input = json!({"segment_id": saved["id"], "format": format, "columns": columns, "value_labels": labels});
        let (ended, headers, rows) = export(&db, dir.path(), input).await;
        assert!(ended["file_name"].as_str().unwrap().ends_with(&format!(".{format}")), "the extension is added");
        assert_eq!((ended["name"].as_str(), ended["total"].as_u64()), (Some("Retail / all"), Some(2)));
        assert_eq!(headers, ["Name", "Kind", "Staff", "Tags"]);
        let first = if format == "csv" { "'=Ромашка" } else { "=Ромашка" };
        assert_eq!(
            rows,
            vec![
                vec![first.to_owned(), "Supplier".into(), "120".into(), "A, C".into()],
                vec!["پارس‌نیرو".to_owned(), "Customer".into(), String::new(), String::new()],
            ],
            "{format}: members by name, values in words, a formula made inert in CSV only"
        );
    }
    let audit = db.ok("audit.list", json!({"operation": "segments.export"})).await;
    let entries = audit["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 2, "every export is audited, once (not each of its batches)");
    assert!(entries[0]["detail"].as_str().unwrap().starts_with("2 "), "with how many records: {}", entries[0]);

    // Contacts with their organisation's name, not its id.
    let input = json!({"table": "contacts", "format": "csv",
                       "columns": [{"field": "full_name", "label": "Name"}, {"field": "organisation_id", "label": "Organisation"}]});
    let (_, _, rows) = export(&db, dir.path(), input).await;
    assert_eq!(rows, vec![vec!["Anna".to_owned(), "'=Ромашка".to_owned()]]);
    let listed = db.ok("segments.list_exports", json!({})).await;
    assert_eq!(listed.as_array().unwrap().len(), 3, "one's exports, newest first");
    assert_eq!(listed[0]["table"], "contacts");

    // Refused with nothing stored and no file: bad columns, a path that is not a full path,
    // a folder that does not exist.
    let path = dir.path().join("bad.csv").display().to_string();
    let bad =
        json!({"table": "contacts", "format": "csv", "columns": [{"field": "x; DROP", "label": " "}], "path": path});
    let err = db.call("segments.export", bad).await.unwrap_err();
    assert!(err.fields.contains_key("columns.0.field") && err.fields.contains_key("columns.0.label"), "{err:?}");
    let missing = dir.path().join("missing").join("x.csv").display().to_string();
    for path in ["x.csv", missing.as_str()] {
        let bad = json!({"table": "contacts", "format": "csv", "columns": [{"field": "full_name", "label": "Name"}], "path": path});
        let err = db.call("segments.export", bad).await.unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidInput, "{path}: {err:?}");
        assert!(err.fields.contains_key("path"), "{path}: {err:?}");
    }
    assert_eq!(db.ok("segments.list_exports", json!({})).await.as_array().unwrap().len(), 3);
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 3, "only the three whole files");

    // A folder that disappears before the job writes: the export fails, saying why.
    let gone = dir.path().join("gone");
    std::fs::create_dir(&gone).unwrap();
    let input = json!({"table": "contacts", "format": "xlsx", "columns": [{"field": "full_name", "label": "Name"}],
                       "path": gone.join("x.xlsx")});
    // The test's runtime runs the job only once the test waits for it.
    let started = db.ok("segments.export", input).await;
    std::fs::remove_dir(&gone).unwrap();
    db.door.finish_jobs().await;
    let failed = db.ok("segments.get_export", json!({"id": started["id"]})).await;
    assert_eq!(failed["status"], "failed", "{failed}");
    assert!(failed["message"].as_str().unwrap().contains("x.xlsx cannot be written"), "{failed}");

    // Another user's export is not there for them.
    let other = common::user(&db, "olga", accord_core::security::BuiltInRole::Sales, None).await;
    let theirs = db.door.dispatch(&other, "segments.get_export", json!({"id": listed[0]["id"]})).await.unwrap_err();
    assert_eq!(theirs.code, ErrorCode::NotFound);
}

#[rstest]
#[case::sqlite(Engine::Sqlite)]
#[case::postgres(Engine::Postgres)]
#[tokio::test]
async fn a_running_export_is_cancelled_between_batches_and_leaves_no_file(#[case] engine: Engine) {
    let db = TestDb::new(engine).await;
    let dir = tempfile::tempdir().unwrap();
    for chunk in 0..30 {
        let items: Vec<Value> = (0..1000).map(|n| json!({"name": format!("Company {chunk:02}-{n:04}")})).collect();
        db.ok("customers.import_organisations", json!({"items": items})).await;
    }
    let path = dir.path().join("all.xlsx");
    let input = json!({"table": "organisations", "format": "xlsx", "columns": [{"field": "name", "label": "Name"}], "path": path});
    let started = db.ok("segments.export", input).await;
    assert_eq!(started["total"], 30_000);
    // Cancelled once it is under way, as a person watching its progress would.
    loop {
        let now = db.ok("segments.get_export", json!({"id": started["id"]})).await;
        if now["written"].as_u64().unwrap() >= 2000 || now["status"] != "running" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(2)).await;
    }
    let cancelling = db.ok("segments.cancel_export", json!({"id": started["id"]})).await;
    assert_eq!(cancelling["cancel_requested"], true);
    db.door.finish_jobs().await;
    let ended = db.ok("segments.get_export", json!({"id": started["id"]})).await;
    assert_eq!(ended["status"], "cancelled");
    let written = ended["written"].as_u64().unwrap();
    assert!((2000..30_000).contains(&written), "stopped between batches: {written}");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "no file, whole or partial, is left");
    let again = db.call("segments.cancel_export", json!({"id": started["id"]})).await.unwrap_err();
    assert_eq!(again.code, ErrorCode::Conflict, "nothing left to cancel");
}

//! Imports (CUST-7) through the door, on a real SQLite file and a real PostgreSQL database:
//! the messy fixture imports its good rows whole and reports each bad one exactly (row,
//! column, value, reason), holds back likely duplicates and offers them for merging; the
//! report reads back, is fixed and imported again with the remembered mapping; an import is
//! undone as a whole; a running import is cancelled between batches; bad files, mappings and
//! ambiguous dates are refused with nothing stored.

mod common;

use std::collections::BTreeMap;
use std::io::Write;

use accord_core::data::Engine;
use accord_core::{ErrorCode, FieldCode};
use common::TestDb;
use rstest::rstest;
use serde_json::{Value, json};

fn fixture(name: &str) -> String {
    format!("{}/../../tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// The organisations and contacts the messy fixture refers to, and its custom fields.
async fn prepare(db: &TestDb) -> (Value, Value) {
    let romashka =
        db.ok("customers.create_organisation", json!({"name": "ООО «Ромашка»", "country": "RU"})).await["organisation"]
            .clone();
    let pars =
        db.ok("customers.create_organisation", json!({"name": "پارس‌نیرو", "country": "IR"})).await["organisation"]
            .clone();
    let anna = db
        .ok(
            "customers.create_contact",
            json!({"first_name": "Анна", "last_name": "Смирнова", "organisation_id": romashka["id"], "email": "anna@romashka.ru"}),
        )
        .await["contact"]
        .clone();
    for field in [
        json!({"record_table": "contacts", "label": "День рождения", "kind": "date"}),
        json!({"record_table": "contacts", "label": "Рассылка", "kind": "yes_no"}),
        json!({"record_table": "contacts", "label": "Интересы", "kind": "multi_choice",
               "choices": [{"label": "Спорт"}, {"label": "Музыка"}, {"label": "Кино"}]}),
    ] {
        db.ok("fields.define", field).await;
    }
    let _ = pars;
    (romashka, anna)
}

/// Starts an import and waits for its job to end; its summary.
async fn import(db: &TestDb, input: Value) -> Value {
    let started = db.ok("imports.start", input).await;
    assert_eq!(started["status"], "running");
    db.door.finish_jobs().await;
    db.ok("imports.get", json!({"id": started["id"]})).await
}

async fn all_rows(db: &TestDb, id: &Value) -> Vec<Value> {
    let mut rows = Vec::new();
    let mut after: Option<u64> = None;
    loop {
        let page = db.ok("imports.rows", json!({"id": id, "after_row": after, "limit": 2})).await;
        rows.extend(page["rows"].as_array().unwrap().iter().cloned());
        match page["next_after"].as_u64() {
            Some(next) => after = Some(next),
            None => return rows,
        }
    }
}

/// A problem as the report shows it: its column's heading, the cell, the field.
type Problem = (Option<String>, Option<String>, String);

async fn contacts_named(db: &TestDb, first_name: &str) -> Vec<Value> {
    let found = db.ok("customers.list_contacts", json!({"limit": 200})).await;
    found["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["full_name"].as_str().unwrap().starts_with(first_name))
        .cloned()
        .collect()
}

#[rstest]
#[case::sqlite(Engine::Sqlite)]
#[case::postgres(Engine::Postgres)]
#[tokio::test]
async fn the_messy_file_imports_its_good_rows_whole_and_reports_each_bad_one_exactly(#[case] engine: Engine) {
    let db = TestDb::new(engine).await;
    let (_, anna) = prepare(&db).await;
    let path = fixture("contacts-messy.csv");

    let inspected = db.ok("imports.inspect", json!({"path": path, "table": "contacts"})).await;
    assert_eq!(inspected["format"], json!({"format": "csv", "encoding": "utf8", "delimiter": ";"}));
    assert_eq!(inspected["estimated_rows"], 12);
    assert_eq!(inspected["remembered"], false);
    // Every column is mapped from its Russian heading, custom fields by their labels.
    let mapping: BTreeMap<u64, String> = inspected["mapping"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["column"].as_u64().unwrap(), m["field"].as_str().unwrap().to_owned()))
        .collect();
    let expected: BTreeMap<u64, String> = [
        (0, "first_name"),
        (1, "last_name"),
        (2, "organisation_id"),
        (3, "email"),
        (4, "phone"),
        (5, "custom.field_1"),
        (6, "custom.field_2"),
        (7, "custom.field_3"),
        (8, "notes"),
    ]
    .into_iter()
    .map(|(c, f)| (c, f.to_owned()))
    .collect();
    assert_eq!(mapping, expected);
    // One date (31.12.1985) shows the day comes first.
    assert_eq!(inspected["date_order"], "day_month_year");

    let plan =
        json!({"path": path, "table": "contacts", "mapping": inspected["mapping"], "defaults": {"country": "RU"}});
    let preview = db.ok("imports.preview", plan.clone()).await;
    let outcomes: Vec<(u64, String)> = preview["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["row"].as_u64().unwrap(), r["outcome"].as_str().unwrap().to_owned()))
        .collect();
    assert_eq!(outcomes.len(), 12);
    assert_eq!(outcomes[2], (4, "failed".to_owned()), "john@example is no email");

    let before = db.count("contacts").await;
    let mut start = plan.clone();
    start["dry_run"] = json!(true);
    let dry = import(&db, start).await;
    assert_eq!(
        (dry["status"].as_str(), dry["imported"].as_u64(), dry["failed"].as_u64(), dry["held"].as_u64()),
        (Some("finished"), Some(5), Some(5), Some(2))
    );
    assert_eq!(db.count("contacts").await, before, "a dry run stores nothing");

    let done = import(&db, plan.clone()).await;
    assert_eq!(done["status"], "finished");
    assert_eq!(done["rows_read"], 12);
    assert_eq!(done["imported"], 5);
    assert_eq!(done["failed"], 5);
    assert_eq!(done["held"], 2);
    assert_eq!(done["noticed"], 1);
    assert_eq!(db.count("contacts").await, before + 5);

    // The report: exactly these rows, each problem at its column with the cell and the reason.
    let rows = all_rows(&db, &done["id"]).await;
    let report: Vec<(u64, String, Vec<Problem>)> = rows
        .iter()
        .map(|r| {
            let problems = r["problems"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| {
                    (
                        p["header"].as_str().map(str::to_owned),
                        p["value"].as_str().map(str::to_owned),
                        p["field"].as_str().unwrap().to_owned(),
                    )
                })
                .collect();
            (r["row"].as_u64().unwrap(), r["outcome"].as_str().unwrap().to_owned(), problems)
        })
        .collect();
    let s = |t: &str| Some(t.to_owned());
    assert_eq!(
        report,
        vec![
            (4, "failed".into(), vec![(s("Email"), s("john@example"), "email".into())]),
            (5, "failed".into(), vec![(s("Имя"), s(""), "first_name".into())]),
            (6, "failed".into(), vec![(s("Организация"), s("Unknown Org Ltd"), "organisation_id".into())]),
            (7, "held".into(), vec![]),
            (9, "imported".into(), vec![]),
            (11, "held".into(), vec![]),
            (12, "failed".into(), vec![(s("День рождения"), s("35.13.1990"), "custom.field_1".into())]),
            (13, "failed".into(), vec![(s("Рассылка"), s("может быть"), "custom.field_2".into())]),
        ]
    );
    let row = |n: u64| rows.iter().find(|r| r["row"] == n).unwrap().clone();
    assert!(row(6)["problems"][0]["message"].as_str().unwrap().contains("No organisation named \"Unknown Org Ltd\""));
    assert_eq!(row(7)["existing_id"], anna["id"], "Анна is there already (same email, other case)");
    assert_eq!(row(7)["existing_title"], "Анна Смирнова");
    assert!(row(7)["reasons"].as_array().unwrap().contains(&json!("email")));
    assert!(row(9)["notices"][0]["message"].as_str().unwrap().contains("RU"), "the default country is named");

    // What was imported is whole, read as the file meant it.
    let ivan = &contacts_named(&db, "Иван").await[0];
    let ivan = db.ok("customers.get_contact", json!({"id": ivan["id"]})).await;
    assert_eq!(ivan["phone"], "+79161234567", "read in the organisation's country");
    assert_eq!(ivan["custom"], json!({"field_1": "1980-04-03", "field_2": true, "field_3": ["choice_1", "choice_2"]}));
    assert_eq!(row(11)["existing_id"], ivan["id"], "Ivan Petrov duplicates Иван Петров, an earlier row");
    let kaveh = db.ok("customers.get_contact", json!({"id": contacts_named(&db, "Kaveh").await[0]["id"]})).await;
    assert_eq!(kaveh["phone"], "+989123456789", "Persian digits, read in the organisation's country (IR)");
    let petr = db.ok("customers.get_contact", json!({"id": contacts_named(&db, "Пётр").await[0]["id"]})).await;
    assert_eq!(petr["phone"], "+79165554433", "no organisation: the import's default country");
    let eve = db.ok("customers.get_contact", json!({"id": contacts_named(&db, "Eve").await[0]["id"]})).await;
    assert_eq!(eve["notes"], "=HYPERLINK(\"http://evil.test\")", "a formula is kept as the text it is");

    // The report reads back as a table of the rows not imported, which can be fixed and imported again.
    let report =
        db.ok("imports.report", json!({"id": done["id"], "format": "csv", "headings": ["Строка", "Ошибки"]})).await;
    use base64::Engine as _;
    let bytes = base64::engine::general_purpose::STANDARD.decode(report["content_base64"].as_str().unwrap()).unwrap();
    let sheet = accord_kernel::sheets::open("report.csv", bytes.clone()).unwrap();
    assert_eq!(sheet.headers[..3], ["Строка".to_owned(), "Ошибки".to_owned(), "Имя".to_owned()]);
    let lines: Vec<Vec<String>> = sheet.rows.map(|r| r.unwrap().cells).collect();
    assert_eq!(lines.iter().map(|l| l[0].as_str()).collect::<Vec<_>>(), ["4", "5", "6", "7", "11", "12", "13"]);
    assert!(lines[0][1].contains("Email \"john@example\""), "{}", lines[0][1]);
    assert!(lines[3][1].contains("Анна Смирнова"), "{}", lines[3][1]);

    // Fixed in the file and imported again: its mapping is remembered, though the columns moved.
    let dir = tempfile::tempdir().unwrap();
    let fixed_path = dir.path().join("fixed.csv");
    let text = String::from_utf8(bytes).unwrap().replace("john@example", "john@example.com");
    std::fs::File::create(&fixed_path).unwrap().write_all(text.as_bytes()).unwrap();
    let again = db.ok("imports.inspect", json!({"path": fixed_path, "table": "contacts"})).await;
    assert_eq!(again["remembered"], true);
    assert!(again["mapping"].as_array().unwrap().contains(&json!({"column": 5, "field": "email"})));
    let second = import(&db, json!({"path": fixed_path, "table": "contacts", "mapping": again["mapping"]})).await;
    assert_eq!(second["imported"], 1, "John, fixed, imports; the rest still fail or are held");
    assert_eq!(contacts_named(&db, "John").await.len(), 1);
}

#[rstest]
#[case::sqlite(Engine::Sqlite)]
#[case::postgres(Engine::Postgres)]
#[tokio::test]
async fn held_rows_are_offered_for_merge_and_an_import_is_undone_as_a_whole(#[case] engine: Engine) {
    let db = TestDb::new(engine).await;
    let (_, anna) = prepare(&db).await;
    let path = fixture("contacts-messy.csv");
    let inspected = db.ok("imports.inspect", json!({"path": path, "table": "contacts"})).await;
    let done = import(
        &db,
        json!({"path": path, "table": "contacts", "mapping": inspected["mapping"], "defaults": {"country": "RU"}}),
    )
    .await;
    let before = db.count("contacts").await;

    // Row 7 duplicates Анна: created on request, it is offered as a pair on the Duplicates screen.
    let created = db.ok("imports.create_held", json!({"id": done["id"], "rows": [7]})).await;
    assert_eq!(created["created"].as_array().unwrap().len(), 1);
    assert_eq!(created["created"][0]["existing_id"], anna["id"]);
    let new_id = created["created"][0]["created_id"].clone();
    assert_eq!(db.count("contacts").await, before + 1);
    let pairs = db.ok("duplicates.find", json!({"table": "contacts"})).await;
    assert!(
        pairs["pairs"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| [&p["first"], &p["second"]].contains(&&anna["id"])
                && [&p["first"], &p["second"]].contains(&&new_id)),
        "{pairs}"
    );
    let summary = db.ok("imports.get", json!({"id": done["id"]})).await;
    assert_eq!((summary["imported"].as_u64(), summary["held"].as_u64()), (Some(6), Some(1)));

    // Someone changes one imported contact; undo archives the rest and keeps that one.
    let maria = db.ok("customers.get_contact", json!({"id": contacts_named(&db, "Мария").await[0]["id"]})).await;
    db.ok(
        "customers.update_contact",
        json!({"id": maria["id"], "version": maria["version"], "changes": {"role": "Бухгалтер"}}),
    )
    .await;
    let undoing = db.ok("imports.undo", json!({"id": done["id"]})).await;
    assert_eq!(undoing["undo"]["status"], "running");
    db.door.finish_jobs().await;
    let undone = db.ok("imports.get", json!({"id": done["id"]})).await;
    assert_eq!(undone["undo"], json!({"status": "finished", "archived": 5, "kept_changed": 1, "already_archived": 0}));
    assert!(undone["undone_at"].is_string());
    assert_eq!(contacts_named(&db, "Мария").await.len(), 1, "changed since the import: kept");
    for gone in ["Иван", "Kaveh", "Пётр", "Eve"] {
        assert!(contacts_named(&db, gone).await.is_empty(), "{gone} was archived with the import");
    }
    let anna_now = db.ok("customers.get_contact", json!({"id": anna["id"]})).await;
    assert!(anna_now["archived_at"].is_null(), "what was there before the import is untouched");
    let again = db.call("imports.undo", json!({"id": done["id"]})).await.unwrap_err();
    assert_eq!(again.fields["id"].code, FieldCode::InvalidValue);
    let audit = db.ok("audit.list", json!({"limit": 20})).await;
    let actions: Vec<&str> =
        audit["entries"].as_array().unwrap().iter().filter_map(|e| e["operation"].as_str()).collect();
    assert!(actions.contains(&"imports.start") && actions.contains(&"imports.undo"), "{actions:?}");
}

#[rstest]
#[case::sqlite(Engine::Sqlite)]
#[case::postgres(Engine::Postgres)]
#[tokio::test]
async fn a_running_import_is_cancelled_between_batches(#[case] engine: Engine) {
    let db = TestDb::new(engine).await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("many.csv");
    let mut file = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    writeln!(file, "name,email").unwrap();
    for n in 0..30_000 {
        writeln!(file, "Company {n},info{n}@example.com").unwrap();
    }
    drop(file);
    let mapping = json!([{"column": 0, "field": "name"}, {"column": 1, "field": "email"}]);
    let started = db.ok("imports.start", json!({"path": path, "table": "organisations", "mapping": mapping})).await;
    // Cancelled once it is under way, as a person watching its progress would.
    loop {
        let now = db.ok("imports.get", json!({"id": started["id"]})).await;
        if now["rows_read"].as_u64().unwrap() >= 2000 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    let cancelling = db.ok("imports.cancel", json!({"id": started["id"]})).await;
    assert_eq!(cancelling["cancel_requested"], true);
    db.door.finish_jobs().await;
    let ended = db.ok("imports.get", json!({"id": started["id"]})).await;
    assert_eq!(ended["status"], "cancelled");
    let imported = ended["imported"].as_i64().unwrap();
    assert!((2000..30_000).contains(&imported) && imported % 1000 == 0, "whole batches only: {imported}");
    assert_eq!(db.count("organisations").await, imported, "every row counted is there, and no other");
    db.ok("imports.undo", json!({"id": started["id"]})).await;
    db.door.finish_jobs().await;
    let undone = db.ok("imports.get", json!({"id": started["id"]})).await;
    assert_eq!(undone["undo"]["archived"].as_i64(), Some(imported), "undone in batches, every record");
    assert_eq!(db.count("organisations").await, imported, "archived, not deleted");
}

#[rstest]
#[case::sqlite(Engine::Sqlite)]
#[case::postgres(Engine::Postgres)]
#[tokio::test]
async fn bad_files_mappings_and_ambiguous_dates_are_refused_with_nothing_stored(#[case] engine: Engine) {
    let db = TestDb::new(engine).await;
    prepare(&db).await;
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, bytes: &[u8]| {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        path.display().to_string()
    };
    let inspect = |path: String| db.call("imports.inspect", json!({"path": path, "table": "contacts"}));

    let empty = inspect(write("empty.csv", b"")).await.unwrap_err();
    assert!(empty.fields["path"].message.contains("empty"), "{empty:?}");
    let old = inspect(write("old.xls", &[0xD0, 0xCF, 0x11, 0xE0, 0, 0])).await.unwrap_err();
    assert!(old.fields["path"].message.contains(".xlsx"), "{old:?}");
    let missing = inspect(dir.path().join("nowhere.csv").display().to_string()).await.unwrap_err();
    assert!(missing.fields["path"].message.contains("could not be opened"), "{missing:?}");
    let broken = inspect(write("broken.xlsx", b"PK\x03\x04 not a zip")).await.unwrap_err();
    assert_eq!(broken.code, ErrorCode::InvalidInput);
    let wrong_kind = db
        .call("imports.inspect", json!({"path": fixture("contacts-messy.csv"), "table": "audit_log"}))
        .await
        .unwrap_err();
    assert_eq!(wrong_kind.fields["table"].code, FieldCode::InvalidValue);

    // Windows-1251 and UTF-16 files read as the Russian and Persian text they hold.
    let (cp1251, _, _) = encoding_rs::WINDOWS_1251.encode("Имя;Фамилия\r\nОльга;Орлова\r\n");
    let russian = inspect(write("cp1251.csv", &cp1251)).await.unwrap();
    assert_eq!(russian["format"]["encoding"], "windows1251");
    assert_eq!(russian["sample"][0], json!(["Ольга", "Орлова"]));
    let utf16: Vec<u8> = "\u{FEFF}نام\tنام خانوادگی\nکاوه\tرحیمی\n".encode_utf16().flat_map(u16::to_le_bytes).collect();
    let persian = inspect(write("utf16.txt", &utf16)).await.unwrap();
    assert_eq!(persian["sample"][0], json!(["کاوه", "رحیمی"]));
    assert_eq!(persian["mapping"], json!([{"column": 0, "field": "first_name"}, {"column": 1, "field": "last_name"}]));

    let before = (db.count("contacts").await, db.count("imports").await);
    // No column for the first name, the same field twice, a column the file does not have.
    let path = fixture("contacts-messy.csv");
    let bad = db
        .call(
            "imports.start",
            json!({"path": path, "table": "contacts", "mapping": [
                {"column": 3, "field": "email"}, {"column": 4, "field": "email"}, {"column": 40, "field": "notes"},
                {"column": 1, "field": "shoe_size"}]}),
        )
        .await
        .unwrap_err();
    let fields: Vec<&str> = bad.fields.keys().map(String::as_str).collect();
    assert_eq!(fields, ["mapping", "mapping.1.field", "mapping.2.column", "mapping.3.field"]);
    let country = db
        .call("imports.start", json!({"path": path, "table": "contacts", "mapping": [{"column": 0, "field": "first_name"}], "defaults": {"country": "Russia"}}))
        .await
        .unwrap_err();
    assert!(country.fields.contains_key("defaults.country"));

    // Dates that read two ways are asked about, not guessed.
    let ambiguous = write("dates.csv", "Имя;День рождения\nОльга;03.04.1980\nИрина;01.02.1990\n".as_bytes());
    let inspected = inspect(ambiguous.clone()).await.unwrap();
    assert_eq!(inspected["date_order"], Value::Null);
    assert_eq!(inspected["date_columns"], json!([{"column": 1, "reading": {"reading": "ambiguous"}}]));
    let plan = json!({"path": ambiguous, "table": "contacts", "mapping": inspected["mapping"]});
    let asked = db.call("imports.start", plan.clone()).await.unwrap_err();
    assert_eq!(asked.fields["date_order"].code, FieldCode::Required);
    assert_eq!((db.count("contacts").await, db.count("imports").await), before, "nothing stored");
    let preview = db.ok("imports.preview", plan.clone()).await;
    assert!(preview["rows"][0]["problems"][0]["message"].as_str().unwrap().contains("3 April or 4 March"));
    let mut chosen = plan;
    chosen["date_order"] = json!("month_day_year");
    let done = import(&db, chosen).await;
    assert_eq!(done["imported"], 2);
    let olga = db.ok("customers.get_contact", json!({"id": contacts_named(&db, "Ольга").await[0]["id"]})).await;
    assert_eq!(olga["custom"]["field_1"], "1980-03-04", "month first, as chosen");
}

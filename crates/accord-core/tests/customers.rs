//! Customers end to end through the door, each test on a real SQLite file and on a real
//! PostgreSQL database of its own.

mod common;

use accord_core::data::{self, Engine};
use accord_core::{Actor, ApiError, Door, ErrorCode, FieldCode};
use common::TestDb;
use rstest::rstest;
use serde_json::{Value, json};
use uuid::Uuid;

fn field_code(err: &ApiError, field: &str) -> FieldCode {
    err.fields.get(field).unwrap_or_else(|| panic!("no error on {field}: {err:?}")).code
}

async fn create_org(db: &TestDb, input: Value) -> Value {
    db.ok("customers.create_organisation", input).await["organisation"].clone()
}

async fn search_titles(db: &TestDb, text: &str) -> Vec<String> {
    let out = db.ok("search.query", json!({ "text": text })).await;
    out["hits"].as_array().unwrap().iter().map(|h| h["title"].as_str().unwrap().to_owned()).collect()
}

#[rstest]
#[case::sqlite(Engine::Sqlite)]
#[case::postgres(Engine::Postgres)]
#[tokio::test]
async fn an_organisation_is_created_found_archived_and_restored(#[case] engine: Engine) {
    let db = TestDb::new(engine).await;
    let org = create_org(
        &db,
        json!({"name": "ООО «Ромашка»", "email": "Info@Romashka.ru", "phone": "8 916 123-45-67", "country": "ru"}),
    )
    .await;
    assert_eq!(org["email"], "info@romashka.ru");
    assert_eq!(org["phone"], "+79161234567");
    assert_eq!(org["version"], 1);

    let card = db.ok("customers.get_organisation", json!({"id": org["id"]})).await;
    assert_eq!(card["organisation"]["name"], "ООО «Ромашка»");
    assert_eq!(search_titles(&db, "ромаш").await, vec!["ООО «Ромашка»"]);

    let archived = db.ok("customers.archive_organisation", json!({"id": org["id"], "version": 1})).await;
    assert!(archived["archived_at"].is_string());
    assert!(search_titles(&db, "ромаш").await.is_empty(), "archived records leave search");
    let page = db.ok("customers.list_organisations", json!({})).await;
    assert!(page["items"].as_array().unwrap().is_empty(), "archived records leave the list");
    let archived_page = db.ok("customers.list_organisations", json!({"archived": true})).await;
    assert_eq!(archived_page["items"][0]["id"], org["id"]);

    let restored = db.ok("customers.restore_organisation", json!({"id": org["id"], "version": 2})).await;
    assert!(restored["archived_at"].is_null());
    assert_eq!(restored["version"], 3);
    assert_eq!(search_titles(&db, "ромаш").await.len(), 1);
}

#[rstest]
#[case::sqlite(Engine::Sqlite)]
#[case::postgres(Engine::Postgres)]
#[tokio::test]
async fn search_keeps_to_the_kinds_of_record_asked_for(#[case] engine: Engine) {
    let db = TestDb::new(engine).await;
    let org = create_org(&db, json!({"name": "Harbour Freight"})).await;
    db.ok(
        "customers.create_contact",
        json!({"first_name": "Harbour", "last_name": "Master", "organisation_id": org["id"]}),
    )
    .await;
    let kinds = |out: Value| -> Vec<String> {
        out["hits"].as_array().unwrap().iter().map(|h| h["entity"].as_str().unwrap().to_owned()).collect()
    };
    let all = kinds(db.ok("search.query", json!({"text": "harbour"})).await);
    assert_eq!(all.len(), 2, "{all:?}");
    for entity in ["organisation", "contact"] {
        let only = kinds(db.ok("search.query", json!({"text": "harbour", "entities": [entity]})).await);
        assert_eq!(only, vec![entity.to_owned()]);
    }
    let both = kinds(
        db.ok("search.query", json!({"text": "harbour", "entities": ["contact", "organisation"], "limit": 1})).await,
    );
    assert_eq!(both.len(), 1, "the limit still applies after the entity filter");
    let repeated = kinds(db.ok("search.query", json!({"text": "harbour", "entities": ["contact", "contact"]})).await);
    assert_eq!(repeated, vec!["contact".to_owned()], "an entity named twice is searched once");
}

#[rstest]
#[case::sqlite(Engine::Sqlite)]
#[case::postgres(Engine::Postgres)]
#[tokio::test]
async fn every_change_is_in_the_field_history_newest_first(#[case] engine: Engine) {
    let db = TestDb::new(engine).await;
    let org = create_org(&db, json!({"name": "Northwind Ltd", "city": "Leeds"})).await;
    db.ok(
        "customers.update_organisation",
        json!({"id": org["id"], "version": 1, "changes": {"city": "York", "email": "sales@northwind.example.com"}}),
    )
    .await;
    db.ok("customers.archive_organisation", json!({"id": org["id"], "version": 2})).await;

    let history = db.ok("history.record", json!({"table": "organisations", "id": org["id"]})).await;
    let entries = history["entries"].as_array().unwrap();
    let actions: Vec<&str> = entries.iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["archive", "update", "insert"]);
    let update = &entries[1]["fields"];
    let city = update.as_array().unwrap().iter().find(|f| f["field"] == "city").expect("city changed");
    assert_eq!((city["old"].as_str(), city["new"].as_str()), (Some("Leeds"), Some("York")));
    assert!(update.as_array().unwrap().iter().all(|f| f["field"] != "version"), "bookkeeping is not history");
    let archive = &entries[0]["fields"][0];
    assert_eq!(archive["field"], "archived_at");
    assert!(archive["old"].is_null() && archive["new"].is_string());
    let insert_fields: Vec<&str> =
        entries[2]["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    assert!(insert_fields.contains(&"name") && insert_fields.contains(&"city"));
}

#[rstest]
#[case::sqlite(Engine::Sqlite)]
#[case::postgres(Engine::Postgres)]
#[tokio::test]
async fn a_failing_change_log_write_leaves_rows_and_log_as_they_were(#[case] engine: Engine) {
    let db = TestDb::new(engine).await;
    let org = create_org(&db, json!({"name": "Summit Systems"})).await;
    let before = db.footprint().await;
    match engine {
        Engine::Sqlite => {
            db.exec("CREATE TRIGGER refuse_log BEFORE INSERT ON change_log BEGIN SELECT RAISE(ABORT, 'disk full'); END")
                .await
        }
        Engine::Postgres => {
            db.exec("CREATE FUNCTION refuse_log() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'disk full'; END $$ LANGUAGE plpgsql").await;
            db.exec("CREATE TRIGGER refuse_log BEFORE INSERT ON change_log FOR EACH ROW EXECUTE FUNCTION refuse_log()")
                .await;
        }
    }
    let err = db.call("customers.create_organisation", json!({"name": "Ghost Ltd"})).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::Internal);
    let err = db
        .call("customers.update_organisation", json!({"id": org["id"], "version": 1, "changes": {"name": "Renamed"}}))
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::Internal);
    let err = db.call("customers.archive_organisation", json!({"id": org["id"], "version": 1})).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::Internal);

    assert_eq!(db.footprint().await, before, "no row, log entry, search document or audit entry was added");
    let card = db.ok("customers.get_organisation", json!({"id": org["id"]})).await;
    assert_eq!(card["organisation"]["name"], "Summit Systems");
    assert_eq!(card["organisation"]["version"], 1);
    assert!(card["organisation"]["archived_at"].is_null());
    assert_eq!(search_titles(&db, "renamed").await.len(), 0);
}

#[rstest]
#[case::sqlite(Engine::Sqlite)]
#[case::postgres(Engine::Postgres)]
#[tokio::test]
async fn a_stale_version_is_rejected_as_a_conflict(#[case] engine: Engine) {
    let db = TestDb::new(engine).await;
    let org = create_org(&db, json!({"name": "Kingsway Group"})).await;
    db.ok("customers.update_organisation", json!({"id": org["id"], "version": 1, "changes": {"city": "Bath"}})).await;
    let err = db
        .call("customers.update_organisation", json!({"id": org["id"], "version": 1, "changes": {"city": "Hull"}}))
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::Conflict);
    assert_eq!(field_code(&err, "version"), FieldCode::StaleVersion);
    let card = db.ok("customers.get_organisation", json!({"id": org["id"]})).await;
    assert_eq!(card["organisation"]["city"], "Bath");
}

#[rstest]
#[case::sqlite(Engine::Sqlite)]
#[case::postgres(Engine::Postgres)]
#[tokio::test]
async fn keyset_pages_stay_stable_while_rows_are_inserted(#[case] engine: Engine) {
    let db = TestDb::new(engine).await;
    let items: Vec<Value> = (0..120).map(|i| json!({"name": format!("Org {i:03}")})).collect();
    db.ok("customers.import_organisations", json!({"items": items})).await;

    let mut seen: Vec<String> = Vec::new();
    let mut after: Option<String> = None;
    let mut round = 0;
    loop {
        let mut input = json!({"limit": 50});
        if let Some(cursor) = &after {
            input["after"] = json!(cursor);
        }
        let page = db.ok("customers.list_organisations", input).await;
        seen.extend(page["items"].as_array().unwrap().iter().map(|r| r["name"].as_str().unwrap().to_owned()));
        // Between pages, others add rows before and after the cursor.
        let inserted: Vec<Value> =
            [format!("Aaa new {round}"), format!("Org 050 new {round}"), format!("Zzz new {round}")]
                .iter()
                .map(|n| json!({"name": n}))
                .collect();
        db.ok("customers.import_organisations", json!({"items": inserted})).await;
        round += 1;
        match page["next_cursor"].as_str() {
            Some(cursor) => after = Some(cursor.to_owned()),
            None => break,
        }
    }
    let originals: Vec<&String> = seen.iter().filter(|n| !n.contains("new")).collect();
    assert_eq!(originals.len(), 120, "every original row exactly once");
    let mut sorted = seen.clone();
    sorted.sort_by_key(|n| n.to_lowercase());
    assert_eq!(seen, sorted, "pages continue in order, never repeating or going back");
    let mut unique = seen.clone();
    unique.dedup();
    assert_eq!(unique.len(), seen.len());
}

fn names_of(page: &Value) -> Vec<String> {
    page["items"].as_array().expect("items").iter().map(|r| r["name"].as_str().expect("name").to_owned()).collect()
}

#[rstest]
#[case::sqlite(Engine::Sqlite)]
#[case::postgres(Engine::Postgres)]
#[tokio::test]
async fn scrolling_back_with_the_previous_cursor_gives_the_same_pages_in_reverse(#[case] engine: Engine) {
    let db = TestDb::new(engine).await;
    let items: Vec<Value> = (0..95).map(|i| json!({"name": format!("Org {i:03}")})).collect();
    db.ok("customers.import_organisations", json!({"items": items})).await;

    let mut forward = vec![db.ok("customers.list_organisations", json!({"limit": 20})).await];
    assert!(forward[0]["prev_cursor"].is_null(), "the first page has no page before it");
    while let Some(next) = forward.last().and_then(|p| p["next_cursor"].as_str().map(str::to_owned)) {
        forward.push(db.ok("customers.list_organisations", json!({"limit": 20, "after": next})).await);
    }
    assert_eq!(forward.len(), 5);

    let mut backward = vec![forward.last().cloned().expect("last page")];
    while let Some(prev) = backward.last().and_then(|p| p["prev_cursor"].as_str().map(str::to_owned)) {
        backward.push(db.ok("customers.list_organisations", json!({"limit": 20, "before": prev})).await);
    }
    backward.reverse();
    let names = |pages: &[Value]| pages.iter().map(names_of).collect::<Vec<_>>();
    assert_eq!(names(&backward), names(&forward), "the same pages, the same rows, back to the first");
    assert!(backward[0]["prev_cursor"].is_null(), "scrolling back ends at the first page");

    let err = db
        .call(
            "customers.list_organisations",
            json!({"after": forward[1]["next_cursor"], "before": forward[2]["prev_cursor"]}),
        )
        .await
        .expect_err("after and before at once");
    assert_eq!(field_code(&err, "before"), FieldCode::InvalidValue);
}

/// Names in a shuffled order and the order a reader of each language expects.
const ALPHABETICAL: &[&str] = &[
    "Alpha Foods",
    "émile & fils",
    "Zeta plc",
    "Ежов и К",
    "Елена",
    "Ёлка",
    "Жуков",
    "آرش",
    "بابک",
    "پارسا",
    "چمران",
    "ژاله",
    "کاوه",
    "گلناز",
    "وحید",
    "هادی",
];

#[rstest]
#[case::sqlite(Engine::Sqlite)]
#[case::postgres(Engine::Postgres)]
#[tokio::test]
async fn lists_read_in_alphabetical_order_in_every_language_page_after_page(#[case] engine: Engine) {
    let db = TestDb::new(engine).await;
    let mut shuffled: Vec<&str> = ALPHABETICAL.to_vec();
    shuffled.reverse();
    shuffled.rotate_left(5);
    let items: Vec<Value> = shuffled.iter().map(|n| json!({"name": n})).collect();
    db.ok("customers.import_organisations", json!({"items": items})).await;

    let mut names = Vec::new();
    let mut page = db.ok("customers.list_organisations", json!({"limit": 4})).await;
    assert!(page["estimated_total"].as_i64().is_some(), "the first page says about how many there are");
    loop {
        names.extend(names_of(&page));
        let Some(next) = page["next_cursor"].as_str().map(str::to_owned) else { break };
        page = db.ok("customers.list_organisations", json!({"limit": 4, "after": next})).await;
        assert!(page["estimated_total"].is_null(), "later pages do not estimate again");
    }
    assert_eq!(names, ALPHABETICAL, "Latin, then Cyrillic (Ё with Е), then Persian (پ چ ژ گ in place, و before ه)");
}

#[rstest]
#[case::sqlite(Engine::Sqlite)]
#[case::postgres(Engine::Postgres)]
#[tokio::test]
async fn a_database_indexed_under_older_rules_is_rebuilt_when_opened(#[case] engine: Engine) {
    let mut db = TestDb::new(engine).await;
    for name in ["Ёлка", "Жуков", "Елена", "Müller GmbH"] {
        create_org(&db, json!({"name": name})).await;
    }
    // As the previous version left it: lower-cased sort names, un-normalised search text.
    db.exec("UPDATE organisations SET sort_name = LOWER(name)").await;
    db.exec("UPDATE search_documents SET body = LOWER(title)").await;
    db.exec("DELETE FROM derived_versions").await;
    assert!(search_titles(&db, "muller").await.is_empty(), "the old index does not fold ü");
    let history_before = db.count("change_log").await;

    db.reopen().await;
    let page = db.ok("customers.list_organisations", json!({})).await;
    assert_eq!(names_of(&page), vec!["Müller GmbH", "Елена", "Ёлка", "Жуков"]);
    assert_eq!(search_titles(&db, "muller").await, vec!["Müller GmbH"]);
    assert_eq!(db.count("change_log").await, history_before, "rebuilding is not an edit");
    let card = db.ok("customers.get_organisation", json!({"id": page["items"][0]["id"]})).await;
    assert_eq!(card["organisation"]["version"], 1, "no new version either");
}

#[rstest]
#[case::sqlite(Engine::Sqlite)]
#[case::postgres(Engine::Postgres)]
#[tokio::test]
async fn a_searched_list_shows_the_hits_in_its_own_columns_best_first(#[case] engine: Engine) {
    let db = TestDb::new(engine).await;
    create_org(
        &db,
        json!({"name": "Northwind Traders", "city": "Leeds", "phone": "+44 7911 123456", "kind": "supplier"}),
    )
    .await;
    create_org(&db, json!({"name": "Southwind Ltd", "city": "York"})).await;
    let page = db.ok("customers.list_organisations", json!({"text": "northw"})).await;
    assert_eq!(names_of(&page), vec!["Northwind Traders"]);
    let row = &page["items"][0];
    assert_eq!(
        (row["kind"].as_str(), row["city"].as_str(), row["phone"].as_str()),
        (Some("supplier"), Some("Leeds"), Some("+447911123456"))
    );
    assert!(page["next_cursor"].is_null());
    let page = db.ok("customers.list_organisations", json!({"text": "northw", "archived": true})).await;
    assert!(names_of(&page).is_empty(), "an active organisation is not in the archived list");
}

#[rstest]
#[case::sqlite(Engine::Sqlite)]
#[case::postgres(Engine::Postgres)]
#[tokio::test]
async fn search_finds_english_russian_and_persian_records_by_prefix(#[case] engine: Engine) {
    let db = TestDb::new(engine).await;
    let en = create_org(
        &db,
        json!({"name": "Brightwater Foods plc", "email": "orders@brightwater.example.com", "tax_id": "GB123456789"}),
    )
    .await;
    let ru = create_org(&db, json!({"name": "АО «Северсталь-Сервис»", "phone": "+7 912 345-67-89"})).await;
    let fa = create_org(&db, json!({"name": "شرکت مهندسی پارس‌نوین", "tax_id": "10101234567"})).await;
    db.ok("customers.create_contact", json!({"first_name": "Фёдор", "last_name": "Соловьёв", "organisation_id": ru["id"], "email": "f.solovyov@severstal.example.ru"})).await;
    db.ok("customers.create_contact", json!({"first_name": "علی", "last_name": "کریمی", "organisation_id": fa["id"]}))
        .await;

    assert_eq!(search_titles(&db, "bright").await, vec!["Brightwater Foods plc"]);
    assert_eq!(search_titles(&db, "BRIGHTWATER fo").await, vec!["Brightwater Foods plc"]);
    assert_eq!(search_titles(&db, "север").await, vec!["АО «Северсталь-Сервис»"]);
    assert_eq!(search_titles(&db, "федор солов").await, vec!["Фёдор Соловьёв"], "ё is found by е");
    assert_eq!(search_titles(&db, "پار").await, vec!["شرکت مهندسی پارس‌نوین"]);
    assert_eq!(search_titles(&db, "نوین").await, vec!["شرکت مهندسی پارس‌نوین"], "ZWNJ separates words");
    assert_eq!(search_titles(&db, "علي كريمي").await, vec!["علی کریمی"], "Arabic yeh and kaf find Persian letters");
    assert_eq!(search_titles(&db, "brightwater.example").await, vec!["Brightwater Foods plc"], "email fragment");
    assert_eq!(search_titles(&db, "solovyov@sever").await, vec!["Фёдор Соловьёв"], "email fragment");
    assert_eq!(search_titles(&db, "9123456").await, vec!["АО «Северсталь-Сервис»"], "national phone digits");
    assert_eq!(search_titles(&db, "79123").await, vec!["АО «Северсталь-Сервис»"], "international phone digits");
    assert_eq!(search_titles(&db, "gb1234").await, vec!["Brightwater Foods plc"], "tax id");
    assert_eq!(search_titles(&db, "1010123").await, vec!["شرکت مهندسی پارس‌نوین"], "tax id");
    assert!(search_titles(&db, "nothing-like-this").await.is_empty());
    // FTS5 and tsquery syntax in the input is searched for as words (and matches nothing
    // here); it neither fails nor matches everything.
    assert_eq!(search_titles(&db, "  \"*' OR 1=1 --").await, Vec::<String>::new(), "query syntax in input is harmless");
    assert_eq!(search_titles(&db, "*").await, Vec::<String>::new());
    let _ = en;
}

/// What a person types, and the records (in order) they expect to find: the same on both engines.
const SEARCH_TABLE: &[(&str, &[&str], &str)] = &[
    ("پارس‌نیرو", &["شرکت پارس‌نیرو"], "as written, with its ZWNJ"),
    ("پارسنیرو", &["شرکت پارس‌نیرو"], "without the ZWNJ"),
    ("پارس نیرو", &["شرکت پارس‌نیرو"], "with a space for the ZWNJ"),
    ("پارسن", &["شرکت پارس‌نیرو"], "a prefix of the joined form"),
    ("پارس‌نی", &["شرکت پارس‌نیرو"], "a prefix with the ZWNJ"),
    ("شركت پارس", &["شرکت پارس‌نیرو"], "Arabic kaf for keheh"),
    ("علي", &["علی کریمی"], "Arabic yeh"),
    ("على", &["علی کریمی"], "alef maksura"),
    ("كريمي", &["علی کریمی"], "Arabic kaf and yeh"),
    ("مدرسه", &["مدرسة النور"], "heh for teh marbuta"),
    ("خانه", &["خانۀ هنر"], "heh for heh with yeh above"),
    ("احمد", &["أحمد آرین"], "bare alef for alef with hamza"),
    ("ارین", &["أحمد آرین"], "bare alef for alef with madda"),
    ("۱۰۱۰۱۲", &["شرکت پارس‌نیرو"], "tax id in Persian digits"),
    ("١٠١٠١٢", &["شرکت پارس‌نیرو"], "tax id in Arabic-Indic digits"),
    ("۰۹۱۲۳۴", &["علی کریمی"], "a phone as dialled in Iran, in Persian digits"),
    ("9123456", &["علی کریمی"], "national digits"),
    ("muller", &["Müller GmbH"], "no diacritics for an umlaut"),
    ("MÜLLER", &["Müller GmbH"], "capitals with the umlaut"),
    ("istanbul", &["İstanbul Ticaret"], "Turkish capital I"),
    ("федор", &["Фёдор Соловьёв"], "е for ё"),
    ("ФЁДОР", &["Фёдор Соловьёв"], "capitals with ё"),
    ("petrov", &["Петров и партнёры"], "Latin transliteration"),
    ("gtnh", &["Петров и партнёры"], "петр typed on Latin keys"),
    ("Gtnhjd", &["Петров и партнёры"], "Петров typed on Latin keys"),
    ("ьгддук", &["Müller GmbH"], "muller typed on Russian keys"),
    ("پعممثق", &["Müller GmbH"], "muller typed on Persian keys"),
];

#[rstest]
#[case::sqlite(Engine::Sqlite)]
#[case::postgres(Engine::Postgres)]
#[tokio::test]
async fn search_finds_a_word_however_a_person_typed_it(#[case] engine: Engine) {
    let db = TestDb::new(engine).await;
    create_org(&db, json!({"name": "شرکت پارس‌نیرو", "tax_id": "۱۰۱۰۱۲۳۴۵۶۷"})).await;
    create_org(&db, json!({"name": "مدرسة النور"})).await;
    create_org(&db, json!({"name": "خانۀ هنر"})).await;
    create_org(&db, json!({"name": "Müller GmbH"})).await;
    create_org(&db, json!({"name": "İstanbul Ticaret"})).await;
    create_org(&db, json!({"name": "Петров и партнёры"})).await;
    create_org(&db, json!({"name": "Мюллер и сын"})).await;
    db.ok("customers.create_contact", json!({"first_name": "علی", "last_name": "کریمی", "phone": "+۹۸ ۹۱۲ ۳۴۵ ۶۷۸۹"}))
        .await;
    db.ok("customers.create_contact", json!({"first_name": "Фёдор", "last_name": "Соловьёв"})).await;
    db.ok("customers.create_contact", json!({"first_name": "أحمد", "last_name": "آرین"})).await;

    for (typed, expected, why) in SEARCH_TABLE {
        let found = search_titles(&db, typed).await;
        let expected: Vec<String> = expected.iter().map(|s| (*s).to_owned()).collect();
        assert_eq!(found, expected, "{typed}: {why}");
    }
}

#[rstest]
#[case::sqlite(Engine::Sqlite)]
#[case::postgres(Engine::Postgres)]
#[tokio::test]
async fn exact_matches_rank_above_other_readings_in_the_same_order_on_both_engines(#[case] engine: Engine) {
    let db = TestDb::new(engine).await;
    for name in ["Great Northern Ltd", "Northwind Traders", "North Star", "Acme Ltd"] {
        create_org(&db, json!({"name": name, "email": "north@acme.example"})).await;
    }
    // "north": titles that start with it, then titles with a word that starts with it, then
    // the rest (found by the email), each group by name.
    assert_eq!(
        search_titles(&db, "north").await,
        vec!["North Star", "Northwind Traders", "Great Northern Ltd", "Acme Ltd"]
    );
    create_org(&db, json!({"name": "Ghbdtn Ltd"})).await;
    create_org(&db, json!({"name": "Привет и К"})).await;
    assert_eq!(
        search_titles(&db, "ghbdtn").await,
        vec!["Ghbdtn Ltd", "Привет и К"],
        "the exact hit first, the layout reading below"
    );
}

#[rstest]
#[case::sqlite(Engine::Sqlite)]
#[case::postgres(Engine::Postgres)]
#[tokio::test]
async fn a_likely_duplicate_is_reported_with_the_existing_record(#[case] engine: Engine) {
    let db = TestDb::new(engine).await;
    let first = create_org(&db, json!({"name": "Vektor", "tax_id": "7701000001", "phone": "+7 916 000-00-01"})).await;
    let out = db.ok("customers.create_organisation", json!({"name": "Vektor (branch)", "tax_id": "7701000001"})).await;
    let warnings = out["duplicates"].as_array().unwrap();
    assert_eq!(warnings.len(), 1);
    assert_eq!(warnings[0]["field"], "tax_id");
    assert_eq!(warnings[0]["existing_id"], first["id"]);
    let contact =
        db.ok("customers.create_contact", json!({"first_name": "Ivan", "email": "ivan@vektor.example.com"})).await;
    assert!(contact["duplicates"].as_array().unwrap().is_empty());
    let again =
        db.ok("customers.create_contact", json!({"first_name": "Ivan P.", "email": "IVAN@vektor.example.com"})).await;
    assert_eq!(again["duplicates"][0]["existing_id"], contact["contact"]["id"]);
}

#[rstest]
#[case::sqlite(Engine::Sqlite)]
#[case::postgres(Engine::Postgres)]
#[tokio::test]
async fn a_card_shows_contacts_and_relations_in_both_directions(#[case] engine: Engine) {
    let db = TestDb::new(engine).await;
    let parent = create_org(&db, json!({"name": "Meridian Holding"})).await;
    let child = create_org(&db, json!({"name": "Meridian Retail", "country": "GB"})).await;
    db.ok(
        "customers.create_relation",
        json!({"organisation_id": parent["id"], "kind": "parent_of", "related_organisation_id": child["id"]}),
    )
    .await;
    db.ok("customers.create_contact", json!({"first_name": "Grace", "last_name": "Hughes", "organisation_id": child["id"], "role": "Director", "phone": "07911 123456"})).await;

    let card = db.ok("customers.get_organisation", json!({"id": child["id"]})).await;
    assert_eq!(card["contacts"][0]["full_name"], "Grace Hughes");
    assert_eq!(card["contacts"][0]["phone"], "+447911123456", "national number read in the organisation's country");
    assert_eq!(card["relations"][0]["direction"], "incoming");
    assert_eq!(card["relations"][0]["other_name"], "Meridian Holding");
    let parent_card = db.ok("customers.get_organisation", json!({"id": parent["id"]})).await;
    assert_eq!(parent_card["relations"][0]["direction"], "outgoing");
    assert_eq!(parent_card["relations"][0]["kind"], "parent_of");
}

#[rstest]
#[case::sqlite(Engine::Sqlite)]
#[case::postgres(Engine::Postgres)]
#[tokio::test]
async fn archiving_is_audited_in_a_tamper_evident_chain(#[case] engine: Engine) {
    let db = TestDb::new(engine).await;
    // A new database has one entry already: its roles receiving their default permissions.
    let at_start = db.count("audit_log").await;
    let org = create_org(&db, json!({"name": "Audited Ltd"})).await;
    db.ok("customers.archive_organisation", json!({"id": org["id"], "version": 1})).await;
    db.ok("customers.restore_organisation", json!({"id": org["id"], "version": 2})).await;
    assert_eq!(db.count("audit_log").await, at_start + 2, "create is not critical; archive and restore are");
    let verified = db.ok("audit.verify", json!({})).await;
    assert_eq!((verified["entries"].as_i64(), verified["intact"].as_bool()), (Some(at_start + 2), Some(true)));

    db.exec("DELETE FROM audit_log WHERE operation = 'customers.restore_organisation'").await;
    let verified = db.ok("audit.verify", json!({})).await;
    assert_eq!(
        (verified["intact"].as_bool(), verified["truncated"].as_bool()),
        (Some(false), Some(true)),
        "removing the newest entry is detected"
    );

    db.exec("UPDATE audit_log SET operation = 'customers.get_organisation' WHERE operation = 'customers.archive_organisation'")
        .await;
    let verified = db.ok("audit.verify", json!({})).await;
    assert_eq!(verified["intact"], false);
    assert_eq!(verified["first_broken_seq"], at_start + 1);
}

#[rstest]
#[case::sqlite(Engine::Sqlite)]
#[case::postgres(Engine::Postgres)]
#[tokio::test(flavor = "multi_thread", worker_threads = 3)]
async fn concurrent_edits_of_the_same_version_let_exactly_one_win(#[case] engine: Engine) {
    let db = TestDb::new(engine).await;
    let org = create_org(&db, json!({"name": "Contested Ltd"})).await;
    // Three doors, three connections: as three windows on one database, not one queue.
    let mut doors = Vec::new();
    for _ in 0..3 {
        doors.push(std::sync::Arc::new(Door::open(&db.url, Uuid::now_v7()).await.expect("another door")));
    }
    let edit = |door: &std::sync::Arc<Door>, city: &'static str| {
        let (door, input) = (door.clone(), json!({"id": org["id"], "version": 1, "changes": {"city": city}}));
        tokio::spawn(async move { door.dispatch(&Actor::local_owner(), "customers.update_organisation", input).await })
    };
    let (a, b, c) = tokio::join!(edit(&doors[0], "Leeds"), edit(&doors[1], "York"), edit(&doors[2], "Hull"));
    let (a, b, c) = (a.expect("task"), b.expect("task"), c.expect("task"));
    let results = [a, b, c];
    let winners: Vec<&Value> = results.iter().filter_map(|r| r.as_ref().ok()).collect();
    assert_eq!(winners.len(), 1, "{results:?}");
    for loser in results.iter().filter_map(|r| r.as_ref().err()) {
        assert_eq!(loser.code, ErrorCode::Conflict);
    }
    let card = db.ok("customers.get_organisation", json!({"id": org["id"]})).await;
    assert_eq!(card["organisation"]["version"], 2);
    assert_eq!(card["organisation"]["city"], winners[0]["organisation"]["city"]);
    let history = db.ok("history.record", json!({"table": "organisations", "id": org["id"]})).await;
    assert_eq!(history["entries"].as_array().unwrap().len(), 2, "one insert, one winning update");
}

#[rstest]
#[case::sqlite(Engine::Sqlite)]
#[case::postgres(Engine::Postgres)]
#[tokio::test]
async fn a_viewer_cannot_change_customers_and_nothing_is_stored(#[case] engine: Engine) {
    let db = TestDb::new(engine).await;
    let viewer = Actor::with_permissions(Uuid::now_v7(), "Viewer", &[accord_core::customers::permissions::READ]);
    let before = db.footprint().await;
    let err = db.door.dispatch(&viewer, "customers.create_organisation", json!({"name": "X"})).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::PermissionDenied);
    assert_eq!(db.footprint().await, before);
    assert!(db.door.dispatch(&viewer, "customers.list_organisations", json!({})).await.is_ok());
    let err = db.door.dispatch(&viewer, "audit.verify", json!({})).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::PermissionDenied);
}

#[rstest]
#[case::sqlite(Engine::Sqlite)]
#[case::postgres(Engine::Postgres)]
#[tokio::test]
async fn bad_input_gets_a_coded_field_error_and_stores_nothing(#[case] engine: Engine) {
    let db = TestDb::new(engine).await;
    let org = create_org(&db, json!({"name": "Existing"})).await;
    let archived = create_org(&db, json!({"name": "Archived"})).await;
    db.ok("customers.archive_organisation", json!({"id": archived["id"], "version": 1})).await;
    let before = db.footprint().await;
    let long = "x".repeat(201);
    let unknown = Uuid::now_v7();

    let cases: Vec<(&str, Value, ErrorCode, &str, FieldCode)> = vec![
        (
            "customers.create_organisation",
            json!({"name": "A", "colour": "red"}),
            ErrorCode::InvalidInput,
            "colour",
            FieldCode::UnknownField,
        ),
        ("customers.create_organisation", json!({"name": 42}), ErrorCode::InvalidInput, "name", FieldCode::WrongType),
        (
            "customers.create_organisation",
            json!({"email": "a@b.example.com"}),
            ErrorCode::InvalidInput,
            "name",
            FieldCode::Required,
        ),
        ("customers.create_organisation", json!({"name": "   "}), ErrorCode::InvalidInput, "name", FieldCode::Required),
        (
            "customers.create_organisation",
            json!({"name": "\u{200B}\u{200C}\u{FEFF}\u{200F}\u{202B}\u{2067}"}),
            ErrorCode::InvalidInput,
            "name",
            FieldCode::Required,
        ),
        (
            "customers.create_organisation",
            json!({"name": "Nul\u{0}Ltd"}),
            ErrorCode::InvalidInput,
            "name",
            FieldCode::InvalidValue,
        ),
        (
            "customers.create_organisation",
            json!({"name": "A", "city": "Lon\u{0}don"}),
            ErrorCode::InvalidInput,
            "city",
            FieldCode::InvalidValue,
        ),
        (
            "customers.create_contact",
            json!({"first_name": "A", "notes": "x\u{0}"}),
            ErrorCode::InvalidInput,
            "notes",
            FieldCode::InvalidValue,
        ),
        ("customers.create_organisation", json!({"name": long}), ErrorCode::InvalidInput, "name", FieldCode::TooLong),
        (
            "customers.create_organisation",
            json!({"name": "A", "email": "not-an-email"}),
            ErrorCode::InvalidInput,
            "email",
            FieldCode::InvalidEmail,
        ),
        (
            "customers.create_organisation",
            json!({"name": "A", "phone": "12345"}),
            ErrorCode::InvalidInput,
            "phone",
            FieldCode::InvalidPhone,
        ),
        (
            "customers.create_organisation",
            json!({"name": "A", "kind": "enemy"}),
            ErrorCode::InvalidInput,
            "kind",
            FieldCode::InvalidValue,
        ),
        (
            "customers.create_organisation",
            json!({"name": "A", "country": "Narnia"}),
            ErrorCode::InvalidInput,
            "country",
            FieldCode::TooLong,
        ),
        (
            "customers.create_organisation",
            json!(["not", "an", "object"]),
            ErrorCode::InvalidInput,
            "input",
            FieldCode::WrongType,
        ),
        (
            "customers.update_organisation",
            json!({"id": unknown, "version": 1, "changes": {}}),
            ErrorCode::NotFound,
            "id",
            FieldCode::UnknownId,
        ),
        (
            "customers.update_organisation",
            json!({"id": "not-a-uuid", "version": 1, "changes": {}}),
            ErrorCode::InvalidInput,
            "id",
            FieldCode::InvalidValue,
        ),
        (
            "customers.update_organisation",
            json!({"id": archived["id"], "version": 2, "changes": {"name": "B"}}),
            ErrorCode::Archived,
            "id",
            FieldCode::Archived,
        ),
        (
            "customers.update_organisation",
            json!({"id": org["id"], "version": 7, "changes": {"name": "B"}}),
            ErrorCode::Conflict,
            "version",
            FieldCode::StaleVersion,
        ),
        (
            "customers.update_organisation",
            json!({"id": org["id"], "version": 1, "changes": {"name": null}}),
            ErrorCode::InvalidInput,
            "name",
            FieldCode::Required,
        ),
        (
            "customers.update_organisation",
            json!({"id": org["id"], "version": 1, "changes": {"email": "x@"}}),
            ErrorCode::InvalidInput,
            "email",
            FieldCode::InvalidEmail,
        ),
        (
            "customers.create_contact",
            json!({"first_name": "Ivan", "organisation_id": unknown}),
            ErrorCode::NotFound,
            "organisation_id",
            FieldCode::UnknownId,
        ),
        (
            "customers.create_contact",
            json!({"first_name": "Ivan", "organisation_id": archived["id"]}),
            ErrorCode::Archived,
            "organisation_id",
            FieldCode::Archived,
        ),
        (
            "customers.create_relation",
            json!({"organisation_id": org["id"], "kind": "parent_of", "related_organisation_id": org["id"]}),
            ErrorCode::InvalidInput,
            "related_organisation_id",
            FieldCode::InvalidValue,
        ),
        (
            "customers.list_organisations",
            json!({"limit": 0}),
            ErrorCode::InvalidInput,
            "limit",
            FieldCode::InvalidValue,
        ),
        (
            "customers.list_organisations",
            json!({"after": "garbage"}),
            ErrorCode::InvalidInput,
            "after",
            FieldCode::InvalidValue,
        ),
        ("search.query", json!({"text": "a".repeat(201)}), ErrorCode::InvalidInput, "text", FieldCode::TooLong),
        (
            "search.query",
            json!({"text": "acme", "entities": ["organisation", "planet"]}),
            ErrorCode::InvalidInput,
            "entities",
            FieldCode::InvalidValue,
        ),
        (
            "history.record",
            json!({"table": "sqlite_master", "id": org["id"]}),
            ErrorCode::InvalidInput,
            "table",
            FieldCode::InvalidValue,
        ),
        (
            "customers.import_organisations",
            json!({"items": [{"name": "Fine"}, {"name": "Bad", "email": "bad"}]}),
            ErrorCode::InvalidInput,
            "items.1.email",
            FieldCode::InvalidEmail,
        ),
        (
            "customers.import_organisations",
            json!({"items": []}),
            ErrorCode::InvalidInput,
            "items",
            FieldCode::InvalidValue,
        ),
        (
            "customers.archive_organisation",
            json!({"id": archived["id"], "version": 1}),
            ErrorCode::Conflict,
            "version",
            FieldCode::StaleVersion,
        ),
    ];
    for (op, input, code, field, field_code_expected) in cases {
        let err = db.call(op, input.clone()).await.expect_err(&format!("{op} {input} must be rejected"));
        assert_eq!(err.code, code, "{op} {input}: {err:?}");
        assert_eq!(field_code(&err, field), field_code_expected, "{op} {input}: {err:?}");
        assert!(!err.message.is_empty());
    }
    let err = db.call("customers.no_such_thing", json!({})).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::UnknownOperation);
    let err = db.call("customers.archive_organisation", json!({"id": archived["id"], "version": 2})).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::Archived, "archiving twice");
    let err = db.call("customers.restore_organisation", json!({"id": org["id"], "version": 1})).await.unwrap_err();
    assert_eq!(field_code(&err, "id"), FieldCode::InvalidValue, "restoring an active record");

    assert_eq!(db.footprint().await, before, "no rejected input stored anything");
}

#[rstest]
#[case::sqlite(Engine::Sqlite)]
#[case::postgres(Engine::Postgres)]
#[tokio::test]
async fn a_database_with_a_newer_schema_is_refused_and_left_untouched(#[case] engine: Engine) {
    let db = TestDb::new(engine).await;
    create_org(&db, json!({"name": "Keep me"})).await;
    let ours = db.count("seaql_migrations").await;
    db.exec("INSERT INTO seaql_migrations (version, applied_at) VALUES ('m20991231_000001_from_the_future', 0)").await;
    let before = db.footprint().await;

    let err = data::migrate(db.door.database()).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::SchemaTooNew);
    let err = data::open(&db.url).await.expect_err("opening refuses too");
    assert_eq!(err.code, ErrorCode::SchemaTooNew);
    assert!(err.message.contains("m20991231_000001_from_the_future"), "{}", err.message);
    let err = Door::open(&db.url, Uuid::now_v7()).await.err().expect("the door refuses too");
    assert_eq!(err.code, ErrorCode::SchemaTooNew);
    assert_eq!(db.footprint().await, before);
    assert_eq!(db.count("seaql_migrations").await, ours + 1, "ours and the one from the future");
}

#[rstest]
#[case::sqlite(Engine::Sqlite)]
#[case::postgres(Engine::Postgres)]
#[tokio::test]
async fn typed_input_is_kept_as_people_mean_it(#[case] engine: Engine) {
    let db = TestDb::new(engine).await;
    let saved = create_org(&db, json!({"name": "Ромашка", "phone": "+7 495 123-45-67 ext. 12"})).await;
    assert_eq!(saved["phone"], "+74951234567;ext=12", "the extension is kept");
    let saved =
        create_org(&db, json!({"name": "پارس", "country": "IR", "phone": "۰۹۱۲ ۳۴۵ ۶۷۸۹", "tax_id": "۱۰۱۰۱۲۳۴۵۶۷"}))
            .await;
    assert_eq!((saved["phone"].as_str(), saved["tax_id"].as_str()), (Some("+989123456789"), Some("10101234567")));
    let out = db.ok("customers.create_organisation", json!({"name": "Другая", "tax_id": "10101234567"})).await;
    assert_eq!(out["duplicates"][0]["field"], "tax_id", "a tax id typed in Persian digits is the same tax id: {out}");
    let err = db
        .call("customers.update_organisation", json!({"id": saved["id"], "version": "1", "changes": {}}))
        .await
        .expect_err("a version in quotes");
    let message = &err.fields["version"].message;
    assert!(message.contains("whole number") && !message.contains("i64"), "{message}");
}

#[tokio::test]
async fn a_newer_database_file_is_refused_with_its_bytes_unchanged() {
    let db = TestDb::new(Engine::Sqlite).await;
    create_org(&db, json!({"name": "Keep me"})).await;
    db.exec("INSERT INTO seaql_migrations (version, applied_at) VALUES ('m20991231_000001_from_the_future', 0)").await;
    // As a newer Accord might leave it: not in WAL mode.
    db.exec("PRAGMA journal_mode = DELETE").await;
    let path = db.url.strip_prefix("sqlite:").expect("a file").to_owned();
    db.door.database().conn.clone().close().await.expect("close");
    let bytes = std::fs::read(&path).expect("read");

    let err = Door::open(&db.url, Uuid::now_v7()).await.err().expect("refused");
    assert_eq!(err.code, ErrorCode::SchemaTooNew);
    assert_eq!(std::fs::read(&path).expect("read"), bytes, "not a byte changed");
    assert!(!std::path::Path::new(&format!("{path}-wal")).exists(), "not switched to WAL");
}

#[rstest]
#[case::sqlite(Engine::Sqlite)]
#[case::postgres(Engine::Postgres)]
#[tokio::test]
async fn migrating_twice_changes_nothing_and_the_clock_resumes_after_a_restart(#[case] engine: Engine) {
    let db = TestDb::new(engine).await;
    let device = db.door.device_id();
    let org = create_org(&db, json!({"name": "Clockwork Ltd"})).await;
    let report = data::migrate(db.door.database()).await.expect("second migrate");
    assert!(report.applied.is_empty());

    // The device's stamps so far lie a day ahead of the wall clock (a laptop whose clock ran
    // fast): after a restart the clock must continue after them, not from the wall clock.
    db.exec("UPDATE change_log SET hlc = hlc + 5662310400000").await; // 86,400,000 ms << 16
    let reopened = Door::open(&db.url, device).await.expect("reopen");
    reopened
        .dispatch(
            &Actor::local_owner(),
            "customers.update_organisation",
            json!({"id": org["id"], "version": 1, "changes": {"city": "Bath"}}),
        )
        .await
        .expect("update after restart");
    let history = db.ok("history.record", json!({"table": "organisations", "id": org["id"]})).await;
    assert_eq!(history["entries"][0]["action"], "update", "the entry written after the restart sorts last");
}

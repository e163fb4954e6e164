//! Duplicates and merge (CUST-5) through the door, on a real SQLite file and a real
//! PostgreSQL database: likely pairs are found across scripts and letter variants; a merge
//! keeps every related record, archives the merged record pointing to its survivor and is
//! audited; undo restores both; bad merges are refused with nothing changed.

mod common;

use accord_core::data::Engine;
use accord_core::security::BuiltInRole;
use accord_core::{ErrorCode, FieldCode};
use common::TestDb;
use rstest::rstest;
use serde_json::{Value, json};

async fn organisation(db: &TestDb, input: Value) -> Value {
    db.ok("customers.create_organisation", input).await["organisation"].clone()
}

async fn contact(db: &TestDb, input: Value) -> Value {
    db.ok("customers.create_contact", input).await["contact"].clone()
}

/// The pairs found among a kind, each as its two titles in alphabetical order.
async fn pairs_of(db: &TestDb, table: &str) -> Vec<(String, String, Vec<String>)> {
    let found = db.ok("duplicates.find", json!({"table": table})).await;
    let mut pairs: Vec<(String, String, Vec<String>)> = found["pairs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let mut titles =
                [p["first_title"].as_str().unwrap().to_owned(), p["second_title"].as_str().unwrap().to_owned()];
            titles.sort();
            let reasons =
                p["reasons"].as_array().unwrap().iter().map(|r| r["field"].as_str().unwrap().to_owned()).collect();
            let [a, b] = titles;
            (a, b, reasons)
        })
        .collect();
    pairs.sort();
    pairs
}

async fn card(db: &TestDb, id: &Value) -> Value {
    db.ok("customers.get_organisation", json!({"id": id})).await
}

fn contact_names(card: &Value) -> Vec<String> {
    let mut names: Vec<String> =
        card["contacts"].as_array().unwrap().iter().map(|c| c["full_name"].as_str().unwrap().to_owned()).collect();
    names.sort();
    names
}

#[rstest]
#[case::sqlite(Engine::Sqlite)]
#[case::postgres(Engine::Postgres)]
#[tokio::test]
async fn likely_duplicates_are_found_across_scripts_and_letter_variants(#[case] engine: Engine) {
    let db = TestDb::new(engine).await;
    organisation(&db, json!({"name": "ООО «Ромашка»", "country": "RU"})).await;
    organisation(&db, json!({"name": "Romashka LLC", "country": "RU"})).await;
    organisation(&db, json!({"name": "پارس‌نیرو"})).await;
    organisation(&db, json!({"name": "شرکت پارس نيرو"})).await;
    organisation(&db, json!({"name": "Nordwind", "website": "https://www.nordwind.example/en"})).await;
    organisation(&db, json!({"name": "Nordlicht", "website": "nordwind.example"})).await;
    organisation(&db, json!({"name": "Alpha Trade", "tax_id": "۷۷۰۱۲۳۴۵۶۷"})).await;
    organisation(&db, json!({"name": "Beta Supplies", "tax_id": "7701234567"})).await;
    let office = organisation(&db, json!({"name": "Seaside Office"})).await;
    let other = organisation(&db, json!({"name": "Inland Office"})).await;
    contact(&db, json!({"first_name": "Anna", "last_name": "Smirnova", "email": "Anna.Smirnova@Example.com"})).await;
    contact(&db, json!({"first_name": "Анна", "last_name": "Смирнова", "email": "anna.smirnova@example.com"})).await;
    contact(&db, json!({"first_name": "Ivan", "last_name": "Petrov", "organisation_id": office["id"]})).await;
    contact(&db, json!({"first_name": "Петров", "last_name": "Иван", "organisation_id": office["id"]})).await;
    // One name in two organisations: two people, not one.
    contact(&db, json!({"first_name": "Olga", "last_name": "Orlova", "organisation_id": office["id"]})).await;
    contact(&db, json!({"first_name": "Olga", "last_name": "Orlova", "organisation_id": other["id"]})).await;
    contact(&db, json!({"first_name": "Kaveh", "phone": "+98 21 8888 1234"})).await;
    contact(&db, json!({"first_name": "کاوه", "phone": "+۹۸۲۱۸۸۸۸۱۲۳۴"})).await;

    assert_eq!(
        pairs_of(&db, "organisations").await,
        vec![
            ("Alpha Trade".into(), "Beta Supplies".into(), vec!["tax_id".into()]),
            ("Nordlicht".into(), "Nordwind".into(), vec!["website".into()]),
            ("Romashka LLC".into(), "ООО «Ромашка»".into(), vec!["name".into()]),
            ("شرکت پارس نيرو".into(), "پارس‌نیرو".into(), vec!["name".into()]),
        ]
    );
    assert_eq!(
        pairs_of(&db, "contacts").await,
        vec![
            ("Anna Smirnova".into(), "Анна Смирнова".into(), vec!["email".into(), "name".into()]),
            ("Ivan Petrov".into(), "Петров Иван".into(), vec!["name".into(), "organisation_id".into()]),
            ("Kaveh".into(), "کاوه".into(), vec!["phone".into()]),
        ]
    );

    // A person judges the two Kavehs different people: no scan offers them again, until reconsidered.
    let found = db.ok("duplicates.find", json!({"table": "contacts"})).await;
    let kaveh = found["pairs"].as_array().unwrap().iter().find(|p| p["first_title"] == "Kaveh").unwrap().clone();
    let pair = json!({"table": "contacts", "first": kaveh["second"], "second": kaveh["first"]});
    let dismissal = db.ok("duplicates.dismiss", pair.clone()).await;
    assert_eq!(db.ok("duplicates.dismiss", pair).await["id"], dismissal["id"], "judging twice keeps one judgement");
    assert_eq!(pairs_of(&db, "contacts").await.len(), 2);
    db.ok("duplicates.reconsider_pair", json!({"id": dismissal["id"], "version": 1})).await;
    assert_eq!(pairs_of(&db, "contacts").await.len(), 3);
    let same =
        db.call("duplicates.dismiss", json!({"table": "contacts", "first": kaveh["first"], "second": kaveh["first"]}));
    assert_eq!(same.await.unwrap_err().fields["second"].code, FieldCode::InvalidValue);

    let refused = db.call("duplicates.find", json!({"table": "organisation_relations"})).await.unwrap_err();
    assert_eq!(refused.fields["table"].code, FieldCode::InvalidValue);
    assert!(refused.fields["table"].message.contains("organisations, contacts"), "{refused:?}");
    let too_many = db.call("duplicates.find", json!({"table": "contacts", "most": 5000})).await.unwrap_err();
    assert_eq!(too_many.fields["most"].code, FieldCode::InvalidValue);
}

#[rstest]
#[case::sqlite(Engine::Sqlite)]
#[case::postgres(Engine::Postgres)]
#[tokio::test]
async fn a_merge_keeps_every_related_record_and_undo_restores_both(#[case] engine: Engine) {
    let db = TestDb::new(engine).await;
    db.ok("fields.define", json!({"record_table": "organisations", "label": "Region", "kind": "text"})).await;
    let kept = organisation(&db, json!({"name": "Nordwind", "phone": "+49 30 1234567"})).await;
    let gone = organisation(
        &db,
        json!({"name": "Nordwind GmbH", "email": "info@nordwind.example", "custom": {"region": "Nord"}}),
    )
    .await;
    let partner = organisation(&db, json!({"name": "Partner"})).await;
    for name in ["Kept One", "Kept Two"] {
        contact(&db, json!({"first_name": name, "organisation_id": kept["id"]})).await;
    }
    for name in ["Moved One", "Moved Two", "Moved Three"] {
        contact(&db, json!({"first_name": name, "organisation_id": gone["id"]})).await;
    }
    let archived = contact(&db, json!({"first_name": "Former", "organisation_id": gone["id"]})).await;
    db.ok("customers.archive_contact", json!({"id": archived["id"], "version": 1})).await;
    db.ok(
        "customers.create_relation",
        json!({"organisation_id": gone["id"], "kind": "parent_of", "related_organisation_id": partner["id"]}),
    )
    .await;
    // Someone once related the two to each other: after the merge that means nothing.
    db.ok(
        "customers.create_relation",
        json!({"organisation_id": kept["id"], "kind": "parent_of", "related_organisation_id": gone["id"]}),
    )
    .await;
    let contacts_before = db.count("contacts").await;
    let relations_before = db.count("organisation_relations").await;

    let comparison =
        db.ok("duplicates.compare", json!({"table": "organisations", "first": kept["id"], "second": gone["id"]})).await;
    assert!(comparison["fields"].as_array().unwrap().contains(&json!("custom.region")));
    assert_eq!(comparison["second"]["custom.region"], "Nord");
    assert_eq!(
        comparison["second_references"],
        json!([
            {"table": "contacts", "label": "contact", "field": "organisation_id", "count": 4},
            {"table": "organisation_relations", "label": "relation", "field": "organisation_id", "count": 1},
            {"table": "organisation_relations", "label": "relation", "field": "related_organisation_id", "count": 1},
        ])
    );

    let merged = db
        .ok(
            "duplicates.merge",
            json!({"table": "organisations", "survivor": {"id": kept["id"], "version": 1},
                   "merged": {"id": gone["id"], "version": 1}, "take": ["email", "custom.region", "name"]}),
        )
        .await;
    assert_eq!(db.count("contacts").await, contacts_before, "no contact lost or added");
    assert_eq!(db.count("organisation_relations").await, relations_before);
    let survivor = card(&db, &kept["id"]).await;
    assert_eq!(survivor["organisation"]["name"], "Nordwind GmbH");
    assert_eq!(survivor["organisation"]["email"], "info@nordwind.example");
    assert_eq!(survivor["organisation"]["phone"], "+49301234567", "its own where nothing was taken");
    assert_eq!(survivor["organisation"]["custom"], json!({"region": "Nord"}));
    assert_eq!(contact_names(&survivor), ["Kept One", "Kept Two", "Moved One", "Moved Three", "Moved Two"]);
    let former = db.ok("customers.get_contact", json!({"id": archived["id"]})).await;
    assert_eq!(former["organisation_id"], kept["id"], "the archived contact moves too, so its history follows");
    assert_eq!(survivor["relations"].as_array().unwrap().len(), 1, "the relation to itself is archived");
    assert_eq!(merged["merge"]["archived"].as_array().unwrap().len(), 1);
    let loser = card(&db, &gone["id"]).await;
    assert!(loser["organisation"]["archived_at"].is_string(), "the merged record is archived");
    assert!(contact_names(&loser).is_empty());
    assert_eq!(merged["moved"][0]["count"], 4);
    let listed = db.ok("duplicates.list_merges", json!({"table": "organisations", "row_id": gone["id"]})).await;
    assert_eq!(listed["merges"][0]["merge"]["survivor_id"], kept["id"], "it points to its survivor");
    assert_eq!(listed["merges"][0]["survivor_title"], "Nordwind GmbH");
    let audit = db.ok("audit.list", json!({"operation": "duplicates.merge"})).await;
    assert_eq!(audit["entries"].as_array().unwrap().len(), 1, "the merge is audited");
    let moved_contact =
        &survivor["contacts"].as_array().unwrap().iter().find(|c| c["full_name"] == "Moved One").unwrap();
    let history = db.ok("history.record", json!({"table": "contacts", "id": moved_contact["id"]})).await;
    assert!(
        history["entries"][0]["fields"].as_array().unwrap().iter().any(|f| f["field"] == "organisation_id"),
        "the move is in the contact's history: {history}"
    );
    // Someone renames the survivor after the merge: undo keeps that name.
    db.ok("customers.update_organisation", json!({"id": kept["id"], "version": 2, "changes": {"name": "Nordwind AG"}}))
        .await;

    let merge = &merged["merge"];
    let undone = db.ok("duplicates.undo_merge", json!({"id": merge["id"], "version": merge["version"]})).await;
    assert_eq!(undone["kept_fields"], json!(["name"]));
    assert_eq!(undone["moved_back"], 6);
    assert_eq!(undone["left_in_place"], 0);
    let survivor = card(&db, &kept["id"]).await;
    assert_eq!(survivor["organisation"]["name"], "Nordwind AG");
    assert!(survivor["organisation"]["email"].is_null(), "the taken email goes back");
    assert_eq!(survivor["organisation"]["custom"], json!({}));
    assert_eq!(contact_names(&survivor), ["Kept One", "Kept Two"]);
    assert_eq!(survivor["relations"].as_array().unwrap().len(), 1, "its relation to the other is back");
    let restored = card(&db, &gone["id"]).await;
    assert!(restored["organisation"]["archived_at"].is_null());
    assert_eq!(contact_names(&restored), ["Moved One", "Moved Three", "Moved Two"]);
    let former = db.ok("customers.get_contact", json!({"id": archived["id"]})).await;
    assert_eq!(former["organisation_id"], gone["id"]);
    assert_eq!(restored["relations"].as_array().unwrap().len(), 2);
    assert_eq!(db.count("contacts").await, contacts_before);
    let again = db.call("duplicates.undo_merge", json!({"id": merge["id"], "version": 2})).await.unwrap_err();
    assert_eq!(again.code, ErrorCode::Conflict);
    let audit = db.ok("audit.list", json!({"operation": "duplicates.undo_merge"})).await;
    assert_eq!(audit["entries"].as_array().unwrap().len(), 1, "the undo is audited");
}

#[rstest]
#[case::sqlite(Engine::Sqlite)]
#[case::postgres(Engine::Postgres)]
#[tokio::test]
async fn merging_two_contacts_rebuilds_the_name_from_the_parts_chosen(#[case] engine: Engine) {
    let db = TestDb::new(engine).await;
    let kept = contact(&db, json!({"first_name": "Анна", "last_name": "Смирнова", "email": "anna@example.com"})).await;
    let gone = contact(&db, json!({"first_name": "Anna", "last_name": "Smirnova-Orlova", "role": "Buyer"})).await;
    db.ok(
        "duplicates.merge",
        json!({"table": "contacts", "survivor": {"id": kept["id"], "version": 1},
               "merged": {"id": gone["id"], "version": 1}, "take": ["last_name", "role"]}),
    )
    .await;
    let survivor = db.ok("customers.get_contact", json!({"id": kept["id"]})).await;
    assert_eq!(survivor["full_name"], "Анна Smirnova-Orlova");
    assert_eq!(survivor["role"], "Buyer");
    let found = db.ok("search.query", json!({"text": "Smirnova-Orlova"})).await;
    let ids: Vec<&Value> = found["hits"].as_array().unwrap().iter().map(|h| &h["id"]).collect();
    assert_eq!(ids, vec![&kept["id"]], "search finds the survivor by its new name, not the archived one");
}

#[rstest]
#[case::sqlite(Engine::Sqlite)]
#[case::postgres(Engine::Postgres)]
#[tokio::test]
async fn bad_merges_are_refused_with_what_to_fix_and_nothing_changes(#[case] engine: Engine) {
    let db = TestDb::new(engine).await;
    let a = organisation(&db, json!({"name": "Alpha"})).await;
    let b = organisation(&db, json!({"name": "Alpha Ltd"})).await;
    let archived = organisation(&db, json!({"name": "Old Alpha"})).await;
    db.ok("customers.archive_organisation", json!({"id": archived["id"], "version": 1})).await;
    let merge = |survivor: &Value, version: i64, merged: &Value, merged_version: i64, take: Value| {
        json!({"table": "organisations", "survivor": {"id": survivor["id"], "version": version},
               "merged": {"id": merged["id"], "version": merged_version}, "take": take})
    };
    let before = db.footprint().await;
    let cases: Vec<(Value, ErrorCode, &str)> = vec![
        (merge(&a, 1, &a, 1, json!([])), ErrorCode::InvalidInput, "merged.id"),
        (merge(&a, 7, &b, 1, json!([])), ErrorCode::Conflict, "version"),
        (merge(&a, 1, &archived, 2, json!([])), ErrorCode::Archived, "merged.id"),
        (merge(&a, 1, &b, 1, json!(["version"])), ErrorCode::InvalidInput, "take"),
        (merge(&a, 1, &b, 1, json!(["custom.nothing"])), ErrorCode::InvalidInput, "take"),
        (
            json!({"table": "audit_log", "survivor": {"id": a["id"], "version": 1}, "merged": {"id": b["id"], "version": 1}}),
            ErrorCode::InvalidInput,
            "table",
        ),
    ];
    for (input, code, field) in cases {
        let err = db.call("duplicates.merge", input.clone()).await.unwrap_err();
        assert_eq!(err.code, code, "{input}: {err:?}");
        assert!(err.fields.contains_key(field), "{input}: {err:?}");
    }
    let sales = common::user(&db, "sam", BuiltInRole::Sales, None).await;
    let refused = db.door.dispatch(&sales, "duplicates.merge", merge(&a, 1, &b, 1, json!([]))).await.unwrap_err();
    assert_eq!(refused.code, ErrorCode::PermissionDenied);
    db.door.dispatch(&sales, "duplicates.find", json!({"table": "organisations"})).await.expect("sales may look");
    let after = db.footprint().await;
    assert_eq!(before[..5], after[..5], "no record, change-log entry or search document was written");
    assert_eq!(db.count("record_merges").await, 0);
}

//! Departments scope what a user sees (SEC-2), on both engines, through the door: an
//! employee sees their own and shared records, a manager their department and its
//! sub-departments, an executive everything — in lists, search, cards, history and changes.

mod common;

use accord_core::ErrorCode;
use accord_core::data::Engine;
use accord_core::security::{Actor, BuiltInRole};
use common::{TestDb, credentials, department, user};
use rstest::rstest;
use serde_json::{Value, json};

struct Office {
    db: TestDb,
    /// Sales, in Sales North.
    anna: Actor,
    /// Sales, also in Sales North: a colleague, not a manager.
    alex: Actor,
    /// Manager of Sales, the parent of Sales North.
    boris: Actor,
    /// Service desk, in Service.
    sergei: Actor,
    /// Auditor, in no department: sees everything.
    ada: Actor,
    north: Value,
    service: Value,
}

async fn office(engine: Engine) -> Office {
    let db = TestDb::new(engine).await;
    let sales = department(&db, "Sales", None).await;
    let north = department(&db, "Sales North", Some(&sales)).await;
    let service = department(&db, "Service", None).await;
    Office {
        anna: user(&db, "anna", BuiltInRole::Sales, Some(&north)).await,
        alex: user(&db, "alex", BuiltInRole::Sales, Some(&north)).await,
        boris: user(&db, "boris", BuiltInRole::Manager, Some(&sales)).await,
        sergei: user(&db, "sergei", BuiltInRole::ServiceDesk, Some(&service)).await,
        ada: user(&db, "ada", BuiltInRole::Auditor, None).await,
        north,
        service,
        db,
    }
}

impl Office {
    async fn call(&self, actor: &Actor, op: &str, input: Value) -> Result<Value, accord_core::ApiError> {
        self.db.door.dispatch(actor, op, input).await
    }

    async fn ok(&self, actor: &Actor, op: &str, input: Value) -> Value {
        self.call(actor, op, input).await.unwrap_or_else(|e| panic!("{op} as {}: {e:?}", actor.display_name))
    }

    async fn create(&self, actor: &Actor, name: &str, email: &str) -> Value {
        self.ok(actor, "customers.create_organisation", json!({"name": name, "email": email})).await["organisation"]
            .clone()
    }

    async fn names_listed(&self, actor: &Actor) -> Vec<String> {
        let page = self.ok(actor, "customers.list_organisations", json!({})).await;
        page["items"].as_array().unwrap().iter().map(|o| o["name"].as_str().unwrap().to_owned()).collect()
    }

    async fn names_found(&self, actor: &Actor, text: &str) -> Vec<String> {
        let hits = self.ok(actor, "search.query", json!({"text": text})).await;
        hits["hits"].as_array().unwrap().iter().map(|h| h["title"].as_str().unwrap().to_owned()).collect()
    }
}

#[rstest]
#[case::sqlite(Engine::Sqlite)]
#[case::postgres(Engine::Postgres)]
#[tokio::test]
async fn each_role_sees_its_own_its_departments_or_every_record(#[case] engine: Engine) {
    let o = office(engine).await;
    // Made before anyone signed in (the local owner): in no department, so shared.
    o.db.ok("customers.create_organisation", json!({"name": "Shared Reference Ltd"})).await;
    let annas = o.create(&o.anna, "Anna Client North", "buyer@anna.example").await;
    o.create(&o.sergei, "Service Client", "desk@service.example").await;

    assert_eq!(annas["owner_id"], json!(o.anna.user_id), "a new record is its creator's");
    assert_eq!(annas["department_id"], o.north, "in the creator's department");

    let sorted = |mut v: Vec<String>| {
        v.sort();
        v
    };
    assert_eq!(sorted(o.names_listed(&o.anna).await), ["Anna Client North", "Shared Reference Ltd"]);
    assert_eq!(o.names_listed(&o.alex).await, ["Shared Reference Ltd"], "a colleague's records are not an employee's");
    assert_eq!(
        sorted(o.names_listed(&o.boris).await),
        ["Anna Client North", "Shared Reference Ltd"],
        "a manager sees the sub-department's records, not another department's"
    );
    assert_eq!(sorted(o.names_listed(&o.sergei).await), ["Service Client", "Shared Reference Ltd"]);
    assert_eq!(o.names_listed(&o.ada).await.len(), 3, "the auditor sees everything");

    // Search goes through the same reach: by name, by email, and in the list's search.
    assert_eq!(o.names_found(&o.anna, "anna client").await, ["Anna Client North"]);
    assert!(o.names_found(&o.alex, "anna client").await.is_empty(), "nor found by name");
    assert!(o.names_found(&o.alex, "buyer@anna").await.is_empty(), "nor found by email");
    assert!(o.names_found(&o.sergei, "anna").await.is_empty());
    assert_eq!(o.names_found(&o.boris, "anna").await, ["Anna Client North"]);
    let listed = o.ok(&o.alex, "customers.list_organisations", json!({"text": "anna"})).await;
    assert_eq!(listed["items"], json!([]), "the list's search hides it too");
}

#[rstest]
#[case::sqlite(Engine::Sqlite)]
#[case::postgres(Engine::Postgres)]
#[tokio::test]
async fn a_record_out_of_reach_is_not_found_for_reading_or_changing(#[case] engine: Engine) {
    let o = office(engine).await;
    let org = o.create(&o.anna, "Private Prospect", "p@private.example").await;
    let id = org["id"].clone();
    let contact = o.ok(&o.anna, "customers.create_contact", json!({"first_name": "Ivan", "organisation_id": id})).await
        ["contact"]
        .clone();
    let unknown = json!("0192f3a4-0000-7000-8000-00000000abcd");

    // Out of reach reads exactly like "no such record", so its existence is not disclosed.
    let missing = o.call(&o.alex, "customers.get_organisation", json!({"id": unknown})).await.unwrap_err();
    let hidden = o.call(&o.alex, "customers.get_organisation", json!({"id": id})).await.unwrap_err();
    assert_eq!((hidden.code, missing.code), (ErrorCode::NotFound, ErrorCode::NotFound));
    let history = o.call(&o.alex, "history.record", json!({"table": "organisations", "id": id})).await.unwrap_err();
    assert_eq!(history.code, ErrorCode::NotFound, "nor its history");
    let contact_history =
        o.call(&o.sergei, "history.record", json!({"table": "contacts", "id": contact["id"]})).await.unwrap_err();
    assert_eq!(contact_history.code, ErrorCode::NotFound);
    let contacts = o.ok(&o.alex, "customers.list_contacts", json!({})).await;
    assert_eq!(contacts["items"], json!([]), "nor its people");

    // Nor can it be changed, archived, or attached to.
    let change = json!({"id": id, "version": 1, "changes": {"city": "Kazan"}});
    assert_eq!(o.call(&o.alex, "customers.update_organisation", change).await.unwrap_err().code, ErrorCode::NotFound);
    // A manager of another department may archive, but not what is out of his reach.
    let service_manager = user(&o.db, "svetlana", BuiltInRole::Manager, Some(&o.service)).await;
    let archive = json!({"id": id, "version": 1});
    let archived = o.call(&service_manager, "customers.archive_organisation", archive).await.unwrap_err();
    assert_eq!(archived.code, ErrorCode::NotFound);
    let attach = json!({"first_name": "Mallory", "organisation_id": id});
    let attached = o.call(&o.alex, "customers.create_contact", attach).await.unwrap_err();
    assert!(attached.fields.contains_key("organisation_id"), "{attached:?}");
    let card = o.ok(&o.anna, "customers.get_organisation", json!({"id": id})).await;
    assert_eq!(card["organisation"]["version"], 1, "nothing changed");
    assert_eq!(card["contacts"].as_array().unwrap().len(), 1, "no contact was attached");

    // Its manager may read and change it: the reach is the department tree.
    let change = json!({"id": id, "version": 1, "changes": {"city": "Kazan"}});
    o.ok(&o.boris, "customers.update_organisation", change).await;
    let history = o.ok(&o.boris, "history.record", json!({"table": "organisations", "id": id})).await;
    assert_eq!(history["entries"].as_array().unwrap().len(), 2);
}

#[rstest]
#[case::sqlite(Engine::Sqlite)]
#[case::postgres(Engine::Postgres)]
#[tokio::test]
async fn a_shared_card_shows_only_the_relations_and_duplicates_the_reader_may_see(#[case] engine: Engine) {
    let o = office(engine).await;
    let shared =
        o.db.ok("customers.create_organisation", json!({"name": "Shared Group"})).await["organisation"]["id"].clone();
    let annas = o.create(&o.anna, "Anna Subsidiary", "hq@group.example").await;
    o.ok(
        &o.anna,
        "customers.create_relation",
        json!({"organisation_id": shared, "related_organisation_id": annas["id"], "kind": "parent_of"}),
    )
    .await;
    let relations_seen_by = |actor: &Actor| {
        let shared = shared.clone();
        let o = &o;
        let actor = actor.clone();
        async move {
            let card = o.ok(&actor, "customers.get_organisation", json!({"id": shared})).await;
            card["relations"].as_array().unwrap().len()
        }
    };
    assert_eq!(relations_seen_by(&o.anna).await, 1);
    assert_eq!(relations_seen_by(&o.boris).await, 1, "her manager sees it");
    assert_eq!(relations_seen_by(&o.alex).await, 0, "a colleague sees the shared card without her subsidiary");

    // A duplicate warning names the record it points to, so it only points within reach.
    let as_alex =
        o.ok(&o.alex, "customers.create_organisation", json!({"name": "Group HQ", "email": "hq@group.example"})).await;
    assert_eq!(as_alex["duplicates"], json!([]), "Anna's record is not named to Alex");
    let as_boris = o
        .ok(&o.boris, "customers.create_organisation", json!({"name": "Group HQ 2", "email": "hq@group.example"}))
        .await;
    let named: Vec<&str> =
        as_boris["duplicates"].as_array().unwrap().iter().map(|d| d["existing_name"].as_str().unwrap()).collect();
    assert!(named.contains(&"Anna Subsidiary"), "{named:?}");
}

async fn owners(o: &Office, table: &str) -> Vec<(Option<uuid::Uuid>, Option<uuid::Uuid>)> {
    use sea_orm::{ConnectionTrait, Statement};
    let conn = &o.db.door.database().conn;
    let sql = format!("SELECT owner_id AS o, department_id AS d FROM {table} ORDER BY id");
    conn.query_all_raw(Statement::from_string(conn.get_database_backend(), sql))
        .await
        .unwrap()
        .iter()
        .map(|row| (row.try_get("", "o").unwrap(), row.try_get("", "d").unwrap()))
        .collect()
}

#[rstest]
#[case::sqlite(Engine::Sqlite)]
#[case::postgres(Engine::Postgres)]
#[tokio::test]
async fn a_departing_users_open_records_go_to_a_colleague_in_one_audited_action(#[case] engine: Engine) {
    let o = office(engine).await;
    let kept = o.create(&o.anna, "Anna Kept Client", "kept@anna.example").await;
    let old = o.create(&o.anna, "Anna Old Client", "old@anna.example").await;
    o.ok(&o.anna, "customers.create_contact", json!({"first_name": "Ivan", "organisation_id": kept["id"]})).await;
    // A manager archives one: archived records keep their owner, as their history does.
    o.ok(&o.boris, "customers.archive_organisation", json!({"id": old["id"], "version": 1})).await;
    let sergei_id = json!(o.sergei.user_id);
    let anna_id = json!(o.anna.user_id);
    let before = (owners(&o, "organisations").await, owners(&o, "contacts").await);

    // Bad choices are named by the field, and nothing happens: Anna stays active.
    for (heir, why) in [(anna_id.clone(), "herself"), (json!("0192f3a4-0000-7000-8000-00000000abcd"), "an unknown id")]
    {
        let err =
            o.db.call("security.offboard_user", json!({"user_id": anna_id, "reassign_to": heir})).await.unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidInput, "{why}");
        assert!(err.fields.contains_key("reassign_to"), "{why}: {err:?}");
    }
    let gone = user(&o.db, "gone", BuiltInRole::Sales, None).await;
    o.db.ok("security.deactivate_user", json!({"user_id": gone.user_id})).await;
    let err =
        o.db.call("security.offboard_user", json!({"user_id": anna_id, "reassign_to": gone.user_id}))
            .await
            .unwrap_err();
    assert!(err.fields.contains_key("reassign_to"), "a deactivated colleague: {err:?}");
    assert_eq!((owners(&o, "organisations").await, owners(&o, "contacts").await), before, "nothing moved");
    o.db.door.sign_in(credentials("anna")).await.expect("Anna is still active");

    // Handed to Sergei, in his department (Service): he sees them, Anna's colleague no longer.
    let done = o.db.ok("security.offboard_user", json!({"user_id": anna_id, "reassign_to": sergei_id})).await;
    assert_eq!(done["user"]["active"], false);
    let counts: Vec<(String, u64)> = done["reassigned"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["table"].as_str().unwrap().to_owned(), r["count"].as_u64().unwrap()))
        .collect();
    assert!(counts.contains(&("organisations".into(), 1)), "only the open one: {counts:?}");
    assert!(counts.contains(&("contacts".into(), 1)), "{counts:?}");
    let err = o.db.door.sign_in(credentials("anna")).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::PermissionDenied, "no further sign-in: the account is deactivated");
    assert_eq!(o.names_listed(&o.sergei).await, ["Anna Kept Client"], "Sergei sees what he took over");
    assert!(o.names_listed(&o.alex).await.is_empty(), "Anna's former colleague no longer sees it");
    let card = o.ok(&o.sergei, "customers.get_organisation", json!({"id": kept["id"]})).await;
    assert_eq!(card["organisation"]["owner_id"], sergei_id);
    assert_eq!(card["organisation"]["version"], 2, "reassigning is a change like any other");
    let history = o.ok(&o.sergei, "history.record", json!({"table": "organisations", "id": kept["id"]})).await;
    let fields: Vec<&str> =
        history["entries"][0]["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["department_id", "owner_id"], "the history says who it went to");
    let archived = o.ok(&o.ada, "customers.get_organisation", json!({"id": old["id"]})).await;
    assert_eq!(archived["organisation"]["owner_id"], anna_id, "the archived one stays hers");

    // The audit of everything she touched: every record she created, newest first, with the
    // fields — for the auditor; refused to her former colleague.
    let touched = o.ok(&o.ada, "audit.changes_by_person", json!({"actor_id": anna_id})).await;
    let entries = touched["entries"].as_array().unwrap();
    let seen: Vec<(&str, &str, &str)> = entries
        .iter()
        .map(|e| (e["table"].as_str().unwrap(), e["action"].as_str().unwrap(), e["title"].as_str().unwrap_or("")))
        .collect();
    assert_eq!(
        seen,
        [
            ("contacts", "insert", "Ivan"),
            ("organisations", "insert", "Anna Old Client"),
            ("organisations", "insert", "Anna Kept Client")
        ],
        "{touched}"
    );
    assert!(entries[2]["fields"].as_array().unwrap().iter().any(|f| f == "name"));
    let page = o.ok(&o.ada, "audit.changes_by_person", json!({"actor_id": anna_id, "limit": 2})).await;
    let rest = o
        .ok(&o.ada, "audit.changes_by_person", json!({"actor_id": anna_id, "before_seq": page["next_before_seq"]}))
        .await;
    assert_eq!(
        page["entries"].as_array().unwrap().len() + rest["entries"].as_array().unwrap().len(),
        3,
        "pages cover it once"
    );
    let refused = o.call(&o.alex, "audit.changes_by_person", json!({"actor_id": anna_id})).await.unwrap_err();
    assert_eq!(refused.code, ErrorCode::PermissionDenied);
}

#[rstest]
#[case::sqlite(Engine::Sqlite)]
#[case::postgres(Engine::Postgres)]
#[tokio::test]
async fn how_far_a_role_sees_is_set_by_an_administrator_and_applies_at_the_next_call(#[case] engine: Engine) {
    let o = office(engine).await;
    o.create(&o.anna, "Anna Team Client", "team@anna.example").await;
    let alex = o.db.door.sign_in(credentials("alex")).await.unwrap();
    assert!(o.names_listed(&alex.actor).await.is_empty());
    let roles = o.db.ok("security.list_roles", json!({})).await;
    let role =
        |key: &str| roles["roles"].as_array().unwrap().iter().find(|r| r["built_in"] == key).unwrap()["id"].clone();

    o.db.ok("security.set_role_visibility", json!({"role_id": role("sales"), "visibility": "department"})).await;
    let actor = o.db.door.session_actor(&alex.token).await.unwrap();
    assert_eq!(o.names_listed(&actor).await, ["Anna Team Client"], "now he sees his department's records");

    let err =
        o.db.call("security.set_role_visibility", json!({"role_id": role("administrator"), "visibility": "own"}))
            .await
            .unwrap_err();
    assert!(err.fields.contains_key("visibility"), "the administrator role always sees all: {err:?}");
    let err =
        o.db.call("security.set_role_visibility", json!({"role_id": role("sales"), "visibility": "everything"}))
            .await
            .unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput, "an unknown visibility is named");
    let denied = o
        .call(&actor, "security.set_role_visibility", json!({"role_id": role("sales"), "visibility": "all"}))
        .await
        .unwrap_err();
    assert_eq!(denied.code, ErrorCode::PermissionDenied, "only who manages roles");
}

#[rstest]
#[case::sqlite(Engine::Sqlite)]
#[case::postgres(Engine::Postgres)]
#[tokio::test]
async fn colleagues_names_are_there_for_owners_and_pickers_and_nothing_about_signing_in(#[case] engine: Engine) {
    let o = office(engine).await;
    let directory = o.ok(&o.alex, "security.list_colleagues", json!({})).await;
    let names: Vec<&str> =
        directory["users"].as_array().unwrap().iter().map(|u| u["display_name"].as_str().unwrap()).collect();
    assert_eq!(names, ["ada", "alex", "anna", "boris", "sergei"]);
    assert_eq!(directory["departments"].as_array().unwrap().len(), 3);
    let text = directory.to_string();
    assert!(!text.contains("login") && !text.contains("password") && !text.contains("role"), "{text}");
    let newcomer = user(&o.db, "nina", BuiltInRole::Newcomer, None).await;
    let err = o.call(&newcomer, "security.list_colleagues", json!({})).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::PermissionDenied, "a new user sees no one until given a role");
}

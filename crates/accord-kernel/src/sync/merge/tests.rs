use super::*;
use proptest::prelude::*;
use serde_json::json;

const IMPORTANT: &[&str] = &["status"];

fn device(n: u8) -> Uuid {
    Uuid::from_bytes([n; 16])
}

fn entry(hlc: i64, dev: u8, action: ChangeAction, fields: &[(&str, Value, Value)]) -> MergeEntry {
    MergeEntry {
        id: EntryId { hlc, device_id: device(dev) },
        actor_id: device(100 + dev),
        operation: "test.edit".into(),
        action,
        fields: fields
            .iter()
            .map(|(name, old, new)| ((*name).to_owned(), FieldChange { old: old.clone(), new: new.clone() }))
            .collect(),
    }
}

fn created() -> MergeEntry {
    entry(
        10,
        1,
        ChangeAction::Insert,
        &[
            ("name", Value::Null, json!("Acme")),
            ("city", Value::Null, json!("Kazan")),
            ("status", Value::Null, json!("open")),
        ],
    )
}

#[test]
fn edits_of_different_fields_on_two_devices_both_win() {
    let a = entry(20, 1, ChangeAction::Update, &[("name", json!("Acme"), json!("Acme Ltd"))]);
    let b = entry(21, 2, ChangeAction::Update, &[("city", json!("Kazan"), json!("Moscow"))]);
    let merged = merge(&[created(), b, a], IMPORTANT);
    assert_eq!(merged.fields["name"], json!("Acme Ltd"));
    assert_eq!(merged.fields["city"], json!("Moscow"));
    assert!(merged.conflicts.is_empty());
}

#[test]
fn an_ordinary_field_takes_the_newest_stamp_and_the_device_breaks_a_tie() {
    let a = entry(30, 2, ChangeAction::Update, &[("city", json!("Kazan"), json!("Tabriz"))]);
    let b = entry(30, 1, ChangeAction::Update, &[("city", json!("Kazan"), json!("Moscow"))]);
    let merged = merge(&[created(), a.clone(), b.clone()], IMPORTANT);
    assert_eq!(merged.fields["city"], json!("Tabriz"), "same stamp: the greater device id is newer");
    assert_eq!(merged, merge(&[b, created(), a], IMPORTANT));
}

#[test]
fn concurrent_edits_of_an_important_field_are_kept_as_a_conflict() {
    let mine = entry(40, 1, ChangeAction::Update, &[("status", json!("open"), json!("won"))]);
    let theirs = entry(41, 2, ChangeAction::Update, &[("status", json!("open"), json!("lost"))]);
    let merged = merge(&[created(), theirs.clone(), mine.clone()], IMPORTANT);
    assert_eq!(merged.fields["status"], json!("won"), "the field keeps the value applied first");
    assert_eq!(merged.conflicts.len(), 1);
    let conflict = &merged.conflicts[0];
    assert_eq!(
        (conflict.field.as_str(), &conflict.kept.value, &conflict.other.value),
        ("status", &json!("won"), &json!("lost"))
    );
    assert_eq!(conflict.kept.entry, mine.id);
    assert_eq!(conflict.other.entry, theirs.id);
}

#[test]
fn the_same_value_set_on_both_sides_is_no_conflict() {
    let mine = entry(40, 1, ChangeAction::Update, &[("status", json!("open"), json!("won"))]);
    let theirs = entry(41, 2, ChangeAction::Update, &[("status", json!("open"), json!("won"))]);
    assert!(merge(&[created(), mine, theirs], IMPORTANT).conflicts.is_empty());
}

#[test]
fn an_edit_that_saw_the_previous_value_is_no_conflict() {
    let first = entry(40, 1, ChangeAction::Update, &[("status", json!("open"), json!("won"))]);
    let second = entry(41, 2, ChangeAction::Update, &[("status", json!("won"), json!("invoiced"))]);
    let merged = merge(&[second, created(), first], IMPORTANT);
    assert_eq!(merged.fields["status"], json!("invoiced"));
    assert!(merged.conflicts.is_empty());
}

#[test]
fn a_resolution_closes_the_conflict_and_sets_the_chosen_value() {
    let mine = entry(40, 1, ChangeAction::Update, &[("status", json!("open"), json!("won"))]);
    let theirs = entry(41, 2, ChangeAction::Update, &[("status", json!("open"), json!("lost"))]);
    let mut resolution = entry(50, 2, ChangeAction::Update, &[("status", json!("won"), json!("lost"))]);
    resolution.operation = RESOLVE_OPERATION.into();
    let merged = merge(&[created(), mine.clone(), theirs.clone(), resolution], IMPORTANT);
    assert_eq!(merged.fields["status"], json!("lost"));
    assert!(merged.conflicts.is_empty());

    let mut plain_edit = entry(50, 3, ChangeAction::Update, &[("status", json!("won"), json!("paused"))]);
    plain_edit.operation = "test.edit".into();
    let merged = merge(&[created(), mine, theirs, plain_edit], IMPORTANT);
    assert_eq!(merged.conflicts.len(), 1, "an ordinary edit does not resolve a conflict its writer may not have seen");
}

#[test]
fn the_first_entry_a_field_has_here_sets_it_whatever_it_replaced() {
    // The owner was set before the log existed (a migration): the entry that changes it says
    // so, and nobody's concurrent value is hidden by accepting it.
    let reassigned = entry(40, 1, ChangeAction::Update, &[("owner_id", json!("anna"), json!("boris"))]);
    let merged = merge(&[created(), reassigned], &[]);
    assert_eq!(merged.fields["owner_id"], json!("boris"));
    assert!(merged.conflicts.is_empty());
}

#[test]
fn owners_are_important_for_every_kind() {
    let mine = entry(40, 1, ChangeAction::Update, &[("owner_id", Value::Null, json!("anna"))]);
    let theirs = entry(41, 2, ChangeAction::Update, &[("owner_id", Value::Null, json!("boris"))]);
    assert_eq!(merge(&[created(), mine, theirs], &[]).conflicts.len(), 1);
}

#[test]
fn archive_beats_a_concurrent_edit_and_a_later_restore_it_did_not_see() {
    let archived = entry(40, 1, ChangeAction::Archive, &[(ARCHIVE_FIELD, Value::Null, json!("2026-12-01T10:00:00Z"))]);
    let edit = entry(41, 2, ChangeAction::Update, &[("city", json!("Kazan"), json!("Moscow"))]);
    let merged = merge(&[created(), edit, archived.clone()], IMPORTANT);
    assert!(merged.is_archived());
    assert_eq!(merged.fields["city"], json!("Moscow"), "the edit is kept in the archived record");

    // Device 2 had archived and restored it on its own; device 1 archived it meanwhile.
    let other_archive =
        entry(35, 2, ChangeAction::Archive, &[(ARCHIVE_FIELD, Value::Null, json!("2026-11-30T09:00:00Z"))]);
    let restore_of_it =
        entry(45, 2, ChangeAction::Restore, &[(ARCHIVE_FIELD, json!("2026-11-30T09:00:00Z"), Value::Null)]);
    let merged = merge(&[created(), other_archive, archived, restore_of_it], IMPORTANT);
    assert!(merged.is_archived(), "the restore saw another archive, not this one");
}

#[test]
fn a_restore_that_saw_the_archive_brings_it_back() {
    let archived = entry(40, 1, ChangeAction::Archive, &[(ARCHIVE_FIELD, Value::Null, json!("2026-12-01T10:00:00Z"))]);
    let restored = entry(50, 2, ChangeAction::Restore, &[(ARCHIVE_FIELD, json!("2026-12-01T10:00:00Z"), Value::Null)]);
    assert!(!merge(&[restored, archived, created()], IMPORTANT).is_archived());
}

#[test]
fn created_and_last_come_from_the_entries() {
    let edit = entry(20, 2, ChangeAction::Update, &[("city", json!("Kazan"), json!("Moscow"))]);
    let merged = merge(&[edit.clone(), created()], IMPORTANT);
    assert_eq!(merged.created.map(|c| c.0), Some(created().id));
    assert_eq!(merged.last.map(|c| c.0), Some(edit.id));
}

// ---- Properties: the merge is a function of the set of entries. ----

/// A history written the way replicas write: each device edits what it sees (its own entries
/// and what it received), so an entry's old value is its writer's merged value.
fn history(steps: Vec<(u8, u8, u8, bool)>) -> Vec<MergeEntry> {
    const FIELDS: [&str; 3] = ["name", "status", ARCHIVE_FIELD];
    let mut seen: Vec<Vec<MergeEntry>> = vec![vec![created()]; 3];
    let mut all = vec![created()];
    let mut hlc = 100;
    for (dev, field, value, share) in steps {
        let dev = (dev % 3) as usize;
        if share {
            // The device syncs: it now holds every entry so far.
            seen[dev] = all.clone();
            continue;
        }
        hlc += 1;
        let field = FIELDS[(field % 3) as usize];
        let now = merge(&seen[dev], IMPORTANT);
        let old = now.fields.get(field).cloned().unwrap_or(Value::Null);
        let (action, new) = if field == ARCHIVE_FIELD {
            if old.is_null() {
                (ChangeAction::Archive, json!(format!("t{hlc}")))
            } else {
                (ChangeAction::Restore, Value::Null)
            }
        } else {
            (ChangeAction::Update, json!(format!("v{}", value % 4)))
        };
        if old == new {
            continue;
        }
        let written = entry(hlc, dev as u8 + 1, action, &[(field, old, new)]);
        seen[dev].push(written.clone());
        all.push(written);
    }
    all
}

fn steps() -> impl Strategy<Value = Vec<(u8, u8, u8, bool)>> {
    proptest::collection::vec((any::<u8>(), any::<u8>(), any::<u8>(), proptest::bool::weighted(0.3)), 0..40)
}

proptest! {
    #[test]
    fn any_order_and_any_repetition_gives_the_same_record(
        steps in steps(),
        seed in any::<u64>(),
        repeats in proptest::collection::vec(any::<prop::sample::Index>(), 0..10),
    ) {
        let entries = history(steps);
        let reference = merge(&entries, IMPORTANT);
        let mut shuffled = entries.clone();
        for index in &repeats {
            shuffled.push(index.get(&entries).clone());
        }
        // A deterministic shuffle from the seed.
        let mut state = seed | 1;
        for i in (1..shuffled.len()).rev() {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            shuffled.swap(i, (state % (i as u64 + 1)) as usize);
        }
        prop_assert_eq!(merge(&shuffled, IMPORTANT), reference);
    }

    #[test]
    fn merging_in_two_halves_equals_merging_at_once(steps in steps(), split in any::<prop::sample::Index>()) {
        let entries = history(steps);
        let at = split.index(entries.len() + 1);
        let (first, second) = entries.split_at(at);
        let mut union: Vec<MergeEntry> = second.to_vec();
        union.extend_from_slice(first);
        union.extend_from_slice(first);
        prop_assert_eq!(merge(&union, IMPORTANT), merge(&entries, IMPORTANT));
    }

    #[test]
    fn one_device_alone_never_conflicts_and_ends_with_what_it_wrote_last(
        values in proptest::collection::vec((0u8..2, any::<u8>()), 1..30),
    ) {
        let mut entries = vec![created()];
        let mut expected = merge(&entries, IMPORTANT).fields;
        for (hlc, (field, value)) in values.into_iter().enumerate() {
            let field = ["name", "status"][field as usize];
            let new = json!(format!("v{value}"));
            let old = expected.get(field).cloned().unwrap_or(Value::Null);
            entries.push(entry(100 + hlc as i64, 1, ChangeAction::Update, &[(field, old, new.clone())]));
            expected.insert(field.to_owned(), new);
        }
        let merged = merge(&entries, IMPORTANT);
        prop_assert!(merged.conflicts.is_empty());
        prop_assert_eq!(merged.fields, expected);
    }
}

//! The merge of one record from its change-log entries: a pure function of the *set* of
//! entries, so every replica that holds the same entries holds the same record, whatever order
//! they arrived in and however often (ADR 0014).
//!
//! Per field, in stamp order (`hlc`, then device id):
//! - an ordinary field takes the value of its newest entry (last writer wins);
//! - the archive mark is sticky: an archive always holds until a restore that saw it — one
//!   whose old value is that archive's time, or a later archive's — so an archive made
//!   concurrently with a restore, later than what the restorer saw, holds;
//! - an important field (amounts, dates, statuses, owners — declared per kind) accepts an
//!   entry only when the entry's old value is the field's value at that point, that is, when
//!   its writer saw the value it replaced. Otherwise the edit was concurrent: the field keeps
//!   its value and both values are kept as a [`FieldConflict`] for a person to resolve. A
//!   resolution (an entry of [`RESOLVE_OPERATION`]) closes the field's conflicts it follows.

use std::collections::BTreeMap;

use serde_json::{Map, Value};
use uuid::Uuid;

use crate::changelog::{ChangeAction, FieldChange};

/// The field every record's archive mark travels under in the change log.
pub const ARCHIVE_FIELD: &str = "archived_at";

/// The operation whose entries resolve a field's conflicts.
pub const RESOLVE_OPERATION: &str = "sync.resolve_conflict";

/// Fields every kind treats as important: who a record belongs to decides who sees it.
pub const OWNERSHIP_FIELDS: &[&str] = &["owner_id", "department_id"];

/// An entry's identity and merge order: its stamp, then its device.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
pub struct EntryId {
    pub hlc: i64,
    pub device_id: Uuid,
}

/// One change-log entry of a record, as the merge reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct MergeEntry {
    pub id: EntryId,
    pub actor_id: Uuid,
    pub operation: String,
    pub action: ChangeAction,
    pub fields: BTreeMap<String, FieldChange>,
}

/// Who wrote a value, when and where.
#[derive(Debug, Clone, PartialEq)]
pub struct Contender {
    pub entry: EntryId,
    pub actor_id: Uuid,
    pub value: Value,
}

/// Two concurrent values of one important field: `kept` is what the field holds until a
/// person chooses, `other` the value that was not applied.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldConflict {
    pub field: String,
    pub kept: Contender,
    pub other: Contender,
}

/// A record as its entries make it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Merged {
    /// Every field any entry set, with its merged value (`archived_at` included).
    pub fields: Map<String, Value>,
    /// The entry that created it, when this replica holds it.
    pub created: Option<(EntryId, Uuid)>,
    /// The newest entry: when and by whom it last changed.
    pub last: Option<(EntryId, Uuid)>,
    /// Open conflicts, by field and then by the other value's entry.
    pub conflicts: Vec<FieldConflict>,
}

impl Merged {
    pub fn is_archived(&self) -> bool {
        self.fields.get(ARCHIVE_FIELD).is_some_and(|v| !v.is_null())
    }
}

/// How one field's value came to be, while the entries are folded.
struct FieldState {
    value: Value,
    by: Option<Contender>,
    open: Vec<FieldConflict>,
    /// The archive mark only: every archive no restore has seen yet, in stamp order.
    archives: Vec<Value>,
}

/// Merges a record from its entries. Duplicates (the same [`EntryId`]) count once; the
/// order of `entries` does not matter. `important` names the kind's important fields.
pub fn merge(entries: &[MergeEntry], important: &[&str]) -> Merged {
    let mut ordered: Vec<&MergeEntry> = entries.iter().collect();
    ordered.sort_by_key(|e| e.id);
    ordered.dedup_by_key(|e| e.id);

    let mut merged = Merged::default();
    let mut states: BTreeMap<&str, FieldState> = BTreeMap::new();
    for entry in &ordered {
        if entry.action == ChangeAction::Insert && merged.created.is_none() {
            merged.created = Some((entry.id, entry.actor_id));
        }
        merged.last = Some((entry.id, entry.actor_id));
        for (name, change) in &entry.fields {
            let state = states.entry(name.as_str()).or_insert_with(|| FieldState {
                value: Value::Null,
                by: None,
                open: vec![],
                archives: vec![],
            });
            let contender = Contender { entry: entry.id, actor_id: entry.actor_id, value: change.new.clone() };
            if name == ARCHIVE_FIELD {
                fold_archive_mark(state, change, contender);
            } else if important.contains(&name.as_str()) || OWNERSHIP_FIELDS.contains(&name.as_str()) {
                fold_important(state, name, change, contender, entry.operation == RESOLVE_OPERATION);
            } else {
                state.value = contender.value.clone();
                state.by = Some(contender);
            }
        }
    }
    for (name, state) in states {
        merged.fields.insert(name.to_owned(), state.value);
        merged.conflicts.extend(state.open);
    }
    merged
}

fn fold_archive_mark(state: &mut FieldState, change: &FieldChange, contender: Contender) {
    if change.new.is_null() {
        // A restore takes back the archive its writer saw (the newest one it held) and every
        // earlier one; an archive stamped after that one was made without the restorer's
        // knowledge and holds.
        if let Some(seen) = state.archives.iter().rposition(|archive| *archive == change.old) {
            state.archives.drain(..=seen);
        }
    } else {
        state.archives.push(change.new.clone());
    }
    // The record shows its newest archive, so a restore made here sees all it takes back.
    state.value = state.archives.last().cloned().unwrap_or(Value::Null);
    state.by = Some(contender);
}

fn fold_important(state: &mut FieldState, name: &str, change: &FieldChange, contender: Contender, resolves: bool) {
    // The first entry this field has here sets it: with no earlier writer there is nothing it
    // could have missed (a value made before the log, or a history this database lacks).
    if change.old == state.value || state.by.is_none() {
        if resolves {
            state.open.clear();
        }
        state.value = contender.value.clone();
        state.by = Some(contender);
    } else if change.new == state.value {
        // Both sides set the same value: they agree, nothing to resolve.
    } else {
        let kept = state.by.clone().unwrap_or(Contender {
            entry: contender.entry,
            actor_id: contender.actor_id,
            value: state.value.clone(),
        });
        state.open.push(FieldConflict { field: name.to_owned(), kept, other: contender });
    }
}

#[cfg(test)]
mod tests;

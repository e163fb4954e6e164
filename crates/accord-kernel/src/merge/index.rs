//! A compact index of records by their match keys, for checking new records one by one
//! against many (an import of a million rows): each key's value is kept as a 64-bit hash with
//! the first record that has it and how many do, about 20 bytes a key, instead of the value
//! itself and every member as the scan keeps them. A key shared with a supporting key (a name
//! at the same organisation) is indexed as their pair, so it still makes a match. Two values
//! with one hash would at worst hold a row back for a person to look at: nothing is lost.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};

use uuid::Uuid;

use super::scan::{COMMON, MatchReason, OFFERED, Shared};
use super::{MatchKey, Matching};

/// A key as the index keeps it: its hash, the fields it stands for, and their weights.
type Hashed = (u64, [(&'static str, u32); 2]);

#[derive(Default)]
pub struct KeyIndex {
    ids: Vec<Uuid>,
    /// A key's hash → the first record with it, and how many have it.
    keys: HashMap<u64, (u32, u32)>,
}

impl KeyIndex {
    pub fn add(&mut self, id: Uuid, keys: &[MatchKey]) {
        let index = self.ids.len() as u32;
        self.ids.push(id);
        for (hash, _) in hashed(keys) {
            self.keys.entry(hash).and_modify(|(_, count)| *count += 1).or_insert((index, 1));
        }
    }

    /// Makes room for `records` more records with about as many keys each as those taken in so
    /// far (three when there are none), so the table does not grow — and, for a moment, exist
    /// twice — while an import adds them one by one.
    pub fn reserve(&mut self, records: usize) {
        let per_record = if self.ids.is_empty() { 3 } else { self.keys.len().div_ceil(self.ids.len()).max(1) };
        self.ids.reserve(records);
        self.keys.reserve(records.saturating_mul(per_record));
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The record taken in so far that a record with `keys` most likely duplicates (equal
    /// values; a value shared by too many records says nothing), with its score and reasons.
    pub fn best_match(&self, keys: &[MatchKey]) -> Option<(Uuid, u32, Vec<MatchReason>)> {
        let mut found: HashMap<u32, Shared> = HashMap::new();
        for (hash, fields) in hashed(keys) {
            let Some(&(first, count)) = self.keys.get(&hash) else { continue };
            if count as usize > COMMON {
                continue;
            }
            let shared = found.entry(first).or_default();
            for (field, weight) in fields.into_iter().filter(|(_, weight)| *weight > 0) {
                shared.add(field, false, weight);
            }
        }
        let (member, shared) = found
            .into_iter()
            .filter(|(_, shared)| shared.score() >= OFFERED)
            .max_by(|(a, x), (b, y)| x.score().cmp(&y.score()).then(b.cmp(a)))?;
        Some((self.ids[member as usize], shared.score(), shared.reasons()))
    }
}

/// Each key that matches on its own, and each such key paired with each supporting key.
fn hashed(keys: &[MatchKey]) -> Vec<Hashed> {
    let hash = |parts: &[&str]| {
        let mut hasher = DefaultHasher::new();
        parts.hash(&mut hasher);
        hasher.finish()
    };
    let (supporting, own): (Vec<&MatchKey>, Vec<&MatchKey>) =
        keys.iter().partition(|key| key.matching == Matching::Supporting);
    let mut hashed = Vec::with_capacity(own.len() * (1 + supporting.len()));
    for key in &own {
        hashed.push((hash(&[key.field, &key.value]), [(key.field, key.weight), ("", 0)]));
        for with in &supporting {
            hashed.push((
                hash(&[key.field, &key.value, with.field, &with.value]),
                [(key.field, key.weight), (with.field, with.weight)],
            ));
        }
    }
    hashed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contact(email: Option<&str>, name: &str, organisation: Option<&str>) -> Vec<MatchKey> {
        [
            MatchKey::email(email, 60),
            MatchKey::name("name", name, 40),
            MatchKey::supporting("organisation_id", organisation.map(str::to_owned), 25),
        ]
        .into_iter()
        .flatten()
        .collect()
    }

    #[test]
    fn equal_keys_match_and_a_shared_name_needs_the_same_organisation() {
        let mut index = KeyIndex::default();
        let anna = Uuid::now_v7();
        let ivan = Uuid::now_v7();
        index.add(anna, &contact(Some("anna@romashka.ru"), "Анна Смирнова", Some("romashka")));
        index.add(ivan, &contact(None, "Иван Петров", Some("romashka")));
        let by_email = index.best_match(&contact(Some("ANNA@romashka.ru"), "A. Smirnova", None)).unwrap();
        assert_eq!((by_email.0, by_email.1), (anna, 60));
        let same_org = index.best_match(&contact(None, "Petrov Ivan", Some("romashka"))).unwrap();
        assert_eq!((same_org.0, same_org.1), (ivan, 65));
        assert!(
            index.best_match(&contact(None, "Иван Петров", Some("elsewhere"))).is_none(),
            "a name alone is not enough"
        );
    }

    #[test]
    fn a_value_shared_by_many_says_nothing() {
        let mut index = KeyIndex::default();
        for _ in 0..=COMMON {
            index.add(Uuid::now_v7(), &contact(Some("info@bigco.example"), &Uuid::now_v7().to_string(), None));
        }
        assert!(index.best_match(&contact(Some("info@bigco.example"), "Someone", None)).is_none());
    }
}

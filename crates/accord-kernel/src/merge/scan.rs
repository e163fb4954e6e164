//! Finding likely duplicates among many records at once, in memory and in linear time:
//! records sharing a key's value are grouped by a hash map; names that are nearly equal are
//! found among their neighbours in alphabetical order, and again in the order of their
//! reversed spelling, so a typo at either end of a name is caught (the sorted-neighbourhood
//! method), without comparing every record with every other.

use std::collections::{HashMap, HashSet};

use serde::Serialize;
use ts_rs::TS;
use uuid::Uuid;

use super::{MatchKey, Matching};

/// A pair is offered from this many points.
pub const OFFERED: u32 = 50;
/// Records sharing one value beyond this many are not paired by it: the value is so common
/// (a switchboard, a frequent name) that it says nothing.
pub const COMMON: usize = 20;
/// How many following names, in each order, a name is compared with.
const NEIGHBOURS: usize = 4;
/// How alike two names must be (Jaro–Winkler) to count as nearly equal.
const ALIKE: f64 = 0.93;
/// Names shorter than this are compared only for equality: two short names are too often
/// alike by chance.
const SHORTEST_SIMILAR: usize = 6;

/// One record as the scan sees it.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub id: Uuid,
    pub keys: Vec<MatchKey>,
}

/// Why two records look like one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(rename = "DuplicateReason")]
pub struct MatchReason {
    /// The field they share (`email`, `phone`, `tax_id`, `name`, `organisation_id`).
    pub field: String,
    /// Nearly equal rather than equal.
    pub similar: bool,
}

/// Two records that are likely one, the older first.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct DuplicatePair {
    pub first: Uuid,
    pub second: Uuid,
    /// How sure: from 50 (likely) up; 100 and more is near certain.
    pub score: u32,
    pub reasons: Vec<MatchReason>,
    pub first_title: Option<String>,
    pub second_title: Option<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(rename = "DuplicateScan")]
pub struct ScanResult {
    /// The likeliest pairs first.
    pub pairs: Vec<DuplicatePair>,
    /// How many active records were compared.
    pub scanned: u64,
    /// How many pairs were found in all (more than `pairs` when there were too many to show).
    pub found: u64,
    /// Values shared by so many records that they were not used to pair them.
    pub common_values: u64,
}

/// What two records share, field by field, with the weight it counts.
#[derive(Default)]
pub(super) struct Shared(Vec<(&'static str, bool, u32)>);

impl Shared {
    pub(super) fn add(&mut self, field: &'static str, similar: bool, weight: u32) {
        match self.0.iter_mut().find(|(f, _, _)| *f == field) {
            Some(entry) if entry.2 < weight => *entry = (field, similar, weight),
            Some(_) => {}
            None => self.0.push((field, similar, weight)),
        }
    }

    pub(super) fn score(&self) -> u32 {
        self.0.iter().map(|(_, _, weight)| weight).sum()
    }

    /// The fields shared, the weightiest first.
    pub(super) fn reasons(&self) -> Vec<MatchReason> {
        let mut reasons: Vec<&(&'static str, bool, u32)> = self.0.iter().collect();
        reasons.sort_by(|x, y| y.2.cmp(&x.2).then(x.0.cmp(y.0)));
        reasons
            .iter()
            .map(|(field, similar, _)| MatchReason { field: (*field).to_owned(), similar: *similar })
            .collect()
    }
}

type Found = HashMap<(u32, u32), Shared>;

/// The records holding one value of one key, with how the key counts.
struct Group {
    weight: u32,
    matching: Matching,
    members: Vec<u32>,
}

/// Records taken in one by one as they are read: their keys grouped as they come and each
/// distinct value kept once, so a scan of many records holds little more than their values.
#[derive(Default)]
pub struct Scan {
    ids: Vec<Uuid>,
    /// Each record's supporting keys: the field, the value's number, the weight.
    supporting: Vec<Vec<(&'static str, u32, u32)>>,
    supporting_values: HashMap<Box<str>, u32>,
    groups: HashMap<(&'static str, Box<str>), Group>,
}

impl Scan {
    pub fn add(&mut self, id: Uuid, keys: Vec<MatchKey>) {
        let index = self.ids.len() as u32;
        self.ids.push(id);
        let mut supporting = Vec::new();
        for key in keys {
            if key.matching == Matching::Supporting {
                let next = self.supporting_values.len() as u32;
                let number = *self.supporting_values.entry(key.value.into_boxed_str()).or_insert(next);
                supporting.push((key.field, number, key.weight));
                continue;
            }
            let group = self.groups.entry((key.field, key.value.into_boxed_str())).or_insert_with(|| Group {
                weight: key.weight,
                matching: key.matching,
                members: Vec::new(),
            });
            group.members.push(index);
        }
        self.supporting.push(supporting);
    }

    /// How many records were taken in.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The likely duplicates, the `most` likeliest first, but for the pairs judged distinct
    /// (`dismissed`, each as (smaller id, larger id)).
    pub fn pairs(&self, most: usize, dismissed: &HashSet<(Uuid, Uuid)>) -> ScanResult {
        let mut found = Found::new();
        let mut common_values = 0;
        for ((field, _), group) in &self.groups {
            if group.members.len() > COMMON {
                common_values += 1;
                continue;
            }
            for (i, &a) in group.members.iter().enumerate() {
                for &b in &group.members[i + 1..] {
                    found.entry(pair_key(a, b)).or_default().add(field, false, group.weight);
                }
            }
        }
        near_matches(&self.groups, &mut found);
        self.supporting_matches(&mut found);
        let mut pairs: Vec<DuplicatePair> = found
            .into_iter()
            .filter(|(_, shared)| shared.score() >= OFFERED)
            .map(|((a, b), shared)| to_pair(self.ids[a as usize], self.ids[b as usize], &shared))
            .filter(|pair| !dismissed.contains(&(pair.first, pair.second)))
            .collect();
        pairs.sort_by(|x, y| y.score.cmp(&x.score).then(x.first.cmp(&y.first)).then(x.second.cmp(&y.second)));
        let total = pairs.len() as u64;
        pairs.truncate(most);
        ScanResult { pairs, scanned: self.ids.len() as u64, found: total, common_values }
    }

    /// Adds what supports a pair found otherwise (the same organisation).
    fn supporting_matches(&self, found: &mut Found) {
        for ((a, b), shared) in found.iter_mut() {
            let (first, second) = (&self.supporting[*a as usize], &self.supporting[*b as usize]);
            for (field, value, weight) in first {
                if second.iter().any(|(f, v, _)| f == field && v == value) {
                    shared.add(field, false, *weight);
                }
            }
        }
    }
}

fn pair_key(a: u32, b: u32) -> (u32, u32) {
    if a < b { (a, b) } else { (b, a) }
}

/// The likely duplicates among `candidates` (see [`Scan::pairs`]).
pub fn pairs(candidates: &[Candidate], most: usize, dismissed: &HashSet<(Uuid, Uuid)>) -> ScanResult {
    let mut scan = Scan::default();
    for candidate in candidates {
        scan.add(candidate.id, candidate.keys.clone());
    }
    scan.pairs(most, dismissed)
}

/// Pairs of records whose names are nearly, not exactly, equal.
fn near_matches(groups: &HashMap<(&'static str, Box<str>), Group>, found: &mut Found) {
    let similar_fields: std::collections::BTreeSet<&'static str> =
        groups.iter().filter(|(_, group)| group.matching == Matching::Similar).map(|((field, _), _)| *field).collect();
    for field in similar_fields {
        // Each distinct value once, with its records; a value too common to pair by is left out.
        let mut values: Vec<(String, &str, u32, &Vec<u32>)> = groups
            .iter()
            .filter(|((f, value), group)| {
                *f == field && group.members.len() <= COMMON && value.chars().count() >= SHORTEST_SIMILAR
            })
            .map(|((_, value), group)| (String::new(), &**value, group.weight, &group.members))
            .collect();
        for reversed in [false, true] {
            for entry in &mut values {
                entry.0 = if reversed { entry.1.chars().rev().collect() } else { entry.1.to_owned() };
            }
            values.sort_by(|a, b| a.0.cmp(&b.0));
            for (i, (a_order, _, weight, a_members)) in values.iter().enumerate() {
                for (b_order, _, _, b_members) in values.iter().skip(i + 1).take(NEIGHBOURS) {
                    if strsim::jaro_winkler(a_order, b_order) < ALIKE {
                        continue;
                    }
                    for &a in a_members.iter() {
                        for &b in b_members.iter() {
                            found.entry(pair_key(a, b)).or_default().add(field, true, weight * 3 / 4);
                        }
                    }
                }
            }
        }
    }
}

fn to_pair(x: Uuid, y: Uuid, shared: &Shared) -> DuplicatePair {
    // UUIDv7 ids grow with time: the smaller is the older record, offered as the survivor.
    let (first, second) = if x < y { (x, y) } else { (y, x) };
    DuplicatePair {
        first,
        second,
        score: shared.score(),
        reasons: shared.reasons(),
        first_title: None,
        second_title: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::merge::name_key;

    fn person(n: u128, name: &str, email: Option<&str>, organisation: Option<&str>) -> Candidate {
        let keys = [
            MatchKey::of("email", email, 60, Matching::Exact),
            MatchKey::of("name", Some(&name_key(name)), 40, Matching::Similar),
            MatchKey::of("organisation_id", organisation, 25, Matching::Supporting),
        ];
        Candidate { id: Uuid::from_u128(n), keys: keys.into_iter().flatten().collect() }
    }

    #[test]
    fn a_shared_email_or_a_name_in_one_organisation_makes_a_pair_and_a_name_alone_does_not() {
        let found = pairs(
            &[
                person(1, "Anna Smirnova", Some("anna@example.com"), None),
                person(2, "A. Smirnova", Some("anna@example.com"), None),
                person(3, "Ivan Petrov", None, Some("org-1")),
                person(4, "Петров Иван", None, Some("org-1")),
                person(5, "Olga Orlova", None, Some("org-1")),
                person(6, "Olga Orlova", None, Some("org-2")),
            ],
            10,
            &HashSet::new(),
        );
        let ids: Vec<(u128, u128, u32)> =
            found.pairs.iter().map(|p| (p.first.as_u128(), p.second.as_u128(), p.score)).collect();
        // The email (60) and the nearly equal name, an initial for the first name (30).
        assert_eq!(ids, vec![(1, 2, 90), (3, 4, 65)]);
        assert_eq!(found.pairs[1].reasons[0], MatchReason { field: "name".into(), similar: false });
        assert_eq!(found.scanned, 6);
    }

    #[test]
    fn a_name_typed_with_a_slip_at_either_end_is_nearly_equal() {
        let found = pairs(
            &[
                person(1, "Konstantin Rybakov", None, Some("org-1")),
                person(2, "Konstantin Rybakob", None, Some("org-1")),
                person(3, "Xonstantin Rybakov", None, Some("org-1")),
            ],
            10,
            &HashSet::new(),
        );
        for other in [2, 3] {
            let pair = found.pairs.iter().find(|p| p.first.as_u128() == 1 && p.second.as_u128() == other);
            let pair = pair.unwrap_or_else(|| panic!("1 and {other} not paired: {found:?}"));
            assert!(pair.reasons[0].similar && pair.score == 30 + 25, "{pair:?}");
        }
    }

    #[test]
    fn a_value_shared_by_very_many_records_pairs_none_of_them() {
        let many: Vec<Candidate> =
            (0..=COMMON as u128).map(|n| person(n, &format!("Person {n}"), Some("office@example.com"), None)).collect();
        let found = pairs(&many, 10, &HashSet::new());
        assert!(found.pairs.is_empty());
        assert_eq!(found.common_values, 1);
    }
}

//! Duplicates and merge (CUST-5), as a mechanism every kind of record gets by declaring it.
//!
//! A kind implements [`Mergeable`]: the fields a person chooses between, and the keys that
//! make two of its records likely the same ([`MatchKey`]: a normalised email, phone or tax id,
//! a name read the same across Latin, Cyrillic and Persian letters). [`scan`] finds likely
//! pairs among every active record within the user's reach; [`pair::merge_pair`] keeps one
//! record, takes the chosen fields from the other and archives it. What refers to the
//! archived record is moved by the registry above, through every kind's declared references
//! (`Record::REFERENCES`), so a domain added later is covered without merge code of its own.
//! Each merge is kept as a record ([`Merge`]): the archived record points to its survivor,
//! and the merge can be undone. A pair a person judged distinct is kept too ([`Dismissal`]),
//! so it is not offered again.

mod dismissals;
pub mod index;
mod merges;
pub mod pair;
pub mod scan;

use crate::records::Archivable;
use crate::search::normalise;

pub use dismissals::Dismissal;
pub use index::KeyIndex;
pub use merges::{FieldTaken, Merge, MovedReference};
pub use scan::{Candidate, DuplicatePair, MatchReason, Scan, ScanResult};

/// The permissions of duplicates and merge.
pub mod permissions {
    use crate::security::Permission;
    /// Look for likely duplicates and compare two records side by side.
    pub const FIND: Permission = Permission::new("duplicates.find");
    /// Merge two records into one, and undo a merge.
    pub const MERGE: Permission = Permission::new("duplicates.merge");
}

/// How two records' values of one key count as the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Matching {
    /// Equal values make a pair (an email, a phone, a tax id).
    Exact,
    /// Equal or nearly equal values make a pair (a name typed twice a little differently);
    /// a near match counts three quarters of the weight.
    Similar,
    /// Equal values only add to a pair another key found (the same organisation): on their
    /// own they are too common to mean anything.
    Supporting,
}

/// One thing that makes two records of a kind likely the same, with how much it counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatchKey {
    /// The field it comes from, as the user sees it named (`email`, `name`).
    pub field: &'static str,
    /// Its normalised value.
    pub value: String,
    /// How much a match counts; a pair is offered from [`scan::OFFERED`] points.
    pub weight: u32,
    pub matching: Matching,
}

impl MatchKey {
    /// A key of a present, non-blank value.
    pub fn of(field: &'static str, value: Option<&str>, weight: u32, matching: Matching) -> Option<Self> {
        let value = value?.trim();
        (!value.is_empty()).then(|| Self { field, value: value.to_owned(), weight, matching })
    }

    /// An email address, whatever its letters' case.
    pub fn email(value: Option<&str>, weight: u32) -> Option<Self> {
        Self::of("email", value.map(str::to_lowercase).as_deref(), weight, Matching::Exact)
    }

    /// A phone number without its extension: one switchboard, whichever desk.
    pub fn phone(value: Option<&str>, weight: u32) -> Option<Self> {
        Self::of("phone", value.and_then(|v| v.split(';').next()), weight, Matching::Exact)
    }

    /// A code such as a tax id, in whatever digits and with whatever spacing it was typed.
    pub fn code(field: &'static str, value: Option<&str>, weight: u32) -> Option<Self> {
        Self::of(field, value.map(|v| normalise(v).replace(' ', "")).as_deref(), weight, Matching::Exact)
    }

    /// A website by its host: with or without `https://`, `www.` or a path.
    pub fn website(value: Option<&str>, weight: u32) -> Option<Self> {
        let host = value.map(|v| {
            let v = v.trim().to_lowercase();
            let v = v.split_once("://").map_or(v.as_str(), |(_, rest)| rest).to_owned();
            let host = v.split(['/', '?', '#']).next().unwrap_or_default();
            host.strip_prefix("www.").unwrap_or(host).to_owned()
        });
        Self::of("website", host.as_deref(), weight, Matching::Exact)
    }

    /// A name, matched equal or nearly equal across scripts ([`name_key`]).
    pub fn name(field: &'static str, value: &str, weight: u32) -> Option<Self> {
        Self::of(field, Some(&name_key(value)), weight, Matching::Similar)
    }

    /// A value that only adds to a pair found otherwise (the same organisation).
    pub fn supporting(field: &'static str, value: Option<String>, weight: u32) -> Option<Self> {
        Self::of(field, value.as_deref(), weight, Matching::Supporting)
    }
}

/// A kind of record whose duplicates can be found and merged (CUST-5).
pub trait Mergeable: Archivable {
    /// The fields a person chooses between when two records are merged, in the order shown.
    /// Custom values (`custom.<key>`) are offered too when the kind takes custom fields.
    const MERGE_FIELDS: &'static [&'static str];

    /// What makes two records of this kind likely the same.
    fn match_keys(&self) -> Vec<MatchKey>;

    /// Recomputes what follows from the fields a merge chose (a full name from its parts,
    /// the sort key).
    fn settle(&mut self) {
        self.derive();
    }
}

/// Words that say what legal form an organisation has, not which one it is.
const LEGAL_FORMS: &[&str] = &[
    "ооо",
    "оао",
    "зао",
    "пао",
    "ао",
    "нко",
    "ип",
    "llc",
    "ltd",
    "inc",
    "gmbh",
    "co",
    "corp",
    "plc",
    "sa",
    "ag",
    "شرکت",
    "سهامی",
    "خاص",
    "عام",
    "مسئولیت",
    "محدود",
    "تعاونی",
];

/// A name as duplicates are matched by it: the search's normal form (case, ё/е, Persian and
/// Arabic letter variants, digits, ZWNJ), legal forms dropped, Latin letters read as Russian
/// (Ivanov and Иванов are one name), Persian words joined (پارس‌نیرو, پارس نیرو and پارسنیرو
/// are one), the other words in alphabetical order (Ivan Petrov, Petrov Ivan).
pub fn name_key(name: &str) -> String {
    let normal = normalise(name);
    let mut words: Vec<String> = Vec::new();
    let mut persian_run = String::new();
    for word in normal.split(' ').filter(|w| !w.is_empty() && !LEGAL_FORMS.contains(w)) {
        if crate::search::is_arabic_script(word) {
            persian_run.push_str(word);
            continue;
        }
        if !persian_run.is_empty() {
            words.push(std::mem::take(&mut persian_run));
        }
        let has_latin = word.chars().any(|c| c.is_ascii_alphabetic());
        words.push(if has_latin { crate::search::variants::to_cyrillic(word) } else { word.to_owned() });
    }
    if !persian_run.is_empty() {
        words.push(persian_run);
    }
    words.sort();
    words.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_name_written_in_other_letters_or_order_has_one_key() {
        assert_eq!(name_key("Ivanov Ivan"), name_key("Иван Иванов"));
        assert_eq!(name_key("Пётр Сёмин"), name_key("петр семин"));
        assert_eq!(name_key("ООО «Ромашка»"), name_key("Romashka LLC"));
        // Persian: Arabic yeh and kaf, ZWNJ or space or nothing between a word's parts.
        assert_eq!(name_key("شرکت پارس‌نیرو"), name_key("پارس نيرو"));
        assert_eq!(name_key("پارسنیرو"), name_key("پارس‌نیرو"));
        assert_eq!(name_key("كاوه"), name_key("کاوه"));
        assert_ne!(name_key("Ivan Petrov"), name_key("Ivan Sidorov"));
    }
}

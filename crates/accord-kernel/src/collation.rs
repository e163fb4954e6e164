//! Alphabetical order as a reader expects it (CLDR collation through ICU4X), stored as a
//! sort key so lists page by an index and both engines order identically.
//!
//! A name's key is its script group, then the collation key of the language that writes
//! that script: Latin names first (CLDR root order), then Cyrillic (Russian: Ё with Е), then
//! Arabic script (Persian: پ چ ژ گ in their places, و before ه), then everything else. The
//! key is hex, so byte order (SQLite BINARY, PostgreSQL "C") is the collation order.

use std::sync::LazyLock;

use icu_collator::options::CollatorOptions;
use icu_collator::{CollatorBorrowed, CollatorPreferences};
use icu_locale_core::locale;

/// What the stored keys were made with; a change rebuilds every key (ADR 0008).
pub const COLLATION_RULES: &str = "icu4x-2.4-cldr";

/// The stored key's limit in bytes before hex (the column holds 400 characters): names that
/// agree on this much of their key are ordered by id.
const MAX_KEY_BYTES: usize = 190;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ScriptGroup {
    Latin,
    Cyrillic,
    Arabic,
    Other,
}

impl ScriptGroup {
    /// The script of the first letter (digits and punctuation do not decide).
    fn of(name: &str) -> Self {
        name.chars().find(|c| c.is_alphabetic()).map_or(Self::Other, |c| match c {
            'A'..='Z' | 'a'..='z' | '\u{00C0}'..='\u{024F}' | '\u{1E00}'..='\u{1EFF}' => Self::Latin,
            '\u{0400}'..='\u{052F}' => Self::Cyrillic,
            '\u{0600}'..='\u{06FF}' | '\u{0750}'..='\u{077F}' | '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}' => {
                Self::Arabic
            }
            _ => Self::Other,
        })
    }

    fn prefix(self) -> &'static str {
        match self {
            Self::Latin => "1",
            Self::Cyrillic => "2",
            Self::Arabic => "3",
            Self::Other => "4",
        }
    }
}

fn collator(prefs: CollatorPreferences) -> Option<CollatorBorrowed<'static>> {
    CollatorBorrowed::try_new(prefs, CollatorOptions::default()).ok()
}

static ROOT: LazyLock<Option<CollatorBorrowed<'static>>> = LazyLock::new(|| collator(locale!("und").into()));
static RUSSIAN: LazyLock<Option<CollatorBorrowed<'static>>> = LazyLock::new(|| collator(locale!("ru").into()));
static PERSIAN: LazyLock<Option<CollatorBorrowed<'static>>> = LazyLock::new(|| collator(locale!("fa").into()));

/// The stored sort key of a name.
pub fn sort_key(name: &str) -> String {
    let group = ScriptGroup::of(name);
    let collator = match group {
        ScriptGroup::Cyrillic => &*RUSSIAN,
        ScriptGroup::Arabic => &*PERSIAN,
        ScriptGroup::Latin | ScriptGroup::Other => &*ROOT,
    };
    let mut key = Vec::with_capacity(64);
    match collator {
        Some(collator) => {
            let Ok(()) = collator.write_sort_key_to(name, &mut key);
        }
        // The collation data is compiled in, so this cannot happen; lower case keeps order sane.
        None => key.extend_from_slice(name.to_lowercase().as_bytes()),
    }
    key.truncate(MAX_KEY_BYTES);
    format!("{}{}", group.prefix(), hex::encode(key))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(names: &[&str]) -> Vec<String> {
        let mut names: Vec<String> = names.iter().map(|n| (*n).to_owned()).collect();
        names.sort_by_key(|n| sort_key(n));
        names
    }

    #[test]
    fn russian_yo_sorts_with_ye_and_case_does_not_split_the_list() {
        assert_eq!(
            sorted(&["Жуков", "ёлка", "Ежов", "Елена", "Ёжик", "ежевика"]),
            ["ежевика", "Ёжик", "Ежов", "Елена", "ёлка", "Жуков"]
        );
    }

    #[test]
    fn persian_letters_are_in_their_persian_places() {
        // ب پ ت … ج چ ح … ز ژ س … ک گ ل … ن و ه ی
        let expected = [
            "بابک",
            "پارسا",
            "تینا",
            "جواد",
            "چمران",
            "حسن",
            "زهرا",
            "ژاله",
            "سارا",
            "کاوه",
            "گلناز",
            "لیلا",
            "نادر",
            "وحید",
            "هادی",
            "یاسمن",
        ];
        let mut shuffled = expected;
        shuffled.reverse();
        assert_eq!(sorted(&shuffled), expected);
    }

    #[test]
    fn scripts_are_grouped_latin_cyrillic_arabic() {
        assert_eq!(
            sorted(&["Ромашка", "پارس", "zeta", "Alpha", "Аврора", "آرش"]),
            ["Alpha", "zeta", "Аврора", "Ромашка", "آرش", "پارس"]
        );
    }

    #[test]
    fn latin_names_ignore_case_and_accents_first() {
        assert_eq!(sorted(&["Zed", "émile", "Eve", "adam", "Éric"]), ["adam", "émile", "Éric", "Eve", "Zed"]);
    }

    #[test]
    fn a_long_name_still_fits_the_column() {
        assert!(sort_key(&"Ж".repeat(200)).len() <= 400);
    }
}

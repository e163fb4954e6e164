//! The one normal form of searchable text, shared by the index and the query on both engines,
//! so that what a person would call the same word is the same word: case (İ included),
//! Latin diacritics, ё/е, the Arabic and Persian letter variants, Persian and Arabic-Indic
//! digits, and words written with or without their zero-width non-joiner.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::{decompose_canonical, is_combining_mark};

/// Lower-case, compatibility-normalised letters and digits separated by single spaces.
/// Every separator (punctuation, ZWNJ, `@ . - +`) becomes a space.
pub fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.nfkc().flat_map(char::to_lowercase) {
        let Some(mapped) = fold(c) else { continue };
        if mapped == ' ' {
            if !out.is_empty() && !out.ends_with(' ') {
                out.push(' ');
            }
        } else {
            out.push(mapped);
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// One character's normal form: `None` drops it, `' '` separates words.
fn fold(c: char) -> Option<char> {
    Some(match c {
        'ي' | 'ى' | 'ئ' => 'ی', // Arabic yeh, alef maksura, yeh with hamza → Persian yeh
        'ك' => 'ک',             // Arabic kaf → Persian keheh
        'ة' | 'ۀ' | 'ە' => 'ه', // teh marbuta, heh with yeh above, ae → heh
        'أ' | 'إ' | 'آ' | 'ٱ' => 'ا',
        'ؤ' => 'و',
        'ё' => 'е',
        '\u{06F0}'..='\u{06F9}' => digit(c as u32 - 0x06F0),
        '\u{0660}'..='\u{0669}' => digit(c as u32 - 0x0660),
        '\u{0640}' => return None,                // tatweel
        c if is_combining_mark(c) => return None, // Arabic harakat, the dot of a lower-cased İ
        c if c.is_alphanumeric() => latin_base(c),
        _ => ' ',
    })
}

fn digit(value: u32) -> char {
    char::from_digit(value, 10).unwrap_or('0')
}

/// A Latin letter without its diacritics (ü → u, é → e); other scripts keep their letters
/// (й stays й: in Russian it is a letter of its own).
fn latin_base(c: char) -> char {
    if !is_latin_with_marks(c) {
        return c;
    }
    let mut base = c;
    let mut first = true;
    decompose_canonical(c, |part| {
        if first {
            base = part;
            first = false;
        }
    });
    base
}

fn is_latin_with_marks(c: char) -> bool {
    matches!(c, '\u{00C0}'..='\u{024F}' | '\u{1E00}'..='\u{1EFF}')
}

/// Whether a word is written in the Arabic script (Persian, Arabic).
pub fn is_arabic_script(word: &str) -> bool {
    word.chars().next().is_some_and(|c| matches!(c, '\u{0600}'..='\u{06FF}' | '\u{0750}'..='\u{077F}' | '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}'))
}

/// The words of a normalised text.
pub fn words(normalised: &str) -> Vec<String> {
    normalised.split(' ').filter(|w| !w.is_empty()).map(str::to_owned).collect()
}

/// Persian words are written with a ZWNJ, a space or nothing between their parts
/// (پارس‌نیرو, پارس نیرو, پارسنیرو): the joined forms of neighbouring Persian words.
pub fn joined_pairs(words: &[String]) -> Vec<String> {
    words
        .windows(2)
        .filter(|pair| is_arabic_script(&pair[0]) && is_arabic_script(&pair[1]))
        .map(|pair| format!("{}{}", pair[0], pair[1]))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_split_into_searchable_words() {
        assert_eq!(normalise("Ivan.Petrov@Mail.RU"), "ivan petrov mail ru");
    }

    #[test]
    fn arabic_letter_variants_match_persian_ones() {
        assert_eq!(normalise("علي كريمي"), normalise("علی کریمی"));
        assert_eq!(normalise("أحمد إسلامی آرش ٱلله"), "احمد اسلامی ارش الله");
        assert_eq!(normalise("خانۀ مدرسة"), "خانه مدرسه");
    }

    #[test]
    fn zwnj_separates_persian_words_and_yo_matches_ye() {
        assert_eq!(normalise("می\u{200C}خواهم"), "می خواهم");
        assert_eq!(normalise("Фёдор"), "федор");
        assert_eq!(normalise("Йошкар-Ола"), "йошкар ола", "й is a letter, not и with a mark");
    }

    #[test]
    fn digits_of_every_script_are_latin_digits() {
        assert_eq!(normalise("۰۹۱۲ ٠٩١٢"), "0912 0912");
    }

    #[test]
    fn latin_diacritics_and_the_turkish_capital_i_fold() {
        assert_eq!(normalise("Müller Čapek ÉCOLE"), "muller capek ecole");
        assert_eq!(normalise("İSTANBUL"), "istanbul");
    }

    #[test]
    fn neighbouring_persian_words_are_also_joined() {
        let parts = words(&normalise("شرکت پارس‌نیرو Ltd"));
        assert_eq!(joined_pairs(&parts), vec!["شرکتپارس".to_owned(), "پارسنیرو".to_owned()]);
    }
}

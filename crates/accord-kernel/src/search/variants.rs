//! What a person meant when the query matches nothing as typed: the same keys pressed in
//! another keyboard layout (Latin keys for a Russian or Persian word, and back) and Russian
//! names typed in Latin transliteration (petrov → петров). These variants are searched after
//! the exact query, so their hits rank below its hits.

/// The keys of the Latin (QWERTY), Russian (ЙЦУКЕН) and Persian (ISIRI 9147) layouts, key
/// by key.
const LATIN_KEYS: &str = "qwertyuiop[]asdfghjkl;'zxcvbnm,.`";
const RUSSIAN_KEYS: &str = "йцукенгшщзхъфывапролджэячсмитьбюё";
const PERSIAN_KEYS: &str = "ضصثقفغعهخحجچشسیبلاتنمکگظطزرذدپو.‍";

fn relayout(text: &str, from: &str, to: &str) -> String {
    text.chars()
        .map(|c| {
            let lower = c.to_lowercase().next().unwrap_or(c);
            from.chars().position(|k| k == lower).and_then(|i| to.chars().nth(i)).unwrap_or(c)
        })
        .collect()
}

/// Latin transliterations of Russian letters, longest first.
const TRANSLITERATION: &[(&str, &str)] = &[
    ("shch", "щ"),
    ("sch", "щ"),
    ("zh", "ж"),
    ("kh", "х"),
    ("ts", "ц"),
    ("ch", "ч"),
    ("sh", "ш"),
    ("yu", "ю"),
    ("ju", "ю"),
    ("ya", "я"),
    ("ja", "я"),
    ("yo", "е"),
    ("jo", "е"),
    ("ye", "е"),
    ("a", "а"),
    ("b", "б"),
    ("v", "в"),
    ("w", "в"),
    ("g", "г"),
    ("d", "д"),
    ("e", "е"),
    ("z", "з"),
    ("i", "и"),
    ("j", "й"),
    ("k", "к"),
    ("q", "к"),
    ("l", "л"),
    ("m", "м"),
    ("n", "н"),
    ("o", "о"),
    ("p", "п"),
    ("r", "р"),
    ("s", "с"),
    ("t", "т"),
    ("u", "у"),
    ("f", "ф"),
    ("h", "х"),
    ("c", "ц"),
    ("x", "кс"),
];

fn is_vowel(c: char) -> bool {
    "aeiouаеиоуыэюя".contains(c)
}

/// Russian letters for a Latin transliteration: "petrov" → "петров", "sergey" → "сергей".
pub(crate) fn to_cyrillic(text: &str) -> String {
    let lower: Vec<char> = text.to_lowercase().chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < lower.len() {
        let c = lower[i];
        let before_vowel = lower.get(i + 1).is_some_and(|&n| is_vowel(n));
        if c == 'y' && !before_vowel {
            // After a vowel, y is й (sergey, maykop); after a consonant, ы (ty). Before a
            // vowel it starts я, ю, е (the table below).
            let after_vowel = i > 0 && is_vowel(lower[i - 1]);
            out.push_str(if after_vowel { "й" } else { "ы" });
            i += 1;
            continue;
        }
        let rest: String = lower[i..].iter().collect();
        match TRANSLITERATION.iter().find(|(latin, _)| rest.starts_with(latin)) {
            Some((latin, cyrillic)) => {
                out.push_str(cyrillic);
                i += latin.chars().count();
            }
            None => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

/// The other readings of what was typed, most likely first; never the text itself.
pub fn alternatives(text: &str) -> Vec<String> {
    let has = |range: fn(char) -> bool| text.chars().any(range);
    let mut out = Vec::new();
    if has(|c| c.is_ascii_alphabetic()) {
        out.push(to_cyrillic(text));
        out.push(relayout(text, LATIN_KEYS, RUSSIAN_KEYS));
        out.push(relayout(text, LATIN_KEYS, PERSIAN_KEYS));
    }
    if has(|c| matches!(c, 'а'..='я' | 'А'..='Я' | 'ё' | 'Ё')) {
        out.push(relayout(text, RUSSIAN_KEYS, LATIN_KEYS));
    }
    if has(|c| matches!(c, '\u{0600}'..='\u{06FF}')) {
        out.push(relayout(text, PERSIAN_KEYS, LATIN_KEYS));
    }
    out.retain(|alt| alt != text);
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn russian_names_in_latin_letters_are_read_as_russian() {
        assert_eq!(to_cyrillic("petrov"), "петров");
        assert_eq!(to_cyrillic("Sergey Kozhevnikov"), "сергей кожевников");
        assert_eq!(to_cyrillic("shchukin"), "щукин");
        assert_eq!(to_cyrillic("mayak"), "маяк");
    }

    #[test]
    fn keys_typed_in_the_wrong_layout_are_read_in_the_right_one() {
        assert!(alternatives("ghbdtn").contains(&"привет".to_owned()));
        assert!(alternatives("руддщ").contains(&"hello".to_owned()));
        // "سلام" typed on a Latin keyboard set to the Persian layout's keys.
        assert!(alternatives("sghl").contains(&"سلام".to_owned()));
        assert!(alternatives("سلام").contains(&"sghl".to_owned()));
    }
}

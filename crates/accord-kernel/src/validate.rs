//! Field validation shared by every domain: trimmed text with length limits, emails and
//! phone numbers (normalised to E.164 with the `phonenumber` library).

use std::str::FromStr;

use crate::error::{FieldCode, FieldErrors};

/// Characters that show nothing: zero-width spaces and joiners, the byte-order mark, and the
/// bidirectional marks and controls. Inside a word they can matter (ZWNJ in Persian), but a
/// value made only of them is blank, and at its ends they are noise.
pub fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}' | '\u{061C}' | '\u{00AD}')
}

/// Trims white space and invisible characters; an empty result counts as absent. Reports
/// `too_long` past `max` characters and `invalid_value` for control characters (a NUL byte
/// that one engine would store and the other refuse).
pub fn optional_text(errors: &mut FieldErrors, field: &str, value: Option<&str>, max: usize) -> Option<String> {
    let trimmed =
        value.map(|v| v.trim_matches(|c: char| c.is_whitespace() || is_invisible(c))).filter(|v| !v.is_empty())?;
    if trimmed.chars().count() > max {
        errors.add(field, FieldCode::TooLong, format!("Use at most {max} characters."));
    }
    if trimmed.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')) {
        errors.add(
            field,
            FieldCode::InvalidValue,
            "This text contains a control character (such as a NUL byte) that cannot be stored; remove it or type the text again.",
        );
    }
    Some(trimmed.to_owned())
}

/// Persian (۰–۹) and Arabic-Indic (٠–٩) digits as Latin digits, for numbers people type in
/// their own script (phones, tax ids).
pub fn latin_digits(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{06F0}'..='\u{06F9}' => char::from(b'0' + (c as u32 - 0x06F0) as u8),
            '\u{0660}'..='\u{0669}' => char::from(b'0' + (c as u32 - 0x0660) as u8),
            c => c,
        })
        .collect()
}

/// Like [`optional_text`], but reports `required` when absent or blank.
pub fn required_text(errors: &mut FieldErrors, field: &str, value: &str, max: usize) -> String {
    match optional_text(errors, field, Some(value), max) {
        Some(text) => text,
        None => {
            errors.add(field, FieldCode::Required, "This field is required.");
            String::new()
        }
    }
}

/// A syntactically valid address, lower-cased.
pub fn optional_email(errors: &mut FieldErrors, field: &str, value: Option<&str>) -> Option<String> {
    let email = optional_text(errors, field, value, 254)?;
    if email_address::EmailAddress::from_str(&email).is_err() || !email.contains('.') {
        errors.add(
            field,
            FieldCode::InvalidEmail,
            format!("\"{email}\" is not an email address; expected name@example.com."),
        );
    }
    Some(email.to_lowercase())
}

/// A valid phone number in E.164 (`+79161234567`), with its extension kept after `;ext=`
/// (RFC 3966: `+74951234567;ext=12`). Without a leading `+`, the number is read in `country`
/// (ISO 3166 alpha-2) when one is known. Persian and Arabic-Indic digits are read as digits.
pub fn optional_phone(
    errors: &mut FieldErrors,
    field: &str,
    value: Option<&str>,
    country: Option<&str>,
) -> Option<String> {
    let raw = optional_text(errors, field, value, 40)?;
    let region = country.and_then(|c| phonenumber::country::Id::from_str(&c.to_uppercase()).ok());
    match phonenumber::parse(region, latin_digits(&raw)) {
        Ok(number) if phonenumber::is_valid(&number) => {
            let e164 = number.format().mode(phonenumber::Mode::E164).to_string();
            Some(match number.extension() {
                Some(extension) => format!("{e164};ext={extension}"),
                None => e164,
            })
        }
        _ => {
            let hint = if region.is_none() && !raw.starts_with('+') {
                "Enter it in international format, starting with + and the country code (+7 916 123-45-67), or set the country."
            } else {
                "Check the digits; it is not a valid number for that country."
            };
            errors.add(field, FieldCode::InvalidPhone, format!("\"{raw}\" is not a valid phone number. {hint}"));
            Some(raw)
        }
    }
}

/// An ISO 3166 alpha-2 country code, upper-cased.
pub fn optional_country(errors: &mut FieldErrors, field: &str, value: Option<&str>) -> Option<String> {
    let code = optional_text(errors, field, value, 2)?.to_uppercase();
    if code.len() != 2 || phonenumber::country::Id::from_str(&code).is_err() {
        errors.add(
            field,
            FieldCode::InvalidValue,
            format!("\"{code}\" is not a country code; use two letters such as RU, IR or GB."),
        );
    }
    Some(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn russian_national_number_is_normalised_to_e164_with_the_country() {
        let mut errors = FieldErrors::default();
        let phone = optional_phone(&mut errors, "phone", Some("8 (916) 123-45-67"), Some("ru"));
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(phone.as_deref(), Some("+79161234567"));
    }

    #[test]
    fn iranian_international_number_is_normalised_to_e164() {
        let mut errors = FieldErrors::default();
        let phone = optional_phone(&mut errors, "phone", Some("+98 912 345 6789"), None);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(phone.as_deref(), Some("+989123456789"));
    }

    #[test]
    fn an_extension_is_kept() {
        let mut errors = FieldErrors::default();
        let phone = optional_phone(&mut errors, "phone", Some("+7 495 123-45-67 ext. 12"), None);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(phone.as_deref(), Some("+74951234567;ext=12"));
    }

    #[test]
    fn a_phone_in_persian_or_arabic_indic_digits_is_read_with_the_country() {
        for typed in ["۰۹۱۲ ۳۴۵ ۶۷۸۹", "٠٩١٢ ٣٤٥ ٦٧٨٩"] {
            let mut errors = FieldErrors::default();
            let phone = optional_phone(&mut errors, "phone", Some(typed), Some("IR"));
            assert!(errors.is_empty(), "{typed}: {errors:?}");
            assert_eq!(phone.as_deref(), Some("+989123456789"));
        }
    }

    #[test]
    fn a_value_of_only_invisible_characters_is_blank_and_a_required_one_is_refused() {
        let mut errors = FieldErrors::default();
        let name = required_text(&mut errors, "name", "\u{200B}\u{200C}\u{FEFF}\u{200F}\u{202B} ", 50);
        assert_eq!(name, "");
        assert!(!errors.is_empty());
    }

    #[test]
    fn a_nul_byte_is_refused_on_its_field() {
        let mut errors = FieldErrors::default();
        optional_text(&mut errors, "city", Some("Lon\0don"), 50);
        assert!(errors.into_result().is_err_and(|e| e.fields["city"].code == FieldCode::InvalidValue));
    }

    #[test]
    fn a_national_number_without_a_country_asks_for_international_format() {
        let mut errors = FieldErrors::default();
        optional_phone(&mut errors, "phone", Some("916 123 45 67"), None);
        assert!(!errors.is_empty());
    }

    #[test]
    fn an_address_without_a_domain_is_rejected() {
        let mut errors = FieldErrors::default();
        optional_email(&mut errors, "email", Some("ivan@"));
        assert!(!errors.is_empty());
    }

    #[test]
    fn blank_text_counts_as_absent() {
        let mut errors = FieldErrors::default();
        assert_eq!(optional_text(&mut errors, "city", Some("   "), 10), None);
        assert!(errors.is_empty());
    }
}

//! Field validation shared by every domain: trimmed text with length limits, emails and
//! phone numbers (normalised to E.164 with the `phonenumber` library).

use std::str::FromStr;

use crate::error::{FieldCode, FieldErrors};

/// Trims `value`; an empty result counts as absent. Reports `too_long` past `max` characters.
pub fn optional_text(errors: &mut FieldErrors, field: &str, value: Option<&str>, max: usize) -> Option<String> {
    let trimmed = value.map(str::trim).filter(|v| !v.is_empty())?;
    if trimmed.chars().count() > max {
        errors.add(field, FieldCode::TooLong, format!("Use at most {max} characters."));
    }
    Some(trimmed.to_owned())
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

/// A valid phone number in E.164 (`+79161234567`). Without a leading `+`, the number is read
/// in `country` (ISO 3166 alpha-2) when one is known.
pub fn optional_phone(
    errors: &mut FieldErrors,
    field: &str,
    value: Option<&str>,
    country: Option<&str>,
) -> Option<String> {
    let raw = optional_text(errors, field, value, 40)?;
    let region = country.and_then(|c| phonenumber::country::Id::from_str(&c.to_uppercase()).ok());
    match phonenumber::parse(region, &raw) {
        Ok(number) if phonenumber::is_valid(&number) => Some(number.format().mode(phonenumber::Mode::E164).to_string()),
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

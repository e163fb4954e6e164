//! Turns JSON input into an operation's typed input, translating serde's complaints into
//! per-field errors with stable codes.

use serde::de::DeserializeOwned;

use crate::error::{ApiError, FieldCode};

pub fn decode_input<T: DeserializeOwned>(value: serde_json::Value) -> Result<T, ApiError> {
    // serde would read a JSON array positionally into a struct; inputs are always objects.
    if !value.is_object() {
        return Err(ApiError::field("input", FieldCode::WrongType, "Expected a JSON object with named fields."));
    }
    serde_path_to_error::deserialize(value).map_err(|err| {
        let path = err.path().to_string();
        let message = err.inner().to_string();
        let (field, code, text) = classify(&path, &message);
        ApiError::field(&field, code, text)
    })
}

fn backticked(message: &str) -> Option<&str> {
    let start = message.find('`')? + 1;
    let len = message[start..].find('`')?;
    Some(&message[start..start + len])
}

fn join(parent: &str, child: &str) -> String {
    if parent.is_empty() || parent == "." { child.to_owned() } else { format!("{parent}.{child}") }
}

fn classify(path: &str, message: &str) -> (String, FieldCode, String) {
    let name = backticked(message).unwrap_or_default();
    if message.starts_with("unknown field") {
        // serde_path_to_error already points at the unknown key.
        let field = if path.ends_with(name) { path.to_owned() } else { join(path, name) };
        (
            field,
            FieldCode::UnknownField,
            format!("\"{name}\" is not a field of this input; remove it or check its spelling."),
        )
    } else if message.starts_with("missing field") {
        (join(path, name), FieldCode::Required, "This field is required.".into())
    } else if message.starts_with("invalid type") {
        let expected = message.split(", expected ").nth(1).map(in_words).unwrap_or("a value of another type");
        (field_or_input(path), FieldCode::WrongType, format!("Expected {expected}."))
    } else if message.starts_with("unknown variant") {
        let allowed = message.split("expected ").nth(1).unwrap_or("one of the listed values");
        (field_or_input(path), FieldCode::InvalidValue, format!("\"{name}\" is not allowed here; use {allowed}."))
    } else {
        (field_or_input(path), FieldCode::InvalidValue, format!("This value is not valid: {message}."))
    }
}

/// serde names the Rust type it wanted ("i64", "u32"); a user needs to hear what to type.
fn in_words(expected: &str) -> &str {
    match expected.trim_end_matches('.') {
        "i8" | "i16" | "i32" | "i64" | "u8" | "u16" | "u32" | "u64" | "usize" | "isize" => {
            "a whole number, such as 3 (without quotes)"
        }
        "f32" | "f64" => "a number, such as 2.5 (without quotes)",
        "a boolean" => "true or false (without quotes)",
        "UUID parsing failed" | "a UUID" => "an id such as 0190c3c4-7f3a-7b6e-9d1e-4c5b6a7d8e9f",
        "a string" => "text in quotes",
        other if other.starts_with("struct ") || other.starts_with("a map") => "an object with named fields",
        other if other.starts_with("a sequence") => "a list in square brackets",
        other => other,
    }
}

fn field_or_input(path: &str) -> String {
    if path.is_empty() || path == "." { "input".into() } else { path.to_owned() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Sample {
        name: String,
        count: Option<u32>,
    }

    fn error_of(json: serde_json::Value) -> ApiError {
        decode_input::<Sample>(json).expect_err("input should be rejected")
    }

    #[test]
    fn an_unknown_field_is_named_in_the_error() {
        let err = error_of(serde_json::json!({"name": "a", "colour": "red"}));
        assert_eq!(err.fields["colour"].code, FieldCode::UnknownField);
    }

    #[test]
    fn a_missing_required_field_is_named_in_the_error() {
        let err = error_of(serde_json::json!({}));
        assert_eq!(err.fields["name"].code, FieldCode::Required);
    }

    #[test]
    fn a_wrong_type_is_reported_on_its_field() {
        let err = error_of(serde_json::json!({"name": "a", "count": "many"}));
        assert_eq!(err.fields["count"].code, FieldCode::WrongType);
    }

    #[test]
    fn a_wrong_type_says_what_to_type_not_the_rust_type() {
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        struct Versioned {
            version: i64,
        }
        let err =
            decode_input::<Versioned>(serde_json::json!({"version": "3"})).expect_err("a string is not a version");
        let message = &err.fields["version"].message;
        assert!(message.contains("whole number") && !message.contains("i64"), "{message}");
    }

    #[test]
    fn input_that_is_not_an_object_is_reported_on_the_input() {
        let err = error_of(serde_json::json!([1, 2]));
        assert_eq!(err.fields["input"].code, FieldCode::WrongType);
    }
}

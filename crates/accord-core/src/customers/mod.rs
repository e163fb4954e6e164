//! Customers (CUST-1): organisations (customers, suppliers, partners), the people who work
//! there (contacts), and relations between organisations.

pub mod contacts;
mod duplicates;
pub mod organisations;
pub mod relations;

pub use duplicates::DuplicateWarning;

/// Rebuilds what is derived from every customer record (search documents) after the rules
/// that derive it changed; the registry calls each domain's.
pub(crate) async fn refresh_derived(scope: &crate::door::Scope<'_>) -> Result<u64, crate::error::ApiError> {
    use crate::records::refresh_derived;
    Ok(refresh_derived::<organisations::Model>(scope).await?
        + refresh_derived::<contacts::Model>(scope).await?
        + refresh_derived::<relations::Model>(scope).await?)
}

/// The edit of one optional text field: absent = leave as is, `null` = clear, text = set.
pub(crate) mod patch {
    use serde::{Deserialize, Deserializer};

    pub fn double_option<'de, T: Deserialize<'de>, D: Deserializer<'de>>(d: D) -> Result<Option<Option<T>>, D::Error> {
        Option::<T>::deserialize(d).map(Some)
    }

    /// A required field can be changed but not cleared.
    pub fn required<T>(errors: &mut crate::error::FieldErrors, field: &str, current: T, edit: Option<Option<T>>) -> T {
        match edit {
            None => current,
            Some(Some(value)) => value,
            Some(None) => {
                errors.add(field, crate::error::FieldCode::Required, "This field is required and cannot be cleared.");
                current
            }
        }
    }

    /// Applies an edit to the current value.
    pub fn apply(current: &mut Option<String>, edit: Option<Option<String>>) {
        if let Some(value) = edit {
            *current = value;
        }
    }
}

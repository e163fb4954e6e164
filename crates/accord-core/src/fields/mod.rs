//! The administrator's side of custom fields (CUST-3): which kinds of record take them, and
//! adding, renaming, ordering, retiring and restoring fields. The fields themselves and the
//! checking of values live in the kernel (`accord_kernel::custom_fields`), where every domain
//! reaches them; this domain sits above the registry because it answers for every kind that
//! declared `Record::CUSTOM_FIELDS`.

mod io;
mod operations;

use accord_kernel::catalogue::Domain;
use accord_kernel::custom_fields::{self, permissions};

pub use io::*;
pub use operations::*;

/// `fields.retire`: retire a custom field (its values and their history stay).
pub type RetireField = accord_kernel::records::Archive<custom_fields::Model>;
/// `fields.restore`: bring a retired field back.
pub type RestoreField = accord_kernel::records::Restore<custom_fields::Model>;

pub fn domain() -> Domain {
    use accord_kernel::security::BuiltInRole::{Auditor, Manager, Quality, Sales, ServiceDesk};
    Domain::new("fields")
        .permission(
            permissions::READ,
            "See the custom fields of each kind of record.",
            &[Manager, Sales, ServiceDesk, Quality, Auditor],
        )
        .permission(permissions::MANAGE, "Add, rename, order, retire and restore custom fields.", &[])
        .archivable_record::<custom_fields::Model>()
        .operation::<ListFields>()
        .operation::<DefineField>()
        .operation::<UpdateField>()
        .operation::<ReorderFields>()
        .operation::<RetireField>()
        .operation::<RestoreField>()
}

/// A stable key made from a label: lower-case Latin letters, digits and `_`, starting with a
/// letter; `None` when the label has none of them (a Persian or Russian label).
fn key_from_label(label: &str) -> Option<String> {
    let mut key = String::new();
    for c in label.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            key.push(c);
        } else if !key.is_empty() && !key.ends_with('_') {
            key.push('_');
        }
    }
    let key: String = key.trim_end_matches('_').chars().take(32).collect();
    let key = key.trim_end_matches('_').to_owned();
    key.starts_with(|c: char| c.is_ascii_lowercase()).then_some(key)
}

/// `wanted` (or `fallback_N`) made unique among `taken` with `_2`, `_3`…
fn unique_key(wanted: Option<String>, fallback: &str, taken: &[String]) -> String {
    let base = wanted.unwrap_or_else(|| format!("{fallback}_{}", taken.len() + 1));
    let mut key = base.clone();
    let mut n = 2;
    while taken.contains(&key) {
        key = format!("{base}_{n}");
        n += 1;
    }
    key
}

/// Whether `key` is a key an administrator may choose.
fn is_valid_key(key: &str) -> bool {
    (1..=40).contains(&key.len())
        && key.starts_with(|c: char| c.is_ascii_lowercase())
        && key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_made_from_latin_labels_and_numbered_otherwise() {
        assert_eq!(key_from_label("Annual revenue (EUR)").as_deref(), Some("annual_revenue_eur"));
        assert_eq!(key_from_label("Регион"), None);
        assert_eq!(key_from_label("2nd phone"), None);
        let taken = vec!["region".to_owned(), "region_2".to_owned()];
        assert_eq!(unique_key(Some("region".into()), "field", &taken), "region_3");
        assert_eq!(unique_key(None, "field", &taken), "field_3");
        assert!(is_valid_key("vip_level") && !is_valid_key("VIP") && !is_valid_key("1st"));
    }
}

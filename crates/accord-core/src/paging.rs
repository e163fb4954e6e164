//! Keyset pagination shared by every list: an opaque cursor holding the last row's sort key
//! and id, so pages stay stable while rows are inserted and never cost an OFFSET scan.

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::error::{ApiError, FieldCode};

pub const DEFAULT_PAGE: u32 = 50;
pub const MAX_PAGE: u32 = 500;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    #[default]
    Asc,
    Desc,
}

/// The position after which the next page starts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cursor {
    pub key: String,
    pub id: Uuid,
}

impl Cursor {
    pub fn encode(&self) -> String {
        hex::encode(serde_json::to_vec(self).unwrap_or_default())
    }

    pub fn decode(text: &str) -> Result<Self, ApiError> {
        let bytes = hex::decode(text).map_err(|_| Self::invalid())?;
        serde_json::from_slice(&bytes).map_err(|_| Self::invalid())
    }

    pub fn invalid() -> ApiError {
        ApiError::field(
            "after",
            FieldCode::InvalidValue,
            "This page cursor is not valid; start again from the first page.",
        )
    }
}

/// Validates a requested page size.
pub fn page_size(limit: Option<u32>) -> Result<u32, ApiError> {
    let limit = limit.unwrap_or(DEFAULT_PAGE);
    if (1..=MAX_PAGE).contains(&limit) {
        Ok(limit)
    } else {
        Err(ApiError::field(
            "limit",
            FieldCode::InvalidValue,
            format!("Ask for between 1 and {MAX_PAGE} rows per page."),
        ))
    }
}

/// Cuts the extra row fetched to learn whether another page follows and returns the cursor to it.
pub fn finish_page<T>(mut rows: Vec<T>, limit: u32, cursor_of: impl Fn(&T) -> Cursor) -> (Vec<T>, Option<String>) {
    if rows.len() > limit as usize {
        rows.truncate(limit as usize);
        let next = rows.last().map(|row| cursor_of(row).encode());
        (rows, next)
    } else {
        (rows, None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_survives_encoding() {
        let cursor = Cursor { key: "ООО Ромашка".into(), id: Uuid::now_v7() };
        assert_eq!(Cursor::decode(&cursor.encode()).ok(), Some(cursor));
    }

    #[test]
    fn a_tampered_cursor_is_rejected_on_the_after_field() {
        let err = Cursor::decode("zz").expect_err("not hex");
        assert_eq!(err.fields["after"].code, FieldCode::InvalidValue);
    }
}

//! Keyset pagination shared by every list: an opaque cursor holding a row's sort key and id,
//! so pages stay stable while rows are inserted and never cost an OFFSET scan. A page can be
//! asked for after a cursor (scrolling down) or before one (scrolling back up), so a window
//! that keeps only a few pages can drop far pages and fetch them again in either direction.

use sea_orm::sea_query::{Expr, ExprTrait, Order};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Select};
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

/// A row's position in a list: its sort key and id.
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
        Self::decode_field(text, "after")
    }

    fn decode_field(text: &str, field: &str) -> Result<Self, ApiError> {
        let invalid = || Self::invalid_in(field);
        let bytes = hex::decode(text).map_err(|_| invalid())?;
        serde_json::from_slice(&bytes).map_err(|_| invalid())
    }

    /// The key of a list ordered by a moment (written with `to_rfc3339`), as the value the
    /// page's filter compares the column with.
    pub fn instant(&self) -> Result<sea_orm::Value, ApiError> {
        let at = chrono::DateTime::parse_from_rfc3339(&self.key).map_err(|_| Self::invalid())?;
        Ok(at.with_timezone(&chrono::Utc).into())
    }

    pub fn invalid() -> ApiError {
        Self::invalid_in("after")
    }

    fn invalid_in(field: &str) -> ApiError {
        ApiError::field(
            field,
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

/// Which side of a cursor a page lies on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Toward {
    After,
    Before,
}

/// One page asked of a list: its size, its order and where it starts.
#[derive(Debug, Clone)]
pub struct PageRequest {
    limit: u32,
    direction: Direction,
    anchor: Option<(Toward, Cursor)>,
}

/// A page of rows with the cursors to its neighbours.
#[derive(Debug, Clone)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Pass as `after` for the page that follows; absent on the last page.
    pub next_cursor: Option<String>,
    /// Pass as `before` for the page that precedes; absent on the first page.
    pub prev_cursor: Option<String>,
}

impl PageRequest {
    /// Reads the paging fields every list input has; `after` and `before` exclude each other.
    pub fn new(
        limit: Option<u32>,
        direction: Option<Direction>,
        after: Option<&str>,
        before: Option<&str>,
    ) -> Result<Self, ApiError> {
        let anchor = match (after, before) {
            (Some(_), Some(_)) => {
                return Err(ApiError::field(
                    "before",
                    FieldCode::InvalidValue,
                    "Ask for the page after a cursor or the page before one, not both.",
                ));
            }
            (Some(after), None) => Some((Toward::After, Cursor::decode_field(after, "after")?)),
            (None, Some(before)) => Some((Toward::Before, Cursor::decode_field(before, "before")?)),
            (None, None) => None,
        };
        Ok(Self { limit: page_size(limit)?, direction: direction.unwrap_or_default(), anchor })
    }

    /// How many rows the page holds at most.
    pub fn limit(&self) -> u32 {
        self.limit
    }

    /// The cursor this page starts from, if any (its key is parsed by the list that sorts by it).
    pub fn cursor(&self) -> Option<&Cursor> {
        self.anchor.as_ref().map(|(_, cursor)| cursor)
    }

    /// Orders by `(sort, id)` and keeps the rows on the requested side of the cursor, whose key
    /// is `key` (the sort column's value, typed for it). Fetches one row more than the page to
    /// learn whether another follows.
    pub fn select<E: EntityTrait>(
        &self,
        select: Select<E>,
        sort: impl ColumnTrait,
        id: impl ColumnTrait,
        key: Option<sea_orm::Value>,
    ) -> Select<E> {
        // A page before the cursor is read backwards from it, then turned round in `finish`.
        let ascending = (self.direction == Direction::Asc) != self.backwards();
        let mut select = select;
        if let (Some((_, cursor)), Some(key)) = (&self.anchor, key) {
            let position = Expr::tuple([Expr::col(sort), Expr::col(id)]);
            let at = Expr::tuple([Expr::val(key), Expr::val(cursor.id)]);
            select = select.filter(if ascending { position.gt(at) } else { position.lt(at) });
        }
        let order = if ascending { Order::Asc } else { Order::Desc };
        select.order_by(sort, order.clone()).order_by(id, order).limit(u64::from(self.limit) + 1)
    }

    fn backwards(&self) -> bool {
        matches!(self.anchor, Some((Toward::Before, _)))
    }

    /// Cuts the extra row, restores the list's order and names the neighbouring pages.
    pub fn finish<T>(&self, mut rows: Vec<T>, cursor_of: impl Fn(&T) -> Cursor) -> Page<T> {
        let more = rows.len() > self.limit as usize;
        rows.truncate(self.limit as usize);
        let cursor = |row: Option<&T>| row.map(|row| cursor_of(row).encode());
        let (next_cursor, prev_cursor) = if self.backwards() {
            rows.reverse();
            (cursor(rows.last()), if more { cursor(rows.first()) } else { None })
        } else {
            let follows = if more { cursor(rows.last()) } else { None };
            (follows, if self.anchor.is_some() { cursor(rows.first()) } else { None })
        };
        Page { items: rows, next_cursor, prev_cursor }
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
    fn a_tampered_cursor_is_rejected_on_the_field_that_held_it() {
        let err = Cursor::decode("zz").expect_err("not hex");
        assert_eq!(err.fields["after"].code, FieldCode::InvalidValue);
        let err = PageRequest::new(None, None, None, Some("zz")).expect_err("not hex");
        assert_eq!(err.fields["before"].code, FieldCode::InvalidValue);
    }

    fn cursor_of(n: &u32) -> Cursor {
        Cursor { key: format!("{n:03}"), id: Uuid::nil() }
    }

    fn key_of(cursor: Option<String>) -> Option<String> {
        cursor.map(|c| Cursor::decode(&c).map(|c| c.key).unwrap_or_default())
    }

    #[test]
    fn a_page_before_a_cursor_comes_back_in_list_order_with_both_neighbours() {
        let before = Cursor { key: "010".into(), id: Uuid::nil() }.encode();
        let request = PageRequest::new(Some(3), None, None, Some(&before)).expect("valid");
        // Read backwards from the cursor: 9, 8, 7 and the extra 6.
        let page = request.finish(vec![9, 8, 7, 6], cursor_of);
        assert_eq!(page.items, vec![7, 8, 9]);
        assert_eq!(key_of(page.prev_cursor), Some("007".into()));
        assert_eq!(key_of(page.next_cursor), Some("009".into()));
    }

    #[test]
    fn the_first_page_has_no_previous_page_and_the_last_no_next() {
        let first = PageRequest::new(Some(3), None, None, None).expect("valid").finish(vec![1, 2, 3, 4], cursor_of);
        assert_eq!(
            (first.items, key_of(first.prev_cursor), key_of(first.next_cursor)),
            (vec![1, 2, 3], None, Some("003".into()))
        );
        let after = Cursor { key: "003".into(), id: Uuid::nil() }.encode();
        let last = PageRequest::new(Some(3), None, Some(&after), None).expect("valid").finish(vec![4, 5], cursor_of);
        assert_eq!(
            (last.items, key_of(last.prev_cursor), key_of(last.next_cursor)),
            (vec![4, 5], Some("004".into()), None)
        );
    }

    #[test]
    fn after_and_before_together_are_refused() {
        let c = Cursor { key: "a".into(), id: Uuid::nil() }.encode();
        let err = PageRequest::new(None, None, Some(&c), Some(&c)).expect_err("both");
        assert_eq!(err.fields["before"].code, FieldCode::InvalidValue);
    }
}

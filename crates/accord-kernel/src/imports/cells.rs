//! Reading a row's cells as the fields they were mapped to: text as it is (bidirectional
//! marks at its ends dropped), a reference by the other record's name, and a custom value by
//! its field's kind — a date in the order the person chose (`03/04/2026` is never guessed),
//! yes or no in English, Russian or Persian words, a list of choices split at `;`.

use std::collections::HashMap;

use chrono::NaiveDate;
use sea_orm::ConnectionTrait;
use sea_orm::sea_query::{Alias, Condition, Expr, ExprTrait, Query};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use ts_rs::TS;
use uuid::Uuid;

use super::{ImportField, ImportType, RowInput, RowProblem};
use crate::custom_fields::{self, FieldKind};
use crate::error::{ApiError, FieldCode, FieldErrors};
use crate::operation::Scope;
use crate::search::normalise;
use crate::validate::latin_digits;

/// Which field a column of the file fills.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(rename = "ImportColumn")]
pub struct ColumnTarget {
    /// The column's place in the file, from 0.
    pub column: u32,
    /// A standard field (`email`) or a custom one (`custom.<key>`).
    pub field: String,
}

/// The order of day, month and year in dates written with numbers only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DateOrder {
    DayMonthYear,
    MonthDayYear,
}

/// What a column's cells say about their dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case", tag = "reading", content = "order")]
pub enum DateReading {
    /// Not dates, or year-month-day only: nothing to ask.
    Clear,
    /// Written with numbers whose order the cells themselves show (a day above 12).
    Shows(DateOrder),
    /// Every day is 12 or less: `03/04/2026` is 3 April or 4 March, and only the person knows.
    Ambiguous,
}

/// How the cells of one column read as dates.
pub fn date_reading<'a>(cells: impl IntoIterator<Item = &'a str>) -> DateReading {
    let (mut first_is_day, mut second_is_day, mut numeric) = (false, false, false);
    for cell in cells {
        let Some([a, b, _]) = day_month_parts(cell) else { continue };
        if a > 12 && b > 12 {
            // Not a date in either order: its row will say so; it shows nothing about the order.
            continue;
        }
        numeric = true;
        first_is_day |= a > 12;
        second_is_day |= b > 12;
    }
    match (numeric, first_is_day, second_is_day) {
        (false, _, _) => DateReading::Clear,
        // Some cells show one order and some the other: only the person can say.
        (true, true, true) => DateReading::Ambiguous,
        (true, true, false) => DateReading::Shows(DateOrder::DayMonthYear),
        (true, false, true) => DateReading::Shows(DateOrder::MonthDayYear),
        (true, false, false) => DateReading::Ambiguous,
    }
}

/// The three numbers of a date written `dd.mm.yyyy`, `mm/dd/yyyy` and the like (year last).
fn day_month_parts(cell: &str) -> Option<[u32; 3]> {
    let text = latin_digits(cell.trim());
    let parts: Vec<&str> = text.split(['.', '/', '-', ' ']).filter(|p| !p.is_empty()).collect();
    let [a, b, y] = parts.as_slice() else { return None };
    if y.len() != 4 || a.len() > 2 || b.len() > 2 {
        return None;
    }
    Some([a.parse().ok()?, b.parse().ok()?, y.parse().ok()?])
}

/// A date cell as `YYYY-MM-DD`, or why it cannot be read.
pub fn parse_date(cell: &str, order: Option<DateOrder>) -> Result<String, String> {
    let text = latin_digits(cell.trim());
    let iso = text.replace(['/', '.'], "-");
    let iso = iso.split([' ', 'T']).next().unwrap_or_default();
    if iso.len() >= 8 && iso.as_bytes().get(4) == Some(&b'-') {
        return match NaiveDate::parse_from_str(iso, "%Y-%m-%d") {
            Ok(date) if date.format("%Y").to_string().parse::<i32>().is_ok_and(|y| y < 1800) => Err(format!(
                "\"{cell}\" looks like a Solar Hijri date; write dates in the Gregorian calendar (2026-12-07)."
            )),
            Ok(date) => Ok(date.format("%Y-%m-%d").to_string()),
            Err(_) => Err(format!("\"{cell}\" is not a date; write it as year-month-day, such as 2026-12-07.")),
        };
    }
    let Some([a, b, year]) = day_month_parts(&text) else {
        return Err(format!("\"{cell}\" is not a date; write it as year-month-day, such as 2026-12-07."));
    };
    let (day, month) = match order {
        Some(DateOrder::DayMonthYear) => (a, b),
        Some(DateOrder::MonthDayYear) => (b, a),
        None => {
            return Err(format!(
                "\"{cell}\" could be {a} {} or {b} {}: choose the order of day and month for this file.",
                month_name(b),
                month_name(a)
            ));
        }
    };
    NaiveDate::from_ymd_opt(year as i32, month, day)
        .map(|d| d.format("%Y-%m-%d").to_string())
        .ok_or_else(|| format!("\"{cell}\" is not a date in the order chosen (day {day}, month {month})."))
}

fn month_name(month: u32) -> &'static str {
    const NAMES: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    NAMES.get((month as usize).wrapping_sub(1)).copied().unwrap_or("?")
}

/// Yes or no as people write it in a spreadsheet, in English, Russian or Persian.
pub fn parse_yes_no(cell: &str) -> Option<bool> {
    match normalise(cell).as_str() {
        "yes" | "y" | "true" | "1" | "x" | "да" | "д" | "بله" | "اری" | "آری" | "اره" | "آره" => {
            Some(true)
        }
        "no" | "n" | "false" | "0" | "нет" | "н" | "خیر" | "نه" => Some(false),
        _ => None,
    }
}

/// A cell's text without the spaces and bidirectional marks (LRM, RLM, embeddings,
/// isolates) a right-to-left spreadsheet leaves at its ends.
pub fn cell_text(cell: &str) -> &str {
    cell.trim_matches(|c: char| {
        c.is_whitespace()
            || matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
    })
}

/// What a mapped column fills.
enum Target {
    Standard(ImportField),
    Custom(custom_fields::Model),
}

/// The names of another kind's records, in the search's normal form, with their ids.
type NameIndex = HashMap<String, Vec<Uuid>>;

/// Reads rows of one file into items of one kind, as mapped.
pub struct Converter {
    columns: Vec<(usize, String, Target)>,
    date_order: Option<DateOrder>,
    names: HashMap<&'static str, NameIndex>,
}

impl Converter {
    /// Checks `mapping` against the kind's fields (`fields`, and its custom fields when it takes
    /// them) and a file of `columns` columns: every problem at `mapping.N.field`, a required
    /// field not mapped at `mapping`. Reads the names of every kind a column refers to.
    pub async fn new(
        scope: &Scope<'_>,
        table: &'static str,
        fields: &'static [ImportField],
        custom: bool,
        mapping: &[ColumnTarget],
        columns: usize,
        date_order: Option<DateOrder>,
    ) -> Result<Self, ApiError> {
        let custom_fields = if custom { custom_fields::definitions_of(scope, table, false).await? } else { Vec::new() };
        let mut errors = FieldErrors::default();
        let mut targets: Vec<(usize, String, Target)> = Vec::new();
        for (i, column) in mapping.iter().enumerate() {
            let at = format!("mapping.{i}.field");
            if column.column as usize >= columns {
                errors.add(
                    &format!("mapping.{i}.column"),
                    FieldCode::InvalidValue,
                    format!("The file has {columns} columns; there is no column {}.", column.column + 1),
                );
                continue;
            }
            if targets.iter().any(|(_, field, _)| *field == column.field) {
                errors.add(&at, FieldCode::InvalidValue, format!("Two columns fill \"{}\"; keep one.", column.field));
                continue;
            }
            let target = match column.field.strip_prefix("custom.") {
                Some(key) => custom_fields.iter().find(|f| f.key == key).cloned().map(Target::Custom),
                None => fields.iter().find(|f| f.field == column.field).copied().map(Target::Standard),
            };
            match target {
                Some(target) => targets.push((column.column as usize, column.field.clone(), target)),
                None => errors.add(
                    &at,
                    FieldCode::UnknownField,
                    format!("A {table} record has no field \"{}\" to import into.", column.field),
                ),
            }
        }
        for required in fields.iter().filter(|f| f.required) {
            if !targets.iter().any(|(_, field, _)| field == required.field) {
                errors.add(
                    "mapping",
                    FieldCode::Required,
                    format!("Choose the column that holds \"{}\": every record needs it.", required.field),
                );
            }
        }
        errors.into_result()?;
        let mut names = HashMap::new();
        for (_, _, target) in &targets {
            if let Target::Standard(ImportField { kind: ImportType::Reference { table, name_column }, .. }) = target {
                names.insert(*table, names_of(scope, table, name_column).await?);
            }
        }
        Ok(Self { columns: targets, date_order, names })
    }

    /// Whether `column` fills a date field.
    pub fn is_date_column(&self, column: usize) -> bool {
        self.columns
            .iter()
            .any(|(c, _, target)| *c == column && matches!(target, Target::Custom(f) if f.kind == FieldKind::Date))
    }

    /// This converter reading dates in `order`.
    pub fn with_date_order(self, order: Option<DateOrder>) -> Self {
        Self { date_order: order, ..self }
    }

    /// The fields the mapping fills, by column.
    pub fn field_of_column(&self, column: usize) -> Option<&str> {
        self.columns.iter().find(|(c, _, _)| *c == column).map(|(_, field, _)| field.as_str())
    }

    /// The column a field (or a problem's path within it) was read from.
    pub fn column_of_field(&self, field: &str) -> Option<usize> {
        self.columns
            .iter()
            .find(|(_, f, _)| field == f || field.strip_prefix(f.as_str()).is_some_and(|rest| rest.starts_with('.')))
            .map(|(column, _, _)| *column)
    }

    /// One row as the kind's create input, with the problems of the cells that could not be read.
    pub fn row(&self, number: u64, cells: &[String]) -> RowInput {
        let mut item = Map::new();
        let mut custom = Map::new();
        let mut problems = Vec::new();
        for (column, field, target) in &self.columns {
            let cell = cell_text(cells.get(*column).map(String::as_str).unwrap_or_default());
            if cell.is_empty() {
                continue;
            }
            let read = match target {
                Target::Standard(f) => self.standard(f, cell).map(|v| item.insert(field.clone(), v)),
                Target::Custom(f) => self.custom(f, cell).map(|v| custom.insert(f.key.clone(), v)),
            };
            if let Err((code, message)) = read {
                problems.push(RowProblem { field: field.clone(), code, message });
            }
        }
        if !custom.is_empty() {
            item.insert("custom".into(), Value::Object(custom));
        }
        RowInput { row: number, item, problems }
    }

    fn standard(&self, field: &ImportField, cell: &str) -> Result<Value, (FieldCode, String)> {
        let ImportType::Reference { table, .. } = field.kind else { return Ok(Value::String(cell.to_owned())) };
        if let Ok(id) = Uuid::parse_str(cell) {
            return Ok(Value::String(id.to_string()));
        }
        // A table is named for its records in the plural (`organisations`).
        let what = table.trim_end_matches('s');
        match self.names.get(table).and_then(|names| names.get(&normalise(cell))).map(Vec::as_slice) {
            Some([id]) => Ok(Value::String(id.to_string())),
            Some(ids) if ids.len() > 1 => Err((
                FieldCode::InvalidValue,
                format!("{} {what}s are named \"{cell}\"; put the {what}'s id in this cell instead.", ids.len()),
            )),
            _ => Err((
                FieldCode::UnknownId,
                format!("No {what} named \"{cell}\" is there; correct the name, or import the {what} first."),
            )),
        }
    }

    fn custom(&self, field: &custom_fields::Model, cell: &str) -> Result<Value, (FieldCode, String)> {
        match field.kind {
            FieldKind::Date => {
                parse_date(cell, self.date_order).map(Value::String).map_err(|m| (FieldCode::InvalidValue, m))
            }
            FieldKind::YesNo => parse_yes_no(cell).map(Value::Bool).ok_or_else(|| {
                (
                    FieldCode::InvalidValue,
                    format!("\"{cell}\" is neither yes nor no; write yes or no (да / нет, بله / خیر)."),
                )
            }),
            FieldKind::MultiChoice => {
                let separators: &[char] = if cell.contains([';', '|', '،']) { &[';', '|', '،'] } else { &[','] };
                let items = cell.split(separators).map(cell_text).filter(|s| !s.is_empty());
                Ok(Value::Array(items.map(|s| Value::String(s.to_owned())).collect()))
            }
            _ => Ok(Value::String(cell.to_owned())),
        }
    }
}

/// The active records of `table` within reach, by name.
async fn names_of(scope: &Scope<'_>, table: &'static str, name_column: &'static str) -> Result<NameIndex, ApiError> {
    let mut wanted = Condition::all().add(Expr::col(Alias::new("deleted_at")).is_null());
    if let Some(visible) = scope.actor.reach.condition(None) {
        wanted = wanted.add(visible);
    }
    let query = Query::select()
        .columns([Alias::new("id"), Alias::new(name_column)])
        .from(Alias::new(table))
        .cond_where(wanted)
        .to_owned();
    let mut names = NameIndex::new();
    for row in scope.tx.query_all(&query).await? {
        let id: Uuid = row.try_get("", "id")?;
        let name: String = row.try_get("", name_column)?;
        names.entry(normalise(&name)).or_default().push(id);
    }
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_read_in_the_order_chosen_and_never_guessed() {
        assert_eq!(parse_date("2026-01-05", None).unwrap(), "2026-01-05");
        assert_eq!(parse_date("۲۰۲۶/۰۱/۰۵", None).unwrap(), "2026-01-05");
        let asked = parse_date("03/04/2026", None).unwrap_err();
        assert!(asked.contains("3 April or 4 March") || asked.contains("3 April"), "{asked}");
        assert_eq!(parse_date("03/04/2026", Some(DateOrder::DayMonthYear)).unwrap(), "2026-04-03");
        assert_eq!(parse_date("03/04/2026", Some(DateOrder::MonthDayYear)).unwrap(), "2026-03-04");
        assert_eq!(parse_date("25.12.2026", Some(DateOrder::DayMonthYear)).unwrap(), "2026-12-25");
        assert!(parse_date("25.12.2026", Some(DateOrder::MonthDayYear)).is_err());
        assert!(parse_date("1403-05-12", None).unwrap_err().contains("Solar Hijri"));
        assert!(parse_date("tomorrow", None).is_err());
    }

    #[test]
    fn a_column_shows_its_date_order_or_is_ambiguous() {
        assert_eq!(date_reading(["03/04/2026", "25/04/2026"]), DateReading::Shows(DateOrder::DayMonthYear));
        assert_eq!(date_reading(["04/25/2026", "03/04/2026"]), DateReading::Shows(DateOrder::MonthDayYear));
        assert_eq!(date_reading(["03/04/2026", "01.02.2026"]), DateReading::Ambiguous);
        assert_eq!(date_reading(["2026-04-03", "Ромашка"]), DateReading::Clear);
    }

    #[test]
    fn yes_no_and_bidirectional_marks() {
        assert_eq!(parse_yes_no("Да"), Some(true));
        assert_eq!(parse_yes_no("خیر"), Some(false));
        assert_eq!(parse_yes_no("maybe"), None);
        assert_eq!(cell_text("\u{200F}پارس‌نیرو\u{200E} "), "پارس‌نیرو");
    }
}

//! `audit.efficiency` (SEC-6): per person, for a period, how often they signed in (and
//! failed to), the audited actions they took and the records they changed, operation by
//! operation — read from the audit log and the change log, which every operation already
//! writes, so a domain added later is counted without code of its own. Reading is not
//! recorded anywhere, so it is not counted.

use std::collections::BTreeMap;

use accord_kernel::error::{ApiError, FieldCode};
use accord_kernel::operation::{Operation, Scope};
use accord_kernel::security::Permission;
use accord_kernel::{audit, changelog, clock::HlcTimestamp};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

/// The longest period one report covers.
const LONGEST_PERIOD_DAYS: i64 = 400;
const SIGN_IN: &str = "security.sign_in";
const SIGN_IN_FAILED: &str = "security.sign_in_failed";

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct EfficiencyInput {
    /// The period's first instant.
    pub from: DateTime<Utc>,
    /// The instant after the period (exclusive).
    pub to: DateTime<Utc>,
    /// Only this person.
    #[serde(default)]
    #[ts(optional)]
    pub user_id: Option<Uuid>,
}

/// What one person did with one operation.
#[derive(Debug, Clone, Serialize, TS)]
pub struct OperationActivity {
    pub operation: String,
    /// Times the action was taken (audited operations).
    pub actions: u32,
    /// Records it created or changed (the change log).
    pub records_changed: u32,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct PersonActivity {
    pub user_id: Uuid,
    /// Absent for someone who is not a user: an unknown login's failed sign-ins, or the owner
    /// of a database without users.
    pub display_name: Option<String>,
    pub sign_ins: u32,
    pub failed_sign_ins: u32,
    /// Audited actions other than signing in.
    pub actions: u32,
    pub records_changed: u32,
    pub last_activity_at: Option<DateTime<Utc>>,
    /// Busiest first.
    pub operations: Vec<OperationActivity>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct EfficiencyReport {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    /// The most active first (actions and changes together), then by name.
    pub people: Vec<PersonActivity>,
}

pub struct ReadEfficiency;

impl Operation for ReadEfficiency {
    const NAME: &'static str = "audit.efficiency";
    const PERMISSION: Permission = accord_kernel::security::platform::AUDIT_READ;
    const WRITES: bool = false;
    const SUMMARY: &'static str =
        "Per person in a period: sign-ins, failed sign-ins, audited actions and records changed, by operation.";
    type Input = EfficiencyInput;
    type Output = EfficiencyReport;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<EfficiencyReport, ApiError> {
        check_period(&input)?;
        let actions = audit::actions_by_actor(scope, input.from, input.to, input.user_id).await?;
        let changes = changelog::changes_by_actor(scope, input.from, input.to, input.user_id).await?;
        let mut people: BTreeMap<Uuid, PersonActivity> = BTreeMap::new();
        for action in actions {
            let person = people.entry(action.actor_id).or_insert_with(|| empty(action.actor_id));
            let count = saturate(action.count);
            match action.operation.as_str() {
                SIGN_IN => person.sign_ins += count,
                SIGN_IN_FAILED => person.failed_sign_ins += count,
                _ => {
                    person.actions += count;
                    operation(person, &action.operation).actions += count;
                }
            }
            person.last_activity_at = person.last_activity_at.max(Some(action.last));
        }
        for change in changes {
            let person = people.entry(change.actor_id).or_insert_with(|| empty(change.actor_id));
            let count = saturate(change.count);
            person.records_changed += count;
            operation(person, &change.operation).records_changed += count;
            let at = DateTime::from_timestamp_millis(HlcTimestamp(change.last).physical_ms());
            person.last_activity_at = person.last_activity_at.max(at);
        }
        let ids: Vec<Uuid> = people.keys().copied().collect();
        let names = accord_security::users::display_names(scope.tx, &ids).await?;
        let mut people: Vec<PersonActivity> = people
            .into_values()
            .map(|mut person| {
                person.display_name = names.get(&person.user_id).cloned();
                person.operations.sort_by(|a, b| {
                    (b.actions + b.records_changed)
                        .cmp(&(a.actions + a.records_changed))
                        .then(a.operation.cmp(&b.operation))
                });
                person
            })
            .collect();
        people.sort_by(|a, b| {
            (b.actions + b.records_changed)
                .cmp(&(a.actions + a.records_changed))
                .then(a.display_name.cmp(&b.display_name))
        });
        Ok(EfficiencyReport { from: input.from, to: input.to, people })
    }
}

fn check_period(input: &EfficiencyInput) -> Result<(), ApiError> {
    if input.to <= input.from {
        return Err(ApiError::field("to", FieldCode::InvalidValue, "The period must end after it starts."));
    }
    if input.to - input.from > Duration::days(LONGEST_PERIOD_DAYS) {
        return Err(ApiError::field(
            "to",
            FieldCode::InvalidValue,
            format!("A report covers at most {LONGEST_PERIOD_DAYS} days; choose a shorter period."),
        ));
    }
    Ok(())
}

fn empty(user_id: Uuid) -> PersonActivity {
    PersonActivity {
        user_id,
        display_name: None,
        sign_ins: 0,
        failed_sign_ins: 0,
        actions: 0,
        records_changed: 0,
        last_activity_at: None,
        operations: Vec::new(),
    }
}

fn saturate(count: i64) -> u32 {
    u32::try_from(count).unwrap_or(u32::MAX)
}

fn operation<'a>(person: &'a mut PersonActivity, name: &str) -> &'a mut OperationActivity {
    let index = match person.operations.iter().position(|o| o.operation == name) {
        Some(index) => index,
        None => {
            person.operations.push(OperationActivity { operation: name.to_owned(), actions: 0, records_changed: 0 });
            person.operations.len() - 1
        }
    };
    &mut person.operations[index]
}

/// The words of the spreadsheet, in the window's language.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct EfficiencySheetLabels {
    /// The first sheet's name (at most 31 characters, none of `[]:*?/\`).
    pub people_sheet: String,
    /// The second sheet's name: each person's operations.
    pub operations_sheet: String,
    pub person: String,
    pub sign_ins: String,
    pub failed_sign_ins: String,
    pub actions: String,
    pub records_changed: String,
    pub last_activity: String,
    pub operation: String,
    /// Shown for someone who is not a user (an unknown login).
    pub unknown_person: String,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct ExportEfficiencyInput {
    pub report: EfficiencyInput,
    pub labels: EfficiencySheetLabels,
    /// The sheets read right to left (Persian).
    #[serde(default)]
    pub right_to_left: bool,
    /// Minutes to add to UTC for the times shown (the window's time zone, e.g. 210 for Tehran).
    #[serde(default)]
    pub utc_offset_minutes: i32,
}

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The efficiency report as an XLSX workbook (SEC-6). Audited, as every export is (SEC-5).
pub struct ExportEfficiency;

impl Operation for ExportEfficiency {
    const NAME: &'static str = "audit.export_efficiency";
    const PERMISSION: Permission = accord_kernel::security::platform::AUDIT_READ;
    // Writes its audit entry.
    const WRITES: bool = true;
    const AUDITED: bool = true;
    const SUMMARY: &'static str = "The efficiency report as an XLSX workbook: people, and each person's operations.";
    type Input = ExportEfficiencyInput;
    type Output = accord_kernel::io::ExportedFile;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<accord_kernel::io::ExportedFile, ApiError> {
        check_labels(&input.labels)?;
        if !(-14 * 60..=14 * 60).contains(&input.utc_offset_minutes) {
            return Err(ApiError::field(
                "utc_offset_minutes",
                FieldCode::InvalidValue,
                "A time zone is at most 14 hours from UTC.",
            ));
        }
        let report = ReadEfficiency::run(scope, input.report.clone()).await?;
        let bytes = spreadsheet::workbook(&report, &input)?;
        scope.audit_detail(format!(
            "efficiency report {} to {}: {} people, {} bytes",
            report.from.format("%Y-%m-%d %H:%M"),
            report.to.format("%Y-%m-%d %H:%M"),
            report.people.len(),
            bytes.len()
        ));
        use base64::Engine as _;
        Ok(accord_kernel::io::ExportedFile {
            file_name: format!(
                "accord-efficiency-{}-{}.xlsx",
                report.from.format("%Y%m%d"),
                report.to.format("%Y%m%d")
            ),
            media_type: XLSX.to_owned(),
            content_base64: base64::engine::general_purpose::STANDARD.encode(bytes),
        })
    }
}

fn check_labels(labels: &EfficiencySheetLabels) -> Result<(), ApiError> {
    let mut errors = accord_kernel::error::FieldErrors::default();
    for (name, sheet) in
        [("labels.people_sheet", &labels.people_sheet), ("labels.operations_sheet", &labels.operations_sheet)]
    {
        let length = sheet.trim().chars().count();
        if length == 0 || length > 31 || sheet.contains(['[', ']', ':', '*', '?', '/', '\\']) {
            errors.add(
                name,
                FieldCode::InvalidValue,
                "A sheet name has 1 to 31 characters and none of [ ] : * ? / \\.",
            );
        }
    }
    for (name, text) in [
        ("labels.person", &labels.person),
        ("labels.sign_ins", &labels.sign_ins),
        ("labels.failed_sign_ins", &labels.failed_sign_ins),
        ("labels.actions", &labels.actions),
        ("labels.records_changed", &labels.records_changed),
        ("labels.last_activity", &labels.last_activity),
        ("labels.operation", &labels.operation),
        ("labels.unknown_person", &labels.unknown_person),
    ] {
        if text.trim().is_empty() || text.chars().count() > 100 {
            errors.add(name, FieldCode::InvalidValue, "A column heading has 1 to 100 characters.");
        }
    }
    errors.into_result()
}

mod spreadsheet {
    use accord_kernel::error::ApiError;
    use chrono::{DateTime, Duration, Utc};
    use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

    use super::{EfficiencyReport, ExportEfficiencyInput, PersonActivity};

    fn failed(e: XlsxError) -> ApiError {
        ApiError::internal(format!("could not write the spreadsheet: {e}"))
    }

    pub(super) fn workbook(report: &EfficiencyReport, input: &ExportEfficiencyInput) -> Result<Vec<u8>, ApiError> {
        let labels = &input.labels;
        let heading = Format::new().set_bold();
        let when = Format::new().set_num_format("yyyy-mm-dd hh:mm");
        let local = |at: DateTime<Utc>| (at + Duration::minutes(i64::from(input.utc_offset_minutes))).naive_utc();
        let name =
            |person: &PersonActivity| person.display_name.clone().unwrap_or_else(|| labels.unknown_person.clone());
        let mut book = Workbook::new();

        let people = sheet(&mut book, &labels.people_sheet, input.right_to_left)?;
        let columns = [
            &labels.person,
            &labels.sign_ins,
            &labels.failed_sign_ins,
            &labels.actions,
            &labels.records_changed,
            &labels.last_activity,
        ];
        headings(people, &columns, &heading)?;
        for (row, person) in (1u32..).zip(&report.people) {
            people.write_string(row, 0, name(person)).map_err(failed)?;
            for (col, count) in
                (1u16..).zip([person.sign_ins, person.failed_sign_ins, person.actions, person.records_changed])
            {
                people.write_number(row, col, count).map_err(failed)?;
            }
            if let Some(at) = person.last_activity_at {
                people.write_datetime_with_format(row, 5, local(at), &when).map_err(failed)?;
            }
        }

        let operations = sheet(&mut book, &labels.operations_sheet, input.right_to_left)?;
        headings(operations, &[&labels.person, &labels.operation, &labels.actions, &labels.records_changed], &heading)?;
        let mut row = 1u32;
        for person in &report.people {
            for operation in &person.operations {
                operations.write_string(row, 0, name(person)).map_err(failed)?;
                operations.write_string(row, 1, &operation.operation).map_err(failed)?;
                operations.write_number(row, 2, operation.actions).map_err(failed)?;
                operations.write_number(row, 3, operation.records_changed).map_err(failed)?;
                row += 1;
            }
        }
        book.save_to_buffer().map_err(failed)
    }

    fn sheet<'a>(book: &'a mut Workbook, name: &str, right_to_left: bool) -> Result<&'a mut Worksheet, ApiError> {
        let sheet = book.add_worksheet();
        sheet.set_name(name.trim()).map_err(failed)?;
        sheet.set_right_to_left(right_to_left);
        sheet.set_freeze_panes(1, 0).map_err(failed)?;
        Ok(sheet)
    }

    /// Bold headings, each column wide enough for its heading. Text is written as text, never
    /// as a formula, so a name such as "=HYPERLINK(…)" stays a name.
    fn headings(sheet: &mut Worksheet, columns: &[&String], heading: &Format) -> Result<(), ApiError> {
        for (col, text) in (0u16..).zip(columns) {
            sheet.write_string_with_format(0, col, text.as_str(), heading).map_err(failed)?;
            let width = (text.chars().count() as f64 + 4.0).max(14.0);
            sheet.set_column_width(col, width).map_err(failed)?;
        }
        Ok(())
    }
}

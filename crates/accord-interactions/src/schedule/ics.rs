//! The calendar file (RFC 5545, iCalendar) of scheduled contacts, for other calendars:
//! each series one VEVENT at its wall-clock start in its zone, with its RRULE, its skipped
//! starts (EXDATE) and its reminder (VALARM); and each zone a VTIMEZONE with its offsets.
//!
//! Written here, not with a crate: the maintained `icalendar` crate builds events but no
//! VTIMEZONE, which RFC 5545 requires for every TZID used (Outlook refuses a file without).
//! The export test reads the file back with Python's `icalendar`, an independent parser.

use super::queries::Names;
use super::*;
use chrono::{Datelike, FixedOffset, NaiveDate, Offset, TimeZone};
use chrono_tz::{OffsetComponents, OffsetName};
use std::collections::BTreeSet;
use std::fmt::Write;

/// How far ahead a zone's changes of offset are written (a series may repeat for years).
const ZONE_YEARS_AHEAD: i32 = 10;

/// One series as a VEVENT.
#[derive(Debug, Clone)]
pub struct Event {
    pub uid: String,
    pub summary: String,
    pub description: Option<String>,
    pub category: String,
    pub time_zone: String,
    pub starts_at: DateTime<Utc>,
    pub duration_minutes: i32,
    pub recurrence: Option<String>,
    pub exceptions: Vec<DateTime<Utc>>,
    pub lead_minutes: i32,
    pub sequence: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Event {
    pub(super) fn of(series: &Model, names: &Names) -> Self {
        let topic = names.topic(series.topic_id);
        let summary = match names.whom(series) {
            Some(whom) => format!("{topic} — {whom}"),
            None => topic,
        };
        Event {
            uid: format!("{}@accord", series.id),
            summary,
            description: series.note.clone(),
            category: sea_orm::ActiveEnum::to_value(&series.channel),
            time_zone: series.time_zone.clone(),
            starts_at: series.starts_at,
            duration_minutes: series.duration_minutes,
            recurrence: series.recurrence.as_deref().map(|r| r.trim().trim_start_matches("RRULE:").to_owned()),
            exceptions: series.exception_list(),
            lead_minutes: series.lead_minutes,
            sequence: series.version - 1,
            created_at: series.created_at,
            updated_at: series.updated_at,
        }
    }
}

/// The whole file: a VCALENDAR with each zone the events use, then the events.
pub fn calendar(events: &[Event], now: DateTime<Utc>) -> Result<String, ApiError> {
    let mut out = Lines::default();
    out.line("BEGIN:VCALENDAR");
    out.line("VERSION:2.0");
    out.line("PRODID:-//Accord//Accord CRM//EN");
    out.line("CALSCALE:GREGORIAN");
    out.line("METHOD:PUBLISH");
    let zones: BTreeSet<&str> = events.iter().map(|e| e.time_zone.as_str()).collect();
    let first_year = events.iter().map(|e| e.starts_at.year()).min().unwrap_or(now.year());
    for name in zones {
        let zone = recurrence_zone(name)?;
        write_zone(&mut out, name, zone, first_year - 1, now.year().max(first_year) + ZONE_YEARS_AHEAD);
    }
    for event in events {
        write_event(&mut out, event, now)?;
    }
    out.line("END:VCALENDAR");
    Ok(out.text)
}

fn recurrence_zone(name: &str) -> Result<chrono_tz::Tz, ApiError> {
    name.parse::<chrono_tz::Tz>().map_err(|_| ApiError::internal(format!("a stored time zone is unknown: {name}")))
}

fn write_event(out: &mut Lines, event: &Event, now: DateTime<Utc>) -> Result<(), ApiError> {
    let zone = recurrence_zone(&event.time_zone)?;
    let local = |at: DateTime<Utc>| at.with_timezone(&zone).format("%Y%m%dT%H%M%S").to_string();
    let tzid = &event.time_zone;
    out.line("BEGIN:VEVENT");
    out.line(&format!("UID:{}", event.uid));
    out.line(&format!("DTSTAMP:{}", utc(now)));
    out.line(&format!("CREATED:{}", utc(event.created_at)));
    out.line(&format!("LAST-MODIFIED:{}", utc(event.updated_at)));
    out.line(&format!("SEQUENCE:{}", event.sequence.max(0)));
    out.line(&format!("DTSTART;TZID={tzid}:{}", local(event.starts_at)));
    let ends = event.starts_at + Duration::minutes(i64::from(event.duration_minutes));
    out.line(&format!("DTEND;TZID={tzid}:{}", local(ends)));
    if let Some(rule) = &event.recurrence {
        out.line(&format!("RRULE:{rule}"));
    }
    if !event.exceptions.is_empty() {
        let starts: Vec<String> = event.exceptions.iter().map(|at| local(*at)).collect();
        out.line(&format!("EXDATE;TZID={tzid}:{}", starts.join(",")));
    }
    out.line(&format!("SUMMARY:{}", text(&event.summary)));
    if let Some(description) = &event.description {
        out.line(&format!("DESCRIPTION:{}", text(description)));
    }
    out.line(&format!("CATEGORIES:{}", text(&event.category)));
    out.line("STATUS:CONFIRMED");
    out.line("TRANSP:OPAQUE");
    out.line("BEGIN:VALARM");
    out.line("ACTION:DISPLAY");
    out.line(&format!("DESCRIPTION:{}", text(&event.summary)));
    out.line(&format!("TRIGGER:-PT{}M", event.lead_minutes.max(0)));
    out.line("END:VALARM");
    out.line("END:VEVENT");
    Ok(())
}

/// A zone's VTIMEZONE: the offset it had at the start of `from_year`, then each change of
/// offset up to `to_year` as its own observance (DAYLIGHT when it is summer time).
fn write_zone(out: &mut Lines, name: &str, zone: chrono_tz::Tz, from_year: i32, to_year: i32) {
    let instant =
        |year: i32| NaiveDate::from_ymd_opt(year, 1, 1).and_then(|d| d.and_hms_opt(0, 0, 0)).map(|d| d.and_utc());
    let (Some(from), Some(to)) = (instant(from_year), instant(to_year + 1)) else { return };
    out.line("BEGIN:VTIMEZONE");
    out.line(&format!("TZID:{name}"));
    let first = zone.offset_from_utc_datetime(&from.naive_utc());
    let onset = from.naive_utc() + Duration::seconds(i64::from(first.fix().local_minus_utc()));
    observance(out, &first, &first, onset);
    for (at, before, after) in changes(zone, from, to) {
        let onset = at.naive_utc() + Duration::seconds(i64::from(before.fix().local_minus_utc()));
        observance(out, &before, &after, onset);
    }
    out.line("END:VTIMEZONE");
}

type ZoneOffset = <chrono_tz::Tz as TimeZone>::Offset;

fn observance(out: &mut Lines, before: &ZoneOffset, after: &ZoneOffset, onset: chrono::NaiveDateTime) {
    let kind = if after.dst_offset().is_zero() { "STANDARD" } else { "DAYLIGHT" };
    out.line(&format!("BEGIN:{kind}"));
    out.line(&format!("DTSTART:{}", onset.format("%Y%m%dT%H%M%S")));
    out.line(&format!("TZOFFSETFROM:{}", offset(before.fix())));
    out.line(&format!("TZOFFSETTO:{}", offset(after.fix())));
    if let Some(abbreviation) = after.abbreviation() {
        out.line(&format!("TZNAME:{}", text(abbreviation)));
    }
    out.line(&format!("END:{kind}"));
}

/// Each instant in `[from, to)` at which the zone's offset changes, with the offsets either
/// side: found a day at a time, then to the second.
fn changes(
    zone: chrono_tz::Tz,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Vec<(DateTime<Utc>, ZoneOffset, ZoneOffset)> {
    let offset_at = |at: DateTime<Utc>| zone.offset_from_utc_datetime(&at.naive_utc());
    let mut found = Vec::new();
    let mut day = from;
    while day < to {
        let next = day + Duration::days(1);
        let (before, after) = (offset_at(day), offset_at(next));
        if before.fix() != after.fix() {
            let (mut old, mut new) = (day, next);
            while new - old > Duration::seconds(1) {
                let middle = old + (new - old) / 2;
                if offset_at(middle).fix() == before.fix() { old = middle } else { new = middle }
            }
            found.push((new, before, offset_at(new)));
        }
        day = next;
    }
    found
}

/// `+0330`, `-0500`, `+053328` (seconds only when there are any).
fn offset(offset: FixedOffset) -> String {
    let seconds = offset.local_minus_utc();
    let sign = if seconds < 0 { '-' } else { '+' };
    let seconds = seconds.abs();
    let (hours, minutes, rest) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    if rest == 0 { format!("{sign}{hours:02}{minutes:02}") } else { format!("{sign}{hours:02}{minutes:02}{rest:02}") }
}

fn utc(at: DateTime<Utc>) -> String {
    at.format("%Y%m%dT%H%M%SZ").to_string()
}

/// A TEXT value escaped (RFC 5545 3.3.11): backslash, semicolon, comma and line breaks.
fn text(value: &str) -> String {
    let mut escaped = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => escaped.push_str("\\\\"),
            ';' => escaped.push_str("\\;"),
            ',' => escaped.push_str("\\,"),
            '\n' => escaped.push_str("\\n"),
            '\r' => {}
            c => escaped.push(c),
        }
    }
    escaped
}

/// Content lines, each ended by CRLF and folded at 75 octets without splitting a character
/// (RFC 5545 3.1): Persian and Russian letters take two octets each.
#[derive(Default)]
struct Lines {
    text: String,
}

impl Lines {
    fn line(&mut self, line: &str) {
        let mut width = 0;
        for c in line.chars() {
            let octets = c.len_utf8();
            if width + octets > 75 {
                self.text.push_str("\r\n ");
                width = 1;
            }
            self.text.push(c);
            width += octets;
        }
        let _ = self.text.write_str("\r\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_fold_between_characters_and_text_is_escaped() {
        let mut lines = Lines::default();
        let summary = format!("SUMMARY:{}", text(&"پیش‌فاکتور, مشتری; ".repeat(6)));
        lines.line(&summary);
        for line in lines.text.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(line.len() <= 75, "{} octets: {line}", line.len());
        }
        let unfolded = lines.text.replace("\r\n ", "");
        assert_eq!(unfolded.strip_suffix("\r\n"), Some(summary.as_str()));
        assert!(summary.contains("پیش‌فاکتور\\, مشتری\\; "));
        assert_eq!(text("a\\b\nc"), "a\\\\b\\nc");
    }

    #[test]
    fn a_zone_lists_its_changes_of_offset_and_a_zone_without_summer_time_has_one() {
        let mut berlin = Lines::default();
        write_zone(&mut berlin, "Europe/Berlin", chrono_tz::Europe::Berlin, 2026, 2026);
        assert!(
            berlin.text.contains(
                "BEGIN:DAYLIGHT\r\nDTSTART:20260329T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nTZNAME:CEST"
            ),
            "{}",
            berlin.text
        );
        assert!(
            berlin.text.contains("BEGIN:STANDARD\r\nDTSTART:20261025T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100"),
            "{}",
            berlin.text
        );
        let mut tehran = Lines::default();
        write_zone(&mut tehran, "Asia/Tehran", chrono_tz::Asia::Tehran, 2026, 2027);
        assert_eq!(tehran.text.matches("BEGIN:STANDARD").count(), 1, "{}", tehran.text);
        assert!(tehran.text.contains("TZOFFSETTO:+0330"));
        assert_eq!(offset(FixedOffset::west_opt(5 * 3600).unwrap()), "-0500");
    }
}

//! When a scheduled contact happens (COMM-3): a wall-clock start in a time zone, and
//! optionally an iCalendar RRULE (RFC 5545) with exceptions, expanded by the `rrule` crate in
//! that zone — so a weekly 10:00 call stays at 10:00 on both sides of a daylight-saving change.

use chrono::{DateTime, LocalResult, NaiveDateTime, TimeZone, Utc};
use rrule::{RRule, RRuleSet, Tz, Unvalidated};

/// How many occurrences one read may expand (a daily series over a long period is the most a
/// window shows; the `rrule` crate stops there too).
pub const MAX_EXPANDED: u16 = 1_000;

/// Why a schedule cannot be read, each reported on its own input field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScheduleProblem {
    /// `time_zone` is not an IANA zone name.
    UnknownZone(String),
    /// The wall-clock start does not exist in the zone (the hour skipped when clocks go forward).
    SkippedTime(String),
    /// `recurrence` is not a valid RRULE, or ends before it starts: the crate's words.
    InvalidRule(String),
}

/// A series' when: the zone, the first start, the rule and the starts left out.
#[derive(Debug, Clone)]
pub struct Recurrence {
    zone: Tz,
    set: RRuleSet,
    /// Once, or a rule with COUNT or UNTIL.
    ends: bool,
}

/// The IANA zone named `name` (`Europe/Moscow`, `Asia/Tehran`, `UTC`).
pub fn zone(name: &str) -> Result<Tz, ScheduleProblem> {
    name.trim().parse::<chrono_tz::Tz>().map(Tz::Tz).map_err(|_| ScheduleProblem::UnknownZone(name.to_owned()))
}

/// The instant a wall-clock time in `zone` is; in the hour repeated when clocks go back, the
/// first of the two.
pub fn instant(zone: Tz, local: NaiveDateTime) -> Result<DateTime<Utc>, ScheduleProblem> {
    match zone.from_local_datetime(&local) {
        LocalResult::Single(at) | LocalResult::Ambiguous(at, _) => Ok(at.with_timezone(&Utc)),
        LocalResult::None => Err(ScheduleProblem::SkippedTime(local.format("%Y-%m-%d %H:%M").to_string())),
    }
}

impl Recurrence {
    /// A series starting at `start` (an instant, read in `zone_name`), repeating by `rule`
    /// (the RRULE's value: `FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10`) or once, without the starts in
    /// `exceptions`.
    pub fn new(
        zone_name: &str,
        start: DateTime<Utc>,
        rule: Option<&str>,
        exceptions: &[DateTime<Utc>],
    ) -> Result<Self, ScheduleProblem> {
        let zone = zone(zone_name)?;
        let dt_start = start.with_timezone(&zone);
        let (mut set, ends) = match rule.map(str::trim).filter(|r| !r.is_empty()) {
            Some(rule) => {
                let rule = rule.strip_prefix("RRULE:").unwrap_or(rule);
                let parsed: RRule<Unvalidated> =
                    rule.parse().map_err(|e: rrule::RRuleError| ScheduleProblem::InvalidRule(e.to_string()))?;
                let ends = parsed.get_count().is_some() || parsed.get_until().is_some();
                (parsed.build(dt_start).map_err(|e| ScheduleProblem::InvalidRule(e.to_string()))?, ends)
            }
            None => (RRuleSet::new(dt_start).rdate(dt_start), true),
        };
        for exception in exceptions {
            set = set.exdate(exception.with_timezone(&zone));
        }
        Ok(Self { zone, set, ends })
    }

    /// The first start at or after `from`, if the series has one.
    pub fn next_from(&self, from: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let from = from.with_timezone(&self.zone);
        self.set.clone().after(from).all(1).dates.first().map(|at| at.with_timezone(&Utc))
    }

    /// The first start after `after` (strictly), if any.
    pub fn next_after(&self, after: DateTime<Utc>) -> Option<DateTime<Utc>> {
        self.next_from(after + chrono::Duration::seconds(1))
    }

    /// The last start of a series that ends (none: it repeats on, or past what one read
    /// expands).
    pub fn last(&self) -> Option<DateTime<Utc>> {
        if !self.ends {
            return None;
        }
        let all = self.set.clone().all(u16::MAX);
        if all.limited {
            return None;
        }
        all.dates.last().map(|at| at.with_timezone(&Utc))
    }

    /// The starts in `[from, to)`, at most [`MAX_EXPANDED`].
    pub fn between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<DateTime<Utc>> {
        let (from, to) = (from.with_timezone(&self.zone), to.with_timezone(&self.zone));
        let dates = self.set.clone().after(from).before(to).all(MAX_EXPANDED).dates;
        dates.into_iter().filter(|at| *at < to).map(|at| at.with_timezone(&Utc)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveDate, Timelike};

    fn local(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d).unwrap().and_hms_opt(h, min, 0).unwrap()
    }

    #[test]
    fn a_weekly_call_stays_at_its_wall_clock_time_across_daylight_saving() {
        let berlin = zone("Europe/Berlin").unwrap();
        // Monday 23 March 2026 10:00 CET; clocks go forward on Sunday 29 March.
        let start = instant(berlin, local(2026, 3, 23, 10, 0)).unwrap();
        let series = Recurrence::new("Europe/Berlin", start, Some("FREQ=WEEKLY;BYDAY=MO;COUNT=3"), &[]).unwrap();
        let starts = series.between(start, start + chrono::Duration::days(30));
        assert_eq!(starts.len(), 3);
        let hours: Vec<u32> = starts.iter().map(|at| at.with_timezone(&berlin).hour()).collect();
        assert_eq!(hours, [10, 10, 10], "10:00 local each week");
        assert_eq!(starts[0].hour(), 9, "CET is UTC+1");
        assert_eq!(starts[1].hour(), 8, "CEST is UTC+2");
    }

    #[test]
    fn exceptions_are_left_out_and_count_and_until_end_the_series() {
        let start = instant(zone("Asia/Tehran").unwrap(), local(2026, 12, 7, 9, 30)).unwrap();
        let skipped = start + chrono::Duration::days(1);
        let daily = Recurrence::new("Asia/Tehran", start, Some("RRULE:FREQ=DAILY;COUNT=4"), &[skipped]).unwrap();
        let all = daily.between(start, start + chrono::Duration::days(10));
        assert_eq!(all.len(), 3, "four, one skipped");
        assert!(!all.contains(&skipped));
        assert_eq!(daily.next_after(start), Some(start + chrono::Duration::days(2)), "the skipped one is not next");
        assert_eq!(daily.next_after(all[2]), None, "the series has ended");
        let until = Recurrence::new("UTC", start, Some("FREQ=WEEKLY;INTERVAL=2;UNTIL=20270101T000000Z"), &[]).unwrap();
        assert_eq!(until.between(start, start + chrono::Duration::days(60)).len(), 2);
    }

    #[test]
    fn a_single_contact_happens_once() {
        let start = Utc::now();
        let once = Recurrence::new("Europe/Moscow", start, None, &[]).unwrap();
        let at = once.next_from(start - chrono::Duration::hours(1)).unwrap();
        assert_eq!(at.timestamp(), start.timestamp());
        assert_eq!(once.next_after(start), None);
    }

    #[test]
    fn bad_zones_rules_and_skipped_times_are_named() {
        assert_eq!(zone("Mars/Olympus"), Err(ScheduleProblem::UnknownZone("Mars/Olympus".into())));
        let start = Utc::now();
        for rule in ["FREQ=SOMETIMES", "FREQ=DAILY;UNTIL=20000101T000000Z", "FREQ=WEEKLY;BYDAY=XX"] {
            let problem = Recurrence::new("UTC", start, Some(rule), &[]).unwrap_err();
            assert!(matches!(problem, ScheduleProblem::InvalidRule(_)), "{rule}: {problem:?}");
        }
        let skipped = instant(zone("Europe/Berlin").unwrap(), local(2026, 3, 29, 2, 30));
        assert!(matches!(skipped, Err(ScheduleProblem::SkippedTime(_))), "02:30 does not exist that night");
    }
}

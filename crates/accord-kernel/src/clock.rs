//! Hybrid logical clock for change-log entries.
//!
//! A timestamp is 48 bits of Unix milliseconds and a 16-bit counter in one `i64`, so it sorts
//! as a number in both engines. The clock never runs backwards: not when the wall clock
//! jumps back, and not across restarts (it resumes after the last stamp the device wrote).

use std::sync::Mutex;

const COUNTER_BITS: u32 = 16;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct HlcTimestamp(pub i64);

impl HlcTimestamp {
    pub fn physical_ms(self) -> i64 {
        self.0 >> COUNTER_BITS
    }

    pub fn counter(self) -> u16 {
        (self.0 & ((1 << COUNTER_BITS) - 1)) as u16
    }

    /// The first stamp of the millisecond `ms`: bounds for "what happened from `ms` on".
    pub fn first_of_ms(ms: i64) -> Self {
        Self(ms << COUNTER_BITS)
    }
}

/// How far ahead of this computer's clock a received stamp may be: a day, as a team server
/// allows (ADR 0013).
pub const MAX_DRIFT_MS: i64 = 24 * 60 * 60 * 1000;

/// A received stamp too far ahead of this computer's clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClockTooFarAhead {
    pub remote: HlcTimestamp,
    pub wall_ms: i64,
}

#[derive(Debug)]
pub struct HybridClock {
    last: Mutex<i64>,
    wall_ms: fn() -> i64,
}

fn system_wall_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

impl HybridClock {
    /// A clock that resumes after `last_issued` (the device's newest stamp in the change log).
    pub fn resume_after(last_issued: Option<i64>) -> Self {
        Self::with_wall_clock(last_issued, system_wall_ms)
    }

    pub fn with_wall_clock(last_issued: Option<i64>, wall_ms: fn() -> i64) -> Self {
        Self { last: Mutex::new(last_issued.unwrap_or(0)), wall_ms }
    }

    /// This clock, reading the wall time from `wall_ms` from now on: a test's computer whose
    /// date is set wrong. What it issued and observed stays behind it.
    pub fn on_wall_clock(&self, wall_ms: fn() -> i64) -> Self {
        let last = *self.last.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        Self::with_wall_clock(Some(last), wall_ms)
    }

    /// A new stamp, strictly greater than every stamp this clock issued or observed.
    pub fn tick(&self) -> HlcTimestamp {
        let wall = (self.wall_ms)() << COUNTER_BITS;
        let mut last = self.last.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        *last = if wall > *last { wall } else { *last + 1 };
        HlcTimestamp(*last)
    }

    /// Moves the clock past a stamp received from another device, unless that stamp is more
    /// than [`MAX_DRIFT_MS`] ahead of this computer's wall clock: a clock so far ahead would
    /// drag every later stamp with it, so the change is refused and a person must set the date
    /// right on one of the two computers (the bound HLC implementations keep).
    pub fn receive(&self, remote: HlcTimestamp) -> Result<(), ClockTooFarAhead> {
        let wall = (self.wall_ms)();
        if remote.physical_ms() > wall + MAX_DRIFT_MS {
            return Err(ClockTooFarAhead { remote, wall_ms: wall });
        }
        self.observe(remote);
        Ok(())
    }

    /// Moves the clock past a stamp this device issued, or one already accepted.
    pub fn observe(&self, remote: HlcTimestamp) {
        let mut last = self.last.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if remote.0 > *last {
            *last = remote.0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frozen_wall() -> i64 {
        1_700_000_000_000
    }

    #[test]
    fn stamps_strictly_increase_when_the_wall_clock_stands_still() {
        let clock = HybridClock::with_wall_clock(None, frozen_wall);
        let a = clock.tick();
        let b = clock.tick();
        assert!(b > a);
        assert_eq!(a.physical_ms(), frozen_wall());
        assert_eq!(b.counter(), a.counter() + 1);
    }

    #[test]
    fn clock_does_not_run_backwards_after_a_restart_with_a_late_wall_clock() {
        let future = HlcTimestamp((frozen_wall() + 60_000) << COUNTER_BITS);
        let clock = HybridClock::with_wall_clock(Some(future.0), frozen_wall);
        assert!(clock.tick() > future);
    }

    use proptest::prelude::*;

    thread_local! {
        static WALL: std::cell::Cell<i64> = const { std::cell::Cell::new(0) };
    }

    fn test_wall() -> i64 {
        WALL.with(|w| w.get())
    }

    proptest! {
        /// Whatever the wall clock does — stand still, jump back or forward by days — and
        /// whatever stamps arrive, every stamp issued is greater than all issued or accepted.
        #[test]
        fn stamps_always_increase_and_pass_every_accepted_stamp(
            steps in proptest::collection::vec((-3i64 * 86_400_000..3 * 86_400_000, proptest::option::of(-2i64 * 86_400_000..3 * 86_400_000)), 1..200),
        ) {
            let start = 1_700_000_000_000i64;
            WALL.with(|w| w.set(start));
            let clock = HybridClock::with_wall_clock(None, test_wall);
            let mut highest = HlcTimestamp(0);
            for (jump, received) in steps {
                WALL.with(|w| w.set((w.get() + jump).max(0)));
                let wall = WALL.with(|w| w.get());
                if let Some(offset) = received {
                    let remote = HlcTimestamp::first_of_ms((wall + offset).max(0));
                    match clock.receive(remote) {
                        Ok(()) => highest = highest.max(remote),
                        Err(refused) => prop_assert!(remote.physical_ms() > wall + MAX_DRIFT_MS, "{refused:?}"),
                    }
                }
                let stamp = clock.tick();
                prop_assert!(stamp > highest);
                highest = stamp;
                // Bounded drift: a stamp runs ahead of the wall clock only by what was accepted.
                prop_assert!(stamp.physical_ms() <= wall.max(highest.physical_ms()));
            }
        }
    }

    #[test]
    fn a_stamp_more_than_a_day_ahead_is_refused_and_does_not_move_the_clock() {
        let clock = HybridClock::with_wall_clock(None, frozen_wall);
        let far = HlcTimestamp::first_of_ms(frozen_wall() + MAX_DRIFT_MS + 1);
        assert!(clock.receive(far).is_err());
        assert!(clock.tick().physical_ms() == frozen_wall());
        let near = HlcTimestamp::first_of_ms(frozen_wall() + MAX_DRIFT_MS);
        assert!(clock.receive(near).is_ok());
        assert!(clock.tick() > near);
    }

    #[test]
    fn observing_a_remote_stamp_moves_the_clock_past_it() {
        let clock = HybridClock::with_wall_clock(None, frozen_wall);
        let remote = HlcTimestamp((frozen_wall() + 5_000) << COUNTER_BITS);
        clock.observe(remote);
        assert!(clock.tick() > remote);
    }
}

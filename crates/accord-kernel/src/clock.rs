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

    /// A new stamp, strictly greater than every stamp this clock issued or observed.
    pub fn tick(&self) -> HlcTimestamp {
        let wall = (self.wall_ms)() << COUNTER_BITS;
        let mut last = self.last.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        *last = if wall > *last { wall } else { *last + 1 };
        HlcTimestamp(*last)
    }

    /// Moves the clock past a stamp received from another device (used by sync).
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

    #[test]
    fn observing_a_remote_stamp_moves_the_clock_past_it() {
        let clock = HybridClock::with_wall_clock(None, frozen_wall);
        let remote = HlcTimestamp((frozen_wall() + 5_000) << COUNTER_BITS);
        clock.observe(remote);
        assert!(clock.tick() > remote);
    }
}

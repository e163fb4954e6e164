//! What every background job shares (an import, its undo, an export): how the status it keeps
//! in its own row reads. A job writes its row after each step, so a job whose row has not
//! changed for a while stopped with the app that ran it.

use chrono::{DateTime, TimeDelta, Utc};
use serde::Serialize;
use ts_rs::TS;

/// A running job that has not written for this long is taken to have stopped with its app.
pub const SILENT_FOR: TimeDelta = TimeDelta::minutes(2);

/// How a background job stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum JobStatus {
    Running,
    Finished,
    Cancelled,
    Failed,
    /// It stopped without finishing: the app was closed while it ran.
    Interrupted,
}

impl JobStatus {
    /// The status a job stored (`running`, `finished`, `cancelled`, `failed`), as read `now`
    /// when the job last wrote at `updated_at`.
    pub fn read(stored: &str, updated_at: DateTime<Utc>, now: DateTime<Utc>) -> Self {
        match stored {
            "running" if now - updated_at > SILENT_FOR => JobStatus::Interrupted,
            "running" => JobStatus::Running,
            "cancelled" => JobStatus::Cancelled,
            "failed" => JobStatus::Failed,
            _ => JobStatus::Finished,
        }
    }

    /// The word a job stores for how it ended.
    pub fn stored(self) -> &'static str {
        match self {
            JobStatus::Running | JobStatus::Interrupted => "running",
            JobStatus::Finished => "finished",
            JobStatus::Cancelled => "cancelled",
            JobStatus::Failed => "failed",
        }
    }
}

/// How a job's run ended, to be recorded in its row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ending {
    Finished,
    Cancelled,
    /// Stopped by an error, whose message the person reads.
    Failed(String),
}

impl Ending {
    /// The status to store, and the message that goes with it.
    pub fn stored(&self) -> (&'static str, Option<String>) {
        match self {
            Ending::Finished => (JobStatus::Finished.stored(), None),
            Ending::Cancelled => (JobStatus::Cancelled.stored(), None),
            Ending::Failed(message) => (JobStatus::Failed.stored(), Some(message.clone())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_running_job_that_stopped_writing_reads_as_interrupted() {
        let now = Utc::now();
        assert_eq!(JobStatus::read("running", now - TimeDelta::seconds(5), now), JobStatus::Running);
        assert_eq!(JobStatus::read("running", now - TimeDelta::minutes(3), now), JobStatus::Interrupted);
        assert_eq!(JobStatus::read("cancelled", now - TimeDelta::minutes(3), now), JobStatus::Cancelled);
        for status in [JobStatus::Finished, JobStatus::Cancelled, JobStatus::Failed] {
            assert_eq!(JobStatus::read(status.stored(), now, now), status);
        }
    }
}

import { useTranslation } from "react-i18next";
import type { OfflineJob, SyncReport } from "../../../api/generated";
import { errorMessage } from "../../../shared/errors";
import { formatDateTime, formatNumber } from "../../../shared/format";
import { useLanguage } from "../../../shared/useLanguage";

/**
 * The preparation running now — its phase in words, its counts and a bar that moves — or how the
 * last one ended: what it did, or why it stopped.
 */
export function OfflineJobView({ job }: { job: OfflineJob }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const n = (value: number) => formatNumber(value, language);

  if (job.state === "running") {
    const { phase, pushed, pulled, merged } = job.progress;
    return (
      <div className="offline-job" data-testid="offline-job-running" aria-live="polite">
        <p className="offline-phase">
          <strong data-testid="offline-phase" data-phase={phase}>
            {t(`offline.phases.${phase}`)}
          </strong>
        </p>
        {/* How many changes there are is not known ahead: the bar is indeterminate. */}
        <progress className="offline-progress" data-testid="offline-progress" aria-label={t("offline.progressLabel")} />
        <p className="muted small" data-testid="offline-counts">
          {t("offline.counts", { sent: n(pushed), received: n(pulled), merged: n(merged) })}
        </p>
      </div>
    );
  }

  const finished = job.finished_at ? (
    <p className="muted small" data-testid="offline-finished-at">
      {t("offline.finishedAt", { date: formatDateTime(job.finished_at, language) })}
    </p>
  ) : null;

  if (job.state === "done") {
    return (
      <div className="banner banner-success offline-job" role="status" data-testid="offline-job-state" data-state={job.state}>
        {job.report && <Summary report={job.report} />}
        {finished}
      </div>
    );
  }

  const failed = job.state === "failed";
  return (
    <div
      className={`banner ${failed ? "banner-error" : "banner-warning"} offline-job`}
      role={failed ? "alert" : "status"}
      data-testid="offline-job-state"
      data-state={job.state}
    >
      <p>
        <strong>{failed ? t("offline.failed") : t("offline.cancelled")}</strong>
      </p>
      {job.error && <p data-testid="offline-job-error">{errorMessage(t, job.error)}</p>}
      {finished}
    </div>
  );
}

/** What a finished round did, on one line; changes that could not be sent, on another. */
function Summary({ report }: { report: SyncReport }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const n = (value: number) => formatNumber(value, language);
  return (
    <>
      <p data-testid="offline-summary">
        {t("offline.done", {
          sent: n(report.pushed),
          received: n(report.pulled),
          conflicts: n(report.open_conflicts),
          refused: n(report.rejected.length),
        })}
      </p>
      {report.server_restored && (
        <p className="status-warning" data-testid="offline-server-restored">
          {t("offline.serverRestored")}
        </p>
      )}
      {report.push_problem && (
        <p className="status-error" data-testid="offline-push-problem">
          {t("offline.pushProblem", { reason: errorMessage(t, report.push_problem) })}
        </p>
      )}
    </>
  );
}

import { Trans, useTranslation } from "react-i18next";
import type { ExportSummary } from "../../../api/generated";
import { formatNumber } from "../../../shared/format";
import { recordCount } from "../../../shared/labels";
import { useLanguage } from "../../../shared/useLanguage";
import type { SegmentExport } from "../hooks/useSegmentExport";
import { exportRefusal } from "../labels";

/**
 * The last export started from the screen (or the one of this segment the person left running,
 * or that just ended): how far it got while it runs (with Cancel), then where the file was saved
 * or why there is none; or why the core refused to start it.
 */
export function ExportStatus({ exporting }: { exporting: SegmentExport }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const { job, error } = exporting;
  const running = job?.status === "running";
  return (
    <>
      {job && running && <ExportProgress job={job} stopping={exporting.stopping} onCancel={() => void exporting.cancel()} />}
      {job && !running && <ExportEnded job={job} />}
      {/* Once the export has ended, its outcome says all: a refused Cancel no longer matters. */}
      {error && (!job || running) && (
        <p className="status-error" role="alert" data-testid="segment-export-error">
          {exportRefusal(t, error, language)}
        </p>
      )}
    </>
  );
}

type ProgressProps = { job: ExportSummary; stopping: boolean; onCancel: () => void };

/** "Exporting 12,000 of 300,000 rows…", a bar, and Cancel ("Stopping…" once pressed). */
function ExportProgress({ job, stopping, onCancel }: ProgressProps) {
  const { t } = useTranslation();
  const language = useLanguage();
  const line = t("segments.export.progress", {
    count: job.total,
    written: formatNumber(job.written, language),
    total: formatNumber(job.total, language),
  });
  return (
    <div className="segment-export-job" aria-busy="true">
      <div className="segment-export-job-line">
        <span data-testid="segment-export-progress">{line}</span>
        {/* Not disabled once pressed: a disabled button would drop the focus it holds. */}
        <button
          type="button"
          className="button"
          data-testid="segment-export-cancel"
          aria-disabled={stopping || undefined}
          onClick={() => {
            if (!stopping) onCancel();
          }}
        >
          {stopping ? t("segments.export.stopping") : t("segments.export.cancel")}
        </button>
      </div>
      <progress
        className="segment-export-bar"
        aria-label={t("segments.export.progressLabel")}
        aria-valuetext={line}
        max={Math.max(job.total, 1)}
        value={Math.min(job.written, job.total)}
      />
    </div>
  );
}

/** The file saved, and where; or that there is none, and why. */
function ExportEnded({ job }: { job: ExportSummary }) {
  const { t } = useTranslation();
  const language = useLanguage();
  switch (job.status) {
    case "finished":
      return (
        <div className="banner banner-success segment-export-done" role="status" data-testid="segment-export-done">
          <p>
            <Trans
              t={t}
              i18nKey="segments.export.done"
              values={{ records: recordCount(t, job.table, job.written, language), file: job.file_name }}
              components={{ file: <bdi /> }}
            />
          </p>
          <p className="muted small" data-testid="segment-export-path">
            {/* A path reads left to right whatever the window's direction. */}
            <Trans t={t} i18nKey="segments.export.path" values={{ path: job.path }} components={{ path: <bdi dir="ltr" /> }} />
          </p>
        </div>
      );
    case "cancelled":
      return (
        <p className="banner" role="status" data-testid="segment-export-cancelled">
          {t("segments.export.cancelled")}
        </p>
      );
    case "failed":
      return (
        <p className="status-error" role="alert" data-testid="segment-export-error">
          <Trans
            t={t}
            i18nKey="segments.export.failed"
            values={{ reason: job.message ?? t("errors.code.internal") }}
            components={{ reason: <bdi /> }}
          />
        </p>
      );
    case "interrupted":
      return (
        <p className="status-error" role="alert" data-testid="segment-export-error">
          {t("segments.export.interrupted")}
        </p>
      );
    case "running":
      return null;
  }
}

import { Trans, useTranslation } from "react-i18next";
import type { ExportSummary } from "../../api/generated";
import { formatNumber } from "../format";
import { recordCount } from "../labels";
import { useLanguage } from "../useLanguage";
import { exportRefusal } from "./labels";
import type { RecordsExport } from "./useRecordsExport";

type Props = {
  exporting: RecordsExport;
  /** Starts every test id: `segment-export` gives `segment-export-progress`, `segment-export-done`… */
  testIdPrefix: string;
};

/**
 * The last export started from the screen (or the one of this segment or list the person left
 * running, or that just ended): how far it got while it runs (with Cancel), then where the file
 * was saved or why there is none; or why the core refused to start it.
 */
export function ExportStatus({ exporting, testIdPrefix }: Props) {
  const { t } = useTranslation();
  const language = useLanguage();
  const { job, error } = exporting;
  const running = job?.status === "running";
  return (
    <>
      {job && running && (
        <ExportProgress job={job} stopping={exporting.stopping} onCancel={() => void exporting.cancel()} testIdPrefix={testIdPrefix} />
      )}
      {job && !running && <ExportEnded job={job} testIdPrefix={testIdPrefix} />}
      {/* Once the export has ended, its outcome says all: a refused Cancel no longer matters. */}
      {error && (!job || running) && (
        <p className="status-error" role="alert" data-testid={`${testIdPrefix}-error`}>
          {exportRefusal(t, error, language)}
        </p>
      )}
    </>
  );
}

type ProgressProps = { job: ExportSummary; stopping: boolean; onCancel: () => void; testIdPrefix: string };

/** "Exporting 12,000 of 300,000 rows…", a bar, and Cancel ("Stopping…" once pressed). */
function ExportProgress({ job, stopping, onCancel, testIdPrefix }: ProgressProps) {
  const { t } = useTranslation();
  const language = useLanguage();
  const line = t("export.progress", {
    count: job.total,
    written: formatNumber(job.written, language),
    total: formatNumber(job.total, language),
  });
  return (
    <div className="export-job" aria-busy="true">
      <div className="export-job-line">
        <span data-testid={`${testIdPrefix}-progress`}>{line}</span>
        {/* Not disabled once pressed: a disabled button would drop the focus it holds. */}
        <button
          type="button"
          className="button"
          data-testid={`${testIdPrefix}-cancel`}
          aria-disabled={stopping || undefined}
          onClick={() => {
            if (!stopping) onCancel();
          }}
        >
          {stopping ? t("export.stopping") : t("export.cancel")}
        </button>
      </div>
      <progress
        className="export-bar"
        aria-label={t("export.progressLabel")}
        aria-valuetext={line}
        max={Math.max(job.total, 1)}
        value={Math.min(job.written, job.total)}
      />
    </div>
  );
}

/** The file saved, and where; or that there is none, and why. */
function ExportEnded({ job, testIdPrefix }: { job: ExportSummary; testIdPrefix: string }) {
  const { t } = useTranslation();
  const language = useLanguage();
  switch (job.status) {
    case "finished":
      return (
        <div className="banner banner-success export-done" role="status" data-testid={`${testIdPrefix}-done`}>
          <p>
            <Trans
              t={t}
              i18nKey="export.done"
              values={{ records: recordCount(t, job.table, job.written, language), file: job.file_name }}
              components={{ file: <bdi /> }}
            />
          </p>
          <p className="muted small" data-testid={`${testIdPrefix}-path`}>
            {/* A path reads left to right whatever the window's direction. */}
            <Trans t={t} i18nKey="export.path" values={{ path: job.path }} components={{ path: <bdi dir="ltr" /> }} />
          </p>
        </div>
      );
    case "cancelled":
      return (
        <p className="banner" role="status" data-testid={`${testIdPrefix}-cancelled`}>
          {t("export.cancelled")}
        </p>
      );
    case "failed":
      return (
        <p className="status-error" role="alert" data-testid={`${testIdPrefix}-error`}>
          <Trans
            t={t}
            i18nKey="export.failed"
            values={{ reason: job.message ?? t("errors.code.internal") }}
            components={{ reason: <bdi /> }}
          />
        </p>
      );
    case "interrupted":
      return (
        <p className="status-error" role="alert" data-testid={`${testIdPrefix}-error`}>
          {t("export.interrupted")}
        </p>
      );
    case "running":
      return null;
  }
}

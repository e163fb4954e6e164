import type { TFunction } from "i18next";
import { useId, type RefObject } from "react";
import { useTranslation } from "react-i18next";
import type { ExportFormat, ImportSummary } from "../../../api/generated";
import { errorMessage } from "../../../shared/errors";
import { formatDateTime, formatNumber } from "../../../shared/format";
import { useLanguage } from "../../../shared/useLanguage";
import { useCancelImport, useImportReport, useImportSummary } from "../hooks/useImports";
import { isImportTable, statusLabel } from "../labels";
import { HeldRows } from "./HeldRows";
import { NoticeRows, ProblemRows } from "./ProblemRows";
import { UndoImport } from "./UndoImport";

type Props = {
  id: string;
  /** The summary as last answered (the start's, or the list's), shown until it is read again. */
  initial?: ImportSummary;
  /** The settings it was started with are at hand: a dry run may be imported for real. */
  canRepeat: boolean;
  repeating: boolean;
  onImportForReal: () => void;
  /** Back to the settings (kept as they were), when there are any. */
  onBack: (() => void) | null;
  onNew: () => void;
  titleRef: RefObject<HTMLHeadingElement | null>;
};

const REPORT_FORMATS: readonly ExportFormat[] = ["csv", "xlsx"];

/**
 * Step 4: how far the import got, read while it runs (a progress bar, the rows read and the
 * counts so far, Cancel); once it has ended, what it did, the report of the rows not imported,
 * those rows (failed with their problems, held as likely duplicates), the rows with notices,
 * Undo; after a dry run, the import itself with the same settings.
 */
export function ImportResult({ id, initial, canRepeat, repeating, onImportForReal, onBack, onNew, titleRef }: Props) {
  const { t } = useTranslation();
  const titleId = useId();
  const query = useImportSummary(id, initial);
  const summary = query.data;

  return (
    <section className="import-step import-result" aria-labelledby={titleId} data-testid="import-result">
      <h2 id={titleId} ref={titleRef} tabIndex={-1} className="section-title">
        {summary?.dry_run ? t("imports.run.titleDryRun") : t("imports.steps.run")}
        {summary && (
          <>
            {" — "}
            <bdi>{summary.file_name}</bdi>
          </>
        )}
      </h2>
      {!summary ? (
        query.error ? (
          <p className="status-error" role="alert">
            {errorMessage(t, query.error)}{" "}
            <button type="button" className="link-button" onClick={() => void query.refetch()}>
              {t("app.retry")}
            </button>
          </p>
        ) : (
          <p className="muted">{t("app.loading")}</p>
        )
      ) : (
        <Outcome
          summary={summary}
          pollError={query.error ? errorMessage(t, query.error) : null}
          canRepeat={canRepeat}
          repeating={repeating}
          onImportForReal={onImportForReal}
        />
      )}
      <div className="import-actions">
        {onBack && (
          <button type="button" className="button" data-testid="import-back" onClick={onBack}>
            {t("imports.run.back")}
          </button>
        )}
        <button type="button" className="button" data-testid="import-new" onClick={onNew}>
          {t("imports.run.new")}
        </button>
      </div>
    </section>
  );
}

type OutcomeProps = {
  summary: ImportSummary;
  pollError: string | null;
  canRepeat: boolean;
  repeating: boolean;
  onImportForReal: () => void;
};

function Outcome({ summary, pollError, canRepeat, repeating, onImportForReal }: OutcomeProps) {
  const { t } = useTranslation();
  const language = useLanguage();
  const { cancel, pending: cancelling } = useCancelImport();
  const report = useImportReport(summary.id);
  const table = isImportTable(summary.table) ? summary.table : "organisations";
  const running = summary.status === "running";
  const estimated = summary.estimated_rows;
  const count = (n: number) => formatNumber(n, language);

  const progress = running
    ? estimated !== null && estimated > 0
      ? t("imports.run.progress", { read: count(summary.rows_read), total: count(estimated) })
      : t("imports.run.progressUnknown", { count: summary.rows_read, read: count(summary.rows_read) })
    : t("imports.run.read", { count: summary.rows_read, read: count(summary.rows_read) });

  return (
    <>
      <div className="import-progress" data-testid="import-progress" data-status={summary.status} aria-busy={running || undefined}>
        <div className="import-progress-line">
          <span className={`badge import-status import-status-${summary.status}`} role="status" data-testid="import-status">
            {running
              ? summary.cancel_requested
                ? t("imports.run.stopping")
                : summary.dry_run
                  ? t("imports.run.checking")
                  : t("imports.run.importing")
              : statusLabel(t, summary.status)}
          </span>
          {summary.dry_run && <span className="badge">{t("imports.run.dryRunBadge")}</span>}
          <span className="muted small">
            {t("imports.run.started", { when: formatDateTime(summary.started_at, language) })}
          </span>
          <span className="toolbar-spacer" />
          {running && !summary.cancel_requested && (
            // Not disabled while busy: a disabled button would drop the focus it holds.
            <button
              type="button"
              className="button"
              data-testid="import-cancel"
              aria-disabled={cancelling || undefined}
              onClick={() => {
                if (!cancelling) void cancel(summary.id).catch(() => undefined);
              }}
            >
              {t("imports.run.cancel")}
            </button>
          )}
        </div>
        <progress
          className="import-progress-bar"
          aria-label={t("imports.run.progressLabel")}
          max={running ? (estimated !== null && estimated > 0 ? estimated : undefined) : 1}
          value={running ? (estimated !== null && estimated > 0 ? Math.min(summary.rows_read, estimated) : undefined) : 1}
        />
        <p className="muted small" data-testid="import-rows-read">
          {progress}
        </p>
        <dl className="import-counts">
          <Count label={summary.dry_run ? t("imports.run.wouldImport") : t("imports.run.imported")} value={summary.imported} testId="import-count-imported" />
          <Count label={t("imports.run.failed")} value={summary.failed} testId="import-count-failed" tone={summary.failed > 0 ? "problem" : undefined} />
          <Count label={t("imports.run.held")} value={summary.held} testId="import-count-held" tone={summary.held > 0 ? "held" : undefined} />
          <Count label={t("imports.run.noticed")} value={summary.noticed} testId="import-count-noticed" />
        </dl>
        {pollError && (
          <p className="status-error" role="alert">
            {pollError}
          </p>
        )}
      </div>

      {!running && (
        <>
          <div className="banner import-summary" data-testid="import-summary">
            <p>{endedText(t, summary)}</p>
            {summary.status === "failed" && summary.message && (
              <p className="muted small" data-testid="import-failure">
                {t("imports.run.details", { message: summary.message })}
              </p>
            )}
            {summary.undone_at !== null && (
              <p data-testid="import-undone-at">{t("imports.run.undoneAt", { when: formatDateTime(summary.undone_at, language) })}</p>
            )}
          </div>

          <div className="import-actions">
            {summary.dry_run && summary.status === "finished" && canRepeat && (
              <button
                type="button"
                className="button button-primary"
                data-testid="import-start"
                aria-disabled={repeating || undefined}
                aria-busy={repeating || undefined}
                onClick={() => {
                  if (!repeating) onImportForReal();
                }}
              >
                {repeating ? t("imports.preview.starting") : t("imports.run.forReal")}
              </button>
            )}
            {summary.failed + summary.held > 0 &&
              REPORT_FORMATS.map((format) => (
                <button
                  key={format}
                  type="button"
                  className="button"
                  data-testid={`import-report-${format}`}
                  aria-disabled={report.running !== null || undefined}
                  aria-busy={report.running === format || undefined}
                  onClick={() => void report.run(format)}
                >
                  {report.running === format ? t("imports.report.saving") : t(`imports.report.${format}`)}
                </button>
              ))}
            <UndoImport summary={summary} />
          </div>
          {summary.failed + summary.held > 0 && <p className="field-hint">{t("imports.report.hint")}</p>}
          {report.outcome?.kind === "done" && (
            <p className="banner banner-success" role="status" data-testid="import-report-done">
              {t("imports.report.saved", { file: report.outcome.fileName })}
            </p>
          )}
          {report.outcome?.kind === "failed" && (
            <p className="status-error" role="alert" data-testid="import-report-error">
              {errorMessage(t, report.outcome.error)}
            </p>
          )}

          <ProblemRows summary={summary} />
          <HeldRows summary={summary} table={table} />
          <NoticeRows summary={summary} />
        </>
      )}
    </>
  );
}

function Count({ label, value, testId, tone }: { label: string; value: number; testId: string; tone?: "problem" | "held" }) {
  const language = useLanguage();
  return (
    <div className={tone ? `import-count import-count-${tone}` : "import-count"}>
      <dt>{label}</dt>
      <dd data-testid={testId} data-value={value}>
        {formatNumber(value, language)}
      </dd>
    </div>
  );
}

/** What an ended import did, in a sentence. */
function endedText(t: TFunction, summary: ImportSummary): string {
  if (summary.dry_run) {
    if (summary.status === "finished") return t("imports.run.endedDryRun.finished");
    if (summary.status === "failed") return t("imports.run.endedDryRun.failed");
    return t("imports.run.endedDryRun.stopped");
  }
  switch (summary.status) {
    case "finished":
      return summary.failed + summary.held > 0 ? t("imports.run.ended.finishedWithRows") : t("imports.run.ended.finished");
    case "cancelled":
      return t("imports.run.ended.cancelled");
    case "failed":
      return t("imports.run.ended.failed");
    default:
      return t("imports.run.ended.interrupted");
  }
}

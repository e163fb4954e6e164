import { useId } from "react";
import { useTranslation } from "react-i18next";
import type { ImportSummary } from "../../../api/generated";
import { errorMessage } from "../../../shared/errors";
import { formatDateTime, formatNumber } from "../../../shared/format";
import { useLanguage } from "../../../shared/useLanguage";
import { useImportList, useImportReport } from "../hooks/useImports";
import { isImportTable, statusLabel } from "../labels";
import { UndoImport } from "./UndoImport";

/** One's latest imports, newest first: the file, the kind, when, how it ended and what it did; Show, the report, Undo. */
export function RecentImports({ shownId, onOpen }: { shownId: string | null; onOpen: (summary: ImportSummary) => void }) {
  const { t } = useTranslation();
  const titleId = useId();
  const list = useImportList();

  return (
    <section className="import-history" data-testid="import-history" aria-labelledby={titleId}>
      <h2 id={titleId} className="section-title">
        {t("imports.history.title")}
      </h2>
      {list.error ? (
        <p className="status-error" role="alert">
          {errorMessage(t, list.error)}{" "}
          <button type="button" className="link-button" onClick={() => void list.refetch()}>
            {t("app.retry")}
          </button>
        </p>
      ) : !list.data ? (
        <p className="muted">{t("app.loading")}</p>
      ) : list.data.length === 0 ? (
        <p className="empty" data-testid="import-history-empty">
          {t("imports.history.empty")}
        </p>
      ) : (
        <ul className="import-history-list">
          {list.data.map((summary) => (
            <Entry key={summary.id} summary={summary} shown={summary.id === shownId} onOpen={() => onOpen(summary)} />
          ))}
        </ul>
      )}
    </section>
  );
}

function Entry({ summary, shown, onOpen }: { summary: ImportSummary; shown: boolean; onOpen: () => void }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const report = useImportReport(summary.id);
  const count = (n: number) => formatNumber(n, language);
  const kind = isImportTable(summary.table) ? t(`imports.choose.${summary.table}`) : summary.table;
  const ended = summary.status !== "running";
  const file = summary.file_name;

  return (
    <li
      className="import-history-entry"
      data-testid={`import-history-${summary.id}`}
      data-status={summary.status}
      aria-current={shown || undefined}
    >
      <p className="import-history-what">
        <bdi className="import-history-file">{file}</bdi>
        <span className="muted"> · {kind}</span>
        {summary.dry_run && <span className="badge">{t("imports.run.dryRunBadge")}</span>}
        <span className={`badge import-status import-status-${summary.status}`}>{statusLabel(t, summary.status)}</span>
        {summary.undone_at !== null && <span className="badge badge-archived">{t("imports.history.undone")}</span>}
      </p>
      <p className="muted small">
        <time dateTime={summary.started_at}>{formatDateTime(summary.started_at, language)}</time>
        {" · "}
        {t(summary.dry_run ? "imports.history.countsDryRun" : "imports.history.counts", {
          imported: count(summary.imported),
          failed: count(summary.failed),
          held: count(summary.held),
        })}
      </p>
      <div className="import-history-actions">
        <button
          type="button"
          className="link-button"
          data-testid={`import-history-open-${summary.id}`}
          aria-label={t("imports.history.openOne", { file })}
          onClick={onOpen}
        >
          {t("imports.history.open")}
        </button>
        {ended && summary.failed + summary.held > 0 && (
          <button
            type="button"
            className="link-button"
            data-testid={`import-history-report-${summary.id}`}
            aria-label={t("imports.history.reportOne", { file })}
            aria-disabled={report.running !== null || undefined}
            onClick={() => void report.run("csv")}
          >
            {report.running ? t("imports.report.saving") : t("imports.history.report")}
          </button>
        )}
        <UndoImport
          summary={summary}
          label={t("imports.history.undoOne", { file })}
          testIds={{
            button: `import-history-undo-${summary.id}`,
            dialog: `import-history-undo-dialog-${summary.id}`,
            confirm: `import-history-undo-confirm-${summary.id}`,
            done: `import-history-undone-${summary.id}`,
          }}
        />
      </div>
      {report.outcome?.kind === "failed" && (
        <p className="status-error" role="alert">
          {errorMessage(t, report.outcome.error)}
        </p>
      )}
    </li>
  );
}

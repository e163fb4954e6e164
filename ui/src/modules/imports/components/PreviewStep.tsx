import { useId, type RefObject } from "react";
import { useTranslation } from "react-i18next";
import type { ImportRow, InspectedFile } from "../../../api/generated";
import { formatNumber, formatSerial } from "../../../shared/format";
import { titleOr } from "../../../shared/duplicates/labels";
import { useLanguage } from "../../../shared/useLanguage";
import { noticeText, problemPlace, problemText, targetLabel } from "../labels";
import type { Selection } from "../plan";
import { columnName } from "./MappingStep";

type Props = {
  file: InspectedFile;
  /** The columns' fields the preview was made with. */
  selection: Selection;
  rows: readonly ImportRow[];
  /** The settings changed since: the rows may read otherwise now. */
  outdated: boolean;
  starting: "dry" | "real" | null;
  onStart: (dryRun: boolean) => void;
  titleRef: RefObject<HTMLHeadingElement | null>;
};

/**
 * Step 3: the first rows as they would import, each marked OK or with its problems, each problem
 * at its cell with what is wrong, notices beside; then a dry run (every row checked, nothing
 * stored) or the import itself.
 */
export function PreviewStep({ file, selection, rows, outdated, starting, onStart, titleRef }: Props) {
  const { t } = useTranslation();
  const language = useLanguage();
  const titleId = useId();
  const columns = selection.flatMap((field, column) => (field ? [{ column, field }] : []));
  const targets = new Map(file.targets.map((target) => [target.field, target]));
  const failed = rows.filter((row) => row.outcome === "failed").length;
  const held = rows.filter((row) => row.outcome === "held").length;

  return (
    <section className="import-step" aria-labelledby={titleId}>
      <h2 id={titleId} ref={titleRef} tabIndex={-1} className="section-title">
        {t("imports.steps.preview")}
      </h2>
      {outdated && (
        <p className="status-warning" role="status" data-testid="import-preview-outdated">
          {t("imports.preview.outdated")}
        </p>
      )}
      <p data-testid="import-preview-summary">
        {rows.length === 0
          ? t("imports.preview.empty")
          : t("imports.preview.summary", {
              count: rows.length,
              rows: formatNumber(rows.length, language),
              ok: formatNumber(rows.length - failed - held, language),
              failed: formatNumber(failed, language),
            })}
        {held > 0 && <> {t("imports.preview.held", { count: held, total: formatNumber(held, language) })}</>}
      </p>
      {rows.length > 0 && (
        <div className="import-table-scroll">
          <table className="data-table import-preview" aria-labelledby={titleId}>
            <thead>
              <tr>
                <th scope="col">{t("imports.preview.row")}</th>
                <th scope="col">{t("imports.preview.check")}</th>
                {columns.map(({ column, field }) => {
                  const target = targets.get(field);
                  return (
                    <th scope="col" key={column}>
                      <bdi>{file.headers[column] || columnName(t, column, language)}</bdi>
                      <span className="import-preview-target">{target ? targetLabel(t, target) : field}</span>
                    </th>
                  );
                })}
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => {
                const placed = new Set(columns.map((c) => c.column));
                const unplaced = row.problems.filter((p) => p.column === null || !placed.has(p.column));
                return (
                  <tr
                    key={row.row}
                    className={row.outcome === "failed" ? "import-row-failed" : row.outcome === "held" ? "import-row-held" : undefined}
                    data-testid={`import-preview-row-${row.row}`}
                    data-outcome={row.outcome}
                  >
                    <th scope="row" className="import-row-number">
                      {formatSerial(row.row, language)}
                    </th>
                    <td className="import-check">
                      {row.outcome === "failed" ? (
                        <span className="badge badge-problem">
                          {t("imports.preview.problems", { count: row.problems.length, total: formatNumber(row.problems.length, language) })}
                        </span>
                      ) : row.outcome === "held" ? (
                        <span className="badge badge-held">{t("imports.preview.duplicate")}</span>
                      ) : (
                        <span className="badge badge-ok">{t("imports.preview.ok")}</span>
                      )}
                      {row.outcome === "held" && (
                        <span className="import-note">
                          {row.existing_title
                            ? t("imports.preview.looksLike", { title: titleOr(t, row.existing_title) })
                            : t("imports.preview.looksLikeExisting")}
                        </span>
                      )}
                      {unplaced.map((problem, i) => (
                        <span key={i} className="import-note import-note-problem">
                          {problemPlace(t, problem, file.targets)}: {problemText(t, problem)}
                        </span>
                      ))}
                      {row.notices.map((notice, i) => (
                        <span key={`n${i}`} className="import-note import-note-notice" data-testid="import-preview-notice">
                          {noticeText(t, notice, language, file.targets)}
                        </span>
                      ))}
                    </td>
                    {columns.map(({ column }) => {
                      const problems = row.problems.filter((p) => p.column === column);
                      const value = row.cells[column] ?? "";
                      if (problems.length === 0)
                        return (
                          <td key={column}>
                            <bdi>{value}</bdi>
                          </td>
                        );
                      const message = problems.map((p) => problemText(t, p)).join(" ");
                      return (
                        <td key={column} className="import-cell-problem" title={message} data-testid={`import-preview-problem-${row.row}-${column}`}>
                          <bdi>{value || t("imports.preview.emptyCell")}</bdi>
                          <span className="import-cell-message">{message}</span>
                        </td>
                      );
                    })}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <div className="import-actions">
        {/* Not disabled while busy: a disabled button would drop the focus it holds. */}
        <button
          type="button"
          className="button"
          data-testid="import-dry-run"
          aria-disabled={starting !== null || undefined}
          aria-busy={starting === "dry" || undefined}
          aria-describedby={`${titleId}-dry`}
          onClick={() => {
            if (starting === null) onStart(true);
          }}
        >
          {starting === "dry" ? t("imports.preview.starting") : t("imports.preview.dryRun")}
        </button>
        <button
          type="button"
          className="button button-primary"
          data-testid="import-start"
          aria-disabled={starting !== null || undefined}
          aria-busy={starting === "real" || undefined}
          onClick={() => {
            if (starting === null) onStart(false);
          }}
        >
          {starting === "real" ? t("imports.preview.starting") : t("imports.preview.start")}
        </button>
      </div>
      <p id={`${titleId}-dry`} className="field-hint">
        {t("imports.preview.dryRunHint")}
      </p>
    </section>
  );
}

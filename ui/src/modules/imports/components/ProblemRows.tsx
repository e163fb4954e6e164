import { useId } from "react";
import { useTranslation } from "react-i18next";
import type { ImportSummary } from "../../../api/generated";
import { errorMessage } from "../../../shared/errors";
import { formatNumber, formatSerial } from "../../../shared/format";
import { useLanguage } from "../../../shared/useLanguage";
import { useImportRows } from "../hooks/useImports";
import { noticeText, problemPlace, problemText } from "../labels";
import { MoreRows } from "./MoreRows";

/** The rows that could not be imported: per row, each problem with its column, the value the file had and what is wrong; "Show more". */
export function ProblemRows({ summary }: { summary: ImportSummary }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const titleId = useId();
  const rows = useImportRows(summary.id, "failed", summary.failed > 0);
  const shown = rows.data?.pages.flatMap((p) => p.rows) ?? [];
  if (summary.failed === 0) return null;

  return (
    <section className="import-rows" data-testid="import-problems" aria-labelledby={titleId} aria-busy={rows.isFetching || undefined}>
      <h3 id={titleId} className="section-title">
        {t("imports.problems.title", { count: summary.failed, total: formatNumber(summary.failed, language) })}
      </h3>
      {rows.error ? (
        <p className="status-error" role="alert">
          {errorMessage(t, rows.error)}{" "}
          <button type="button" className="link-button" onClick={() => void rows.refetch()}>
            {t("app.retry")}
          </button>
        </p>
      ) : !rows.data ? (
        <p className="muted">{t("app.loading")}</p>
      ) : (
        <div className="import-table-scroll">
          <table className="data-table import-problem-table" aria-labelledby={titleId}>
            <thead>
              <tr>
                <th scope="col">{t("imports.problems.row")}</th>
                <th scope="col">{t("imports.problems.column")}</th>
                <th scope="col">{t("imports.problems.value")}</th>
                <th scope="col">{t("imports.problems.reason")}</th>
              </tr>
            </thead>
            {shown.map((row) => {
              const problems = row.problems.length > 0 ? row.problems : [null];
              return (
                <tbody key={row.row} className="import-problem-row" data-testid={`import-problem-row-${row.row}`}>
                  {problems.map((problem, i) => (
                    <tr key={i}>
                      {i === 0 && (
                        <th scope="rowgroup" rowSpan={problems.length} className="import-row-number">
                          {formatSerial(row.row, language)}
                        </th>
                      )}
                      <td>{problem ? <bdi>{problemPlace(t, problem)}</bdi> : null}</td>
                      <td className="import-problem-value">{problem?.value ? <bdi>{problem.value}</bdi> : <span className="muted">{t("imports.preview.emptyCell")}</span>}</td>
                      <td>
                        {problem ? problemText(t, problem) : t("imports.problems.unknown")}
                        {i === 0 &&
                          row.notices.map((notice, n) => (
                            <span key={n} className="import-note import-note-notice">
                              {noticeText(t, notice, language)}
                            </span>
                          ))}
                      </td>
                    </tr>
                  ))}
                </tbody>
              );
            })}
          </table>
        </div>
      )}
      <MoreRows query={rows} shown={shown.length} total={summary.failed} testId="import-problems-more" />
    </section>
  );
}

/** Rows imported with something to know (a phone read in the default country); "Show more". */
export function NoticeRows({ summary }: { summary: ImportSummary }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const titleId = useId();
  const rows = useImportRows(summary.id, "imported", summary.noticed > 0);
  const shown = rows.data?.pages.flatMap((p) => p.rows) ?? [];
  if (summary.noticed === 0) return null;

  return (
    <section className="import-rows" data-testid="import-notices" aria-labelledby={titleId} aria-busy={rows.isFetching || undefined}>
      <h3 id={titleId} className="section-title">
        {t(summary.dry_run ? "imports.notices.titleDryRun" : "imports.notices.title", {
          count: summary.noticed,
          total: formatNumber(summary.noticed, language),
        })}
      </h3>
      {rows.error ? (
        <p className="status-error" role="alert">
          {errorMessage(t, rows.error)}
        </p>
      ) : (
        <ul className="import-row-list">
          {shown.map((row) => (
            <li key={row.row} data-testid={`import-notice-row-${row.row}`}>
              <span className="import-row-label">{t("imports.held.rowNumber", { row: formatSerial(row.row, language) })}</span>{" "}
              {row.notices.map((notice) => noticeText(t, notice, language)).join(" ")}
            </li>
          ))}
        </ul>
      )}
      <MoreRows query={rows} shown={shown.length} total={summary.noticed} testId="import-notices-more" />
    </section>
  );
}

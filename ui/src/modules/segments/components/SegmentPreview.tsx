import { useId } from "react";
import { useTranslation } from "react-i18next";
import { errorMessage } from "../../../shared/errors";
import { formatNumber } from "../../../shared/format";
import { recordCount } from "../../../shared/labels";
import { useLanguage } from "../../../shared/useLanguage";
import type { Preview } from "../filter";
import { useSegmentPreview } from "../hooks/useSegments";
import type { SegmentTable } from "../labels";
import { MemberList } from "./MemberList";

/**
 * Who the conditions select now, while they are edited: the count and the first members by
 * name, read again a moment after each change. Rows not complete yet are left out (and said so).
 */
export function SegmentPreview({ table, preview }: { table: SegmentTable; preview: Preview }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const titleId = useId();
  const { data, error, settling, reload } = useSegmentPreview(table, preview.filter);

  return (
    <section className="segment-preview" data-testid="segment-preview" aria-labelledby={titleId} aria-busy={settling || undefined}>
      <h2 id={titleId} className="section-title">
        {t("segments.preview.title")}
      </h2>
      <p role="status" className="segment-preview-count" data-testid="segment-preview-count">
        {data
          ? t("segments.preview.matches", { count: data.count, records: recordCount(t, table, data.count, language) })
          : error
            ? null
            : t("app.loading")}
      </p>
      {preview.everyone && <p className="muted small">{t("segments.preview.everyone")}</p>}
      {preview.skipped > 0 && (
        <p className="muted small" data-testid="segment-preview-skipped">
          {t("segments.preview.skipped", { count: preview.skipped, total: formatNumber(preview.skipped, language) })}
        </p>
      )}
      {error && (
        <p className="status-error" role="alert" data-testid="segment-preview-error">
          {errorMessage(t, error)}{" "}
          <button type="button" className="link-button" onClick={() => void reload()}>
            {t("app.retry")}
          </button>
        </p>
      )}
      {data && (
        <>
          <MemberList table={table} members={data.members} label={t("segments.preview.title")} />
          {data.count > data.members.length && (
            <p className="muted small">{t("segments.preview.firstOnly", { shown: formatNumber(data.members.length, language) })}</p>
          )}
        </>
      )}
    </section>
  );
}

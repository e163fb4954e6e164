import { useId, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { ApiError, Segment } from "../../../api/generated";
import { errorMessage } from "../../../shared/errors";
import { ExportButtons } from "../../../shared/export/ExportButtons";
import { ExportStatus } from "../../../shared/export/ExportStatus";
import { useRecordsExport } from "../../../shared/export/useRecordsExport";
import { formatDateTime, formatNumber } from "../../../shared/format";
import { recordCount } from "../../../shared/labels";
import { ConfirmDialog } from "../../../shared/ui/ConfirmDialog";
import { useLanguage } from "../../../shared/useLanguage";
import { useArchiveSegment, useSegmentMembers } from "../hooks/useSegments";
import type { SegmentTable } from "../labels";
import { FilterSummary } from "./FilterSummary";
import { MemberList } from "./MemberList";

type Props = {
  table: SegmentTable;
  segment: Segment;
  /** May change, archive and restore (`segments.manage`). */
  canManage: boolean;
  onEdit: () => void;
  onArchived: (segment: Segment) => void;
  onRestored: (segment: Segment) => void;
};

/**
 * A saved segment: its name, notes and conditions in words, and who is in it now (read live,
 * page by page); for who may manage segments, Edit and Archive (behind a confirmation), or
 * Restore for an archived one. For everyone who may read it, an active segment's members
 * exported to a CSV or a workbook where the person chooses, followed while the core writes it.
 */
export function SegmentDetail({ table, segment, canManage, onEdit, onArchived, onRestored }: Props) {
  const { t } = useTranslation();
  const language = useLanguage();
  const titleId = useId();
  const archived = segment.archived_at !== null;
  const { run, pending } = useArchiveSegment();
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const archiveButton = useRef<HTMLButtonElement>(null);
  const exporting = useRecordsExport({ table, source: { segmentId: segment.id }, name: segment.name });

  async function archive() {
    if (pending) return;
    try {
      const done = await run("archive", segment);
      setConfirming(false);
      setError(null);
      onArchived(done);
    } catch (e) {
      setError(e as ApiError);
    }
  }

  async function restore() {
    if (pending) return;
    try {
      onRestored(await run("restore", segment));
      setError(null);
    } catch (e) {
      setError(e as ApiError);
    }
  }

  return (
    <section className="segment-detail" data-testid="segment-detail" data-id={segment.id} aria-labelledby={titleId}>
      <header className="segment-detail-header">
        <h2 id={titleId} className="screen-title">
          <bdi data-testid="segment-detail-name">{segment.name}</bdi>
        </h2>
        {segment.archived_at !== null && (
          <span className="badge badge-archived" data-testid="segment-archived-at">
            {t("segments.detail.archivedOn", { when: formatDateTime(segment.archived_at, language) })}
          </span>
        )}
        <span className="toolbar-spacer" />
        {!archived && <ExportButtons exporting={exporting} testIdPrefix="segment-export" />}
        {canManage && !archived && (
          <>
            <button type="button" className="button" data-testid="segment-edit" onClick={onEdit}>
              {t("segments.detail.edit")}
            </button>
            <button ref={archiveButton} type="button" className="button" data-testid="segment-archive" onClick={() => setConfirming(true)}>
              {t("segments.detail.archive")}
            </button>
          </>
        )}
        {canManage && archived && (
          <button
            type="button"
            className="button button-primary"
            data-testid="segment-restore"
            aria-disabled={pending || undefined}
            onClick={() => void restore()}
          >
            {t("segments.detail.restore")}
          </button>
        )}
      </header>
      {error && !confirming && (
        <p className="status-error" role="alert" data-testid="segment-action-error">
          {errorMessage(t, error)}
        </p>
      )}
      <ExportStatus exporting={exporting} testIdPrefix="segment-export" />
      {segment.notes && (
        <p className="segment-notes" data-testid="segment-detail-notes">
          <bdi>{segment.notes}</bdi>
        </p>
      )}
      <h3 className="section-title">{t("segments.detail.conditions")}</h3>
      <FilterSummary table={table} filter={segment.filter} />
      {!archived && <Members key={segment.id} table={table} segment={segment} />}

      {confirming && (
        <ConfirmDialog
          title={t("segments.detail.archiveTitle")}
          body={t("segments.detail.archiveBody", { name: segment.name })}
          confirmLabel={t("segments.detail.archive")}
          danger
          busy={pending}
          error={error ? errorMessage(t, error) : null}
          onConfirm={() => void archive()}
          onCancel={() => {
            setConfirming(false);
            setError(null);
            archiveButton.current?.focus();
          }}
          testIds={{ dialog: "segment-archive-dialog" }}
        />
      )}
    </section>
  );
}

/** Who is in the segment now: how many, and them by name, "Show more" for the next page. */
function Members({ table, segment }: { table: SegmentTable; segment: Segment }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const titleId = useId();
  const members = useSegmentMembers(segment.id, true);
  const pages = members.data?.pages ?? [];
  const last = pages.at(-1);
  const shown = pages.flatMap((p) => p.members);
  const busy = members.isFetchingNextPage;

  return (
    <section className="segment-members" data-testid="segment-members" aria-labelledby={titleId} aria-busy={members.isFetching || undefined}>
      <h3 id={titleId} className="section-title">
        {t("segments.members.title")}
      </h3>
      {members.error ? (
        <p className="status-error" role="alert" data-testid="segment-members-error">
          {errorMessage(t, members.error)}{" "}
          <button type="button" className="link-button" onClick={() => void members.refetch()}>
            {t("app.retry")}
          </button>
        </p>
      ) : !last ? (
        <p className="muted">{t("app.loading")}</p>
      ) : (
        <>
          <p data-testid="segment-members-count">
            {t("segments.members.count", { records: recordCount(t, table, last.count, language) })}
          </p>
          {last.count === 0 && <p className="empty">{t("segments.members.none")}</p>}
          <MemberList table={table} members={shown} label={t("segments.members.title")} />
          {members.hasNextPage && (
            // Not disabled while busy: a disabled button would drop the focus it holds.
            <button
              type="button"
              className="button segment-members-more"
              data-testid="segment-members-more"
              aria-disabled={busy || undefined}
              aria-busy={busy || undefined}
              onClick={() => {
                if (!busy) void members.fetchNextPage();
              }}
            >
              {busy ? t("app.loading") : t("segments.members.more")}
            </button>
          )}
          {shown.length < last.count && (
            <p className="muted small" data-testid="segment-members-shown">
              {t("segments.members.shown", { shown: formatNumber(shown.length, language), total: formatNumber(last.count, language) })}
            </p>
          )}
        </>
      )}
    </section>
  );
}

import { useEffect, useId, useRef, useState, type ReactNode } from "react";
import { Trans, useTranslation } from "react-i18next";
import type { ApiError, MergeView, UndoneMerge } from "../../../api/generated";
import { useOpenRecord } from "../../../app/useOpenRecord";
import { titleOr } from "../../../shared/duplicates/labels";
import { UndoOutcome } from "../../../shared/duplicates/UndoOutcome";
import { useMerges, useUndoMerge } from "../../../shared/duplicates/useMerges";
import { errorMessage } from "../../../shared/errors";
import { formatDateTime } from "../../../shared/format";
import { actorLabel } from "../../../shared/history/HistorySection";
import { ConfirmDialog } from "../../../shared/ui/ConfirmDialog";
import { RowAction } from "../../../shared/ui/RowAction";
import { colleagueName, useColleagues } from "../../../shared/useColleagues";
import { useLanguage } from "../../../shared/useLanguage";
import type { DuplicateTable } from "../../../shared/duplicates/pairs";

type Props = {
  table: DuplicateTable;
  /** May undo (`duplicates.merge`). */
  canMerge: boolean;
  onUndone: (undone: UndoneMerge) => void;
};

/** The latest merges of the kind, newest first: which into which, who and when, undone or not; Undo for those not undone. */
export function RecentMerges({ table, canMerge, onUndone }: Props) {
  const { t } = useTranslation();
  const titleId = useId();
  const merges = useMerges(table, null);
  const { undo, pending } = useUndoMerge();
  const [confirming, setConfirming] = useState<MergeView | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [outcome, setOutcome] = useState<{ undone: UndoneMerge; mergedTitle: string } | null>(null);
  const outcomeRef = useRef<HTMLDivElement>(null);
  // The Undo that opened the dialog, to give focus back to when it is cancelled.
  const opener = useRef<HTMLElement | null>(null);

  // The Undo pressed is gone with the merge it undid: focus goes to what the undo did.
  useEffect(() => {
    if (outcome) outcomeRef.current?.focus();
  }, [outcome]);

  async function confirmUndo() {
    if (!confirming || pending) return;
    try {
      const undone = await undo(confirming.merge);
      setOutcome({ undone, mergedTitle: titleOr(t, confirming.merged_title) });
      setConfirming(null);
      setError(null);
      onUndone(undone);
    } catch (e) {
      setError(e as ApiError);
    }
  }

  return (
    <section className="recent-merges" data-testid="recent-merges" aria-labelledby={titleId}>
      <h2 id={titleId} className="section-title">
        {t("duplicates.merges.title")}
      </h2>
      {outcome && (
        <div ref={outcomeRef} tabIndex={-1} className="banner banner-success" role="status" data-testid="recent-merge-undone">
          <UndoOutcome table={table} undone={outcome.undone} mergedTitle={outcome.mergedTitle} />
        </div>
      )}
      {merges.error ? (
        <p className="status-error" role="alert">
          {errorMessage(t, merges.error)}{" "}
          <button type="button" className="link-button" onClick={() => void merges.refetch()}>
            {t("app.retry")}
          </button>
        </p>
      ) : !merges.data ? (
        <p className="muted">{t("app.loading")}</p>
      ) : merges.data.length === 0 ? (
        <p className="empty" data-testid="recent-merges-empty">
          {t("duplicates.merges.empty")}
        </p>
      ) : (
        <ul className="recent-merge-list">
          {merges.data.map((view) => (
            <MergeEntry
              key={view.merge.id}
              table={table}
              view={view}
              canMerge={canMerge}
              onUndo={() => {
                opener.current = document.activeElement as HTMLElement | null;
                setConfirming(view);
              }}
            />
          ))}
        </ul>
      )}
      {confirming && (
        <ConfirmDialog
          title={t("duplicates.merges.undoTitle")}
          body={t("duplicates.merges.undoBody", { merged: titleOr(t, confirming.merged_title), kept: titleOr(t, confirming.survivor_title) })}
          confirmLabel={t("duplicates.notice.undo")}
          busy={pending}
          error={error ? errorMessage(t, error) : null}
          onConfirm={() => void confirmUndo()}
          onCancel={() => {
            setConfirming(null);
            setError(null);
            opener.current?.focus();
          }}
          testIds={{ dialog: "undo-merge-dialog" }}
        />
      )}
    </section>
  );
}

function MergeEntry({ table, view, canMerge, onUndo }: { table: DuplicateTable; view: MergeView; canMerge: boolean; onUndo: () => void }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const { data: directory } = useColleagues();
  const open = useOpenRecord(table);
  const { merge } = view;
  const merged = titleOr(t, view.merged_title);
  const kept = titleOr(t, view.survivor_title);
  const name = directory ? colleagueName(directory, merge.created_by) : undefined;
  const who = actorLabel(t, merge.created_by, name);
  return (
    <li className="recent-merge" data-testid="recent-merge" data-merge-id={merge.id} data-undone={merge.undone_at !== null || undefined}>
      <p className="recent-merge-what">
        <Trans
          t={t}
          i18nKey="duplicates.merges.entry"
          values={{ merged, kept }}
          components={{
            merged: <OpenLink onOpen={() => void open(merge.merged_id)} />,
            kept: <OpenLink onOpen={() => void open(merge.survivor_id)} />,
          }}
        />
      </p>
      <p className="recent-merge-meta muted small">
        {/* A bare id reads left to right; a name takes its own direction. */}
        <bdi title={who.title} dir={who.title !== undefined && !name ? "ltr" : undefined} data-testid="recent-merge-who">
          {who.text}
        </bdi>
        {" · "}
        <time dateTime={merge.created_at}>{formatDateTime(merge.created_at, language)}</time>
        {merge.undone_at !== null && (
          <>
            {" · "}
            <span className="badge" data-testid="recent-merge-undone-at">
              {t("duplicates.merges.undone", { when: formatDateTime(merge.undone_at, language) })}
            </span>
          </>
        )}
      </p>
      {canMerge && merge.undone_at === null && (
        <RowAction testId="recent-merge-undo" label={t("duplicates.merges.undoOne", { merged, kept })} onClick={onUndo}>
          {t("duplicates.merges.undo")}
        </RowAction>
      )}
    </li>
  );
}

/** A name in a sentence that opens the card showing its record; Trans gives it the name as children. */
function OpenLink({ onOpen, children }: { onOpen: () => void; children?: ReactNode }) {
  return (
    <button type="button" className="link-button" onClick={onOpen}>
      <bdi>{children}</bdi>
    </button>
  );
}

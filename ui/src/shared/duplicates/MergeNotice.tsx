import { useEffect, useRef, useState, type ReactNode } from "react";
import { Trans, useTranslation } from "react-i18next";
import type { ApiError, HistoryTable, MergeView, UndoneMerge } from "../../api/generated";
import { errorMessage } from "../errors";
import { formatDate } from "../format";
import { ConfirmDialog } from "../ui/ConfirmDialog";
import { useLanguage } from "../useLanguage";
import { titleOr } from "./labels";
import { UndoOutcome } from "./UndoOutcome";
import { useMerges, useUndoMerge } from "./useMerges";

type Props = {
  table: HistoryTable;
  id: string;
  /** The record's own name (the core may not name an archived record). */
  title: string;
  /** The record is archived: its merge into another is announced (one restored since is not). */
  archived: boolean;
  /** May undo merges (`duplicates.merge`); otherwise the notice only says what happened. */
  canUndo: boolean;
  /** Opens a record of this kind: the survivor, or a record merged into this one. */
  onOpen: (id: string) => void;
  /**
   * A merge was undone: the card reads its records again. Given `undone`, the caller shows what
   * the undo did (the notice may be gone by then: a restored contact leaves the archived list).
   */
  onUndone: (undone: UndoneMerge, mergedTitle: string) => void;
  /** Says itself what the undo did (a card, which stays); false: `onUndone` shows it. */
  showOutcome?: boolean;
  /** "card": a banner above the card's tabs; "inline": a line under the record's row. */
  variant?: "card" | "inline";
};

/**
 * A record's merges on its card (CUST-5): "Merged into <survivor> on <date>" for a record
 * archived by a merge, with the way to the survivor and, for who may, Undo; "Merged from <name>"
 * for a record others were merged into. Nothing while there are none or they cannot be read:
 * the record itself is what the reader came for. Mounted only for who holds `duplicates.find`.
 */
export function MergeNotice({ table, id, title, archived, canUndo, onOpen, onUndone, showOutcome = true, variant = "card" }: Props) {
  const { t } = useTranslation();
  const language = useLanguage();
  const { data } = useMerges(table, id);
  const { undo, pending } = useUndoMerge();
  const [confirming, setConfirming] = useState<MergeView | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [outcome, setOutcome] = useState<{ undone: UndoneMerge; mergedTitle: string } | null>(null);
  const outcomeRef = useRef<HTMLDivElement>(null);
  const undoButton = useRef<HTMLButtonElement>(null);

  // The button pressed is gone with the merge it undid: focus goes to what the undo did.
  useEffect(() => {
    if (outcome) outcomeRef.current?.focus();
  }, [outcome]);

  const merges = data ?? [];
  const into = archived ? merges.find((m) => m.merge.merged_id === id && m.merge.undone_at === null) : undefined;
  const from = variant === "card" ? merges.filter((m) => m.merge.survivor_id === id && m.merge.undone_at === null) : [];

  async function confirmUndo() {
    if (!confirming || pending) return;
    const mergedTitle = confirming.merge.merged_id === id ? title : titleOr(t, confirming.merged_title);
    try {
      const undone = await undo(confirming.merge);
      setConfirming(null);
      setError(null);
      if (showOutcome) setOutcome({ undone, mergedTitle });
      onUndone(undone, mergedTitle);
    } catch (e) {
      setError(e as ApiError);
    }
  }

  const keptTitle = (view: MergeView) => titleOr(t, view.survivor_title);
  const mergedTitleOf = (view: MergeView) => (view.merge.merged_id === id ? title : titleOr(t, view.merged_title));

  return (
    <>
      {into && (
        <div
          className={variant === "card" ? "banner banner-warning merge-notice" : "merge-notice-inline"}
          role="status"
          data-testid="merged-into"
          data-survivor-id={into.merge.survivor_id}
        >
          <p>
            <Trans
              t={t}
              i18nKey="duplicates.notice.mergedInto"
              values={{ name: keptTitle(into), date: formatDate(into.merge.created_at, language) }}
              components={{ record: <RecordLink testId="merged-into-open" onClick={() => onOpen(into.merge.survivor_id)} /> }}
            />
          </p>
          {canUndo && (
            <button
              ref={undoButton}
              type="button"
              className={variant === "card" ? "button" : "link-button"}
              data-testid="merged-into-undo"
              onClick={() => setConfirming(into)}
            >
              {t("duplicates.notice.undo")}
            </button>
          )}
        </div>
      )}
      {from.length > 0 && (
        <ul className="merged-from muted">
          {from.map((view) => (
            <li key={view.merge.id} data-testid="merged-from" data-merged-id={view.merge.merged_id}>
              <Trans
                t={t}
                i18nKey="duplicates.notice.mergedFrom"
                values={{ name: titleOr(t, view.merged_title), date: formatDate(view.merge.created_at, language) }}
                components={{ record: <RecordLink testId="merged-from-open" onClick={() => onOpen(view.merge.merged_id)} /> }}
              />
            </li>
          ))}
        </ul>
      )}
      {outcome && (
        <div ref={outcomeRef} tabIndex={-1} className="banner banner-success" role="status" data-testid="merge-undone">
          <UndoOutcome table={table} undone={outcome.undone} mergedTitle={outcome.mergedTitle} />
        </div>
      )}
      {confirming && (
        <ConfirmDialog
          title={t("duplicates.merges.undoTitle")}
          body={t("duplicates.merges.undoBody", { merged: mergedTitleOf(confirming), kept: keptTitle(confirming) })}
          confirmLabel={t("duplicates.notice.undo")}
          busy={pending}
          error={error ? errorMessage(t, error) : null}
          onConfirm={() => void confirmUndo()}
          onCancel={() => {
            setConfirming(null);
            setError(null);
            undoButton.current?.focus();
          }}
          testIds={{ dialog: "undo-merge-dialog" }}
        />
      )}
    </>
  );
}

/** A name in a sentence that opens its record; Trans gives it the name as children. */
function RecordLink({ testId, onClick, children }: { testId: string; onClick: () => void; children?: ReactNode }) {
  return (
    <button type="button" className="link-button" data-testid={testId} onClick={onClick}>
      <bdi>{children}</bdi>
    </button>
  );
}

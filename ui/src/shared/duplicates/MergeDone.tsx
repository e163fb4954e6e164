import { useEffect, useRef, useState } from "react";
import { Trans, useTranslation } from "react-i18next";
import type { ApiError, UndoneMerge } from "../../api/generated";
import { referencesText } from "./labels";
import { UndoOutcome } from "./UndoOutcome";
import { useUndoMerge } from "./useMerges";
import { errorMessage } from "../errors";
import { useLanguage } from "../useLanguage";
import type { DuplicateTable } from "./pairs";
import type { Merged } from "./Comparison";

type Props = {
  table: DuplicateTable;
  merged: Merged;
  /** Set when the merge was undone (here, or from the recent merges). */
  undone: UndoneMerge | null;
  onUndone: (undone: UndoneMerge) => void;
};

/**
 * "Merged … moved.", with Undo at hand; after an undo, what the undo did. Focus comes here when it
 * appears and after the undo, since the buttons that led here are gone.
 */
export function MergeDone({ table, merged, undone, onUndone }: Props) {
  const { t } = useTranslation();
  const language = useLanguage();
  const { undo, pending } = useUndoMerge();
  const [error, setError] = useState<ApiError | null>(null);
  const ref = useRef<HTMLDivElement>(null);
  const moved = referencesText(t, language, merged.outcome.moved);

  useEffect(() => {
    ref.current?.focus();
  }, [merged, undone]);

  async function undoMerge() {
    if (pending) return;
    try {
      const result = await undo(merged.outcome.merge);
      setError(null);
      onUndone(result);
    } catch (e) {
      setError(e as ApiError);
    }
  }

  return (
    <div ref={ref} tabIndex={-1} className="banner banner-success merge-done" role="status" data-testid="merge-done">
      {undone ? (
        <UndoOutcome table={table} undone={undone} mergedTitle={merged.mergedTitle} />
      ) : (
        <>
          <p>
            <Trans
              t={t}
              i18nKey="duplicates.done.merged"
              values={{ merged: merged.mergedTitle, kept: merged.keptTitle }}
              components={{ merged: <bdi />, kept: <bdi /> }}
            />{" "}
            {moved ? t("duplicates.done.moved", { what: moved }) : t("duplicates.done.movedNothing")}
          </p>
          <button type="button" className="button" data-testid="merge-undo" disabled={pending} onClick={() => void undoMerge()}>
            {t("duplicates.done.undo")}
          </button>
        </>
      )}
      {error && (
        <p className="status-error" role="alert" data-testid="merge-undo-error">
          {errorMessage(t, error)}
        </p>
      )}
    </div>
  );
}

import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { ApiError, ImportSummary } from "../../../api/generated";
import { errorMessage } from "../../../shared/errors";
import { recordCount } from "../../../shared/labels";
import { ConfirmDialog } from "../../../shared/ui/ConfirmDialog";
import { useLanguage } from "../../../shared/useLanguage";
import { useUndoImport, type UndoneImport } from "../hooks/useImports";
import { isImportTable } from "../labels";

type TestIds = { button: string; dialog: string; confirm: string; done: string };

const RESULT_IDS: TestIds = { button: "import-undo", dialog: "import-undo-dialog", confirm: "import-undo-confirm", done: "import-undone" };

/** Whether an import can be undone: it stored records, has stopped, and was not undone yet. */
export function canUndo(summary: ImportSummary): boolean {
  return (
    !summary.dry_run &&
    summary.undone_at === null &&
    summary.undo?.status !== "running" &&
    summary.status !== "running" &&
    summary.imported > 0
  );
}

/**
 * "Undo import", after asking; then what the undo did: how many records it archived, how many it
 * kept because someone changed them since, how many were archived already.
 */
export function UndoImport({ summary, testIds = RESULT_IDS, label }: { summary: ImportSummary; testIds?: TestIds; label?: string }) {
  const { t } = useTranslation();
  const { undo, pending } = useUndoImport();
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [undone, setUndone] = useState<UndoneImport | null>(null);
  const button = useRef<HTMLButtonElement>(null);
  const outcome = useRef<HTMLDivElement>(null);
  const table = isImportTable(summary.table) ? summary.table : "organisations";
  const language = useLanguage();

  // The button pressed is gone with what it undid: focus goes to what the undo did.
  useEffect(() => {
    if (undone) outcome.current?.focus();
  }, [undone]);

  async function confirmUndo() {
    if (pending) return;
    try {
      const result = await undo(summary.id);
      setUndone(result);
      setConfirming(false);
      setError(null);
    } catch (e) {
      setError(e as ApiError);
    }
  }

  return (
    <>
      {undone ? (
        <div ref={outcome} tabIndex={-1} className="banner banner-success import-undone" role="status" data-testid={testIds.done}>
          <p>
            {t("imports.undo.done", { records: recordCount(t, table, undone.archived, language) })}
            {undone.kept_changed > 0 && <> {t("imports.undo.kept", { records: recordCount(t, table, undone.kept_changed, language) })}</>}
            {undone.already_archived > 0 && (
              <> {t("imports.undo.already", { records: recordCount(t, table, undone.already_archived, language) })}</>
            )}
          </p>
        </div>
      ) : (
        canUndo(summary) && (
          <button
            ref={button}
            type="button"
            className="button"
            data-testid={testIds.button}
            aria-label={label}
            onClick={() => setConfirming(true)}
          >
            {t("imports.undo.button")}
          </button>
        )
      )}
      {confirming && (
        <ConfirmDialog
          title={t("imports.undo.title")}
          body={t("imports.undo.body", { records: recordCount(t, table, summary.imported, language), file: summary.file_name })}
          confirmLabel={t("imports.undo.confirm")}
          danger
          busy={pending}
          error={error ? errorMessage(t, error) : null}
          onConfirm={() => void confirmUndo()}
          onCancel={() => {
            setConfirming(false);
            setError(null);
            button.current?.focus();
          }}
          testIds={{ dialog: testIds.dialog, confirm: testIds.confirm }}
        />
      )}
    </>
  );
}

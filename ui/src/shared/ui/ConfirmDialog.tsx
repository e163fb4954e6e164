import { useEffect, useId, useRef, type ReactNode } from "react";
import { useTranslation } from "react-i18next";

type Props = {
  title: string;
  body: string;
  confirmLabel: string;
  danger?: boolean;
  busy?: boolean;
  error?: string | null;
  onConfirm: () => void;
  onCancel: () => void;
  /** What the question needs besides its text (a choice to make, say), shown below it. */
  children?: ReactNode;
  testIds?: { dialog?: string; confirm?: string; cancel?: string };
};

/** A modal question with OK and Cancel; Esc cancels, focus starts on OK. */
export function ConfirmDialog({ title, body, confirmLabel, danger, busy, error, onConfirm, onCancel, children, testIds = {} }: Props) {
  const { t } = useTranslation();
  const titleId = useId();
  const bodyId = useId();
  const okRef = useRef<HTMLButtonElement>(null);

  // Focus starts on OK, as soon as it can be pressed (it waits while `busy`).
  useEffect(() => {
    if (!busy) okRef.current?.focus();
  }, [busy]);

  return (
    <div className="modal-backdrop" onMouseDown={onCancel}>
      <div
        className="dialog"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby={titleId}
        aria-describedby={bodyId}
        data-testid={testIds.dialog}
        onMouseDown={(e) => e.stopPropagation()}
        onKeyDown={(e) => {
          if (e.key === "Escape") {
            e.stopPropagation();
            onCancel();
          }
        }}
      >
        <h2 id={titleId} className="dialog-title">
          {title}
        </h2>
        <p id={bodyId}>{body}</p>
        {children}
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" className="button" data-testid={testIds.cancel ?? "confirm-cancel"} onClick={onCancel}>
            {t("confirm.cancel")}
          </button>
          <button
            ref={okRef}
            type="button"
            className={danger ? "button button-danger" : "button button-primary"}
            data-testid={testIds.confirm ?? "confirm-ok"}
            disabled={busy}
            onClick={onConfirm}
          >
            {confirmLabel}
          </button>
        </div>
      </div>
    </div>
  );
}

import { useEffect, useId, useRef } from "react";
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
};

/** A modal question with OK and Cancel; Esc cancels, focus starts on OK. */
export function ConfirmDialog({ title, body, confirmLabel, danger, busy, error, onConfirm, onCancel }: Props) {
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
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" className="button" data-testid="confirm-cancel" onClick={onCancel}>
            {t("confirm.cancel")}
          </button>
          <button
            ref={okRef}
            type="button"
            className={danger ? "button button-danger" : "button button-primary"}
            data-testid="confirm-ok"
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

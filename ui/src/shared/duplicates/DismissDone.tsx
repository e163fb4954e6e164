import { useEffect, useRef, useState } from "react";
import { Trans, useTranslation } from "react-i18next";
import type { ApiError } from "../../api/generated";
import { errorMessage } from "../errors";
import { useReconsiderPair } from "./useDuplicates";
import type { Dismissed } from "./Comparison";

type Props = {
  dismissed: Dismissed;
  /** Set once the judgement was taken back here. */
  reconsidered: boolean;
  onReconsidered: () => void;
};

/**
 * "Marked … as different records.", with Undo at hand (the button asked for no confirmation);
 * after an undo, that the pair may be offered again. Focus comes here when it appears and after
 * the undo, since the buttons that led here are gone.
 */
export function DismissDone({ dismissed, reconsidered, onReconsidered }: Props) {
  const { t } = useTranslation();
  const { reconsider, pending } = useReconsiderPair();
  const [error, setError] = useState<ApiError | null>(null);
  const ref = useRef<HTMLDivElement>(null);
  const names = { first: dismissed.firstTitle, second: dismissed.secondTitle };

  useEffect(() => {
    ref.current?.focus();
  }, [dismissed, reconsidered]);

  async function undo() {
    if (pending) return;
    try {
      await reconsider(dismissed.dismissal);
      setError(null);
      onReconsidered();
    } catch (e) {
      setError(e as ApiError);
    }
  }

  return (
    <div ref={ref} tabIndex={-1} className="banner banner-success merge-done" role="status" data-testid="dismiss-done">
      <p>
        <Trans
          t={t}
          i18nKey={reconsidered ? "duplicates.dismissed.reconsidered" : "duplicates.dismissed.done"}
          values={names}
          components={{ first: <bdi />, second: <bdi /> }}
        />
      </p>
      {!reconsidered && (
        <button type="button" className="button" data-testid="dismiss-undo" disabled={pending} onClick={() => void undo()}>
          {t("duplicates.dismissed.undo")}
        </button>
      )}
      {error && (
        <p className="status-error" role="alert" data-testid="dismiss-undo-error">
          {errorMessage(t, error)}
        </p>
      )}
    </div>
  );
}

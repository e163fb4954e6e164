import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { downloadFile } from "../../../shared/download";
import { RECOVERY_CODES_FILE, recoveryCodesText } from "../twoFactor";

type Copying = "copied" | "failed" | null;

/** The recovery codes, shown once: the core keeps only their hashes. */
export function RecoveryCodesView({ login, codes, onDone }: { login: string; codes: string[]; onDone: () => void }) {
  const { t } = useTranslation();
  const titleId = useId();
  const [copying, setCopying] = useState<Copying>(null);
  const text = recoveryCodesText(t, login, codes);

  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setCopying("copied");
    } catch {
      setCopying("failed");
    }
  }

  return (
    <div className="subform" role="region" aria-labelledby={titleId} data-testid="two-factor-new-codes">
      <h3 id={titleId} className="subform-title">
        {t("session.twoFactor.codesTitle")}
      </h3>
      <div className="banner banner-warning" data-testid="two-factor-codes-warning">
        {t("session.twoFactor.codesWarning")}
      </div>
      <ul className="recovery-codes mono" dir="ltr" data-testid="two-factor-recovery-codes">
        {codes.map((code) => (
          <li key={code} data-testid="recovery-code">
            {code}
          </li>
        ))}
      </ul>
      {copying && (
        <p className={copying === "failed" ? "small status-error" : "small"} role="status" data-testid="two-factor-copy-status">
          {copying === "failed" ? t("session.twoFactor.copyFailed") : t("session.twoFactor.copied")}
        </p>
      )}
      <div className="subform-actions">
        <button
          type="button"
          className="button"
          data-testid="two-factor-download"
          onClick={() => downloadFile(RECOVERY_CODES_FILE, text, "text/plain;charset=utf-8")}
        >
          {t("session.twoFactor.download")}
        </button>
        <button type="button" className="button" data-testid="two-factor-copy" onClick={() => void copy()}>
          {t("session.twoFactor.copy")}
        </button>
        <button type="button" className="button button-primary" data-testid="two-factor-done" onClick={onDone}>
          {t("session.twoFactor.saved")}
        </button>
      </div>
    </div>
  );
}

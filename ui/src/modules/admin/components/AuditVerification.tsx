import type { TFunction } from "i18next";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { ApiError, AuditVerification } from "../../../api/generated";
import { useMutation } from "../../../api/useOperation";
import type { Language } from "../../../i18n";
import { errorMessage } from "../../../shared/errors";
import { formatNumber, formatSerial } from "../../../shared/format";
import { useLanguage } from "../../../shared/useLanguage";
import { verificationAlarms, type VerificationAlarm } from "../audit";

/** Recomputes the log's hash chain on request and says whether anyone tampered with it. */
export function AuditVerifyButton() {
  const { t } = useTranslation();
  const verify = useMutation("audit.verify");
  const [result, setResult] = useState<AuditVerification | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  async function run() {
    setError(null);
    setResult(null);
    try {
      setResult(await verify.run({}));
    } catch (e) {
      setError(e as ApiError);
    }
  }

  return (
    <div className="audit-verify">
      <div className="section-toolbar">
        <p className="muted small audit-verify-hint">{t("admin.audit.verifyHint")}</p>
        <span className="toolbar-spacer" />
        <button type="button" className="button" data-testid="audit-verify" disabled={verify.pending} onClick={() => void run()}>
          {verify.pending ? t("admin.audit.verifying") : t("admin.audit.verify")}
        </button>
      </div>
      {result && <VerificationResult result={result} />}
      {error && (
        <div className="banner banner-error" role="alert" data-testid="audit-verify-error">
          {errorMessage(t, error)}
        </div>
      )}
    </div>
  );
}

function VerificationResult({ result }: { result: AuditVerification }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const alarms = verificationAlarms(result);
  if (alarms.length === 0)
    return (
      <div className="banner banner-success" role="status" data-testid="audit-verification" data-intact="true">
        {intactText(t, result, language)}
      </div>
    );
  return (
    <div className="banner banner-error" role="alert" data-testid="audit-verification" data-intact="false">
      <p className="audit-alarm-title">{t("admin.audit.alarm.title")}</p>
      {alarms.map((alarm) => (
        <p key={alarm.kind}>{alarmText(t, alarm, language)}</p>
      ))}
    </div>
  );
}

function intactText(t: TFunction, result: AuditVerification, language: Language): string {
  const checkpoints = t("admin.audit.checkpointsCompared", {
    count: result.checkpoints_compared,
    total: formatNumber(result.checkpoints_compared, language),
  });
  return t("admin.audit.intact", { count: result.entries, entries: formatNumber(result.entries, language), checkpoints });
}

function alarmText(t: TFunction, alarm: VerificationAlarm, language: Language): string {
  if ("seq" in alarm) return t(`admin.audit.alarm.${alarm.kind}`, { seq: formatSerial(alarm.seq, language) });
  return t(`admin.audit.alarm.${alarm.kind}`);
}

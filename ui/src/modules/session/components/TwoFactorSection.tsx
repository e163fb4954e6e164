import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { ApiError, MyAccount, MyAccountInput, TwoFactorEnrolment } from "../../../api/generated";
import { useMutation, useOperation } from "../../../api/useOperation";
import { errorMessage } from "../../../shared/errors";
import { formatDateTime, formatNumber } from "../../../shared/format";
import { useLanguage } from "../../../shared/useLanguage";
import { hasPermission, useSession } from "../hooks/useSession";
import { FEW_RECOVERY_CODES } from "../twoFactor";
import { RecoveryCodesView } from "./RecoveryCodesView";
import { DisableTwoFactorForm, EnrolmentForm, RenewRecoveryCodesForm } from "./TwoFactorForms";

const NO_INPUT: MyAccountInput = {};

/** What the section shows below its status: nothing more, a form, or codes to write down. */
type Stage =
  | { kind: "status" }
  | { kind: "enrolling"; enrolment: TwoFactorEnrolment }
  | { kind: "renewing" }
  | { kind: "disabling" }
  | { kind: "codes"; codes: string[] };

type Problem = { message: string; detail: string | null };

/** Settings' "Two-factor sign-in": for whoever signed in (a database without users has nobody to ask). */
export function TwoFactorSection() {
  const { status } = useSession();
  // Every built-in role holds it; a custom role may have been made without it.
  if (!hasPermission(status.user, "security.own_account")) return null;
  return <TwoFactorSettings />;
}

function TwoFactorSettings() {
  const { t } = useTranslation();
  const account = useOperation("security.my_account", NO_INPUT);
  const start = useMutation("security.start_two_factor");
  const [stage, setStage] = useState<Stage>({ kind: "status" });
  const [notice, setNotice] = useState<string | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);

  function show(next: Stage) {
    setNotice(null);
    setProblem(null);
    setStage(next);
  }

  function failed(error: ApiError) {
    if (error.code !== "conflict") {
      setProblem({ message: errorMessage(t, error), detail: null });
      return;
    }
    // Another window, or an administrator, changed it meanwhile: show it as it is now.
    setStage({ kind: "status" });
    setProblem({ message: t("session.twoFactor.changedElsewhere"), detail: error.message || null });
    account.reload();
  }

  async function begin() {
    try {
      show({ kind: "enrolling", enrolment: await start.run(NO_INPUT) });
    } catch (e) {
      failed(e as ApiError);
    }
  }

  function codesIssued(codes: string[]) {
    show({ kind: "codes", codes });
    account.reload();
  }

  const data = account.data;
  return (
    <section className="panel settings-section" aria-labelledby="settings-two-factor" data-testid="two-factor-section">
      <h2 id="settings-two-factor" className="section-title">
        {t("session.twoFactor.title")}
      </h2>
      {notice && (
        <div className="banner banner-success" role="status" data-testid="two-factor-notice">
          {notice}
        </div>
      )}
      {problem && (
        <div className="banner banner-error" role="alert" data-testid="two-factor-error">
          <p>{problem.message}</p>
          {problem.detail && (
            <p className="small" dir="auto">
              {problem.detail}
            </p>
          )}
        </div>
      )}
      {account.error && (
        <div className="banner banner-error" role="alert" data-testid="two-factor-load-error">
          {errorMessage(t, account.error)}
        </div>
      )}

      {stage.kind === "codes" && data ? (
        <RecoveryCodesView login={data.login} codes={stage.codes} onDone={() => show({ kind: "status" })} />
      ) : data ? (
        <>
          <TwoFactorStatus account={data} />
          {stage.kind === "enrolling" ? (
            <EnrolmentForm
              enrolment={stage.enrolment}
              onConfirmed={codesIssued}
              onFailed={failed}
              onCancel={() => show({ kind: "status" })}
            />
          ) : stage.kind === "renewing" ? (
            <RenewRecoveryCodesForm onRenewed={codesIssued} onFailed={failed} onCancel={() => show({ kind: "status" })} />
          ) : stage.kind === "disabling" ? (
            <DisableTwoFactorForm
              onDisabled={() => {
                show({ kind: "status" });
                setNotice(t("session.twoFactor.turnedOff"));
                account.reload();
              }}
              onFailed={failed}
              onCancel={() => show({ kind: "status" })}
            />
          ) : (
            <TwoFactorActions
              enabled={data.two_factor_since !== null}
              starting={start.pending}
              onStart={() => void begin()}
              onRenew={() => show({ kind: "renewing" })}
              onDisable={() => show({ kind: "disabling" })}
            />
          )}
        </>
      ) : (
        !account.error && <p className="muted">{t("app.loading")}</p>
      )}
    </section>
  );
}

function TwoFactorActions({
  enabled,
  starting,
  onStart,
  onRenew,
  onDisable,
}: {
  enabled: boolean;
  starting: boolean;
  onStart: () => void;
  onRenew: () => void;
  onDisable: () => void;
}) {
  const { t } = useTranslation();
  if (!enabled) {
    return (
      <div className="subform-actions">
        <button type="button" className="button button-primary" data-testid="two-factor-start" disabled={starting} onClick={onStart}>
          {starting ? t("session.twoFactor.starting") : t("session.twoFactor.start")}
        </button>
      </div>
    );
  }
  return (
    <div className="subform-actions">
      <button type="button" className="button" data-testid="two-factor-renew" onClick={onRenew}>
        {t("session.twoFactor.renew")}
      </button>
      <button type="button" className="button" data-testid="two-factor-disable" onClick={onDisable}>
        {t("session.twoFactor.disable")}
      </button>
    </div>
  );
}

/** On since when, with how many recovery codes; or off, with what turning it on means. */
function TwoFactorStatus({ account }: { account: MyAccount }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const since = account.two_factor_since;
  if (since === null) {
    return (
      <>
        <p data-testid="two-factor-status" data-enabled="false">
          {t("session.twoFactor.statusOff")}
        </p>
        <p className="muted small">{t("session.twoFactor.offHint")}</p>
      </>
    );
  }
  const left = account.recovery_codes_left;
  return (
    <>
      <p data-testid="two-factor-status" data-enabled="true">
        {t("session.twoFactor.statusOn", { date: formatDateTime(since, language) })}{" "}
        {t("session.twoFactor.codesLeft", { count: left, number: formatNumber(left, language) })}
      </p>
      {left < FEW_RECOVERY_CODES && (
        <div className="banner banner-warning" role="status" data-testid="two-factor-few-codes">
          {t("session.twoFactor.fewCodesLeft")}
        </div>
      )}
    </>
  );
}

import { useRef, useState, type FormEvent, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { ApiError, TwoFactorEnrolment } from "../../../api/generated";
import { useMutation } from "../../../api/useOperation";
import { Field } from "../../../shared/ui/Field";
import { codeFieldError, qrImageSource } from "../twoFactor";
import { OneTimeCodeInput } from "./OneTimeCodeInput";

type CodeFormProps = {
  title: string;
  hint: string;
  label: string;
  submitLabel: string;
  submitTestId: string;
  pending: boolean;
  /** Sends the code; rejects with the core's ApiError. */
  send: (code: string) => Promise<void>;
  /** A refusal that is not about the code itself, for the section's banner. */
  onFailed: (error: ApiError) => void;
  onCancel: () => void;
  /** What comes between the hint and the code (the QR code, when enrolling). */
  children?: ReactNode;
};

/** Asks for a code from the authenticator app and shows the core's objection to it beside the field. */
function CodeForm({ title, hint, label, submitLabel, submitTestId, pending, send, onFailed, onCancel, children }: CodeFormProps) {
  const { t } = useTranslation();
  const [code, setCode] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  const codeRef = useRef<HTMLInputElement>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (pending) return;
    try {
      await send(code);
    } catch (err) {
      const apiError = err as ApiError;
      if (codeFieldError(t, apiError) === undefined) {
        onFailed(apiError);
        return;
      }
      setError(apiError);
      // A code that did not match will not match later either: the next one is typed afresh.
      setCode("");
      codeRef.current?.focus();
    }
  }

  return (
    <form className="subform" noValidate autoComplete="off" data-testid="two-factor-form" onSubmit={(e) => void submit(e)}>
      <h3 className="subform-title">{title}</h3>
      {children}
      <p className="muted small">{hint}</p>
      <Field label={label} error={codeFieldError(t, error)} errorTestId="two-factor-code-error">
        {(control) => (
          <OneTimeCodeInput control={control} inputRef={codeRef} testId="two-factor-code" value={code} onChange={setCode} />
        )}
      </Field>
      <div className="subform-actions">
        <button type="button" className="button" data-testid="two-factor-cancel" onClick={onCancel}>
          {t("confirm.cancel")}
        </button>
        <button type="submit" className="button button-primary" data-testid={submitTestId} disabled={pending}>
          {pending ? t("session.twoFactor.checking") : submitLabel}
        </button>
      </div>
    </form>
  );
}

type EnrolmentProps = {
  enrolment: TwoFactorEnrolment;
  onConfirmed: (codes: string[]) => void;
  onFailed: (error: ApiError) => void;
  onCancel: () => void;
};

/** The QR code and the secret for the authenticator app, confirmed by the first code it shows. */
export function EnrolmentForm({ enrolment, onConfirmed, onFailed, onCancel }: EnrolmentProps) {
  const { t } = useTranslation();
  const confirm = useMutation("security.confirm_two_factor");
  return (
    <CodeForm
      title={t("session.twoFactor.setupTitle")}
      hint={t("session.twoFactor.confirmHint")}
      label={t("session.twoFactor.code")}
      submitLabel={t("session.twoFactor.confirm")}
      submitTestId="two-factor-confirm"
      pending={confirm.pending}
      send={async (code) => onConfirmed((await confirm.run({ code })).codes)}
      onFailed={onFailed}
      onCancel={onCancel}
    >
      <p className="muted small">{t("session.twoFactor.scanHint")}</p>
      <div className="two-factor-enrolment">
        <img
          className="two-factor-qr"
          data-testid="two-factor-qr"
          src={qrImageSource(enrolment.qr_svg)}
          alt={t("session.twoFactor.qrAlt")}
          width={200}
          height={200}
        />
        <div className="two-factor-manual">
          <p className="muted small">{t("session.twoFactor.secretHint")}</p>
          <code className="mono two-factor-secret" dir="ltr" data-testid="two-factor-secret">
            {enrolment.secret}
          </code>
        </div>
      </div>
    </CodeForm>
  );
}

type ProofProps = { onFailed: (error: ApiError) => void; onCancel: () => void };

/** Asks for the current code, then replaces the recovery codes. */
export function RenewRecoveryCodesForm({ onRenewed, ...rest }: ProofProps & { onRenewed: (codes: string[]) => void }) {
  const { t } = useTranslation();
  const renew = useMutation("security.renew_recovery_codes");
  return (
    <CodeForm
      title={t("session.twoFactor.renewTitle")}
      hint={t("session.twoFactor.renewHint")}
      label={t("session.twoFactor.code")}
      submitLabel={t("session.twoFactor.renewConfirm")}
      submitTestId="two-factor-renew-confirm"
      pending={renew.pending}
      send={async (code) => onRenewed((await renew.run({ code })).codes)}
      {...rest}
    />
  );
}

/** Asks for a current or recovery code, then turns two-factor sign-in off. */
export function DisableTwoFactorForm({ onDisabled, ...rest }: ProofProps & { onDisabled: () => void }) {
  const { t } = useTranslation();
  const disable = useMutation("security.disable_two_factor");
  return (
    <CodeForm
      title={t("session.twoFactor.disableTitle")}
      hint={t("session.twoFactor.disableHint")}
      label={t("session.code")}
      submitLabel={t("session.twoFactor.disableConfirm")}
      submitTestId="two-factor-disable-confirm"
      pending={disable.pending}
      send={async (code) => {
        await disable.run({ code });
        onDisabled();
      }}
      {...rest}
    />
  );
}

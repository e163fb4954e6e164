import { useRef, useState, type FormEvent, type RefObject } from "react";
import { Trans, useTranslation } from "react-i18next";
import type { ApiError, ErrorCode, SignInInput } from "../../../api/generated";
import { isLanguage, LANGUAGES, setLanguage } from "../../../i18n";
import { errorMessage, fieldErrorFor, fieldErrorMessage } from "../../../shared/errors";
import { Field } from "../../../shared/ui/Field";
import { UnshownFieldErrors } from "../../../shared/ui/UnshownFieldErrors";
import { useLanguage } from "../../../shared/useLanguage";
import { useSession } from "../hooks/useSession";
import { OneTimeCodeInput } from "./OneTimeCodeInput";

const SIGN_IN_FIELDS = ["login", "password"] as const;
const CODE_FIELDS = ["code"] as const;

/** Refusals at the code step that concern the account, not the code: the password step again. */
const ACCOUNT_REFUSALS: ReadonlySet<ErrorCode> = new Set<ErrorCode>(["sign_in_failed", "account_locked", "permission_denied"]);

type Step = "password" | "code";

/** What the window shows on a database with users until someone signs in. */
export function SignInScreen({ sessionEnded }: { sessionEnded: boolean }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const { signIn, status } = useSession();
  const [login, setLogin] = useState("");
  // Offered only where the core allows it (the embedded database; a team server always asks).
  const [remember, setRemember] = useState(false);
  const [password, setPassword] = useState("");
  // The login and password stay in memory while the code is asked for: the core checks all three together.
  const [step, setStep] = useState<Step>("password");
  const [code, setCode] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  const [pending, setPending] = useState(false);
  const loginRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  const codeRef = useRef<HTMLInputElement>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (pending) return;
    setPending(true);
    const base: SignInInput = status.can_remember && remember ? { login, password, remember: true } : { login, password };
    const input: SignInInput = step === "code" ? { ...base, code } : base;
    try {
      await signIn(input);
      // Signed in: the gate replaces this screen with the app.
    } catch (err) {
      refused(err as ApiError);
    } finally {
      setPending(false);
    }
  }

  function refused(apiError: ApiError) {
    if (step === "password" && apiError.code === "second_factor_required") {
      // Not a failure: the password was right, and the code comes next.
      setError(null);
      setStep("code");
      return;
    }
    setError(apiError);
    if (step === "code" && !ACCOUNT_REFUSALS.has(apiError.code)) {
      // A code counts once: the next try is typed afresh.
      setCode("");
      requestAnimationFrame(() => codeRef.current?.focus());
      return;
    }
    setStep("password");
    setCode("");
    // A refused password is typed again from scratch; the login usually stays right.
    setPassword("");
    const loginWrong = fieldErrorFor(apiError, "login") !== undefined;
    requestAnimationFrame(() => (loginWrong ? loginRef : passwordRef).current?.focus());
  }

  function startOver() {
    setStep("password");
    setPassword("");
    setCode("");
    setError(null);
  }

  const fieldError = (name: string) => {
    const fe = fieldErrorFor(error, name);
    return fe ? fieldErrorMessage(t, fe) : undefined;
  };

  return (
    <div className="session-screen" data-testid="sign-in-screen">
      <form className="panel session-card" noValidate onSubmit={(e) => void submit(e)} aria-labelledby="sign-in-title">
        <h1 id="sign-in-title" className="session-brand">
          {t("app.name")}
        </h1>
        {step === "code" ? (
          <p className="muted" data-testid="sign-in-code-hint">
            <Trans t={t} i18nKey="session.codeHint" values={{ login }} components={{ login: <bdi dir="ltr" /> }} />
          </p>
        ) : (
          <p className="muted">{t("session.signInHint")}</p>
        )}

        {error ? (
          <div className="banner banner-error" role="alert" data-testid="sign-in-error" data-code={error.code}>
            <p>{error.code === "permission_denied" ? t("session.accountDeactivated") : errorMessage(t, error)}</p>
            {/* The core's own words carry when the lock ends. */}
            {error.code === "account_locked" && error.message && (
              <p className="small" dir="auto" data-testid="sign-in-error-detail">
                {error.message}
              </p>
            )}
            <UnshownFieldErrors error={error} shown={step === "code" ? CODE_FIELDS : SIGN_IN_FIELDS} />
          </div>
        ) : (
          sessionEnded &&
          step === "password" && (
            <div className="banner banner-warning" role="status" data-testid="session-ended">
              {t("errors.code.signed_out")}
            </div>
          )
        )}

        <div className="session-fields">
          {step === "code" ? (
            <CodeField code={code} onChange={setCode} error={fieldError("code")} inputRef={codeRef} />
          ) : (
            <CredentialFields
              login={login}
              password={password}
              onLoginChange={setLogin}
              onPasswordChange={setPassword}
              fieldError={fieldError}
              loginRef={loginRef}
              passwordRef={passwordRef}
            />
          )}
        </div>

        {status.can_remember && (
          <label className="checkbox session-remember">
            <input
              type="checkbox"
              data-testid="sign-in-remember"
              checked={remember}
              onChange={(e) => setRemember(e.target.checked)}
            />
            <span>
              {t("session.remember")}
              <span className="muted small session-remember-hint">{t("session.rememberHint")}</span>
            </span>
          </label>
        )}

        <button type="submit" className="button button-primary session-submit" data-testid="sign-in-submit" disabled={pending}>
          {pending ? t("session.signingIn") : t("session.signIn")}
        </button>
        {step === "code" && (
          <button
            type="button"
            className="link-button session-back"
            data-testid="sign-in-back"
            disabled={pending}
            onClick={startOver}
          >
            {t("session.useAnotherAccount")}
          </button>
        )}

        {/* Settings are out of reach before sign-in, so the language is chosen here too. */}
        <div className="session-language">
          <select
            className="input select-compact"
            aria-label={t("settings.language")}
            data-testid="sign-in-language"
            value={language}
            onChange={(e) => {
              if (isLanguage(e.target.value)) void setLanguage(e.target.value);
            }}
          >
            {LANGUAGES.map((l) => (
              <option key={l} value={l} lang={l}>
                {t(`languages.${l}`)}
              </option>
            ))}
          </select>
        </div>
      </form>
    </div>
  );
}

type InputRef = RefObject<HTMLInputElement | null>;

function CredentialFields({
  login,
  password,
  onLoginChange,
  onPasswordChange,
  fieldError,
  loginRef,
  passwordRef,
}: {
  login: string;
  password: string;
  onLoginChange: (login: string) => void;
  onPasswordChange: (password: string) => void;
  fieldError: (name: string) => string | undefined;
  loginRef: InputRef;
  passwordRef: InputRef;
}) {
  const { t } = useTranslation();
  return (
    <>
      <Field label={t("session.login")} error={fieldError("login")} errorTestId="sign-in-login-error">
        {(control) => (
          <input
            {...control}
            ref={loginRef}
            className="input"
            name="username"
            dir="ltr"
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            autoFocus
            data-testid="sign-in-login"
            value={login}
            onChange={(e) => onLoginChange(e.target.value)}
          />
        )}
      </Field>
      <Field label={t("session.password")} error={fieldError("password")} errorTestId="sign-in-password-error">
        {(control) => (
          <input
            {...control}
            ref={passwordRef}
            className="input"
            type="password"
            name="password"
            dir="ltr"
            autoComplete="current-password"
            data-testid="sign-in-password"
            value={password}
            onChange={(e) => onPasswordChange(e.target.value)}
          />
        )}
      </Field>
    </>
  );
}

/** The second step: the authenticator app's code or a recovery code, as typed (the core reads Persian digits, spaces and dashes). */
function CodeField({
  code,
  onChange,
  error,
  inputRef,
}: {
  code: string;
  onChange: (code: string) => void;
  error: string | undefined;
  inputRef: InputRef;
}) {
  const { t } = useTranslation();
  return (
    <Field label={t("session.code")} hint={t("session.codeFieldHint")} error={error} errorTestId="sign-in-code-error">
      {(control) => (
        <OneTimeCodeInput control={control} inputRef={inputRef} testId="sign-in-code" value={code} onChange={onChange} />
      )}
    </Field>
  );
}

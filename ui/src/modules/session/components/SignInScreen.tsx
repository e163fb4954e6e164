import { useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { ApiError } from "../../../api/generated";
import { isLanguage, LANGUAGES, setLanguage } from "../../../i18n";
import { errorMessage, fieldErrorFor, fieldErrorMessage } from "../../../shared/errors";
import { Field } from "../../../shared/ui/Field";
import { UnshownFieldErrors } from "../../../shared/ui/UnshownFieldErrors";
import { useLanguage } from "../../../shared/useLanguage";
import { useSession } from "../hooks/useSession";

const SIGN_IN_FIELDS = ["login", "password"] as const;

/** What the window shows on a database with users until someone signs in. */
export function SignInScreen({ sessionEnded }: { sessionEnded: boolean }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const { signIn } = useSession();
  const [login, setLogin] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  const [pending, setPending] = useState(false);
  const loginRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (pending) return;
    setPending(true);
    try {
      await signIn({ login, password });
      // Signed in: the gate replaces this screen with the app.
    } catch (err) {
      const apiError = err as ApiError;
      setError(apiError);
      // A refused password is typed again from scratch; the login usually stays right.
      setPassword("");
      const loginWrong = fieldErrorFor(apiError, "login") !== undefined;
      requestAnimationFrame(() => (loginWrong ? loginRef : passwordRef).current?.focus());
    } finally {
      setPending(false);
    }
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
        <p className="muted">{t("session.signInHint")}</p>

        {error ? (
          <div className="banner banner-error" role="alert" data-testid="sign-in-error" data-code={error.code}>
            <p>{error.code === "permission_denied" ? t("session.accountDeactivated") : errorMessage(t, error)}</p>
            {/* The core's own words carry when the lock ends. */}
            {error.code === "account_locked" && error.message && (
              <p className="small" dir="auto" data-testid="sign-in-error-detail">
                {error.message}
              </p>
            )}
            <UnshownFieldErrors error={error} shown={SIGN_IN_FIELDS} />
          </div>
        ) : (
          sessionEnded && (
            <div className="banner banner-warning" role="status" data-testid="session-ended">
              {t("errors.code.signed_out")}
            </div>
          )
        )}

        <div className="session-fields">
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
                onChange={(e) => setLogin(e.target.value)}
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
                onChange={(e) => setPassword(e.target.value)}
              />
            )}
          </Field>
        </div>

        <button type="submit" className="button button-primary session-submit" data-testid="sign-in-submit" disabled={pending}>
          {pending ? t("session.signingIn") : t("session.signIn")}
        </button>

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

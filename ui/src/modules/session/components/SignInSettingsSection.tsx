import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { ApiError } from "../../../api/generated";
import { errorMessage, fieldErrorFor, fieldErrorMessage } from "../../../shared/errors";
import { Field } from "../../../shared/ui/Field";
import { UnshownFieldErrors } from "../../../shared/ui/UnshownFieldErrors";
import { useSession } from "../hooks/useSession";

/** Settings' "Users and sign-in": who is signed in, or how a database without users gets its first administrator. */
export function SignInSettingsSection() {
  const { t } = useTranslation();
  const { status, signOut } = useSession();
  const [signingOut, setSigningOut] = useState(false);

  return (
    <section className="panel settings-section" aria-labelledby="settings-sign-in">
      <h2 id="settings-sign-in" className="section-title">
        {t("session.section")}
      </h2>
      {status.user ? (
        <>
          <p data-testid="session-user">{t("session.signedInAs", { name: status.user.display_name })}</p>
          <p className="muted small">{t("session.signedInHint")}</p>
          <div className="subform-actions">
            <button
              type="button"
              className="button"
              data-testid="sign-out"
              disabled={signingOut}
              onClick={() => {
                setSigningOut(true);
                // The gate shows the sign-in screen afterwards, which unmounts this section.
                void signOut().finally(() => setSigningOut(false));
              }}
            >
              {t("session.signOut")}
            </button>
          </div>
        </>
      ) : (
        !status.has_users && (
          <>
            <p className="muted">{t("session.noUsersHint")}</p>
            <FirstAdministratorForm />
          </>
        )
      )}
    </section>
  );
}

const FIRST_ADMIN_FIELDS = ["login", "display_name", "password"] as const;

function FirstAdministratorForm() {
  const { t } = useTranslation();
  const { createFirstAdministrator, refresh } = useSession();
  const [login, setLogin] = useState("");
  const [displayName, setDisplayName] = useState("");
  const [password, setPassword] = useState("");
  const [repeat, setRepeat] = useState("");
  const [mismatch, setMismatch] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [pending, setPending] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (pending) return;
    // A typo in a password nobody can see would lock the administrator out from the start.
    if (password !== repeat) {
      setMismatch(true);
      return;
    }
    setMismatch(false);
    setPending(true);
    try {
      await createFirstAdministrator({ login, display_name: displayName, password, role_id: null, department_id: null });
      // Signed in as the new administrator: the section now says so.
    } catch (err) {
      const apiError = err as ApiError;
      setError(apiError);
      // Someone else (another window) created the first user meanwhile: that one signs in now.
      if (apiError.code === "conflict") void refresh();
    } finally {
      setPending(false);
    }
  }

  const fieldError = (name: string) => {
    const fe = fieldErrorFor(error, name);
    return fe ? fieldErrorMessage(t, fe) : undefined;
  };

  return (
    <form className="subform" noValidate autoComplete="off" data-testid="first-admin-form" onSubmit={(e) => void submit(e)}>
      <h3 className="subform-title">{t("session.firstAdminTitle")}</h3>
      {error && (
        <div className="banner banner-error" role="alert" data-testid="first-admin-error">
          <p>{error.code === "conflict" ? t("session.usersExist") : errorMessage(t, error)}</p>
          <UnshownFieldErrors error={error} shown={FIRST_ADMIN_FIELDS} />
        </div>
      )}
      <div className="form-grid">
        <Field label={t("session.login")} error={fieldError("login")} errorTestId="first-admin-login-error">
          {(control) => (
            <input
              {...control}
              className="input"
              dir="ltr"
              autoComplete="username"
              autoCapitalize="none"
              spellCheck={false}
              data-testid="first-admin-login"
              value={login}
              onChange={(e) => setLogin(e.target.value)}
            />
          )}
        </Field>
        <Field label={t("session.displayName")} error={fieldError("display_name")} errorTestId="first-admin-name-error">
          {(control) => (
            <input
              {...control}
              className="input"
              autoComplete="name"
              data-testid="first-admin-name"
              value={displayName}
              onChange={(e) => setDisplayName(e.target.value)}
            />
          )}
        </Field>
        <Field
          label={t("session.password")}
          hint={t("session.passwordHint")}
          error={fieldError("password")}
          errorTestId="first-admin-password-error"
        >
          {(control) => (
            <input
              {...control}
              className="input"
              type="password"
              dir="ltr"
              autoComplete="new-password"
              data-testid="first-admin-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          )}
        </Field>
        <Field
          label={t("session.repeatPassword")}
          error={mismatch ? t("session.passwordsDiffer") : undefined}
          errorTestId="first-admin-repeat-error"
        >
          {(control) => (
            <input
              {...control}
              className="input"
              type="password"
              dir="ltr"
              autoComplete="new-password"
              data-testid="first-admin-repeat"
              value={repeat}
              onChange={(e) => setRepeat(e.target.value)}
            />
          )}
        </Field>
      </div>
      <div className="subform-actions">
        <button type="submit" className="button button-primary" data-testid="first-admin-submit" disabled={pending}>
          {pending ? t("session.creating") : t("session.createFirstAdmin")}
        </button>
      </div>
    </form>
  );
}

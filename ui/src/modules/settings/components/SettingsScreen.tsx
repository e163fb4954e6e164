import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { ApiError } from "../../../api/generated";
import { isLanguage, LANGUAGES, setLanguage } from "../../../i18n";
import { errorMessage, fieldErrorMessage } from "../../../shared/errors";
import { Field } from "../../../shared/ui/Field";
import { useLanguage } from "../../../shared/useLanguage";
import { OfflineSection } from "../../offline/components/OfflineSection";
import { SignInSettingsSection } from "../../session/components/SignInSettingsSection";
import { TwoFactorSection } from "../../session/components/TwoFactorSection";
import { useSession } from "../../session/hooks/useSession";
import { useConnection } from "../hooks/useConnection";

export function SettingsScreen() {
  const { t } = useTranslation();
  const language = useLanguage();
  return (
    <div className="page settings">
      <h1 className="screen-title">{t("settings.title")}</h1>
      <section className="panel settings-section" aria-labelledby="settings-language">
        <h2 id="settings-language" className="section-title">
          {t("settings.language")}
        </h2>
        <Field label={t("settings.language")} hint={t("settings.languageHint")}>
          {(control) => (
            <select
              {...control}
              className="input select-compact"
              data-testid="language-select"
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
          )}
        </Field>
      </section>
      <SignInSettingsSection />
      <TwoFactorSection />
      <ConnectionSection />
      <OfflineSection />
    </div>
  );
}

function ConnectionSection() {
  const { t } = useTranslation();
  const { settings, loadError, pending, connectServer, switchToEmbedded } = useConnection();
  const { refresh } = useSession();
  const [url, setUrl] = useState("");
  const [user, setUser] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  async function connect(e: FormEvent) {
    e.preventDefault();
    setNotice(null);
    const result = await connectServer({ url, user, password });
    // The password leaves the window with the request and is not kept.
    setPassword("");
    setError(result.ok ? null : result.error);
    if (result.ok) {
      setNotice(t("settings.connected"));
      // Another database may have users (a team server always does): ask who is signed in
      // there, which brings the sign-in screen when nobody is.
      await refresh();
    }
  }

  async function embedded() {
    setNotice(null);
    const result = await switchToEmbedded();
    setError(result.ok ? null : result.error);
    if (result.ok) {
      setNotice(t("settings.switchedToEmbedded"));
      await refresh();
    }
  }

  const fieldError = (name: string) => {
    const fe = error?.fields[name];
    return fe ? fieldErrorMessage(t, fe) : undefined;
  };

  return (
    <section className="panel settings-section" aria-labelledby="settings-connection">
      <h2 id="settings-connection" className="section-title">
        {t("settings.connection")}
      </h2>
      {loadError && (
        <div className="banner banner-error" role="alert">
          {errorMessage(t, loadError)}
        </div>
      )}
      {settings?.problem && (
        <div className="banner banner-warning" role="alert" data-testid="connection-problem">
          <strong>{t("settings.problemTitle")}</strong>
          <p className="small" dir="auto">
            {settings.problem}
          </p>
        </div>
      )}
      {settings ? (
        <dl className="details" data-testid="connection-current">
          <div className="detail">
            <dt>{t("settings.mode")}</dt>
            <dd data-testid="connection-mode" data-mode={settings.mode}>
              {t(`settings.modes.${settings.mode}`)}
            </dd>
          </div>
          {settings.mode !== "embedded" && (
            <>
              <div className="detail">
                <dt>{t("settings.serverUrl")}</dt>
                <dd>
                  <bdi className="mono">{settings.server_url ?? t("app.none")}</bdi>
                </dd>
              </div>
              <div className="detail">
                <dt>{t("settings.serverUser")}</dt>
                <dd>
                  <bdi>{settings.server_user ?? t("app.none")}</bdi>
                </dd>
              </div>
            </>
          )}
          <div className="detail detail-wide">
            <dt>{t("settings.databasePath")}</dt>
            <dd>
              <bdi className="mono">{settings.database_path ?? t("app.none")}</bdi>
            </dd>
          </div>
        </dl>
      ) : (
        !loadError && <p className="muted">{t("app.loading")}</p>
      )}

      {notice && (
        <div className="banner banner-success" role="status">
          {notice}
        </div>
      )}
      {error && (
        <div className="banner banner-error" role="alert" data-testid="connection-error">
          {errorMessage(t, error)}
          {error.code === "database_unavailable" && error.message && <div className="muted small">{error.message}</div>}
        </div>
      )}

      <form className="subform" noValidate onSubmit={connect} autoComplete="off">
        <h3 className="subform-title">{t("settings.connectTitle")}</h3>
        <p className="muted small">{t("settings.connectHint")}</p>
        <div className="form-grid">
          <Field label={t("settings.url")} error={fieldError("url")} errorTestId="connection-url-error" className="field-wide">
            {(control) => (
              <input
                {...control}
                className="input mono"
                dir="ltr"
                data-testid="connection-url"
                placeholder={t("settings.urlPlaceholder")}
                value={url}
                onChange={(e) => setUrl(e.target.value)}
              />
            )}
          </Field>
          <Field label={t("settings.user")} error={fieldError("user")} errorTestId="connection-user-error">
            {(control) => (
              <input
                {...control}
                className="input"
                dir="ltr"
                data-testid="connection-user"
                value={user}
                onChange={(e) => setUser(e.target.value)}
              />
            )}
          </Field>
          <Field label={t("settings.password")} error={fieldError("password")} errorTestId="connection-password-error">
            {(control) => (
              <input
                {...control}
                className="input"
                type="password"
                dir="ltr"
                autoComplete="new-password"
                data-testid="connection-password"
                value={password}
                onChange={(e) => setPassword(e.target.value)}
              />
            )}
          </Field>
        </div>
        <div className="subform-actions">
          <button
            type="button"
            className="button"
            data-testid="use-embedded"
            disabled={pending !== null || settings?.mode === "embedded"}
            onClick={() => void embedded()}
          >
            {pending === "embedded" ? t("settings.switching") : t("settings.useEmbedded")}
          </button>
          <button type="submit" className="button button-primary" data-testid="connect-server" disabled={pending !== null}>
            {pending === "connect" ? t("settings.connecting") : t("settings.connect")}
          </button>
        </div>
      </form>
    </section>
  );
}

import { useTranslation } from "react-i18next";
import type { ApiError, ReplicaStatus } from "../../../api/generated";
import { useNavigation } from "../../../app/navigation";
import { errorMessage } from "../../../shared/errors";
import { formatDateTime, formatNumber } from "../../../shared/format";
import { useLanguage } from "../../../shared/useLanguage";
import { useSession } from "../../session/hooks/useSession";
import { canResolveConflicts } from "../../sync/access";
import { isRunning, useOfflineAccess, useOfflineActions, useOfflineStatus } from "../hooks/useOffline";
import { OfflineJobView } from "./OfflineJobView";
import { RejectedChanges } from "./RejectedChanges";

/**
 * Working offline on this laptop (Settings): the copy of the team server kept here, the job that
 * prepares or syncs it, and the switches to it and back. Only for who may replicate, connected
 * to a team server or working on its copy.
 */
export function OfflineSection() {
  const { allowed, mode } = useOfflineAccess();
  if (!allowed || (mode !== "server" && mode !== "offline")) return null;
  return <OfflinePanel mode={mode} />;
}

function OfflinePanel({ mode }: { mode: "server" | "offline" }) {
  const { t } = useTranslation();
  const status = useOfflineStatus({ enabled: true });
  const actions = useOfflineActions();
  const data = status.data;
  const replica = data?.replica ?? null;
  const running = isRunning(data);
  const busy = actions.pending !== null;

  return (
    <section className="panel settings-section" aria-labelledby="settings-offline" data-testid="offline-section" data-mode={mode}>
      <h2 id="settings-offline" className="section-title">
        {t("offline.title")}
      </h2>
      <p className="muted small offline-hint">{mode === "offline" ? t("offline.hintOffline") : t("offline.hintServer")}</p>

      {status.error && !data ? (
        <div className="banner banner-error" role="alert" data-testid="offline-status-error">
          <p>{errorMessage(t, status.error)}</p>
          <button type="button" className="button" onClick={() => void status.refetch()}>
            {t("app.retry")}
          </button>
        </div>
      ) : !data ? (
        <p className="muted">{t("app.loading")}</p>
      ) : replica ? (
        <CopyDetails replica={replica} />
      ) : (
        <p className="muted" data-testid="offline-no-copy">
          {t("offline.noCopy")}
        </p>
      )}

      {mode === "server" && data?.job && <OfflineJobView job={data.job} />}

      {actions.error && <ActionError error={actions.error} />}

      {data && (
        <div className="offline-actions">
          {mode === "offline" ? (
            <button
              type="button"
              className="button button-primary"
              data-testid="offline-go-online"
              disabled={busy}
              onClick={() => void actions.goOnline()}
            >
              {actions.pending === "online" ? t("offline.switching") : t("offline.goOnline")}
            </button>
          ) : running ? (
            <button type="button" className="button" data-testid="offline-cancel" disabled={busy} onClick={() => void actions.cancel()}>
              {actions.pending === "cancel" ? t("offline.cancelling") : t("offline.cancel")}
            </button>
          ) : (
            <>
              {replica && (
                <button
                  type="button"
                  className="button"
                  data-testid="offline-work"
                  disabled={busy}
                  onClick={() => void actions.workOffline()}
                >
                  {actions.pending === "work" ? t("offline.switching") : t("offline.workOffline")}
                </button>
              )}
              <button
                type="button"
                className="button button-primary"
                data-testid="offline-prepare"
                disabled={busy}
                onClick={() => void actions.prepare()}
              >
                {actions.pending === "prepare" ? t("offline.starting") : replica ? t("offline.syncNow") : t("offline.prepare")}
              </button>
            </>
          )}
        </div>
      )}

      {mode === "offline" && <RejectedChanges />}
    </section>
  );
}

/** Where the copy stands: whose server, when it last synced, what waits, what needs a person. */
function CopyDetails({ replica }: { replica: ReplicaStatus }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const nav = useNavigation();
  const { status } = useSession();
  const canResolve = canResolveConflicts(status.user);
  return (
    <dl className="details" data-testid="offline-copy">
      <div className="detail detail-wide">
        <dt>{t("offline.server")}</dt>
        <dd>
          <bdi className="mono">{replica.server_address}</bdi>
        </dd>
      </div>
      <div className="detail">
        <dt>{t("offline.lastSync")}</dt>
        <dd data-testid="offline-last-sync">
          {replica.last_sync_at ? formatDateTime(replica.last_sync_at, language) : t("offline.never")}
        </dd>
      </div>
      <div className="detail">
        <dt>{t("offline.pending")}</dt>
        <dd data-testid="offline-pending" data-count={replica.pending}>
          {formatNumber(replica.pending, language)}
        </dd>
      </div>
      <div className="detail">
        <dt>{t("offline.conflicts")}</dt>
        <dd>
          <span data-testid="offline-conflicts" data-count={replica.open_conflicts}>
            {formatNumber(replica.open_conflicts, language)}
          </span>
          {canResolve && replica.open_conflicts > 0 && (
            <button type="button" className="link-button offline-inline-action" data-testid="offline-open-conflicts" onClick={() => nav.openConflicts()}>
              {t("offline.resolveConflicts")}
            </button>
          )}
        </dd>
      </div>
      <div className="detail">
        <dt>{t("offline.rejected")}</dt>
        <dd data-testid="offline-rejected-count" data-count={replica.rejected}>
          {formatNumber(replica.rejected, language)}
        </dd>
      </div>
    </dl>
  );
}

/** A switch or a start the core refused; an unreachable server says why in the core's words. */
function ActionError({ error }: { error: ApiError }) {
  const { t } = useTranslation();
  return (
    <div className="banner banner-error" role="alert" data-testid="offline-error" data-code={error.code}>
      <p>{errorMessage(t, error)}</p>
      {error.code === "database_unavailable" && error.message && (
        <p className="muted small" dir="auto">
          {error.message}
        </p>
      )}
    </div>
  );
}

import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { useNavigation } from "../../../app/navigation";
import { errorMessage } from "../../../shared/errors";
import { formatNumber } from "../../../shared/format";
import { useLanguage } from "../../../shared/useLanguage";
import { PENDING_REFRESH_MS, useOfflineAccess, useOfflineActions, useOfflineStatus, useRefetchOnFocus } from "../hooks/useOffline";

/**
 * Across the whole window while it works on this laptop's copy: that it does, how many changes
 * wait to be sent, and the way back online (in Settings, the offline section below offers it,
 * with more to say). Nothing otherwise.
 */
export function OfflineBanner() {
  const { allowed, mode } = useOfflineAccess();
  if (mode !== "offline") return null;
  return <Banner allowed={allowed} />;
}

function Banner({ allowed }: { allowed: boolean }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const { route } = useNavigation();
  // Every save offline adds a change to send: read the count now and then, on focus, and
  // whenever the window moves on (a saved form gives way to the card).
  const status = useOfflineStatus({ enabled: allowed, refreshEvery: PENDING_REFRESH_MS });
  useRefetchOnFocus(status.refetch, allowed);
  const { refetch } = status;
  const shown = useRef(route);
  useEffect(() => {
    if (shown.current === route) return;
    shown.current = route;
    if (allowed) void refetch();
  }, [allowed, refetch, route]);
  const { goOnline, pending, error } = useOfflineActions();
  const count = status.data?.replica?.pending;

  return (
    <div className="banner banner-warning offline-banner" role="status" data-testid="offline-banner" data-pending={count}>
      <div className="offline-banner-text">
        <p>{count === undefined ? t("offline.bannerNoCount") : t("offline.banner", { count, total: formatNumber(count, language) })}</p>
        {error && (
          <p className="status-error small" role="alert" data-testid="offline-banner-error">
            {errorMessage(t, error)}
            {error.code === "database_unavailable" && error.message && (
              <span className="muted" dir="auto">
                {" "}
                {error.message}
              </span>
            )}
          </p>
        )}
      </div>
      {allowed && route.screen !== "settings" && (
        <button
          type="button"
          className="button"
          data-testid="offline-go-online"
          disabled={pending !== null}
          onClick={() => void goOnline()}
        >
          {pending === "online" ? t("offline.switching") : t("offline.goOnline")}
        </button>
      )}
    </div>
  );
}

import { useTranslation } from "react-i18next";
import type { RejectedChange } from "../../../api/generated";
import { errorMessage } from "../../../shared/errors";
import { formatDateTime } from "../../../shared/format";
import { fieldLabel, shortId } from "../../../shared/labels";
import { useLanguage } from "../../../shared/useLanguage";
import { ConflictValue } from "../../sync/components/ConflictValue";
import { recordKindLabel } from "../../sync/labels";
import { useRejectedChanges } from "../hooks/useOffline";

/**
 * The changes made on this laptop that the server refused (and that were taken back here), with
 * the reason; nothing while there are none.
 */
export function RejectedChanges() {
  const { t } = useTranslation();
  const rejected = useRejectedChanges({ enabled: true });

  if (rejected.error) {
    return (
      <div className="banner banner-error" role="alert" data-testid="offline-rejected-error">
        <p>{errorMessage(t, rejected.error)}</p>
        <button type="button" className="button" onClick={() => void rejected.refetch()}>
          {t("app.retry")}
        </button>
      </div>
    );
  }
  if (!rejected.data || rejected.data.length === 0) return null;

  return (
    <div className="offline-rejected" data-testid="offline-rejected">
      <h3 className="subform-title">{t("offline.rejected")}</h3>
      <p className="muted small">{t("offline.rejectedHint")}</p>
      <ul className="offline-rejected-list" aria-label={t("offline.rejected")}>
        {rejected.data.map((change, i) => (
          <RejectedRow key={`${change.table}|${change.row_id}|${change.made_at}|${i}`} change={change} />
        ))}
      </ul>
    </div>
  );
}

function RejectedRow({ change }: { change: RejectedChange }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const fields = Object.entries(change.fields);
  const reason = errorMessage(t, { code: change.code, message: change.reason, fields: {} });
  return (
    <li className="offline-rejected-row" data-testid="offline-rejected-row" data-table={change.table} data-row-id={change.row_id}>
      <div className="history-head">
        <span className="badge">{recordKindLabel(t, change.table, change.table)}</span>
        <span className="offline-rejected-title" data-testid="offline-rejected-title">
          {change.title ? (
            <bdi title={change.row_id}>{change.title}</bdi>
          ) : (
            <bdi dir="ltr" title={change.row_id}>
              {shortId(change.row_id)}
            </bdi>
          )}
        </span>
        <span className={`badge badge-action-${change.action}`}>{t(`history.actions.${change.action}`)}</span>
        <span className="muted small" data-testid="offline-rejected-when">
          {t("offline.rejectedAt", { date: formatDateTime(change.rejected_at, language) })}
        </span>
      </div>
      {fields.length > 0 && (
        <table className="history-fields" aria-label={t("offline.wouldSet")}>
          <tbody>
            {fields.map(([field, fieldChange]) => (
              <tr key={field} data-testid="offline-rejected-field" data-field={field}>
                <th scope="row">{fieldLabel(t, field)}</th>
                <td>
                  <ConflictValue table={change.table} field={field} value={fieldChange.new} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="offline-rejected-reason" data-testid="offline-rejected-reason" data-code={change.code}>
        {reason}
        {change.reason && change.reason !== reason && (
          <span className="muted small" dir="auto">
            {change.reason}
          </span>
        )}
      </p>
    </li>
  );
}

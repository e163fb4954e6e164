import { useTranslation } from "react-i18next";
import type { ChangeByActor } from "../../../api/generated";
import { downloadFile } from "../../../shared/download";
import { errorMessage } from "../../../shared/errors";
import { formatDateTime } from "../../../shared/format";
import { shortId } from "../../../shared/labels";
import { useLanguage } from "../../../shared/useLanguage";
import { personChangesCsv, personChangesFileName } from "../audit";
import { usePersonChanges } from "../hooks/usePersonChanges";
import { None, TableLabel } from "./AuditEntries";

/**
 * Every record one person changed, newest first, below their audited actions: with those, the
 * audit of everything they touched (a departing user's, say), exportable for whoever asks.
 */
export function PersonChanges({ actorId }: { actorId: string }) {
  const { t } = useTranslation();
  const changes = usePersonChanges(actorId);
  const entries = changes.entries;

  return (
    <section className="person-changes" data-testid="person-changes" aria-labelledby="person-changes-title">
      <div className="section-toolbar">
        <h2 id="person-changes-title" className="section-title">
          {t("admin.audit.changes.title")}
        </h2>
        <span className="toolbar-spacer" />
        <button
          type="button"
          className="button"
          data-testid="person-changes-export"
          disabled={!entries || entries.length === 0}
          onClick={() => entries && downloadFile(personChangesFileName(actorId, new Date()), personChangesCsv(entries), "text/csv;charset=utf-8")}
        >
          {t("admin.audit.changes.export")}
        </button>
      </div>
      <p className="muted person-changes-hint">{t("admin.audit.changes.hint")}</p>
      {changes.error && (
        <div className="banner banner-error" role="alert" data-testid="person-changes-error">
          <p>{errorMessage(t, changes.error)}</p>
          <button type="button" className="button" onClick={changes.retry}>
            {t("app.retry")}
          </button>
        </div>
      )}
      {entries ? (
        <ChangesTable changes={entries} />
      ) : (
        !changes.error && <p className="muted">{t("app.loading")}</p>
      )}
      {changes.hasOlder && (
        <button
          type="button"
          className="button audit-more"
          data-testid="person-changes-more"
          disabled={changes.loadingOlder}
          onClick={changes.loadOlder}
        >
          {changes.loadingOlder ? t("app.loading") : t("admin.audit.changes.more")}
        </button>
      )}
    </section>
  );
}

/** The changes, newest first as the core sends them. */
function ChangesTable({ changes }: { changes: readonly ChangeByActor[] }) {
  const { t } = useTranslation();
  if (changes.length === 0)
    return (
      <p className="empty" data-testid="person-changes-empty">
        {t("admin.audit.changes.empty")}
      </p>
    );
  return (
    <div className="matrix-scroll">
      <table className="data-table audit-table">
        <thead>
          <tr>
            <th scope="col">{t("admin.audit.columns.at")}</th>
            <th scope="col">{t("admin.audit.columns.target")}</th>
            <th scope="col">{t("admin.audit.changes.columns.kind")}</th>
            <th scope="col">{t("history.action")}</th>
            <th scope="col">{t("admin.audit.changes.columns.fields")}</th>
          </tr>
        </thead>
        <tbody>
          {changes.map((change) => (
            <ChangeRow key={change.seq} change={change} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ChangeRow({ change }: { change: ChangeByActor }) {
  const { t } = useTranslation();
  const language = useLanguage();
  return (
    <tr data-testid="person-change-row" data-seq={change.seq}>
      <td className="audit-at">
        <time dateTime={change.at} title={change.at}>
          {formatDateTime(change.at, language)}
        </time>
      </td>
      <td>
        <RecordTitle title={change.title} id={change.row_id} />
      </td>
      <td>
        <TableLabel table={change.table} />
      </td>
      <td>
        <span className={`badge badge-action-${change.action}`}>{t(`history.actions.${change.action}`)}</span>
      </td>
      <td>
        {change.fields.length > 0 ? (
          <bdi dir="ltr" className="mono">
            {change.fields.join(", ")}
          </bdi>
        ) : (
          <None />
        )}
      </td>
    </tr>
  );
}

/** The record by its title as search shows it (in its own direction), else by a short id. */
function RecordTitle({ title, id }: { title: string | null; id: string }) {
  if (title)
    return (
      <bdi dir="auto" title={id}>
        {title}
      </bdi>
    );
  return (
    <bdi dir="ltr" className="mono" title={id}>
      {shortId(id)}
    </bdi>
  );
}

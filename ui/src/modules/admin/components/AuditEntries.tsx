import { useTranslation } from "react-i18next";
import type { AuditEntry } from "../../../api/generated";
import { formatDateTime, formatSerial } from "../../../shared/format";
import { actorLabel } from "../../../shared/history/HistorySection";
import { shortId } from "../../../shared/labels";
import { useLanguage } from "../../../shared/useLanguage";
import { isAuditedOperation, isAuditTable } from "../audit";

/** The entries, newest first as the core sends them. */
export function AuditEntries({ entries, filtered }: { entries: readonly AuditEntry[]; filtered: boolean }) {
  const { t } = useTranslation();
  if (entries.length === 0) return <p className="empty">{filtered ? t("admin.audit.emptyFiltered") : t("admin.audit.empty")}</p>;
  return (
    <div className="matrix-scroll">
      <table className="data-table audit-table" data-testid="audit-entries">
        <thead>
          <tr>
            <th scope="col">{t("admin.audit.columns.seq")}</th>
            <th scope="col">{t("admin.audit.columns.at")}</th>
            <th scope="col">{t("admin.audit.columns.actor")}</th>
            <th scope="col">{t("admin.audit.columns.operation")}</th>
            <th scope="col">{t("admin.audit.columns.target")}</th>
            <th scope="col">{t("admin.audit.columns.detail")}</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => (
            <AuditEntryRow key={entry.seq} entry={entry} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function AuditEntryRow({ entry }: { entry: AuditEntry }) {
  const language = useLanguage();
  return (
    <tr data-testid="audit-entry" data-seq={entry.seq}>
      <td className="audit-seq">#{formatSerial(entry.seq, language)}</td>
      <td className="audit-at">
        {/* The exact moment, to the second and with its zone, for whoever needs more than minutes. */}
        <time dateTime={entry.at} title={entry.at}>
          {formatDateTime(entry.at, language)}
        </time>
      </td>
      <td>
        <Actor id={entry.actor_id} name={entry.actor_name} />
      </td>
      <td>
        <OperationLabel operation={entry.operation} />
      </td>
      <td>
        <Target table={entry.target_table} id={entry.target_id} />
      </td>
      <td>{entry.detail ? <span dir="auto" className="audit-detail">{entry.detail}</span> : <None />}</td>
    </tr>
  );
}

function Actor({ id, name }: { id: string; name?: string }) {
  const { t } = useTranslation();
  const { text, title } = actorLabel(t, id, name);
  // A bare id reads left to right; a name takes its own direction.
  const isBareId = !name && title !== undefined;
  return (
    <bdi data-testid="audit-actor" title={title} dir={isBareId ? "ltr" : undefined}>
      {text}
    </bdi>
  );
}

/** An operation this build knows, in words; any other by the core's name for it. */
export function OperationLabel({ operation }: { operation: string }) {
  const { t } = useTranslation();
  if (isAuditedOperation(operation)) return t(`admin.audit.operations.${operation}`);
  return <code dir="ltr">{operation}</code>;
}

/** A kind of record this build knows, in words ("Organisation"); any other by the core's table name. */
export function TableLabel({ table }: { table: string }) {
  const { t } = useTranslation();
  if (isAuditTable(table)) return t(`admin.audit.tables.${table}`);
  return <code dir="ltr">{table}</code>;
}

function Target({ table, id }: { table: string | null; id: string | null }) {
  if (table === null && id === null) return <None />;
  return (
    <span className="audit-target">
      {table !== null && <TableLabel table={table} />}
      {table !== null && id !== null && " "}
      {id !== null && (
        <bdi dir="ltr" className="mono" title={id}>
          {shortId(id)}
        </bdi>
      )}
    </span>
  );
}

export function None() {
  const { t } = useTranslation();
  return <span className="muted">{t("app.none")}</span>;
}

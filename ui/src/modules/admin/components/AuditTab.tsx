import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { AuditEntry } from "../../../api/generated";
import { downloadFile } from "../../../shared/download";
import { errorMessage } from "../../../shared/errors";
import { Field } from "../../../shared/ui/Field";
import { AUDITED_OPERATIONS, auditCsv, auditFileName } from "../audit";
import { useAuditLog, WHOLE_LOG, type AuditFilter } from "../hooks/useAuditLog";
import { AuditEntries } from "./AuditEntries";
import { AuditVerifyButton } from "./AuditVerification";
import { PersonChanges } from "./PersonChanges";
import { PersonFilter } from "./PersonFilter";

type Props = {
  /** The person the log opens filtered to (a user just offboarded, say); none: everyone. */
  initialActorId?: string;
};

/**
 * The audit log of critical actions: its verification, the entries by person or operation, an
 * export; with a person chosen, the records they changed below.
 */
export function AuditTab({ initialActorId = "" }: Props) {
  const { t } = useTranslation();
  const [filter, setFilter] = useState<AuditFilter>({ ...WHOLE_LOG, actorId: initialActorId });
  const log = useAuditLog(filter);
  const filtered = filter.actorId !== "" || filter.operation !== "";

  return (
    <div className="admin-tab" data-testid="admin-audit">
      <AuditVerifyButton />
      <div className="section-toolbar audit-toolbar">
        <PersonFilter value={filter.actorId} onChange={(actorId) => setFilter({ ...filter, actorId })} testId="audit-filter-person" />
        <OperationFilter value={filter.operation} onChange={(operation) => setFilter({ ...filter, operation })} />
        <span className="toolbar-spacer" />
        <ExportButton entries={log.entries ?? []} />
      </div>
      {log.error && (
        <div className="banner banner-error" role="alert" data-testid="audit-error">
          <p>{errorMessage(t, log.error)}</p>
          <button type="button" className="button" onClick={log.retry}>
            {t("app.retry")}
          </button>
        </div>
      )}
      {log.entries ? (
        <AuditEntries entries={log.entries} filtered={filtered} />
      ) : (
        !log.error && <p className="muted">{t("app.loading")}</p>
      )}
      {log.hasOlder && (
        <button type="button" className="button audit-more" data-testid="audit-more" disabled={log.loadingOlder} onClick={log.loadOlder}>
          {log.loadingOlder ? t("app.loading") : t("admin.audit.more")}
        </button>
      )}
      {filter.actorId !== "" && <PersonChanges actorId={filter.actorId} />}
    </div>
  );
}

function OperationFilter({ value, onChange }: { value: string; onChange: (operation: string) => void }) {
  const { t } = useTranslation();
  return (
    <Field label={t("admin.audit.filters.operation")} className="audit-filter">
      {(control) => (
        <select {...control} className="input select-compact" data-testid="audit-filter-operation" value={value} onChange={(e) => onChange(e.target.value)}>
          <option value="">{t("admin.audit.filters.all")}</option>
          {AUDITED_OPERATIONS.map((operation) => (
            <option key={operation} value={operation}>
              {t(`admin.audit.operations.${operation}`)}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

/** Saves the entries on screen (this filter, the pages loaded so far) for a spreadsheet. */
function ExportButton({ entries }: { entries: readonly AuditEntry[] }) {
  const { t } = useTranslation();
  return (
    <button
      type="button"
      className="button"
      data-testid="audit-export"
      disabled={entries.length === 0}
      onClick={() => downloadFile(auditFileName(new Date()), auditCsv(entries), "text/csv;charset=utf-8")}
    >
      {t("admin.audit.export")}
    </button>
  );
}

import { Trans, useTranslation } from "react-i18next";
import type { ArchivedReference } from "../../../api/generated";
import { errorMessage } from "../../../shared/errors";
import { formatDateTime } from "../../../shared/format";
import { fieldLabel } from "../../../shared/labels";
import { useArchivedReferences } from "../../../shared/sync/useArchivedReferences";
import type { RecordRef } from "../../../shared/sync/useConflicts";
import { useLanguage } from "../../../shared/useLanguage";
import { recordKindLabel } from "../labels";
import { RecordTitle } from "./ConflictItem";

/**
 * Records kept although what they name was archived meanwhile (on another computer while they
 * were made offline): listed under the conflicts so nothing stays unnoticed; nothing while none.
 */
export function ArchivedReferences({ record }: { record: RecordRef | null }) {
  const { t } = useTranslation();
  const { data, error } = useArchivedReferences(record);
  if (error) {
    return (
      <p className="status-error" role="alert" data-testid="archived-references-error">
        {errorMessage(t, error)}
      </p>
    );
  }
  if (!data || data.length === 0) return null;
  return (
    <section className="archived-references" data-testid="archived-references" aria-labelledby="archived-references-title">
      <h2 id="archived-references-title" className="section-title">
        {t("conflicts.archivedReferences.title")}
      </h2>
      <p className="muted">{t("conflicts.archivedReferences.intro")}</p>
      <ul className="conflict-list">
        {data.map((reference) => (
          <ReferenceItem key={`${reference.table}|${reference.row_id}|${reference.field}`} reference={reference} />
        ))}
      </ul>
    </section>
  );
}

function ReferenceItem({ reference }: { reference: ArchivedReference }) {
  const { t } = useTranslation();
  const language = useLanguage();
  return (
    <li className="conflict archived-reference" data-testid="archived-reference">
      <p>
        <span className="muted">{recordKindLabel(t, reference.table, reference.label)}: </span>
        <RecordTitle table={reference.table} rowId={reference.row_id} title={reference.title} testId="archived-reference-link" />
      </p>
      <p>
        <Trans
          t={t}
          i18nKey="conflicts.archivedReferences.names"
          values={{
            field: fieldLabel(t, reference.field),
            title: reference.target_title ?? t("conflicts.untitled"),
            when: formatDateTime(reference.archived_at, language),
          }}
          components={{ record: <bdi /> }}
        />
      </p>
    </li>
  );
}

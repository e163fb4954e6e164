import { Trans, useTranslation } from "react-i18next";
import type { ArchivedReference } from "../../../api/generated";
import { useClient } from "../../../api/ApiProvider";
import { useNavigation } from "../../../app/navigation";
import { errorMessage } from "../../../shared/errors";
import { formatDateTime } from "../../../shared/format";
import { fieldLabel } from "../../../shared/labels";
import { useArchivedReferences } from "../../../shared/sync/useArchivedReferences";
import type { RecordRef } from "../../../shared/sync/useConflicts";
import { useLanguage } from "../../../shared/useLanguage";
import { recordKindLabel } from "../labels";
import { resolvableKind } from "../records";

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
  const client = useClient();
  const nav = useNavigation();
  const kind = resolvableKind(reference.table);
  const recordName = recordKindLabel(t, reference.table, reference.label);
  const title = <bdi>{reference.title ?? t("conflicts.untitled")}</bdi>;

  async function open() {
    try {
      const organisationId = kind ? await kind.cardOf(client, reference.row_id) : null;
      if (organisationId) nav.openOrganisation(organisationId);
    } catch {
      // A record out of reach now has no card to open.
    }
  }

  return (
    <li className="conflict archived-reference" data-testid="archived-reference">
      <p>
        <span className="muted">{recordName}: </span>
        {kind ? (
          <button type="button" className="link-button conflict-title" data-testid="archived-reference-link" onClick={() => void open()}>
            {title}
          </button>
        ) : (
          // A kind with no card in this window (a relation) is named, not linked.
          <span className="conflict-title">{title}</span>
        )}
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

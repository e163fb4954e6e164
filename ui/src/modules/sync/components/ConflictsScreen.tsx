import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigation } from "../../../app/navigation";
import { errorMessage } from "../../../shared/errors";
import { fieldLabel } from "../../../shared/labels";
import { useConflicts, type RecordRef } from "../../../shared/sync/useConflicts";
import { byField, fieldKey, type FieldConflict } from "../values";
import { ArchivedReferences } from "./ArchivedReferences";
import { ConflictItem } from "./ConflictItem";

type Props = {
  /** Only this record's conflicts (opened from its card); null: every record's. */
  record: RecordRef | null;
};

type Outcome = { tone: "success" | "warning"; text: string };

/** Conflicts between offline changes, each put before a person to decide (ADR 0014). */
export function ConflictsScreen(props: Props) {
  // A fresh screen (messages) for every record it is opened for.
  return <ConflictsPage key={props.record ? `${props.record.table}|${props.record.id}` : "all"} {...props} />;
}

function ConflictsPage({ record }: Props) {
  const { t } = useTranslation();
  const nav = useNavigation();
  const conflicts = useConflicts(record);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const fields = conflicts.data ? byField(conflicts.data) : [];

  function resolved(conflict: FieldConflict) {
    const name = conflict.title ?? t("conflicts.untitled");
    setOutcome({ tone: "success", text: t("conflicts.resolved", { field: fieldLabel(t, conflict.field), record: name }) });
  }

  return (
    <div className="page conflicts" data-testid="conflicts-screen">
      <div className="panel conflicts-panel">
        <header className="panel-header">
          <h1 className="screen-title">{t("conflicts.title")}</h1>
          {record && (
            <button type="button" className="link-button" data-testid="conflicts-show-all" onClick={() => nav.openConflicts()}>
              {t("conflicts.showAll")}
            </button>
          )}
        </header>
        <p className="muted conflicts-intro">{record ? t("conflicts.introRecord") : t("conflicts.intro")}</p>
        {outcome && (
          <div
            className={`banner banner-${outcome.tone}`}
            role="status"
            data-testid={outcome.tone === "success" ? "conflicts-resolved" : "conflicts-resolved-elsewhere"}
          >
            {outcome.text}
          </div>
        )}
        {conflicts.error ? (
          <div className="banner banner-error" role="alert">
            <p>{errorMessage(t, conflicts.error)}</p>
            <button type="button" className="button" onClick={() => void conflicts.refetch()}>
              {t("app.retry")}
            </button>
          </div>
        ) : !conflicts.data ? (
          <p className="muted">{t("app.loading")}</p>
        ) : fields.length === 0 ? (
          <p className="empty" data-testid="conflicts-empty">
            {record ? t("conflicts.emptyRecord") : t("conflicts.empty")}
          </p>
        ) : (
          <ul className="conflict-list" aria-label={t("conflicts.title")}>
            {fields.map((conflict) => (
              <ConflictItem
                key={fieldKey(conflict)}
                conflict={conflict}
                onResolved={resolved}
                onOutdated={() => setOutcome({ tone: "warning", text: t("conflicts.resolvedElsewhere") })}
              />
            ))}
          </ul>
        )}
        <ArchivedReferences record={record} />
      </div>
    </div>
  );
}

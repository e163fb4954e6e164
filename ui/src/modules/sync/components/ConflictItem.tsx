import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useClient } from "../../../api/ApiProvider";
import type { ApiError, Choice, HistoryTable } from "../../../api/generated";
import { useNavigation } from "../../../app/navigation";
import { errorMessage, fieldErrorFor } from "../../../shared/errors";
import { useFieldLabel } from "../../../shared/customFields/useCustomFields";
import { useResolveConflict } from "../hooks/useConflictReview";
import { recordKindLabel } from "../labels";
import { resolvableKind } from "../records";
import { choiceFor, type FieldConflict, type Side } from "../values";
import { ConflictSideCard } from "./ConflictSideCard";
import { OwnValueForm } from "./OwnValueForm";

type Props = {
  conflict: FieldConflict;
  onResolved: (conflict: FieldConflict) => void;
  /** Resolved already (elsewhere) or the record changed meanwhile: the list is being read again. */
  onOutdated: () => void;
};

/** One field of one record in conflict: its values side by side and the three ways to decide. */
export function ConflictItem({ conflict, onResolved, onOutdated }: Props) {
  const { t } = useTranslation();
  const { resolve } = useResolveConflict();
  const [editing, setEditing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const resolvable = resolvableKind(conflict.table) !== undefined;
  const fieldLabel = useFieldLabel(conflict.table as HistoryTable);

  async function choose(choice: Choice) {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await resolve(conflict, choice);
      onResolved(conflict);
    } catch (e) {
      const apiError = e as ApiError;
      if (apiError.code === "conflict") onOutdated();
      else setError(apiError);
    } finally {
      setBusy(false);
    }
  }

  const keep = (side: Side) => (resolvable ? () => void choose(choiceFor(conflict, side)) : undefined);
  // A value that does not fit is shown under the input that holds it.
  const shownByForm = editing && fieldErrorFor(error, "value") !== undefined;

  return (
    <li
      className="conflict"
      data-testid="conflict-row"
      data-table={conflict.table}
      data-row-id={conflict.row_id}
      data-field={conflict.field}
      aria-busy={busy || undefined}
    >
      <div className="conflict-head">
        <span className="badge">{recordKindLabel(t, conflict.table, conflict.label)}</span>
        <RecordTitle table={conflict.table} rowId={conflict.row_id} title={conflict.title} testId="conflict-record-link" />
        <span className="conflict-field" data-testid="conflict-field">
          {fieldLabel(conflict.field)}
        </span>
      </div>
      <div className="conflict-sides">
        <ConflictSideCard conflict={conflict} side="kept" busy={busy} onKeep={keep("kept")} />
        {conflict.others.map((other, i) => (
          <ConflictSideCard key={`${other.device_id}-${other.at}`} conflict={conflict} side={i} busy={busy} onKeep={keep(i)} />
        ))}
      </div>
      <div className="conflict-own">
        {!resolvable ? (
          <p className="muted">{t("conflicts.notHere")}</p>
        ) : editing ? (
          <OwnValueForm
            conflict={conflict}
            busy={busy}
            error={error}
            onSubmit={(value) => void choose({ value })}
            onCancel={() => {
              setEditing(false);
              setError(null);
            }}
          />
        ) : (
          <button type="button" className="button" data-testid="conflict-enter-value" disabled={busy} onClick={() => setEditing(true)}>
            {t("conflicts.enterValue")}
          </button>
        )}
      </div>
      {error && !shownByForm && (
        <p className="status-error" role="alert" data-testid="conflict-error">
          {errorMessage(t, error)}
        </p>
      )}
    </li>
  );
}

/** The record's title, opening the card that shows it where there is one (a kind without a card here is named, not linked). */
export function RecordTitle({ table, rowId, title, testId }: { table: string; rowId: string; title: string | null; testId: string }) {
  const { t } = useTranslation();
  const client = useClient();
  const nav = useNavigation();
  const kind = resolvableKind(table);
  const name = <bdi>{title ?? t("conflicts.untitled")}</bdi>;
  if (!kind) return <span className="conflict-title">{name}</span>;

  async function open() {
    if (!kind) return;
    try {
      const organisationId = await kind.cardOf(client, rowId);
      if (organisationId) nav.openOrganisation(organisationId);
    } catch {
      // A record out of reach now (or a contact in no organisation) has no card to open.
    }
  }

  return (
    <button type="button" className="link-button conflict-title" data-testid={testId} onClick={() => void open()}>
      {name}
    </button>
  );
}

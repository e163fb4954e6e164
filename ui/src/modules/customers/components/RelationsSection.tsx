import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { ApiError, CreateRelationInput, RelationKind, RelationView } from "../../../api/generated";
import { useMutation } from "../../../api/useOperation";
import { errorMessage, fieldErrorFor, fieldErrorMessage } from "../../../shared/errors";
import { ConfirmDialog } from "../../../shared/ui/ConfirmDialog";
import { Field } from "../../../shared/ui/Field";
import { RowAction } from "../../../shared/ui/RowAction";
import { UnshownFieldErrors } from "../../../shared/ui/UnshownFieldErrors";
import { RELATION_KINDS } from "../types";
import { OrganisationPicker, type PickedOrganisation } from "./OrganisationPicker";

type Props = {
  organisationId: string;
  relations: RelationView[];
  /** The organisation is archived: its relations are shown, not changed. */
  readOnly: boolean;
  onOpen: (id: string) => void;
  onChanged: () => void;
};

export function RelationsSection({ organisationId, relations, readOnly, onOpen, onChanged }: Props) {
  const { t } = useTranslation();
  const [adding, setAdding] = useState(false);
  const [ending, setEnding] = useState<RelationView | null>(null);

  return (
    <div className="section">
      <div className="section-toolbar">
        <span className="toolbar-spacer" />
        {!adding && !readOnly && (
          <button type="button" className="button" data-testid="add-relation" onClick={() => setAdding(true)}>
            {t("relations.add")}
          </button>
        )}
      </div>
      {adding && (
        <RelationForm
          organisationId={organisationId}
          onCancel={() => setAdding(false)}
          onSaved={() => {
            setAdding(false);
            onChanged();
          }}
        />
      )}
      {relations.length === 0 ? (
        <p className="empty">{t("card.noRelations")}</p>
      ) : (
        <RelationTable relations={relations} readOnly={readOnly} onOpen={onOpen} onEnd={setEnding} />
      )}
      {ending && (
        <EndRelationDialog
          relation={ending}
          onCancel={() => setEnding(null)}
          onDone={() => {
            setEnding(null);
            onChanged();
          }}
        />
      )}
    </div>
  );
}

function RelationTable({
  relations,
  readOnly,
  onOpen,
  onEnd,
}: {
  relations: RelationView[];
  readOnly: boolean;
  onOpen: (id: string) => void;
  onEnd: (relation: RelationView) => void;
}) {
  const { t } = useTranslation();
  return (
    <table className="data-table">
      <thead>
        <tr>
          <th>{t("relations.columns.kind")}</th>
          <th>{t("relations.columns.organisation")}</th>
          <th>{t("relations.columns.direction")}</th>
          <th>{t("relations.columns.note")}</th>
          {!readOnly && <th>{t("relations.columns.actions")}</th>}
        </tr>
      </thead>
      <tbody>
        {relations.map((r) => (
          <tr key={r.id} data-testid="relation-row" data-id={r.id} data-other-id={r.other_id}>
            <td>{t(`relations.${r.direction}.${r.kind}`)}</td>
            <td>
              <button type="button" className="link-button" data-testid="relation-open" onClick={() => onOpen(r.other_id)}>
                {r.other_name}
              </button>
            </td>
            <td className="muted">{t(`relations.direction.${r.direction}`)}</td>
            <td>{r.note ?? ""}</td>
            {!readOnly && (
              <td className="row-actions">
                <RowAction testId="relation-end" label={t("relations.endOne", { name: r.other_name })} onClick={() => onEnd(r)}>
                  {t("relations.end")}
                </RowAction>
              </td>
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const RELATION_FIELDS = ["related_organisation_id", "kind", "note"] as const;

/** Nothing chosen yet: said beside the picker the way the core says it. */
const NO_ORGANISATION: ApiError = {
  code: "invalid_input",
  message: "Choose the related organisation.",
  fields: { related_organisation_id: { code: "required", message: "Choose the related organisation." } },
};

/** A relation from this organisation to one picked by search: "this one is <kind> <other>". */
function RelationForm({ organisationId, onSaved, onCancel }: { organisationId: string; onSaved: () => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const [other, setOther] = useState<PickedOrganisation | null>(null);
  const [kind, setKind] = useState<RelationKind>(RELATION_KINDS[0]);
  const [note, setNote] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  const create = useMutation("customers.create_relation");

  async function save(e: FormEvent) {
    e.preventDefault();
    if (create.pending) return;
    if (!other) {
      setError(NO_ORGANISATION);
      return;
    }
    const input: CreateRelationInput = { organisation_id: organisationId, kind, related_organisation_id: other.id };
    if (note.trim() !== "") input.note = note;
    try {
      await create.run(input);
      onSaved();
    } catch (err) {
      setError(err as ApiError);
    }
  }

  function errorOf(field: (typeof RELATION_FIELDS)[number]) {
    const fe = fieldErrorFor(error, field);
    return fe ? fieldErrorMessage(t, fe) : undefined;
  }

  return (
    <form
      className="subform"
      noValidate
      data-testid="relation-form"
      onSubmit={save}
      onKeyDown={(e) => {
        if (e.key === "Escape") {
          e.stopPropagation();
          onCancel();
        }
      }}
    >
      <h3 className="subform-title">{t("relations.newTitle")}</h3>
      {error && (
        <div className="banner banner-error" data-testid="relation-form-error" role="alert">
          <p>{errorMessage(t, error)}</p>
          <UnshownFieldErrors error={error} shown={RELATION_FIELDS} />
        </div>
      )}
      <div className="form-grid">
        <Field
          label={t("relations.kindLabel")}
          error={errorOf("kind")}
          errorTestId="relation-field-error-kind"
          required
          requiredLabel={t("form.required")}
        >
          {(control) => (
            <select
              {...control}
              className="input"
              data-testid="relation-field-kind"
              value={kind}
              onChange={(e) => setKind(e.target.value as RelationKind)}
            >
              {RELATION_KINDS.map((k) => (
                <option key={k} value={k}>
                  {t(`relations.outgoing.${k}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field
          label={t("relations.columns.organisation")}
          error={errorOf("related_organisation_id")}
          errorTestId="relation-field-error-related_organisation_id"
          required
          requiredLabel={t("form.required")}
        >
          {(control) => (
            <OrganisationPicker
              control={control}
              value={other}
              onChange={(picked) => {
                setOther(picked);
                if (picked) setError(null);
              }}
              excludeId={organisationId}
              testId="relation-field-organisation"
            />
          )}
        </Field>
        <Field label={t("relations.columns.note")} error={errorOf("note")} errorTestId="relation-field-error-note" className="field-wide">
          {(control) => (
            <input
              {...control}
              className="input"
              data-testid="relation-field-note"
              value={note}
              onChange={(e) => setNote(e.target.value)}
            />
          )}
        </Field>
      </div>
      <div className="subform-actions">
        <button type="button" className="button" data-testid="relation-cancel" onClick={onCancel}>
          {t("relations.cancel")}
        </button>
        <button type="submit" className="button button-primary" data-testid="relation-save" disabled={create.pending}>
          {create.pending ? t("relations.saving") : t("relations.save")}
        </button>
      </div>
    </form>
  );
}

function EndRelationDialog({ relation, onDone, onCancel }: { relation: RelationView; onDone: () => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const [error, setError] = useState<ApiError | null>(null);
  const archive = useMutation("customers.archive_relation");

  async function confirm() {
    try {
      await archive.run({ id: relation.id, version: relation.version });
      onDone();
    } catch (e) {
      setError(e as ApiError);
    }
  }

  return (
    <ConfirmDialog
      title={t("relations.endTitle")}
      body={t("relations.endBody", { kind: t(`relations.${relation.direction}.${relation.kind}`), name: relation.other_name })}
      confirmLabel={t("relations.end")}
      danger
      busy={archive.pending}
      error={error ? errorMessage(t, error) : null}
      onConfirm={() => void confirm()}
      onCancel={onCancel}
    />
  );
}

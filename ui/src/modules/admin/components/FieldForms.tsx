import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type {
  ApiError,
  CustomField,
  CustomFieldChoiceInput,
  CustomFieldKind,
  CustomFieldTarget,
  DefineFieldInput,
  HistoryTable,
  UpdateFieldInput,
} from "../../../api/generated";
import { useMutation } from "../../../api/useOperation";
import { CUSTOM_FIELD_KINDS, fieldKindLabel, hasChoices, recordKindLabel } from "../../../shared/customFields/labels";
import { errorMessage, fieldErrorFor, fieldErrorMessage } from "../../../shared/errors";
import { Field } from "../../../shared/ui/Field";
import { UnshownFieldErrors } from "../../../shared/ui/UnshownFieldErrors";

/** The choices typed one per line: blank lines dropped, each trimmed. */
export function choiceLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "");
}

/** The message of the first problem the core reported under `prefix` (`choices`, `choices.2.label`…). */
function errorUnder(t: Parameters<typeof fieldErrorMessage>[0], error: ApiError | null, prefix: string): string | undefined {
  if (!error) return undefined;
  const found = Object.entries(error.fields).find(([name]) => name === prefix || name.startsWith(`${prefix}.`));
  return found ? fieldErrorMessage(t, found[1]) : undefined;
}

/** The fields the core names that a form shows beside its controls (every `choices…` one under the choices). */
function shownFields(error: ApiError | null, fields: readonly string[]): string[] {
  const choices = Object.keys(error?.fields ?? {}).filter((name) => name === "choices" || name.startsWith("choices."));
  return [...fields, ...choices];
}

type AddProps = {
  table: HistoryTable;
  linkTargets: readonly CustomFieldTarget[];
  onAdded: (field: CustomField) => void;
};

/** A new field of `table`: its label, kind, and its choices or the kind of record it links to. */
export function AddFieldForm({ table, linkTargets, onAdded }: AddProps) {
  const { t } = useTranslation();
  const define = useMutation("fields.define");
  const [label, setLabel] = useState("");
  const [kind, setKind] = useState<CustomFieldKind>("text");
  const [choices, setChoices] = useState("");
  const [linkTable, setLinkTable] = useState<HistoryTable | "">("");
  const [error, setError] = useState<ApiError | null>(null);
  const chosenLink = linkTable !== "" ? linkTable : linkTargets[0]?.table;

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (define.pending) return;
    const input: DefineFieldInput = { record_table: table, label, kind };
    if (hasChoices(kind)) input.choices = choiceLines(choices).map((line) => ({ label: line }));
    if (kind === "link" && chosenLink) input.link_table = chosenLink;
    try {
      const added = await define.run(input);
      setError(null);
      setLabel("");
      setChoices("");
      onAdded(added);
    } catch (err) {
      setError(err as ApiError);
    }
  }

  const message = (field: string) => {
    const fe = fieldErrorFor(error, field);
    return fe ? fieldErrorMessage(t, fe) : undefined;
  };

  return (
    <form className="subform" noValidate autoComplete="off" data-testid="field-add-form" onSubmit={(e) => void submit(e)}>
      <h3 className="subform-title">{t("admin.fields.addTitle")}</h3>
      {error && (
        <div className="banner banner-error" role="alert" data-testid="field-add-error">
          <p>{errorMessage(t, error)}</p>
          <UnshownFieldErrors error={error} shown={shownFields(error, ["label", "kind", "link_table"])} />
        </div>
      )}
      <div className="form-grid">
        <Field label={t("admin.fields.label")} error={message("label")} errorTestId="field-add-label-error" required requiredLabel={t("form.required")}>
          {(control) => (
            <input {...control} className="input" dir="auto" data-testid="field-add-label" value={label} onChange={(e) => setLabel(e.target.value)} />
          )}
        </Field>
        <Field label={t("admin.fields.kind")} error={message("kind")} errorTestId="field-add-kind-error">
          {(control) => (
            <select {...control} className="input" data-testid="field-add-kind" value={kind} onChange={(e) => setKind(e.target.value as CustomFieldKind)}>
              {CUSTOM_FIELD_KINDS.map((k) => (
                <option key={k} value={k}>
                  {fieldKindLabel(t, k)}
                </option>
              ))}
            </select>
          )}
        </Field>
        {hasChoices(kind) && (
          <Field
            label={t("admin.fields.choices")}
            hint={t("admin.fields.choicesHint")}
            error={errorUnder(t, error, "choices")}
            errorTestId="field-add-choices-error"
            className="field-wide"
          >
            {(control) => (
              <textarea {...control} className="input" dir="auto" rows={4} data-testid="field-add-choices" value={choices} onChange={(e) => setChoices(e.target.value)} />
            )}
          </Field>
        )}
        {kind === "link" && (
          <Field label={t("admin.fields.linkTable")} error={message("link_table")} errorTestId="field-add-link-table-error">
            {(control) => (
              <select
                {...control}
                className="input"
                data-testid="field-add-link-table"
                value={chosenLink ?? ""}
                onChange={(e) => setLinkTable(e.target.value as HistoryTable)}
              >
                {linkTargets.map((x) => (
                  <option key={x.table} value={x.table}>
                    {recordKindLabel(t, x)}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
      </div>
      <div className="subform-actions">
        <button type="submit" className="button button-primary" data-testid="field-add-submit" disabled={define.pending}>
          {define.pending ? t("admin.fields.adding") : t("admin.fields.add")}
        </button>
      </div>
    </form>
  );
}

type ChoiceRow = { key: string; label: string; retired: boolean };

type EditProps = {
  field: CustomField;
  onSaved: (field: CustomField) => void;
  onCancel: () => void;
};

/**
 * Rename a field and, for a choice field, rename its choices, put them in another order, retire
 * or bring back one, and add new ones (after the others). A choice is never removed: records
 * that hold it keep it.
 */
export function EditFieldForm({ field, onSaved, onCancel }: EditProps) {
  const { t } = useTranslation();
  const update = useMutation("fields.update");
  const [label, setLabel] = useState(field.label);
  const [rows, setRows] = useState<ChoiceRow[]>(() => field.choices.map(({ key, label, retired }) => ({ key, label, retired })));
  const [newChoices, setNewChoices] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  const [unchanged, setUnchanged] = useState(false);
  const choiceField = hasChoices(field.kind);

  function changes(): UpdateFieldInput | null {
    const input: UpdateFieldInput = { id: field.id, version: field.version };
    if (label !== field.label) input.label = label;
    if (choiceField) {
      const added = choiceLines(newChoices);
      const edited = rows.some(
        (row, i) => row.key !== field.choices[i].key || row.label !== field.choices[i].label || row.retired !== field.choices[i].retired,
      );
      if (edited || added.length > 0) {
        const list: CustomFieldChoiceInput[] = rows.map(({ key, label, retired }) => ({ key, label, retired }));
        input.choices = [...list, ...added.map((line) => ({ label: line }))];
      }
    }
    return input.label === undefined && input.choices === undefined ? null : input;
  }

  async function save(e: FormEvent) {
    e.preventDefault();
    if (update.pending) return;
    const input = changes();
    setUnchanged(input === null);
    if (input === null) return;
    try {
      onSaved(await update.run(input));
    } catch (err) {
      setError(err as ApiError);
    }
  }

  const labelError = fieldErrorFor(error, "label");
  const setRow = (index: number, change: Partial<ChoiceRow>) => setRows((prev) => prev.map((row, i) => (i === index ? { ...row, ...change } : row)));
  /** Swaps a choice with its neighbour: selects offer the choices in this order. */
  const moveRow = (index: number, step: -1 | 1) =>
    setRows((prev) => {
      const next = [...prev];
      const other = index + step;
      if (other < 0 || other >= next.length) return prev;
      [next[index], next[other]] = [next[other], next[index]];
      return next;
    });

  return (
    <form
      className="subform"
      noValidate
      autoComplete="off"
      data-testid="field-edit-form"
      onSubmit={(e) => void save(e)}
      onKeyDown={(e) => {
        if (e.key === "Escape") {
          e.stopPropagation();
          onCancel();
        }
      }}
    >
      <h3 className="subform-title">{t("admin.fields.editTitle", { name: field.label })}</h3>
      {error && (
        <div className="banner banner-error" role="alert" data-testid="field-edit-error">
          <p>{errorMessage(t, error)}</p>
          <UnshownFieldErrors error={error} shown={shownFields(error, ["label"])} />
        </div>
      )}
      {unchanged && (
        <div className="banner" role="status">
          {t("form.noChanges")}
        </div>
      )}
      <div className="form-grid">
        <Field
          label={t("admin.fields.label")}
          error={labelError ? fieldErrorMessage(t, labelError) : undefined}
          errorTestId="field-edit-label-error"
          required
          requiredLabel={t("form.required")}
        >
          {(control) => (
            <input {...control} className="input" dir="auto" autoFocus data-testid="field-edit-label" value={label} onChange={(e) => setLabel(e.target.value)} />
          )}
        </Field>
        {choiceField && (
          <fieldset className="field field-wide choice-editor">
            <legend className="field-label">{t("admin.fields.choices")}</legend>
            {rows.map((row, index) => (
              <div key={row.key} className="choice-editor-row" data-testid={`field-edit-choice-row-${row.key}`}>
                <input
                  className="input"
                  dir="auto"
                  aria-label={t("admin.fields.choiceLabel", { key: row.key })}
                  data-testid={`field-edit-choice-${row.key}`}
                  value={row.label}
                  onChange={(e) => setRow(index, { label: e.target.value })}
                />
                <button
                  type="button"
                  className="link-button"
                  data-testid={`field-edit-choice-up-${row.key}`}
                  aria-label={t("admin.fields.upOne", { name: row.label })}
                  title={t("admin.fields.up")}
                  disabled={index === 0}
                  onClick={() => moveRow(index, -1)}
                >
                  ↑
                </button>
                <button
                  type="button"
                  className="link-button"
                  data-testid={`field-edit-choice-down-${row.key}`}
                  aria-label={t("admin.fields.downOne", { name: row.label })}
                  title={t("admin.fields.down")}
                  disabled={index === rows.length - 1}
                  onClick={() => moveRow(index, 1)}
                >
                  ↓
                </button>
                <label className="checkbox">
                  <input
                    type="checkbox"
                    data-testid={`field-edit-choice-retired-${row.key}`}
                    checked={row.retired}
                    onChange={(e) => setRow(index, { retired: e.target.checked })}
                  />
                  {t("admin.fields.choiceRetired")}
                </label>
              </div>
            ))}
            {errorUnder(t, error, "choices") && (
              <span className="field-error" role="alert" data-testid="field-edit-choices-error">
                {errorUnder(t, error, "choices")}
              </span>
            )}
          </fieldset>
        )}
        {choiceField && (
          <Field label={t("admin.fields.newChoices")} hint={t("admin.fields.choicesHint")} className="field-wide">
            {(control) => (
              <textarea
                {...control}
                className="input"
                dir="auto"
                rows={3}
                data-testid="field-edit-new-choices"
                value={newChoices}
                onChange={(e) => setNewChoices(e.target.value)}
              />
            )}
          </Field>
        )}
      </div>
      <div className="subform-actions">
        <button type="button" className="button" data-testid="field-edit-cancel" onClick={onCancel}>
          {t("admin.fields.cancel")}
        </button>
        <button type="submit" className="button button-primary" data-testid="field-edit-save" disabled={update.pending}>
          {update.pending ? t("admin.fields.saving") : t("admin.fields.save")}
        </button>
      </div>
    </form>
  );
}

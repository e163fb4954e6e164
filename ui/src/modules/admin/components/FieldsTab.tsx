import { Fragment, useState } from "react";
import { useTranslation } from "react-i18next";
import type { ApiError, CustomField, CustomFieldTarget, HistoryTable } from "../../../api/generated";
import { useMutation } from "../../../api/useOperation";
import { fieldKindLabel, hasChoices, recordKindLabel } from "../../../shared/customFields/labels";
import { useCustomFields, useRefreshCustomFields } from "../../../shared/customFields/useCustomFields";
import { isRetired } from "../../../shared/customFields/values";
import { errorMessage } from "../../../shared/errors";
import { ConfirmDialog } from "../../../shared/ui/ConfirmDialog";
import { Field } from "../../../shared/ui/Field";
import { AddFieldForm, EditFieldForm } from "./FieldForms";

/**
 * Custom fields (CUST-3): pick a kind of record, see its fields in their order (retired ones
 * muted), add one, rename it or change its choices, move it, retire or restore it.
 */
export function FieldsTab() {
  const { t } = useTranslation();
  const all = useCustomFields(undefined, { includeRetired: true });
  const refresh = useRefreshCustomFields();
  const [chosenTable, setChosenTable] = useState<HistoryTable | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const [retiring, setRetiring] = useState<CustomField | null>(null);
  const [retireError, setRetireError] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [problem, setProblem] = useState<ApiError | null>(null);
  const reorder = useMutation("fields.reorder");
  const retire = useMutation("fields.retire");
  const restore = useMutation("fields.restore");

  const target = all.targets.find((x) => x.table === chosenTable) ?? all.targets[0];
  const fields = target ? all.fields.filter((f) => f.record_table === target.table) : [];
  const busy = reorder.pending || restore.pending;

  function report(message: string | null, error: ApiError | null = null) {
    setNotice(message);
    setProblem(error);
  }

  /** Moves a field one place up or down among all of the kind's fields, retired ones included. */
  async function move(index: number, step: -1 | 1) {
    if (!target || busy) return;
    const ids = fields.map((f) => f.id);
    const other = index + step;
    if (other < 0 || other >= ids.length) return;
    [ids[index], ids[other]] = [ids[other], ids[index]];
    report(null);
    try {
      await reorder.run({ record_table: target.table, ids });
    } catch (e) {
      report(null, e as ApiError);
    }
    await refresh();
  }

  async function confirmRetire() {
    if (!retiring) return;
    try {
      const retired = await retire.run({ id: retiring.id, version: retiring.version });
      setRetiring(null);
      setRetireError(null);
      if (editing === retired.id) setEditing(null);
      report(t("admin.fields.retiredNotice", { name: retired.label }));
      await refresh();
    } catch (e) {
      setRetireError(e as ApiError);
    }
  }

  async function restoreField(field: CustomField) {
    if (busy) return;
    report(null);
    try {
      const restored = await restore.run({ id: field.id, version: field.version });
      report(t("admin.fields.restoredNotice", { name: restored.label }));
    } catch (e) {
      report(null, e as ApiError);
    }
    await refresh();
  }

  return (
    <div className="admin-tab" data-testid="fields-tab">
      {all.error && (
        <div className="banner banner-error" role="alert">
          {errorMessage(t, all.error)}
        </div>
      )}
      {!all.settled && <p className="muted">{t("app.loading")}</p>}
      {target && (
        <div className="section-toolbar">
          <Field label={t("admin.fields.recordKind")} className="fields-kind">
            {(control) => (
              <select
                {...control}
                className="input select-compact"
                data-testid="fields-kind-select"
                value={target.table}
                onChange={(e) => {
                  setChosenTable(e.target.value as HistoryTable);
                  setEditing(null);
                  report(null);
                }}
              >
                {all.targets.map((x) => (
                  <option key={x.table} value={x.table}>
                    {recordKindLabel(t, x)}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
      )}
      {notice && (
        <div className="banner banner-success" role="status" data-testid="fields-notice">
          {notice}
        </div>
      )}
      {problem && (
        <div className="banner banner-error" role="alert" data-testid="fields-error">
          {errorMessage(t, problem)}
        </div>
      )}

      {target &&
        (fields.length === 0 ? (
          <p className="empty" data-testid="fields-empty">
            {t("admin.fields.empty")}
          </p>
        ) : (
          <table className="data-table fields-table" data-testid="fields-list">
            <thead>
              <tr>
                <th>{t("admin.fields.columns.label")}</th>
                <th>{t("admin.fields.columns.kind")}</th>
                <th>{t("admin.fields.columns.details")}</th>
                <th>{t("admin.fields.columns.actions")}</th>
              </tr>
            </thead>
            <tbody>
              {fields.map((field, index) => (
                <Fragment key={field.id}>
                  <FieldRow
                    field={field}
                    linkTargets={all.linkTargets}
                    first={index === 0}
                    last={index === fields.length - 1}
                    busy={busy}
                    onMove={(step) => void move(index, step)}
                    onEdit={() => {
                      report(null);
                      setEditing(editing === field.id ? null : field.id);
                    }}
                    onRetire={() => {
                      setRetireError(null);
                      setRetiring(field);
                    }}
                    onRestore={() => void restoreField(field)}
                  />
                  {editing === field.id && (
                    <tr className="field-edit-row">
                      <td colSpan={4}>
                        <EditFieldForm
                          key={field.version}
                          field={field}
                          onCancel={() => setEditing(null)}
                          onSaved={(saved) => {
                            setEditing(null);
                            report(t("admin.fields.savedNotice", { name: saved.label }));
                            void refresh();
                          }}
                        />
                      </td>
                    </tr>
                  )}
                </Fragment>
              ))}
            </tbody>
          </table>
        ))}

      {target && (
        <AddFieldForm
          key={target.table}
          table={target.table}
          linkTargets={all.linkTargets}
          onAdded={(added) => {
            report(t("admin.fields.addedNotice", { name: added.label }));
            void refresh();
          }}
        />
      )}

      {retiring && (
        <ConfirmDialog
          title={t("admin.fields.retireTitle", { name: retiring.label })}
          body={t("admin.fields.retireBody")}
          confirmLabel={t("admin.fields.retire")}
          danger
          busy={retire.pending}
          error={retireError ? errorMessage(t, retireError) : null}
          onConfirm={() => void confirmRetire()}
          onCancel={() => setRetiring(null)}
          testIds={{ dialog: "field-retire-dialog", confirm: "field-retire-confirm", cancel: "field-retire-cancel" }}
        />
      )}
    </div>
  );
}

type RowProps = {
  field: CustomField;
  linkTargets: readonly CustomFieldTarget[];
  first: boolean;
  last: boolean;
  busy: boolean;
  onMove: (step: -1 | 1) => void;
  onEdit: () => void;
  onRetire: () => void;
  onRestore: () => void;
};

function FieldRow({ field, linkTargets, first, last, busy, onMove, onEdit, onRetire, onRestore }: RowProps) {
  const { t } = useTranslation();
  const retired = isRetired(field);
  const name = field.label;
  const linkTarget = linkTargets.find((x) => x.table === field.link_table);
  return (
    <tr className={retired ? "field-row field-retired" : "field-row"} data-testid={`field-row-${field.key}`} data-retired={retired ? "true" : undefined}>
      <td>
        <bdi className="cell-strong">{field.label}</bdi>{" "}
        <bdi dir="ltr" className="mono muted">
          {field.key}
        </bdi>
        {retired && (
          <>
            {" "}
            <span className="badge badge-retired">{t("customFields.retired")}</span>
          </>
        )}
      </td>
      <td>{fieldKindLabel(t, field.kind)}</td>
      <td className="field-details">
        {hasChoices(field.kind) && (
          <span className="field-choices">
            {field.choices.map((c) => (
              <span key={c.key} className={c.retired ? "badge badge-retired" : "badge"}>
                {c.retired ? t("customFields.retiredChoice", { label: c.label }) : c.label}
              </span>
            ))}
          </span>
        )}
        {field.kind === "link" &&
          t("admin.fields.linksTo", { target: linkTarget ? recordKindLabel(t, linkTarget) : (field.link_table ?? "") })}
      </td>
      <td className="row-actions">
        <button
          type="button"
          className="link-button"
          data-testid={`field-up-${field.key}`}
          aria-label={t("admin.fields.upOne", { name })}
          title={t("admin.fields.up")}
          disabled={first || busy}
          onClick={() => onMove(-1)}
        >
          ↑
        </button>
        <button
          type="button"
          className="link-button"
          data-testid={`field-down-${field.key}`}
          aria-label={t("admin.fields.downOne", { name })}
          title={t("admin.fields.down")}
          disabled={last || busy}
          onClick={() => onMove(1)}
        >
          ↓
        </button>
        {!retired && (
          <button
            type="button"
            className="link-button"
            data-testid={`field-edit-${field.key}`}
            aria-label={t("admin.fields.editOne", { name })}
            onClick={onEdit}
          >
            {t("admin.fields.edit")}
          </button>
        )}
        {retired ? (
          <button
            type="button"
            className="link-button"
            data-testid={`field-restore-${field.key}`}
            aria-label={t("admin.fields.restoreOne", { name })}
            disabled={busy}
            onClick={onRestore}
          >
            {t("admin.fields.restore")}
          </button>
        ) : (
          <button
            type="button"
            className="link-button"
            data-testid={`field-retire-${field.key}`}
            aria-label={t("admin.fields.retireOne", { name })}
            onClick={onRetire}
          >
            {t("admin.fields.retire")}
          </button>
        )}
      </td>
    </tr>
  );
}

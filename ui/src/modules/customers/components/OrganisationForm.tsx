import { useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { ApiError, Organisation, OrganisationKind, SavedOrganisation } from "../../../api/generated";
import { useMutation } from "../../../api/useOperation";
import { MATCH, useShortcut } from "../../../app/shortcuts";
import { CustomFieldInputs, describeCustomFieldError } from "../../../shared/customFields/CustomFieldInputs";
import { useCustomFields } from "../../../shared/customFields/useCustomFields";
import {
  customFieldLabels,
  customFieldName,
  customValuesPatch,
  customValuesToCreate,
  type CustomDraft,
} from "../../../shared/customFields/values";
import { errorMessage, fieldErrorFor, fieldErrorMessage, isConflict } from "../../../shared/errors";
import { fieldLabel } from "../../../shared/labels";
import { Field } from "../../../shared/ui/Field";
import { UnshownFieldErrors } from "../../../shared/ui/UnshownFieldErrors";
import {
  createOrganisationInput,
  emptyOrganisationValues,
  ORGANISATION_FIELDS,
  ORGANISATION_KINDS,
  organisationChanges,
  organisationValues,
  type OrganisationField,
  type OrganisationValues,
} from "../types";

type Props = {
  /** The organisation to edit; absent for a new one. */
  organisation?: Organisation;
  onSaved: (saved: SavedOrganisation) => void;
  onCancel: () => void;
  /** Reload the organisation after a conflict. */
  onReload?: () => void;
};

const WIDE: ReadonlySet<OrganisationField> = new Set(["name", "address", "notes"]);
const MULTILINE: ReadonlySet<OrganisationField> = new Set(["address", "notes"]);
const LTR: ReadonlySet<OrganisationField> = new Set(["tax_id", "email", "phone", "website", "country"]);
const INPUT_TYPE: Partial<Record<OrganisationField, string>> = { email: "email", phone: "tel", website: "url" };

export function OrganisationForm({ organisation, onSaved, onCancel, onReload }: Props) {
  const { t } = useTranslation();
  const [values, setValues] = useState<OrganisationValues>(() =>
    organisation ? organisationValues(organisation) : emptyOrganisationValues(),
  );
  // The kind's active custom fields, after the built-in ones; only the values edited are kept here.
  const custom = useCustomFields("organisations");
  // Retired ones too, to name a problem the core reports for a field retired while the form was open.
  const named = useCustomFields("organisations", { includeRetired: true });
  const [customDraft, setCustomDraft] = useState<CustomDraft>({});
  const [error, setError] = useState<ApiError | null>(null);
  const [unchanged, setUnchanged] = useState(false);
  const create = useMutation("customers.create_organisation");
  const update = useMutation("customers.update_organisation");
  const pending = create.pending || update.pending;
  const formRef = useRef<HTMLFormElement>(null);

  async function save() {
    if (pending) return;
    setUnchanged(false);
    try {
      let saved: SavedOrganisation;
      if (organisation) {
        const changes = organisationChanges(organisation, values, customValuesPatch(custom.fields, organisation.custom ?? {}, customDraft));
        if (Object.keys(changes).length === 0) {
          setUnchanged(true);
          return;
        }
        saved = await update.run({ id: organisation.id, version: organisation.version, changes });
      } else {
        saved = await create.run(createOrganisationInput(values, customValuesToCreate(custom.fields, customDraft)));
      }
      setError(null);
      onSaved(saved);
    } catch (e) {
      setError(e as ApiError);
      // Bring the first problem into view.
      requestAnimationFrame(() => formRef.current?.querySelector<HTMLElement>("[aria-invalid=true]")?.focus());
    }
  }

  useShortcut(MATCH.save, () => void save());
  useShortcut(MATCH.escape, onCancel);

  function set(field: OrganisationField, value: string) {
    setValues((prev) => ({ ...prev, [field]: value }));
  }

  const conflict = isConflict(error);
  const shownFields = [...ORGANISATION_FIELDS, ...custom.fields.map((f) => customFieldName(f.key))];

  return (
    <form
      ref={formRef}
      className="panel form"
      noValidate
      aria-labelledby="org-form-title"
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        void save();
      }}
    >
      <header className="panel-header">
        <h1 id="org-form-title" className="screen-title">
          {organisation ? t("form.editTitle") : t("form.newTitle")}
        </h1>
        {organisation && <span className="muted">{organisation.name}</span>}
        <span className="toolbar-spacer" />
        <span className="muted small">{t("form.shortcuts")}</span>
      </header>

      {error && (
        <div className="banner banner-error" data-testid="form-error" role="alert">
          <p>{conflict ? t("form.conflict") : errorMessage(t, error)}</p>
          <UnshownFieldErrors
            error={error}
            shown={shownFields}
            labels={customFieldLabels(named.fields)}
            describe={describeCustomFieldError(t, named.fields)}
          />
          {conflict && onReload && (
            <button type="button" className="button" onClick={onReload}>
              {t("form.reload")}
            </button>
          )}
        </div>
      )}
      {unchanged && (
        <div className="banner" role="status">
          {t("form.noChanges")}
        </div>
      )}

      <div className="form-grid">
        {ORGANISATION_FIELDS.map((field) => {
          const fe = fieldErrorFor(error, field);
          const hint = field === "country" ? t("form.countryHint") : field === "phone" ? t("form.phoneHint") : undefined;
          return (
            <Field
              key={field}
              label={fieldLabel(t, field)}
              error={fe ? fieldErrorMessage(t, fe) : undefined}
              errorTestId={`org-field-error-${field}`}
              hint={hint}
              required={field === "name"}
              requiredLabel={t("form.required")}
              className={WIDE.has(field) ? "field-wide" : undefined}
            >
              {(control) => {
                const common = {
                  ...control,
                  name: field,
                  "data-testid": `org-field-${field}`,
                  className: "input",
                };
                if (field === "kind")
                  return (
                    <select {...common} value={values.kind} onChange={(e) => set("kind", e.target.value as OrganisationKind)}>
                      {ORGANISATION_KINDS.map((k) => (
                        <option key={k} value={k}>
                          {t(`kinds.${k}`)}
                        </option>
                      ))}
                    </select>
                  );
                if (MULTILINE.has(field))
                  return <textarea {...common} rows={field === "notes" ? 4 : 2} value={values[field]} onChange={(e) => set(field, e.target.value)} />;
                return (
                  <input
                    {...common}
                    type={INPUT_TYPE[field] ?? "text"}
                    dir={LTR.has(field) ? "ltr" : undefined}
                    autoFocus={field === "name"}
                    maxLength={field === "country" ? 2 : undefined}
                    value={values[field]}
                    onChange={(e) => set(field, field === "country" ? e.target.value.toUpperCase() : e.target.value)}
                  />
                );
              }}
            </Field>
          );
        })}
        {custom.fields.length > 0 && (
          <>
            <h2 className="form-grid-heading" data-testid="custom-fields-heading">
              {t("customFields.title")}
            </h2>
            <CustomFieldInputs
              fields={custom.fields}
              linkTargets={custom.linkTargets}
              stored={organisation?.custom}
              draft={customDraft}
              onChange={(key, value) => setCustomDraft((prev) => ({ ...prev, [key]: value }))}
              error={error}
            />
          </>
        )}
      </div>

      <footer className="panel-footer">
        <button type="button" className="button" data-testid="org-cancel" onClick={onCancel}>
          {t("form.cancel")}
        </button>
        <button type="submit" className="button button-primary" data-testid="org-save" disabled={pending}>
          {pending ? t("form.saving") : t("form.save")}
        </button>
      </footer>
    </form>
  );
}

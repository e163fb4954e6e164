import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { ApiError, ContactRow, DuplicateWarning } from "../../../api/generated";
import { useMutation } from "../../../api/useOperation";
import { errorMessage, fieldErrorMessage } from "../../../shared/errors";
import { fieldLabel } from "../../../shared/labels";
import { Field } from "../../../shared/ui/Field";
import { CONTACT_FORM_FIELDS, createContactInput, emptyContactValues, type ContactFormField, type ContactValues } from "../types";
import { DuplicateWarnings } from "./DuplicateWarnings";

type Props = {
  organisationId: string;
  contacts: ContactRow[];
  /** The organisation is archived: no new contacts. */
  readOnly: boolean;
  onChanged: () => void;
};

const INPUT_TYPE: Partial<Record<ContactFormField, string>> = { email: "email", phone: "tel" };

export function ContactsSection({ organisationId, contacts, readOnly, onChanged }: Props) {
  const { t } = useTranslation();
  const [adding, setAdding] = useState(false);
  const [duplicates, setDuplicates] = useState<DuplicateWarning[]>([]);

  return (
    <div className="section">
      <div className="section-toolbar">
        <span className="toolbar-spacer" />
        {!adding && !readOnly && (
          <button type="button" className="button" data-testid="add-contact" onClick={() => setAdding(true)}>
            {t("card.addContact")}
          </button>
        )}
      </div>
      <DuplicateWarnings duplicates={duplicates} />
      {adding && (
        <ContactForm
          organisationId={organisationId}
          onCancel={() => setAdding(false)}
          onSaved={(found) => {
            setAdding(false);
            setDuplicates(found);
            onChanged();
          }}
        />
      )}
      {contacts.length === 0 ? (
        <p className="empty">{t("card.noContacts")}</p>
      ) : (
        <table className="data-table">
          <thead>
            <tr>
              <th>{t("contacts.columns.name")}</th>
              <th>{t("contacts.columns.role")}</th>
              <th>{t("contacts.columns.email")}</th>
              <th>{t("contacts.columns.phone")}</th>
            </tr>
          </thead>
          <tbody>
            {contacts.map((c) => (
              <tr key={c.id} data-testid="contact-row" data-id={c.id}>
                <td className="cell-strong">{c.full_name}</td>
                <td>{c.role ?? ""}</td>
                <td>
                  <bdi dir="ltr">{c.email ?? ""}</bdi>
                </td>
                <td>
                  <bdi dir="ltr">{c.phone ?? ""}</bdi>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function ContactForm({
  organisationId,
  onSaved,
  onCancel,
}: {
  organisationId: string;
  onSaved: (duplicates: DuplicateWarning[]) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const [values, setValues] = useState<ContactValues>(emptyContactValues);
  const [error, setError] = useState<ApiError | null>(null);
  const create = useMutation("customers.create_contact");

  async function save(e: FormEvent) {
    e.preventDefault();
    if (create.pending) return;
    try {
      const saved = await create.run(createContactInput(organisationId, values));
      onSaved(saved.duplicates);
    } catch (err) {
      setError(err as ApiError);
    }
  }

  return (
    <form
      className="subform"
      noValidate
      onSubmit={save}
      onKeyDown={(e) => {
        if (e.key === "Escape") {
          e.stopPropagation();
          onCancel();
        }
      }}
    >
      <h3 className="subform-title">{t("contacts.newTitle")}</h3>
      {error && (
        <div className="banner banner-error" role="alert">
          {errorMessage(t, error)}
        </div>
      )}
      <div className="form-grid">
        {CONTACT_FORM_FIELDS.map((field) => {
          const fe = error?.fields[field];
          return (
            <Field
              key={field}
              label={fieldLabel(t, field)}
              error={fe ? fieldErrorMessage(t, fe) : undefined}
              errorTestId={`contact-field-error-${field}`}
              required={field === "first_name"}
              requiredLabel={t("form.required")}
            >
              {(control) => (
                <input
                  {...control}
                  className="input"
                  name={field}
                  data-testid={`contact-field-${field}`}
                  type={INPUT_TYPE[field] ?? "text"}
                  dir={field === "email" || field === "phone" ? "ltr" : undefined}
                  autoFocus={field === "first_name"}
                  value={values[field]}
                  onChange={(e) => setValues((prev) => ({ ...prev, [field]: e.target.value }))}
                />
              )}
            </Field>
          );
        })}
      </div>
      <div className="subform-actions">
        <button type="button" className="button" onClick={onCancel}>
          {t("contacts.cancel")}
        </button>
        <button type="submit" className="button button-primary" data-testid="contact-save" disabled={create.pending}>
          {create.pending ? t("contacts.saving") : t("contacts.save")}
        </button>
      </div>
    </form>
  );
}

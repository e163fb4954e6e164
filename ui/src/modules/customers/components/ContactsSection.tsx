import { useEffect, useRef, useState, type FormEvent, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { useClient } from "../../../api/ApiProvider";
import type { ApiError, Contact, ContactRow, DuplicateWarning, UndoneMerge } from "../../../api/generated";
import { useMutation, useOperation } from "../../../api/useOperation";
import { CustomFieldInputs, describeCustomFieldError } from "../../../shared/customFields/CustomFieldInputs";
import { useCustomFields } from "../../../shared/customFields/useCustomFields";
import {
  customFieldLabels,
  customFieldName,
  customValuesPatch,
  customValuesToCreate,
  type CustomDraft,
} from "../../../shared/customFields/values";
import { MergeNotice } from "../../../shared/duplicates/MergeNotice";
import { UndoOutcome } from "../../../shared/duplicates/UndoOutcome";
import { errorMessage, fieldErrorFor, fieldErrorMessage } from "../../../shared/errors";
import { fieldLabel } from "../../../shared/labels";
import { ConfirmDialog } from "../../../shared/ui/ConfirmDialog";
import { Field } from "../../../shared/ui/Field";
import { Phone } from "../../../shared/ui/Phone";
import { RowAction } from "../../../shared/ui/RowAction";
import { UnshownFieldErrors } from "../../../shared/ui/UnshownFieldErrors";
import { useArchivedContacts, useInvalidateArchivedContacts } from "../hooks/useOrganisationCard";
import {
  CONTACT_FORM_FIELDS,
  contactChanges,
  contactValues,
  createContactInput,
  emptyContactValues,
  type ContactFormField,
  type ContactValues,
} from "../types";
import { DuplicateWarnings } from "./DuplicateWarnings";

type Props = {
  organisationId: string;
  /** The organisation's active contacts. */
  contacts: ContactRow[];
  /** The organisation is archived: its contacts are shown, not changed. */
  readOnly: boolean;
  onChanged: () => void;
  /** Archived contacts merged into another say so (for who may find duplicates); absent: nothing is said. */
  merges?: { canUndo: boolean };
  /** Opens an organisation's card (the one a contact merged into belongs to). */
  onOpenOrganisation?: (id: string) => void;
};

type Editing = { type: "new" } | { type: "edit"; id: string } | null;
type StatusChange = { action: "archive" | "restore"; contact: ContactRow };

const INPUT_TYPE: Partial<Record<ContactFormField, string>> = { email: "email", phone: "tel" };

export function ContactsSection({ organisationId, contacts, readOnly, onChanged, merges, onOpenOrganisation }: Props) {
  const { t } = useTranslation();
  const client = useClient();
  const [editing, setEditing] = useState<Editing>(null);
  const [duplicates, setDuplicates] = useState<DuplicateWarning[]>([]);
  const [showArchived, setShowArchived] = useState(false);
  const [statusChange, setStatusChange] = useState<StatusChange | null>(null);
  const archived = useArchivedContacts(organisationId, showArchived);
  const invalidateArchived = useInvalidateArchivedContacts(organisationId);
  const rows = showArchived ? (archived.data ?? []) : contacts;
  const [unmerged, setUnmerged] = useState<{ undone: UndoneMerge; title: string } | null>(null);
  const unmergedRef = useRef<HTMLDivElement>(null);

  // The row whose Undo was pressed has left the archived list: focus goes to what the undo did.
  useEffect(() => {
    if (unmerged) unmergedRef.current?.focus();
  }, [unmerged]);

  /** The contact a merge kept: in this organisation, among the active contacts; elsewhere, on its organisation's card. */
  async function openContact(id: string) {
    try {
      const contact = await client.call("customers.get_contact", { id });
      if (contact.organisation_id === organisationId) setShowArchived(false);
      else if (contact.organisation_id) onOpenOrganisation?.(contact.organisation_id);
    } catch {
      // Out of reach now: there is nothing to open.
    }
  }

  const mergeNotice = (c: ContactRow) =>
    merges && (
      <MergeNotice
        variant="inline"
        table="contacts"
        id={c.id}
        title={c.full_name}
        archived
        canUndo={merges.canUndo}
        showOutcome={false}
        onOpen={(id) => void openContact(id)}
        onUndone={(undone, title) => {
          setUnmerged({ undone, title });
          statusChanged();
        }}
      />
    );

  function saved(found: DuplicateWarning[]) {
    setEditing(null);
    setDuplicates(found);
    onChanged();
  }

  function statusChanged() {
    setStatusChange(null);
    invalidateArchived();
    onChanged();
  }

  return (
    <div className="section">
      <div className="section-toolbar">
        <label className="checkbox">
          <input
            type="checkbox"
            data-testid="contacts-show-archived"
            checked={showArchived}
            onChange={(e) => {
              setShowArchived(e.target.checked);
              setEditing(null);
            }}
          />
          {t("contacts.showArchived")}
        </label>
        <span className="toolbar-spacer" />
        {editing === null && !readOnly && !showArchived && (
          <button type="button" className="button" data-testid="add-contact" onClick={() => setEditing({ type: "new" })}>
            {t("card.addContact")}
          </button>
        )}
      </div>
      <DuplicateWarnings duplicates={duplicates} />
      {unmerged && (
        <div ref={unmergedRef} tabIndex={-1} className="banner banner-success" role="status" data-testid="merge-undone">
          <UndoOutcome table="contacts" undone={unmerged.undone} mergedTitle={unmerged.title} />
        </div>
      )}
      {editing?.type === "new" && (
        <ContactForm organisationId={organisationId} onCancel={() => setEditing(null)} onSaved={saved} />
      )}
      {editing?.type === "edit" && (
        <ContactEditor key={editing.id} id={editing.id} onCancel={() => setEditing(null)} onSaved={saved} />
      )}
      {showArchived && archived.error && (
        <div className="banner banner-error" role="alert">
          {errorMessage(t, archived.error)}
        </div>
      )}
      {showArchived && archived.isPending ? (
        <p className="muted">{t("app.loading")}</p>
      ) : rows.length === 0 ? (
        <p className="empty">{showArchived ? t("contacts.noArchived") : t("card.noContacts")}</p>
      ) : (
        <ContactTable
          rows={rows}
          archived={showArchived}
          readOnly={readOnly}
          onEdit={(id) => setEditing({ type: "edit", id })}
          onStatusChange={(action, contact) => setStatusChange({ action, contact })}
          notice={showArchived ? mergeNotice : undefined}
        />
      )}
      {statusChange && (
        <ContactStatusDialog change={statusChange} onDone={statusChanged} onCancel={() => setStatusChange(null)} />
      )}
    </div>
  );
}

function ContactTable({
  rows,
  archived,
  readOnly,
  onEdit,
  onStatusChange,
  notice,
}: {
  rows: ContactRow[];
  archived: boolean;
  readOnly: boolean;
  onEdit: (id: string) => void;
  onStatusChange: (action: StatusChange["action"], contact: ContactRow) => void;
  /** What is said under a contact's name (an archived contact's merge). */
  notice?: (contact: ContactRow) => ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <table className="data-table">
      <thead>
        <tr>
          <th>{t("contacts.columns.name")}</th>
          <th>{t("contacts.columns.role")}</th>
          <th>{t("contacts.columns.email")}</th>
          <th>{t("contacts.columns.phone")}</th>
          {!readOnly && <th>{t("contacts.columns.actions")}</th>}
        </tr>
      </thead>
      <tbody>
        {rows.map((c) => (
          <tr key={c.id} data-testid="contact-row" data-id={c.id}>
            <td className="cell-strong">
              {c.full_name}
              {notice?.(c)}
            </td>
            <td>{c.role ?? ""}</td>
            <td>
              <bdi dir="ltr">{c.email ?? ""}</bdi>
            </td>
            <td>{c.phone !== null && <Phone value={c.phone} />}</td>
            {!readOnly && (
              <td className="row-actions">
                {archived ? (
                  <RowAction
                    testId="contact-restore"
                    label={t("contacts.restoreOne", { name: c.full_name })}
                    onClick={() => onStatusChange("restore", c)}
                  >
                    {t("contacts.restore")}
                  </RowAction>
                ) : (
                  <>
                    <RowAction testId="contact-edit" label={t("contacts.editOne", { name: c.full_name })} onClick={() => onEdit(c.id)}>
                      {t("contacts.edit")}
                    </RowAction>
                    <RowAction
                      testId="contact-archive"
                      label={t("contacts.archiveOne", { name: c.full_name })}
                      onClick={() => onStatusChange("archive", c)}
                    >
                      {t("contacts.archive")}
                    </RowAction>
                  </>
                )}
              </td>
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The contact as stored (the row has no version), then the form over it. */
function ContactEditor({ id, onSaved, onCancel }: { id: string; onSaved: (duplicates: DuplicateWarning[]) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const { data: contact, error, reload } = useOperation("customers.get_contact", { id });
  if (!contact)
    return error ? (
      <div className="banner banner-error" role="alert">
        {errorMessage(t, error)}{" "}
        <button type="button" className="link-button" onClick={reload}>
          {t("app.retry")}
        </button>
      </div>
    ) : (
      <p className="muted">{t("app.loading")}</p>
    );
  return <ContactForm key={contact.version} contact={contact} onSaved={onSaved} onCancel={onCancel} />;
}

type FormProps = {
  onSaved: (duplicates: DuplicateWarning[]) => void;
  onCancel: () => void;
} & ({ organisationId: string; contact?: undefined } | { contact: Contact; organisationId?: undefined });

/** A new contact at the organisation, or an existing one: only the changed fields are sent. */
function ContactForm({ organisationId, contact, onSaved, onCancel }: FormProps) {
  const { t } = useTranslation();
  const [values, setValues] = useState<ContactValues>(() => (contact ? contactValues(contact) : emptyContactValues()));
  const custom = useCustomFields("contacts");
  // Retired ones too, to name a problem the core reports for a field retired while the form was open.
  const named = useCustomFields("contacts", { includeRetired: true });
  const [customDraft, setCustomDraft] = useState<CustomDraft>({});
  const [error, setError] = useState<ApiError | null>(null);
  const [unchanged, setUnchanged] = useState(false);
  const create = useMutation("customers.create_contact");
  const update = useMutation("customers.update_contact");
  const pending = create.pending || update.pending;

  async function send() {
    if (contact === undefined) return create.run(createContactInput(organisationId, values, customValuesToCreate(custom.fields, customDraft)));
    const changes = contactChanges(contact, values, customValuesPatch(custom.fields, contact.custom ?? {}, customDraft));
    if (Object.keys(changes).length === 0) return null;
    return update.run({ id: contact.id, version: contact.version, changes });
  }

  async function save(e: FormEvent) {
    e.preventDefault();
    if (pending) return;
    try {
      const saved = await send();
      setError(null);
      setUnchanged(saved === null);
      if (saved) onSaved(saved.duplicates);
    } catch (err) {
      setError(err as ApiError);
    }
  }

  return (
    <form
      className="subform"
      noValidate
      data-testid="contact-form"
      onSubmit={save}
      onKeyDown={(e) => {
        if (e.key === "Escape") {
          e.stopPropagation();
          onCancel();
        }
      }}
    >
      <h3 className="subform-title">{contact ? t("contacts.editTitle") : t("contacts.newTitle")}</h3>
      {error && (
        <div className="banner banner-error" data-testid="contact-form-error" role="alert">
          <p>{errorMessage(t, error)}</p>
          <UnshownFieldErrors
            error={error}
            shown={[...CONTACT_FORM_FIELDS, ...custom.fields.map((f) => customFieldName(f.key))]}
            labels={customFieldLabels(named.fields)}
            describe={describeCustomFieldError(t, named.fields)}
          />
        </div>
      )}
      {unchanged && (
        <div className="banner" role="status">
          {t("form.noChanges")}
        </div>
      )}
      <div className="form-grid">
        {CONTACT_FORM_FIELDS.map((field) => {
          const fe = fieldErrorFor(error, field);
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
        <CustomFieldInputs
          fields={custom.fields}
          linkTargets={custom.linkTargets}
          stored={contact?.custom}
          draft={customDraft}
          onChange={(key, value) => setCustomDraft((prev) => ({ ...prev, [key]: value }))}
          error={error}
        />
      </div>
      <div className="subform-actions">
        <button type="button" className="button" data-testid="contact-cancel" onClick={onCancel}>
          {t("contacts.cancel")}
        </button>
        <button type="submit" className="button button-primary" data-testid="contact-save" disabled={pending}>
          {pending ? t("contacts.saving") : t("contacts.save")}
        </button>
      </div>
    </form>
  );
}

/**
 * Asks before archiving or restoring a contact. The stored contact is read first: the row has
 * no version, and the change is made against the version the user is confirming.
 */
function ContactStatusDialog({ change, onDone, onCancel }: { change: StatusChange; onDone: () => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const { action, contact: row } = change;
  const { data: contact, error: loadError } = useOperation("customers.get_contact", { id: row.id });
  const [error, setError] = useState<ApiError | null>(null);
  const archive = useMutation("customers.archive_contact");
  const restore = useMutation("customers.restore_contact");
  const mutation = action === "archive" ? archive : restore;
  const shownError = error ?? loadError;

  async function confirm() {
    if (!contact) return;
    try {
      await mutation.run({ id: contact.id, version: contact.version });
      onDone();
    } catch (e) {
      setError(e as ApiError);
    }
  }

  return (
    <ConfirmDialog
      title={action === "archive" ? t("contacts.archiveTitle") : t("contacts.restoreTitle")}
      body={t(action === "archive" ? "contacts.archiveBody" : "contacts.restoreBody", { name: row.full_name })}
      confirmLabel={action === "archive" ? t("contacts.archive") : t("contacts.restore")}
      danger={action === "archive"}
      busy={!contact || mutation.pending}
      error={shownError ? errorMessage(t, shownError) : null}
      onConfirm={() => void confirm()}
      onCancel={onCancel}
    />
  );
}

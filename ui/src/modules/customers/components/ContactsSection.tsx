import { useEffect, useRef, useState, type FormEvent, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { useClient } from "../../../api/ApiProvider";
import type { ApiError, ConfirmedRecord, Contact, ContactRow, DuplicateWarning, UndoneMerge } from "../../../api/generated";
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
import { FreshnessNotice } from "../../../shared/freshness/FreshnessNotice";
import { useConfirmRecord, useStaleRecords } from "../../../shared/freshness/useFreshness";
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
  /** Who may change contacts may confirm that their data is current (CUST-6). */
  canConfirmData?: boolean;
  /** Logs an interaction with the contact; absent: the rows do not offer it. */
  onLogInteraction?: (contact: ContactRow) => void;
  /** Schedules a contact with them (a call, a meeting…); absent: the rows do not offer it. */
  onScheduleContact?: (contact: ContactRow) => void;
  /** Shows the contact's interactions; absent: the rows do not offer it. */
  onShowInteractions?: (contact: ContactRow) => void;
};

type Editing = { type: "new" } | { type: "edit"; id: string } | null;
type StatusChange = { action: "archive" | "restore"; contact: ContactRow };

const INPUT_TYPE: Partial<Record<ContactFormField, string>> = { email: "email", phone: "tel" };

/** One's own stale contacts flagged on the card: at most this many, the longest unconfirmed first (the core's most). */
const STALE_CONTACTS_READ = 500;

/** A contact confirmed from its row, or why it could not be. */
type RowConfirmation = { kind: "done"; name: string } | { kind: "failed"; name: string; error: ApiError };

export function ContactsSection({
  organisationId,
  contacts,
  readOnly,
  onChanged,
  merges,
  onOpenOrganisation,
  canConfirmData = false,
  onLogInteraction,
  onScheduleContact,
  onShowInteractions,
}: Props) {
  const { t } = useTranslation();
  const client = useClient();
  const { confirm } = useConfirmRecord();
  const [confirming, setConfirming] = useState<string | null>(null);
  const [confirmation, setConfirmation] = useState<RowConfirmation | null>(null);
  // One's own contacts past their months, flagged for their owner (a card shows few contacts; the list holds the oldest).
  const stale = useStaleRecords({ table: "contacts", limit: STALE_CONTACTS_READ });
  const staleIds = new Set(stale.data?.kinds.flatMap((kind) => kind.records.map((r) => r.id)) ?? []);
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

  /**
   * Confirms from its row that a contact's data is current: one click. The row has no version,
   * so the stored contact is read first and confirmed at the version it has now.
   */
  async function confirmRow(row: ContactRow) {
    if (confirming !== null) return;
    setConfirming(row.id);
    setConfirmation(null);
    try {
      const contact = await client.call("customers.get_contact", { id: row.id });
      await confirm({ table: "contacts", id: contact.id, version: contact.version });
      setConfirmation({ kind: "done", name: row.full_name });
      onChanged();
    } catch (e) {
      setConfirmation({ kind: "failed", name: row.full_name, error: e as ApiError });
    } finally {
      setConfirming(null);
    }
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
      {confirmation?.kind === "done" && (
        <div className="banner banner-success" role="status" data-testid="confirm-contact-data-done">
          {t("freshness.card.contactDone", { name: confirmation.name })}
        </div>
      )}
      {confirmation?.kind === "failed" && (
        <div className="banner banner-error" role="alert" data-testid="confirm-contact-data-error">
          {confirmation.error.code === "conflict"
            ? t("freshness.card.changed")
            : t("freshness.card.contactFailed", { name: confirmation.name, reason: errorMessage(t, confirmation.error) })}
        </div>
      )}
      {unmerged && (
        <div ref={unmergedRef} tabIndex={-1} className="banner banner-success" role="status" data-testid="merge-undone">
          <UndoOutcome table="contacts" undone={unmerged.undone} mergedTitle={unmerged.title} />
        </div>
      )}
      {editing?.type === "new" && (
        <ContactForm organisationId={organisationId} onCancel={() => setEditing(null)} onSaved={saved} />
      )}
      {editing?.type === "edit" && (
        <ContactEditor key={editing.id} id={editing.id} canConfirmData={canConfirmData} onCancel={() => setEditing(null)} onSaved={saved} />
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
          due={showArchived ? undefined : staleIds}
          // The contact open in the editor is confirmed there, at the version the editor holds.
          onConfirm={canConfirmData && !showArchived ? (row) => void confirmRow(row) : undefined}
          confirmHidden={editing?.type === "edit" ? editing.id : null}
          confirming={confirming}
          onLogInteraction={showArchived ? undefined : onLogInteraction}
          onScheduleContact={showArchived ? undefined : onScheduleContact}
          onShowInteractions={showArchived ? undefined : onShowInteractions}
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
  due,
  onConfirm,
  confirmHidden,
  confirming,
  onLogInteraction,
  onScheduleContact,
  onShowInteractions,
}: {
  rows: ContactRow[];
  archived: boolean;
  readOnly: boolean;
  onEdit: (id: string) => void;
  onStatusChange: (action: StatusChange["action"], contact: ContactRow) => void;
  /** What is said under a contact's name (an archived contact's merge). */
  notice?: (contact: ContactRow) => ReactNode;
  /** The contacts to flag as due for confirmation (one's own, past their months). */
  due?: ReadonlySet<string>;
  /** Confirms a contact's data is current; absent: no row offers it. */
  onConfirm?: (contact: ContactRow) => void;
  /** The contact whose row does not offer it (the one open in the editor, which does). */
  confirmHidden?: string | null;
  /** The contact being confirmed. */
  confirming?: string | null;
  onLogInteraction?: (contact: ContactRow) => void;
  onScheduleContact?: (contact: ContactRow) => void;
  onShowInteractions?: (contact: ContactRow) => void;
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
              {due?.has(c.id) && (
                <>
                  {" "}
                  <span className="badge badge-due" data-testid={`contact-due-${c.id}`}>
                    {t("freshness.card.due")}
                  </span>
                </>
              )}
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
                    {onConfirm && confirmHidden !== c.id && (
                      <RowAction
                        testId={`confirm-contact-data-${c.id}`}
                        label={t("freshness.card.confirmOne", { name: c.full_name })}
                        onClick={() => {
                          if (confirming === null) onConfirm(c);
                        }}
                      >
                        {confirming === c.id ? t("freshness.card.confirming") : t("freshness.card.confirmShort")}
                      </RowAction>
                    )}
                    {onLogInteraction && (
                      <RowAction
                        testId="contact-log-interaction"
                        label={t("contacts.logInteractionOne", { name: c.full_name })}
                        onClick={() => onLogInteraction(c)}
                      >
                        {t("contacts.logInteraction")}
                      </RowAction>
                    )}
                    {onScheduleContact && (
                      <RowAction
                        testId="contact-schedule"
                        label={t("contacts.scheduleOne", { name: c.full_name })}
                        onClick={() => onScheduleContact(c)}
                      >
                        {t("contacts.schedule")}
                      </RowAction>
                    )}
                    {onShowInteractions && (
                      <RowAction
                        testId="contact-interactions"
                        label={t("contacts.interactionsOne", { name: c.full_name })}
                        onClick={() => onShowInteractions(c)}
                      >
                        {t("contacts.interactions")}
                      </RowAction>
                    )}
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

/**
 * The contact as stored (the row has no version), then the form over it, with when its data was
 * last confirmed. Confirming it here raises its version under the form, which keeps what was
 * typed and saves against the new version.
 */
function ContactEditor({
  id,
  canConfirmData,
  onSaved,
  onCancel,
}: {
  id: string;
  canConfirmData: boolean;
  onSaved: (duplicates: DuplicateWarning[]) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const { data: stored, error, reload } = useOperation("customers.get_contact", { id });
  const [confirmed, setConfirmed] = useState<ConfirmedRecord | null>(null);
  const contact =
    stored && confirmed && confirmed.id === stored.id && confirmed.version > stored.version
      ? { ...stored, version: confirmed.version, confirmed_at: confirmed.confirmed_at }
      : stored;
  if (!stored || !contact)
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
  return (
    <ContactForm
      // Read again (after a conflict): the form starts again from the stored version.
      key={stored.version}
      contact={contact}
      onSaved={onSaved}
      onCancel={onCancel}
      notice={
        <FreshnessNotice
          table="contacts"
          record={contact}
          canConfirm={canConfirmData}
          testId={`confirm-contact-data-${contact.id}`}
          doneTestId="confirm-contact-data-done"
          name={contact.full_name}
          onConfirmed={setConfirmed}
          onOutdated={reload}
        />
      }
    />
  );
}

type FormProps = {
  onSaved: (duplicates: DuplicateWarning[]) => void;
  onCancel: () => void;
  /** Shown under the title (an existing contact's freshness). */
  notice?: ReactNode;
} & ({ organisationId: string; contact?: undefined } | { contact: Contact; organisationId?: undefined });

/** A new contact at the organisation, or an existing one: only the changed fields are sent. */
function ContactForm({ organisationId, contact, onSaved, onCancel, notice }: FormProps) {
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
      {notice}
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

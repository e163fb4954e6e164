import { useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { ApiError, Interaction, InteractionChannel, InteractionForm, InteractionRow } from "../../../api/generated";
import { useMutation, useOperation } from "../../../api/useOperation";
import { CustomFieldInputs, describeCustomFieldError } from "../../../shared/customFields/CustomFieldInputs";
import { useCustomFields } from "../../../shared/customFields/useCustomFields";
import { customFieldLabels, customFieldName, customValuesPatch, customValuesToCreate } from "../../../shared/customFields/values";
import { errorMessage, fieldErrorFor, isConflict } from "../../../shared/errors";
import { formatDateTime } from "../../../shared/format";
import type { Whom } from "../../../shared/interactions/InteractionsSlot";
import { CHANNELS, channelLabel, formLabel, FORMS } from "../../../shared/interactions/labels";
import { useTopics } from "../../../shared/interactions/useTopics";
import { ConfirmDialog } from "../../../shared/ui/ConfirmDialog";
import { Field } from "../../../shared/ui/Field";
import { UnshownFieldErrors } from "../../../shared/ui/UnshownFieldErrors";
import { useLanguage } from "../../../shared/useLanguage";
import { canAttachFiles, canReadAttachments } from "../../attachments/access";
import { AttachmentsPanel } from "../../attachments/components/AttachmentsPanel";
import { FilesToAttach } from "../../attachments/components/FilesToAttach";
import { useAttachFile, type ChosenAttachment } from "../../attachments/hooks/useAttachments";
import { attachmentError } from "../../attachments/labels";
import { useSession } from "../../session/hooks/useSession";
import { interactionFieldError } from "../labels";
import {
  draftOf,
  effectiveForm,
  fromLocalInput,
  hasTyped,
  interactionChanges,
  logInput,
  newDraft,
  problemsBeforeSending,
  whomName,
  whomOf,
  type Draft,
} from "../model";
import { ChannelIcon } from "./ChannelIcon";
import { DialogShell } from "./DialogShell";
import { RadioChoices } from "./RadioChoices";
import { ResponsibleSelect, type Me } from "./ResponsibleSelect";
import { NoTopics, TopicPicker } from "./TopicPicker";
import { ContactOrganisation, WithPicker } from "./WithPicker";

/** What the dialog does: log a new interaction (with whom, when opened from a card) or correct one. */
export type DialogMode = { kind: "log"; whom: Whom | null } | { kind: "edit"; row: InteractionRow };

export type { Me };

/** A file chosen while logging that could not be attached once the interaction was: which, and why. */
export type NotAttached = { name: string; reason: string };

type Props = {
  mode: DialogMode;
  me: Me;
  /** Who may keep the topics may add one here when there is none. */
  canAddTopics: boolean;
  onClose: () => void;
  /**
   * Saved: the interaction as stored, whom it was with in words, and the files chosen while
   * logging it that could not be attached (it stays logged all the same).
   */
  onSaved: (saved: Interaction, whom: string, notAttached: NotAttached[]) => void;
};

/** The fields the dialog shows beside their controls; the core's other problems go in the banner. */
const SHOWN = ["contact_id", "organisation_id", "topic_id", "channel", "form", "happened_at", "responsible_id", "summary"];

/**
 * Logs an interaction from the keyboard: "With" (search over contacts and organisations), a topic
 * typed and picked, the channel (phone unless changed) and its form, when (now unless changed),
 * who answered for it (oneself unless a colleague is chosen) and a summary. Ctrl+Enter saves from
 * anywhere in it; Esc cancels, asking first when something was typed. Files may be chosen too, one
 * at a time, and are attached in order once the interaction is logged. The same dialog corrects
 * an interaction, sending only the fields changed, and lists its files to save, attach or remove.
 */
export function LogInteractionDialog({ mode, ...rest }: Props) {
  if (mode.kind === "edit") return <EditInteraction row={mode.row} {...rest} />;
  return <InteractionDialogForm initial={newDraft(mode.whom, rest.me.id, new Date())} {...rest} />;
}

/** The interaction as stored (its version and custom values), then the form over it. */
function EditInteraction({ row, ...rest }: Omit<Props, "mode"> & { row: InteractionRow }) {
  const { t } = useTranslation();
  const { data: stored, error, reload } = useOperation("interactions.get", { id: row.id });
  if (!stored)
    return (
      <DialogShell title={t("interactions.dialog.editTitle")} onEscape={rest.onClose}>
        {error ? (
          <div className="banner banner-error" role="alert">
            <p>{errorMessage(t, error)}</p>
            <button type="button" className="button" onClick={reload}>
              {t("app.retry")}
            </button>
          </div>
        ) : (
          <p className="muted">{t("app.loading")}</p>
        )}
        <div className="dialog-actions">
          <button type="button" className="button" data-testid="interaction-cancel" onClick={rest.onClose}>
            {t("interactions.dialog.cancel")}
          </button>
        </div>
      </DialogShell>
    );
  // The row names whom it is with; a correction made meanwhile may name someone else, read by id then.
  const names = {
    contact: row.contact_id === stored.contact_id ? row.contact_name : null,
    organisation: row.organisation_id === stored.organisation_id ? row.organisation_name : null,
  };
  return <InteractionDialogForm key={stored.version} stored={stored} initial={draftOf(stored, whomOf(stored, names))} onReload={reload} {...rest} />;
}

type FormProps = Omit<Props, "mode"> & {
  initial: Draft;
  /** The interaction corrected; absent for a new one. */
  stored?: Interaction;
  /** Reads the interaction again after someone else changed it. */
  onReload?: () => void;
};

function InteractionDialogForm({ initial, stored, me, canAddTopics, onClose, onSaved, onReload }: FormProps) {
  const { t } = useTranslation();
  const language = useLanguage();
  const [opened] = useState(initial);
  const [draft, setDraft] = useState(initial);
  const [error, setError] = useState<ApiError | null>(null);
  const [unchanged, setUnchanged] = useState(false);
  const [discarding, setDiscarding] = useState(false);
  const dialogRef = useRef<HTMLDivElement>(null);
  const topicRef = useRef<HTMLInputElement>(null);
  const summaryRef = useRef<HTMLTextAreaElement>(null);
  // Where the focus was when the dialog asked about discarding: it goes back there when the answer is no.
  const focusBeforeAsking = useRef<HTMLElement | null>(null);
  const topics = useTopics();
  const custom = useCustomFields("interactions");
  // Retired ones too, to name a problem the core reports for a field retired while the dialog was open.
  const named = useCustomFields("interactions", { includeRetired: true });
  const log = useMutation("interactions.log");
  const update = useMutation("interactions.update");
  const attach = useAttachFile();
  const user = useSession().status.user;
  // Files chosen for a new interaction, attached once it is logged.
  const [files, setFiles] = useState<ChosenAttachment[]>([]);
  const [attaching, setAttaching] = useState(false);
  const pending = log.pending || update.pending || attaching;
  const editing = stored !== undefined;

  function set<K extends keyof Draft>(key: K, value: Draft[K]) {
    setDraft((prev) => ({ ...prev, [key]: value }));
    setUnchanged(false);
  }

  function showProblems(problem: ApiError) {
    setError(problem);
    // Bring the first problem into view, with the focus on it.
    requestAnimationFrame(() => dialogRef.current?.querySelector<HTMLElement>("[aria-invalid=true]")?.focus());
  }

  async function save() {
    if (pending) return;
    const missing = problemsBeforeSending(draft);
    if (missing) {
      showProblems(missing);
      return;
    }
    let saved: Interaction;
    try {
      if (stored) {
        const changes = interactionChanges(stored, opened, draft, customValuesPatch(custom.fields, stored.custom ?? {}, draft.custom));
        if (Object.keys(changes).length === 0) {
          setUnchanged(true);
          return;
        }
        saved = await update.run({ id: stored.id, version: stored.version, changes });
      } else {
        saved = await log.run(logInput(opened, draft, me.id, customValuesToCreate(custom.fields, draft.custom)));
      }
    } catch (e) {
      // Nothing typed is lost: the draft stays as it was, with the problems beside their fields.
      showProblems(e as ApiError);
      return;
    }
    // Logged: the files chosen are attached to it in order. One refused does not stop the others,
    // nor undo the interaction; the refusals are reported once the dialog closes.
    const notAttached = stored ? [] : await attachChosen(saved.id);
    onSaved(saved, draft.whom ? whomName(draft.whom) : "", notAttached);
  }

  async function attachChosen(interactionId: string): Promise<NotAttached[]> {
    if (files.length === 0) return [];
    setAttaching(true);
    const notAttached: NotAttached[] = [];
    for (const file of files) {
      try {
        await attach.run({ table: "interactions", record_id: interactionId, path: file.path });
      } catch (e) {
        notAttached.push({ name: file.name, reason: attachmentError(t, e as ApiError, "attach", language) });
      }
    }
    setAttaching(false);
    return notAttached;
  }

  function requestClose() {
    if (!hasTyped(opened, draft) && files.length === 0) {
      onClose();
      return;
    }
    focusBeforeAsking.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    setDiscarding(true);
  }

  function keepEditing() {
    setDiscarding(false);
    (focusBeforeAsking.current ?? summaryRef.current)?.focus();
  }

  const message = (field: string) => {
    const fe = fieldErrorFor(error, field);
    return fe ? interactionFieldError(t, field, fe) : undefined;
  };
  const whomField = fieldErrorFor(error, "contact_id") ? "contact_id" : "organisation_id";
  const topic = draft.topicId !== null ? (topics.byId.get(draft.topicId) ?? null) : null;
  const noTopics = topics.settled && topics.active.length === 0 && topic === null;
  const conflict = isConflict(error);
  const when = fromLocalInput(draft.when);
  // Opened from a card: whom it was with is known, and the topic comes first.
  const prefilled = opened.whom !== null;

  return (
    <DialogShell
      title={editing ? t("interactions.dialog.editTitle") : t("interactions.dialog.title")}
      onEscape={requestClose}
      onSave={discarding ? undefined : () => void save()}
      dialogRef={dialogRef}
    >
      {error && (
        <div className="banner banner-error" role="alert" data-testid="interaction-error">
          <p>{conflict ? t("interactions.dialog.conflict") : errorMessage(t, error)}</p>
          <UnshownFieldErrors
            error={error}
            shown={[...SHOWN, ...custom.fields.map((f) => customFieldName(f.key))]}
            labels={customFieldLabels(named.fields)}
            describe={describeCustomFieldError(t, named.fields)}
          />
          {conflict && onReload && (
            <button type="button" className="button" onClick={onReload}>
              {t("interactions.dialog.reload")}
            </button>
          )}
        </div>
      )}
      {unchanged && (
        <div className="banner" role="status">
          {t("form.noChanges")}
        </div>
      )}
      <div className="form-grid interaction-grid">
        <Field
          label={t("interactions.dialog.with")}
          className="field-wide"
          required
          requiredLabel={t("form.required")}
          error={message(whomField)}
          errorTestId={`interaction-error-${whomField}`}
        >
          {(control) => (
            <div>
              <WithPicker
                control={control}
                value={draft.whom}
                autoFocus={!prefilled}
                onChange={(whom) => {
                  set("whom", whom);
                  // Picked: on to the topic, as Tab would (at once, so that the next keys go there).
                  if (whom) topicRef.current?.focus();
                }}
              />
              {draft.whom?.kind === "contact" && (
                <span className="field-hint with-organisation">
                  <ContactOrganisation contactId={draft.whom.contact.id} />
                </span>
              )}
            </div>
          )}
        </Field>
        <Field label={t("interactions.dialog.topic")} required requiredLabel={t("form.required")} error={message("topic_id")} errorTestId="interaction-error-topic_id">
          {(control) =>
            noTopics ? (
              <NoTopics canAdd={canAddTopics} onAdded={(added) => set("topicId", added.id)} />
            ) : (
              <TopicPicker
                control={control}
                inputRef={topicRef}
                topics={topics.active}
                value={topic}
                autoFocus={prefilled && !editing}
                onChange={(picked) => set("topicId", picked?.id ?? null)}
                onPicked={() => summaryRef.current?.focus()}
              />
            )
          }
        </Field>
        <RadioChoices<InteractionChannel>
          legend={t("interactions.dialog.channel")}
          values={CHANNELS}
          value={draft.channel}
          onChange={(channel) => set("channel", channel)}
          label={(c) => channelLabel(t, c)}
          icon={(c) => <ChannelIcon channel={c} />}
          testId="interaction-channel"
          error={message("channel")}
          errorTestId="interaction-error-channel"
        />
        <Field
          label={t("interactions.dialog.summary")}
          className="field-wide"
          required
          requiredLabel={t("form.required")}
          error={message("summary")}
          errorTestId="interaction-error-summary"
        >
          {(control) => (
            <textarea
              {...control}
              ref={summaryRef}
              className="input"
              data-testid="interaction-summary"
              dir="auto"
              rows={5}
              autoFocus={editing}
              placeholder={t("interactions.dialog.summaryPlaceholder")}
              value={draft.summary}
              onChange={(e) => set("summary", e.target.value)}
            />
          )}
        </Field>
        <RadioChoices<InteractionForm>
          legend={t("interactions.dialog.form")}
          values={FORMS}
          value={effectiveForm(draft)}
          onChange={(form) => set("form", form)}
          label={(f) => formLabel(t, f)}
          testId="interaction-form"
          hint={draft.form === null ? t("interactions.dialog.formFollows") : undefined}
          error={message("form")}
          errorTestId="interaction-error-form"
        />
        <Field
          label={t("interactions.dialog.when")}
          error={message("happened_at")}
          errorTestId="interaction-error-happened_at"
          hint={when ? formatDateTime(when, language) : undefined}
        >
          {(control) => (
            <input
              {...control}
              className="input"
              type="datetime-local"
              data-testid="interaction-when"
              dir="ltr"
              value={draft.when}
              onChange={(e) => set("when", e.target.value)}
            />
          )}
        </Field>
        <Field label={t("interactions.dialog.responsible")} error={message("responsible_id")} errorTestId="interaction-error-responsible_id">
          {(control) => <ResponsibleSelect control={control} me={me} value={draft.responsibleId} onChange={(id) => set("responsibleId", id)} />}
        </Field>
        <CustomFieldInputs
          fields={custom.fields}
          linkTargets={custom.linkTargets}
          stored={stored?.custom}
          draft={draft.custom}
          onChange={(key, value) => {
            setDraft((prev) => ({ ...prev, custom: { ...prev.custom, [key]: value } }));
            setUnchanged(false);
          }}
          error={error}
        />
        {!editing && canAttachFiles(user, "interactions") && <FilesToAttach files={files} onChange={setFiles} />}
      </div>
      {stored && canReadAttachments(user) && (
        <div className="interaction-files">
          <AttachmentsPanel table="interactions" recordId={stored.id} />
        </div>
      )}
      <div className="dialog-actions interaction-actions">
        <span className="muted small">{t("interactions.dialog.shortcuts")}</span>
        <span className="toolbar-spacer" />
        <button type="button" className="button" data-testid="interaction-cancel" onClick={requestClose}>
          {t("interactions.dialog.cancel")}
        </button>
        <button
          type="button"
          className="button button-primary"
          data-testid="interaction-save"
          aria-disabled={pending || undefined}
          onClick={() => void save()}
        >
          {pending ? t("interactions.dialog.saving") : t("interactions.dialog.save")}
        </button>
      </div>
      {discarding && (
        <ConfirmDialog
          title={t("interactions.dialog.discardTitle")}
          body={t("interactions.dialog.discardBody")}
          confirmLabel={t("interactions.dialog.discard")}
          danger
          onConfirm={onClose}
          onCancel={keepEditing}
          testIds={{ dialog: "interaction-discard", confirm: "interaction-discard-confirm", cancel: "interaction-discard-cancel" }}
        />
      )}
    </DialogShell>
  );
}

import { useId, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { ApiError, InteractionChannel, RuleKind, RuleRow, SegmentField, WorkflowRule } from "../../../api/generated";
import { useMutation } from "../../../api/useOperation";
import { errorMessage, fieldErrorFor, isConflict } from "../../../shared/errors";
import { formatCalendarDate } from "../../../shared/format";
import { CHANNELS, channelLabel } from "../../../shared/interactions/labels";
import { useTopics } from "../../../shared/interactions/useTopics";
import { shortId } from "../../../shared/labels";
import { RecordPicker } from "../../../shared/search/RecordPicker";
import { useRecordTitles } from "../../../shared/search/useRecordTitles";
import { ConfirmDialog } from "../../../shared/ui/ConfirmDialog";
import { Field, type ControlProps } from "../../../shared/ui/Field";
import { UnshownFieldErrors } from "../../../shared/ui/UnshownFieldErrors";
import { colleagueName, useColleagues } from "../../../shared/useColleagues";
import { useLanguage } from "../../../shared/useLanguage";
import { ChannelIcon } from "../../interactions/components/ChannelIcon";
import { DialogShell } from "../../interactions/components/DialogShell";
import { RadioChoices } from "../../interactions/components/RadioChoices";
import { TopicPicker } from "../../interactions/components/TopicPicker";
import { ZonePicker } from "../../interactions/schedule/ZonePicker";
import { useChoiceLabel } from "../../segments/hooks/useChoiceLabel";
import { isSegmentTable, segmentFieldLabel } from "../../segments/labels";
import {
  conditionPaths,
  DATE_SIDES,
  hasTypedRule,
  namesField,
  newRuleDraft,
  ruleDefinition,
  ruleDraft,
  ruleProblems,
  THEN_CHOICES,
  triggerFields,
  whenChoices,
  whenForKind,
  type DateSide,
  type RuleDraft,
  type ThenChoice,
  type WhenChoice,
} from "../model";
import { kindName, ruleFieldError } from "../words";

/** A new rule, or a stored one changed. */
export type RuleEditorMode = { kind: "new" } | { kind: "edit"; rule: RuleRow };

type Props = {
  mode: RuleEditorMode;
  /** The kinds rules may listen to, with their fields. */
  kinds: readonly RuleKind[];
  onClose: () => void;
  onSaved: (saved: WorkflowRule, edited: boolean) => void;
};

/** The fields shown beside their controls (the conditions' are added as they are shown). */
const SHOWN = [
  "name",
  "record_table",
  "trigger",
  "trigger.type",
  "trigger.field",
  "trigger.days",
  "action",
  "action.type",
  "action.title",
  "action.description",
  "action.responsible",
  "action.responsible.id",
  "action.controller_id",
  "action.deadline_days",
  "action.topic_id",
  "action.channel",
  "action.days",
  "action.at",
  "action.time_zone",
  "action.note",
  "action.recipients",
  "action.message",
  "action.to",
  "action.subject",
  "action.body",
];

/**
 * A workflow rule as a form: its name, the kind of record it listens to, when it fires (a record is
 * created, a field is set to a value, a date comes — some days before or after it, once or every
 * year — or, for a contact or an organisation, nothing happens with it for some days), only if one
 * more field holds a value, and what it then does (give a task, schedule a
 * contact, notify people, queue an email) with each one's details. Texts may name the record as
 * {record} and its fields as {field}. Ctrl+Enter saves; Esc cancels, asking first when something
 * was changed. The core's problems show beside their fields, a loop of rules beside "Then".
 */
export function RuleEditor({ mode, kinds, onClose, onSaved }: Props) {
  const { t } = useTranslation();
  const editing = mode.kind === "edit";
  const [opened] = useState<RuleDraft>(() => (mode.kind === "edit" ? ruleDraft(mode.rule) : newRuleDraft(kinds[0]?.table ?? "contacts")));
  const [draft, setDraft] = useState(opened);
  const [error, setError] = useState<ApiError | null>(null);
  const [discarding, setDiscarding] = useState(false);
  const dialogRef = useRef<HTMLDivElement>(null);
  const focusBeforeAsking = useRef<HTMLElement | null>(null);
  const define = useMutation("workflow.define");
  const update = useMutation("workflow.update");
  const pending = define.pending || update.pending;
  const topics = useTopics(draft.then === "schedule_contact");
  const kind = kinds.find((k) => k.table === draft.table);
  const fields = kind?.fields ?? [];
  const whens = whenChoices(kind, draft.table, draft.when);

  function set<K extends keyof RuleDraft>(key: K, value: RuleDraft[K]) {
    setDraft((prev) => ({ ...prev, [key]: value }));
  }

  function showProblems(problem: ApiError) {
    setError(problem);
    requestAnimationFrame(() => dialogRef.current?.querySelector<HTMLElement>("[aria-invalid=true]")?.focus());
  }

  async function save() {
    if (pending) return;
    const problems = ruleProblems(draft);
    if (problems) {
      showProblems(problems);
      return;
    }
    const rule = ruleDefinition(draft, fields);
    try {
      const saved = mode.kind === "edit" ? await update.run({ id: mode.rule.id, version: mode.rule.version, rule }) : await define.run({ rule });
      onSaved(saved, editing);
    } catch (e) {
      showProblems(e as ApiError);
    }
  }

  function requestClose() {
    if (!hasTypedRule(opened, draft)) {
      onClose();
      return;
    }
    focusBeforeAsking.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    setDiscarding(true);
  }

  function keepEditing() {
    setDiscarding(false);
    focusBeforeAsking.current?.focus();
  }

  /** Another kind: its fields differ, so what named the last kind's fields starts again (a quiet spell stays where the kind has it). */
  function chooseKind(table: string) {
    setDraft((prev) => ({ ...prev, table, when: whenForKind(prev.when, table), field: "", setTo: "", onlyIfField: "", onlyIfValue: "", keptCondition: null }));
  }

  function chooseWhen(when: WhenChoice) {
    setDraft((prev) => {
      const offered = triggerFields(kind, when);
      const field = offered.some((f) => f.field === prev.field) ? prev.field : "";
      return { ...prev, when, field, setTo: when === "changed" && field === prev.field ? prev.setTo : "" };
    });
  }

  const message = (field: string) => {
    const fe = fieldErrorFor(error, field);
    return fe ? ruleFieldError(t, field, fe) : undefined;
  };
  /** The first problem the core found under `prefix` (a condition's field or value). */
  const messageUnder = (prefix: string | null) => {
    if (!error || prefix === null) return undefined;
    const found = Object.entries(error.fields).find(([name]) => name === prefix || name.startsWith(`${prefix}.`));
    return found ? ruleFieldError(t, found[0], found[1]) : undefined;
  };
  const recipientsError = message("action.recipients") ?? messageUnder("action.recipients");
  const paths = conditionPaths(draft);
  const conditionNames = error ? Object.keys(error.fields).filter((n) => n === "condition" || n.startsWith("condition.")) : [];
  const shown = [...SHOWN, ...Object.keys(error?.fields ?? {}).filter((n) => n.startsWith("action.recipients.")), ...(paths.setTo || paths.onlyIf ? conditionNames : [])];
  const triggerField = fields.find((f) => f.field === draft.field);
  const onlyIfField = fields.find((f) => f.field === draft.onlyIfField);
  const placeholders = ["{record}", ...fields.slice(0, 6).map((f) => `{${f.field}}`)].join(" ");

  return (
    <DialogShell
      testId="rule-editor"
      title={editing ? t("workflow.editor.editTitle") : t("workflow.editor.title")}
      onEscape={requestClose}
      onSave={discarding ? undefined : () => void save()}
      dialogRef={dialogRef}
    >
      {error && (
        <div className="banner banner-error" role="alert" data-testid="rule-error">
          <p>{isConflict(error) ? t("workflow.editor.conflict") : errorMessage(t, error)}</p>
          <UnshownFieldErrors error={error} shown={shown} describe={(name, fe) => ruleFieldError(t, name, fe)} />
        </div>
      )}
      <div className="form-grid interaction-grid">
        <Field label={t("workflow.fields.name")} className="field-wide" required requiredLabel={t("form.required")} error={message("name")} errorTestId="rule-error-name">
          {(control) => (
            <input {...control} className="input" dir="auto" autoFocus data-testid="rule-name" value={draft.name} onChange={(e) => set("name", e.target.value)} />
          )}
        </Field>
        <Field label={t("workflow.fields.kind")} error={message("record_table")} errorTestId="rule-error-record_table">
          {(control) => (
            <select {...control} className="input" data-testid="rule-kind" value={draft.table} onChange={(e) => chooseKind(e.target.value)}>
              {kinds.map((k) => (
                <option key={k.table} value={k.table}>
                  {kindName(t, k.table, k.label)}
                </option>
              ))}
              {!kind && <option value={draft.table}>{draft.table}</option>}
            </select>
          )}
        </Field>

        <div className="field-wide">
          <RadioChoices<WhenChoice>
            legend={t("workflow.fields.when")}
            values={whens}
            value={draft.when}
            onChange={chooseWhen}
            label={(w) => t(`workflow.editor.when.${w}`)}
            testId="rule-when"
            error={message("trigger") ?? message("trigger.type")}
            errorTestId="rule-error-trigger"
          />
        </div>
        {namesField(draft.when) && (
          <Field label={draft.when === "date_reached" ? t("workflow.editor.dateField") : t("workflow.editor.field")} error={message("trigger.field")} errorTestId="rule-error-trigger.field">
            {(control) => (
              <FieldSelect
                control={control}
                fields={triggerFields(kind, draft.when)}
                value={draft.field}
                onChange={(field) => setDraft((prev) => ({ ...prev, field, setTo: "" }))}
                testId="rule-field"
              />
            )}
          </Field>
        )}
        {draft.when === "changed" && (
          <Field
            label={t("workflow.editor.setTo")}
            error={messageUnder(paths.setTo)}
            errorTestId="rule-error-set-to"
            hint={t("workflow.editor.setToHint")}
          >
            {(control) => <ValueControl control={control} table={draft.table} field={triggerField} value={draft.setTo} onChange={(v) => set("setTo", v)} testId="rule-set-to" />}
          </Field>
        )}
        {draft.when === "date_reached" && (
          <div className="field-wide schedule-when">
            <RadioChoices<DateSide>
              legend={t("workflow.editor.dateSide")}
              values={DATE_SIDES}
              value={draft.side}
              onChange={(side) => set("side", side)}
              label={(s) => t(`workflow.editor.side.${s}`)}
              testId="rule-side"
            />
            {draft.side !== "on" && (
              <Field label={t("workflow.editor.days")} error={message("trigger.days")} errorTestId="rule-error-trigger.days">
                {(control) => (
                  <input
                    {...control}
                    className="input input-number"
                    inputMode="numeric"
                    dir="ltr"
                    data-testid="rule-days"
                    value={draft.days}
                    onChange={(e) => set("days", e.target.value)}
                  />
                )}
              </Field>
            )}
            <label className="checkbox">
              <input type="checkbox" data-testid="rule-yearly" checked={draft.yearly} onChange={(e) => set("yearly", e.target.checked)} />
              {t("workflow.editor.yearly")}
            </label>
          </div>
        )}
        {draft.when === "quiet" && (
          <Field
            label={t("workflow.editor.quietDays")}
            required
            requiredLabel={t("form.required")}
            error={message("trigger.days")}
            errorTestId="rule-error-trigger.days"
            hint={t("workflow.editor.quietHint")}
          >
            {(control) => (
              <input
                {...control}
                className="input input-number"
                inputMode="numeric"
                dir="ltr"
                data-testid="rule-quiet-days"
                value={draft.days}
                onChange={(e) => set("days", e.target.value)}
              />
            )}
          </Field>
        )}

        {fields.length > 0 && (
          <fieldset className="field field-wide radio-field" data-testid="rule-only-if">
            <legend className="field-label">{t("workflow.fields.onlyIf")}</legend>
            {draft.keptCondition ? (
              <p className="field-hint" data-testid="rule-kept-condition">
                {t("workflow.editor.keptCondition")}{" "}
                <button type="button" className="link-button" data-testid="rule-kept-condition-remove" onClick={() => set("keptCondition", null)}>
                  {t("workflow.editor.removeCondition")}
                </button>
              </p>
            ) : (
              <div className="schedule-when">
                <Field label={t("workflow.editor.onlyIfField")} error={messageUnder(paths.onlyIf)} errorTestId="rule-error-only-if">
                  {(control) => (
                    <FieldSelect
                      control={control}
                      fields={fields}
                      value={draft.onlyIfField}
                      onChange={(field) => setDraft((prev) => ({ ...prev, onlyIfField: field, onlyIfValue: "" }))}
                      noneLabel={t("workflow.editor.noCondition")}
                      testId="rule-only-if-field"
                    />
                  )}
                </Field>
                {draft.onlyIfField !== "" && (
                  <Field label={t("workflow.editor.is")}>
                    {(control) => (
                      <ValueControl control={control} table={draft.table} field={onlyIfField} value={draft.onlyIfValue} onChange={(v) => set("onlyIfValue", v)} testId="rule-only-if-value" />
                    )}
                  </Field>
                )}
              </div>
            )}
          </fieldset>
        )}

        <div className="field-wide">
          <RadioChoices<ThenChoice>
            legend={t("workflow.fields.then")}
            values={THEN_CHOICES}
            value={draft.then}
            onChange={(then) => set("then", then)}
            label={(a) => t(`workflow.editor.then.${a}`)}
            testId="rule-then"
            error={message("action") ?? message("action.type")}
            errorTestId="rule-error-action"
          />
        </div>

        {(draft.then === "create_task" || draft.then === "schedule_contact") && (
          <Field label={t("workflow.editor.responsible")} error={message("action.responsible.id") ?? message("action.responsible")} errorTestId="rule-error-responsible">
            {(control) => (
              <PersonSelect
                control={control}
                value={draft.assignee === "person" ? draft.personId : ""}
                onChange={(id) => setDraft((prev) => ({ ...prev, assignee: id === "" ? "record_owner" : "person", personId: id }))}
                noneLabel={t("workflow.editor.recordOwner")}
                testId="rule-responsible"
              />
            )}
          </Field>
        )}

        {draft.then === "create_task" && (
          <>
            <Field label={t("workflow.editor.taskTitle")} className="field-wide" required requiredLabel={t("form.required")} error={message("action.title")} errorTestId="rule-error-action.title">
              {(control) => <input {...control} className="input" dir="auto" data-testid="rule-task-title" value={draft.title} onChange={(e) => set("title", e.target.value)} />}
            </Field>
            <Field label={t("workflow.editor.taskDescription")} className="field-wide" error={message("action.description")}>
              {(control) => (
                <textarea {...control} className="input" dir="auto" rows={2} data-testid="rule-task-description" value={draft.description} onChange={(e) => set("description", e.target.value)} />
              )}
            </Field>
            <Field label={t("workflow.editor.controller")} error={message("action.controller_id")} errorTestId="rule-error-action.controller_id">
              {(control) => (
                <PersonSelect control={control} value={draft.controllerId} onChange={(id) => set("controllerId", id)} noneLabel={t("tasks.dialog.noController")} testId="rule-task-controller" />
              )}
            </Field>
            <Field label={t("workflow.editor.deadlineDays")} error={message("action.deadline_days")} errorTestId="rule-error-action.deadline_days" hint={t("workflow.editor.deadlineDaysHint")}>
              {(control) => (
                <input
                  {...control}
                  className="input input-number"
                  inputMode="numeric"
                  dir="ltr"
                  data-testid="rule-deadline-days"
                  value={draft.deadlineDays}
                  onChange={(e) => set("deadlineDays", e.target.value)}
                />
              )}
            </Field>
          </>
        )}

        {draft.then === "schedule_contact" && (
          <>
            <Field label={t("interactions.dialog.topic")} required requiredLabel={t("form.required")} error={message("action.topic_id")} errorTestId="rule-error-action.topic_id">
              {(control) => (
                <TopicPicker
                  control={control}
                  topics={topics.active}
                  value={draft.topicId !== null ? (topics.byId.get(draft.topicId) ?? null) : null}
                  onChange={(topic) => set("topicId", topic?.id ?? null)}
                />
              )}
            </Field>
            <RadioChoices<InteractionChannel>
              legend={t("interactions.dialog.channel")}
              values={CHANNELS}
              value={draft.channel}
              onChange={(channel) => set("channel", channel)}
              label={(c) => channelLabel(t, c)}
              icon={(c) => <ChannelIcon channel={c} />}
              testId="rule-channel"
              error={message("action.channel")}
            />
            <div className="schedule-when">
              <Field label={t("workflow.editor.contactDays")} error={message("action.days")} errorTestId="rule-error-action.days">
                {(control) => (
                  <input
                    {...control}
                    className="input input-number"
                    inputMode="numeric"
                    dir="ltr"
                    data-testid="rule-contact-days"
                    value={draft.contactDays}
                    onChange={(e) => set("contactDays", e.target.value)}
                  />
                )}
              </Field>
              <Field label={t("workflow.editor.at")} error={message("action.at")} errorTestId="rule-error-action.at">
                {(control) => <input {...control} className="input" type="time" dir="ltr" data-testid="rule-contact-at" value={draft.at} onChange={(e) => set("at", e.target.value)} />}
              </Field>
            </div>
            <Field label={t("schedule.dialog.zone")} error={message("action.time_zone")} errorTestId="rule-error-action.time_zone">
              {(control) => <ZonePicker control={control} value={draft.timeZone} onChange={(zone) => set("timeZone", zone)} testId="rule-contact-zone" />}
            </Field>
            <Field label={t("schedule.dialog.note")} className="field-wide" error={message("action.note")}>
              {(control) => <textarea {...control} className="input" dir="auto" rows={2} data-testid="rule-contact-note" value={draft.note} onChange={(e) => set("note", e.target.value)} />}
            </Field>
          </>
        )}

        {draft.then === "notify" && (
          <>
            <Recipients value={draft.recipients} onChange={(ids) => set("recipients", ids)} error={recipientsError} />
            <Field label={t("workflow.editor.message")} className="field-wide" required requiredLabel={t("form.required")} error={message("action.message")} errorTestId="rule-error-action.message">
              {(control) => <textarea {...control} className="input" dir="auto" rows={3} data-testid="rule-message" value={draft.message} onChange={(e) => set("message", e.target.value)} />}
            </Field>
          </>
        )}

        {draft.then === "email" && (
          <>
            <Field label={t("workflow.editor.to")} className="field-wide" required requiredLabel={t("form.required")} error={message("action.to")} errorTestId="rule-error-action.to">
              {(control) => <input {...control} className="input" dir="ltr" data-testid="rule-email-to" value={draft.to} onChange={(e) => set("to", e.target.value)} />}
            </Field>
            <Field label={t("workflow.editor.subject")} className="field-wide" required requiredLabel={t("form.required")} error={message("action.subject")} errorTestId="rule-error-action.subject">
              {(control) => <input {...control} className="input" dir="auto" data-testid="rule-email-subject" value={draft.subject} onChange={(e) => set("subject", e.target.value)} />}
            </Field>
            <Field label={t("workflow.editor.body")} className="field-wide" required requiredLabel={t("form.required")} error={message("action.body")} errorTestId="rule-error-action.body">
              {(control) => <textarea {...control} className="input" dir="auto" rows={4} data-testid="rule-email-body" value={draft.body} onChange={(e) => set("body", e.target.value)} />}
            </Field>
          </>
        )}
        <p className="field-hint field-wide" data-testid="rule-placeholders">
          {t("workflow.editor.placeholders", { examples: placeholders })}
        </p>
      </div>
      <div className="dialog-actions interaction-actions">
        <span className="muted small">{t("interactions.dialog.shortcuts")}</span>
        <span className="toolbar-spacer" />
        <button type="button" className="button" data-testid="rule-cancel" onClick={requestClose}>
          {t("interactions.dialog.cancel")}
        </button>
        <button type="button" className="button button-primary" data-testid="rule-save" aria-disabled={pending || undefined} onClick={() => void save()}>
          {pending ? t("interactions.dialog.saving") : editing ? t("workflow.editor.saveChanges") : t("workflow.editor.save")}
        </button>
      </div>
      {discarding && (
        <ConfirmDialog
          title={t("workflow.editor.discardTitle")}
          body={t("interactions.dialog.discardBody")}
          confirmLabel={t("interactions.dialog.discard")}
          danger
          onConfirm={onClose}
          onCancel={keepEditing}
          testIds={{ dialog: "rule-discard", confirm: "rule-discard-confirm", cancel: "rule-discard-cancel" }}
        />
      )}
    </DialogShell>
  );
}

/** A field of the kind, by the labels the window gives fields (a custom one by its own). */
function FieldSelect({
  control,
  fields,
  value,
  onChange,
  noneLabel,
  testId,
}: {
  control: ControlProps;
  fields: readonly SegmentField[];
  value: string;
  onChange: (field: string) => void;
  noneLabel?: string;
  testId: string;
}) {
  const { t } = useTranslation();
  const known = fields.some((f) => f.field === value);
  return (
    <select {...control} className="input" data-testid={testId} value={value} onChange={(e) => onChange(e.target.value)}>
      <option value="">{noneLabel ?? t("workflow.editor.chooseField")}</option>
      {fields.map((f) => (
        <option key={f.field} value={f.field}>
          {segmentFieldLabel(t, f)}
        </option>
      ))}
      {!known && value !== "" && <option value={value}>{segmentFieldLabel(t, { field: value, label: null })}</option>}
    </select>
  );
}

/** The value a condition compares with, by its field's type; text as typed for a field not chosen yet. */
function ValueControl({
  control,
  table,
  field,
  value,
  onChange,
  testId,
}: {
  control: ControlProps;
  table: string;
  field: SegmentField | undefined;
  value: string;
  onChange: (value: string) => void;
  testId: string;
}) {
  const { t } = useTranslation();
  const language = useLanguage();
  const choice = useChoiceLabel(isSegmentTable(table) ? table : "organisations");
  const choiceText = (key: string) => (isSegmentTable(table) && field ? choice(field.field, key) : key);
  switch (field?.type) {
    case "choice":
    case "multi_choice":
      return (
        <select {...control} className="input" data-testid={testId} value={value} onChange={(e) => onChange(e.target.value)}>
          <option value="">{t("segments.builder.chooseValue")}</option>
          {field.values.map((key) => (
            <option key={key} value={key}>
              {choiceText(key)}
            </option>
          ))}
          {value !== "" && !field.values.includes(value) && <option value={value}>{choiceText(value)}</option>}
        </select>
      );
    case "yes_no":
      return (
        <select {...control} className="input" data-testid={testId} value={value} onChange={(e) => onChange(e.target.value)}>
          <option value="">{t("segments.builder.chooseValue")}</option>
          <option value="yes">{t("customFields.yes")}</option>
          <option value="no">{t("customFields.no")}</option>
        </select>
      );
    case "date":
      return (
        <>
          <input {...control} className="input" type="date" dir="ltr" data-testid={testId} value={value} onChange={(e) => onChange(e.target.value)} />
          {language === "fa" && value !== "" && <span className="field-hint">{formatCalendarDate(value, language)}</span>}
        </>
      );
    case "number":
      return <input {...control} className="input input-number" inputMode="decimal" dir="ltr" data-testid={testId} value={value} onChange={(e) => onChange(e.target.value)} />;
    case "reference":
      if (field.table === "users") return <PersonSelect control={control} value={value} onChange={onChange} noneLabel={t("segments.builder.choosePerson")} testId={testId} />;
      if (field.table === "organisations" || field.table === "contacts")
        return <RecordValue control={control} entity={field.table === "organisations" ? "organisation" : "contact"} value={value} onChange={onChange} testId={testId} />;
      return <input {...control} className="input" dir="ltr" data-testid={testId} value={value} onChange={(e) => onChange(e.target.value)} />;
    default:
      return <input {...control} className="input" dir="auto" data-testid={testId} value={value} onChange={(e) => onChange(e.target.value)} />;
  }
}

/** An organisation or contact found by typing; a saved one shown by its title. */
function RecordValue({
  control,
  entity,
  value,
  onChange,
  testId,
}: {
  control: ControlProps;
  entity: "organisation" | "contact";
  value: string;
  onChange: (id: string) => void;
  testId: string;
}) {
  const { t } = useTranslation();
  const [picked, setPicked] = useState<{ id: string; title: string } | null>(null);
  const titles = useRecordTitles(value === "" || picked?.id === value ? [] : [value]);
  const hit = titles.get(value);
  const title = picked?.id === value ? picked.title : hit ? hit.title : hit === null ? shortId(value) : "";
  return (
    <RecordPicker
      control={control}
      value={value === "" ? null : { id: value, title }}
      onChange={(record) => {
        setPicked(record);
        onChange(record ? record.id : "");
      }}
      entities={[entity]}
      testId={testId}
      placeholder={t("customFields.linkPlaceholder")}
      listLabel={t(`palette.${entity}`)}
      noMatches={t("customFields.noMatches")}
    />
  );
}

/** A colleague, or `noneLabel` (the record's owner, no controller). */
function PersonSelect({ control, value, onChange, noneLabel, testId }: { control: ControlProps; value: string; onChange: (id: string) => void; noneLabel: string; testId: string }) {
  const language = useLanguage();
  const { data: directory } = useColleagues();
  const people = (directory?.users ?? []).filter((u) => u.active || u.id === value).sort((a, b) => a.display_name.localeCompare(b.display_name, language));
  const unknown = value !== "" && !people.some((p) => p.id === value);
  return (
    <select {...control} className="input" data-testid={testId} value={value} onChange={(e) => onChange(e.target.value)}>
      <option value="">{noneLabel}</option>
      {people.map((p) => (
        <option key={p.id} value={p.id}>
          {p.display_name}
        </option>
      ))}
      {unknown && <option value={value}>{(directory && colleagueName(directory, value)) ?? shortId(value)}</option>}
    </select>
  );
}

/** Who a notice goes to: the active colleagues, each ticked or not. */
function Recipients({ value, onChange, error }: { value: readonly string[]; onChange: (ids: string[]) => void; error: string | undefined }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const errorId = useId();
  const { data: directory } = useColleagues();
  const people = (directory?.users ?? []).filter((u) => u.active || value.includes(u.id)).sort((a, b) => a.display_name.localeCompare(b.display_name, language));
  return (
    <fieldset className="field field-wide radio-field" data-testid="rule-recipients" aria-describedby={error ? errorId : undefined}>
      <legend className="field-label">
        {t("workflow.editor.recipients")}
        <span className="field-required" aria-hidden="true">
          *
        </span>
      </legend>
      <div className="choice-boxes">
        {people.map((p) => (
          <label key={p.id} className="checkbox">
            <input
              type="checkbox"
              data-testid={`rule-recipient-${p.id}`}
              aria-invalid={error ? true : undefined}
              checked={value.includes(p.id)}
              onChange={(e) => onChange(e.target.checked ? [...value, p.id] : value.filter((id) => id !== p.id))}
            />
            <bdi>{p.display_name}</bdi>
          </label>
        ))}
        {people.length === 0 && <span className="muted">{t("workflow.editor.noColleagues")}</span>}
      </div>
      {error && (
        <span id={errorId} className="field-error" role="alert" data-testid="rule-error-action.recipients">
          {error}
        </span>
      )}
    </fieldset>
  );
}

import { useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { ApiError, InteractionChannel, ScheduledContact } from "../../../api/generated";
import { useMutation } from "../../../api/useOperation";
import { errorMessage, fieldErrorFor, isConflict } from "../../../shared/errors";
import { formatCalendarDate, formatDateTime } from "../../../shared/format";
import type { Whom } from "../../../shared/interactions/InteractionsSlot";
import { CHANNELS, channelLabel } from "../../../shared/interactions/labels";
import { useTopics } from "../../../shared/interactions/useTopics";
import { ConfirmDialog } from "../../../shared/ui/ConfirmDialog";
import { Field } from "../../../shared/ui/Field";
import { UnshownFieldErrors } from "../../../shared/ui/UnshownFieldErrors";
import { useLanguage } from "../../../shared/useLanguage";
import { ChannelIcon } from "../components/ChannelIcon";
import { DialogShell } from "../components/DialogShell";
import { RadioChoices } from "../components/RadioChoices";
import { ResponsibleSelect, type Me } from "../components/ResponsibleSelect";
import { NoTopics, TopicPicker } from "../components/TopicPicker";
import { ContactOrganisation, WithPicker } from "../components/WithPicker";
import { whomName } from "../model";
import {
  hasTypedSchedule,
  LEADS,
  newScheduleDraft,
  recurrenceOf,
  repeatOf,
  scheduledDraft,
  scheduleInput,
  scheduleProblems,
  startInstant,
  updateInput,
  withDate,
  type EndChoice,
  type RepeatChoice,
  type ScheduleDraft,
  type SchedulePrefill,
} from "./model";
import { weekdaysFrom, type Frequency, type Weekday } from "./recurrence";
import { describeCustomRule, describeLead, describeRepeat, firstWeekday, scheduleFieldError, weekdayName } from "./words";
import { ZonePicker } from "./ZonePicker";
import { localZone } from "./zones";

/** A new contact (prefilled from a card or a calendar slot), or a series redefined. */
export type ScheduleMode = { kind: "new"; prefill: SchedulePrefill } | { kind: "edit"; stored: ScheduledContact; whom: Whom | null };

type Props = {
  mode: ScheduleMode;
  me: Me;
  /** Who may answer for a contact besides oneself is chosen from the colleagues (for who may see them). */
  canChooseResponsible: boolean;
  canAddTopics: boolean;
  onClose: () => void;
  onSaved: (saved: ScheduledContact, whom: string, edited: boolean) => void;
};

const REPEATS: readonly RepeatChoice[] = ["none", "daily", "weekly", "monthly", "yearly"];
const ENDS: readonly EndChoice[] = ["never", "until", "count"];
const LEAD_VALUES = LEADS.map(String);

/** The fields shown beside their controls; the core's other problems go in the banner. */
const SHOWN = [
  "contact_id",
  "organisation_id",
  "topic_id",
  "channel",
  "starts_at",
  "time_zone",
  "duration_minutes",
  "recurrence",
  "interval",
  "until",
  "count",
  "lead_minutes",
  "responsible_id",
  "note",
];

/**
 * Plans a call, meeting or email from the keyboard: with whom, the topic, the channel, the date and
 * time in a time zone (this computer's unless changed), how long, how it repeats and ends, how long
 * before it the reminder comes, who makes it and a note. Ctrl+Enter saves from anywhere; Esc
 * cancels, asking first when something was changed. The same dialog redefines a series.
 */
export function ScheduleContactDialog({ mode, me, canChooseResponsible, canAddTopics, onClose, onSaved }: Props) {
  const { t } = useTranslation();
  const language = useLanguage();
  const editing = mode.kind === "edit";
  const [opened] = useState<ScheduleDraft>(() =>
    mode.kind === "edit" ? scheduledDraft(mode.stored, mode.whom) : newScheduleDraft(mode.prefill, me.id, new Date(), localZone()),
  );
  const [draft, setDraft] = useState(opened);
  const [error, setError] = useState<ApiError | null>(null);
  const [discarding, setDiscarding] = useState(false);
  const dialogRef = useRef<HTMLDivElement>(null);
  const topicRef = useRef<HTMLInputElement>(null);
  const dateRef = useRef<HTMLInputElement>(null);
  const focusBeforeAsking = useRef<HTMLElement | null>(null);
  const topics = useTopics();
  const schedule = useMutation("interactions.schedule");
  const update = useMutation("interactions.update_scheduled");
  const pending = schedule.pending || update.pending;

  function set<K extends keyof ScheduleDraft>(key: K, value: ScheduleDraft[K]) {
    setDraft((prev) => ({ ...prev, [key]: value }));
  }

  function showProblems(problem: ApiError) {
    setError(problem);
    requestAnimationFrame(() => dialogRef.current?.querySelector<HTMLElement>("[aria-invalid=true]")?.focus());
  }

  async function save() {
    if (pending) return;
    const problems = scheduleProblems(draft);
    if (problems) {
      showProblems(problems);
      return;
    }
    try {
      const saved = mode.kind === "edit" ? await update.run(updateInput(mode.stored, opened, draft)) : await schedule.run(scheduleInput(draft, me.id));
      onSaved(saved, draft.whom ? whomName(draft.whom) : "", editing);
    } catch (e) {
      showProblems(e as ApiError);
    }
  }

  function requestClose() {
    if (!hasTypedSchedule(opened, draft)) {
      onClose();
      return;
    }
    focusBeforeAsking.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    setDiscarding(true);
  }

  function keepEditing() {
    setDiscarding(false);
    (focusBeforeAsking.current ?? dateRef.current)?.focus();
  }

  const message = (field: string) => {
    const fe = fieldErrorFor(error, field);
    return fe ? scheduleFieldError(t, field, fe) : undefined;
  };
  const whomField = fieldErrorFor(error, "contact_id") ? "contact_id" : "organisation_id";
  const topic = draft.topicId !== null ? (topics.byId.get(draft.topicId) ?? null) : null;
  const noTopics = topics.settled && topics.active.length === 0 && topic === null;
  const conflict = isConflict(error);
  const prefilled = opened.whom !== null;
  const start = startInstant(draft);
  const here = localZone();
  const repeating = draft.repeat !== "none" && draft.repeat !== "custom";
  const recurrence = recurrenceOf(draft);
  const days = weekdaysFrom(firstWeekday(language));

  // The date as Persian readers count it, beside the Gregorian date the control shows.
  const dateHint = language === "fa" && /^\d{4}-\d{2}-\d{2}$/.test(draft.date) ? formatCalendarDate(draft.date, language) : undefined;
  const startHint = start && draft.timeZone !== here ? t("schedule.dialog.yourTime", { time: formatDateTime(start, language) }) : undefined;

  return (
    <DialogShell
      testId="schedule-dialog"
      title={editing ? t("schedule.dialog.editTitle") : t("schedule.dialog.title")}
      onEscape={requestClose}
      onSave={discarding ? undefined : () => void save()}
      dialogRef={dialogRef}
    >
      {error && (
        <div className="banner banner-error" role="alert" data-testid="schedule-error">
          <p>{conflict ? t("schedule.dialog.conflict") : errorMessage(t, error)}</p>
          <UnshownFieldErrors error={error} shown={SHOWN} />
        </div>
      )}
      {editing && (
        <div className="banner" role="note">
          {t("schedule.dialog.editNote")}
        </div>
      )}
      <div className="form-grid interaction-grid">
        <Field
          label={t("interactions.dialog.with")}
          className="field-wide"
          required
          requiredLabel={t("form.required")}
          error={message(whomField)}
          errorTestId={`schedule-error-${whomField}`}
        >
          {(control) => (
            <div>
              <WithPicker
                control={control}
                value={draft.whom}
                autoFocus={!prefilled}
                onChange={(whom) => {
                  set("whom", whom);
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
        <Field label={t("interactions.dialog.topic")} required requiredLabel={t("form.required")} error={message("topic_id")} errorTestId="schedule-error-topic_id">
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
                onPicked={() => dateRef.current?.focus()}
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
          testId="schedule-channel"
          error={message("channel")}
          errorTestId="schedule-error-channel"
        />
        <div className="schedule-when">
          <Field label={t("schedule.dialog.date")} required requiredLabel={t("form.required")} error={message("starts_at")} errorTestId="schedule-error-starts_at" hint={dateHint}>
            {(control) => (
              <input
                {...control}
                ref={dateRef}
                className="input"
                type="date"
                data-testid="schedule-date"
                dir="ltr"
                autoFocus={editing}
                value={draft.date}
                onChange={(e) => setDraft((prev) => withDate(prev, e.target.value))}
              />
            )}
          </Field>
          <Field label={t("schedule.dialog.time")} hint={startHint}>
            {(control) => (
              <input
                {...control}
                aria-invalid={fieldErrorFor(error, "starts_at") ? true : undefined}
                className="input"
                type="time"
                data-testid="schedule-time"
                dir="ltr"
                value={draft.time}
                onChange={(e) => set("time", e.target.value)}
              />
            )}
          </Field>
          <Field label={t("schedule.dialog.duration")} error={message("duration_minutes")} errorTestId="schedule-error-duration_minutes">
            {(control) => (
              <input
                {...control}
                className="input input-number"
                type="number"
                min={1}
                max={1440}
                step={5}
                data-testid="schedule-duration"
                dir="ltr"
                value={draft.duration}
                onChange={(e) => set("duration", e.target.value)}
              />
            )}
          </Field>
        </div>
        <Field label={t("schedule.dialog.zone")} error={message("time_zone")} errorTestId="schedule-error-time_zone">
          {(control) => <ZonePicker control={control} value={draft.timeZone} onChange={(zone) => set("timeZone", zone)} testId="schedule-zone" />}
        </Field>
        <div className="field-wide schedule-repeat">
          <RadioChoices<RepeatChoice>
            legend={t("schedule.dialog.repeat")}
            values={draft.customRule !== null ? [...REPEATS, "custom"] : REPEATS}
            value={draft.repeat}
            onChange={(repeat) => set("repeat", repeat)}
            label={(r) => t(`schedule.repeatChoice.${r}`)}
            testId="schedule-repeat"
            hint={
              draft.repeat === "custom" && draft.customRule !== null
                ? describeCustomRule(t, draft.customRule)
                : repeating && recurrence !== null
                  ? describeRepeat(t, language, repeatOf(draft))
                  : undefined
            }
            error={message("recurrence")}
            errorTestId="schedule-error-recurrence"
          />
          {repeating && (
            <div className="schedule-repeat-details">
              <Field label={t(`schedule.dialog.every.${draft.repeat as Frequency}`)} error={message("interval")} errorTestId="schedule-error-interval">
                {(control) => (
                  <input
                    {...control}
                    className="input input-number"
                    type="number"
                    min={1}
                    max={999}
                    data-testid="schedule-interval"
                    dir="ltr"
                    value={draft.interval}
                    onChange={(e) => set("interval", e.target.value)}
                  />
                )}
              </Field>
              {draft.repeat === "weekly" && (
                <fieldset className="field radio-field" data-testid="schedule-days">
                  <legend className="field-label">{t("schedule.dialog.onDays")}</legend>
                  <div className="radio-chips">
                    {days.map((day) => (
                      <label key={day} className="radio-chip" title={weekdayName(day, language)}>
                        <input
                          type="checkbox"
                          data-testid={`schedule-day-${day}`}
                          checked={draft.byDay.includes(day)}
                          onChange={(e) => setDraft((prev) => ({ ...prev, byDay: toggle(prev.byDay, day, e.target.checked), daysChosen: true }))}
                        />
                        <span>{weekdayName(day, language, "short")}</span>
                      </label>
                    ))}
                  </div>
                </fieldset>
              )}
              <RadioChoices<EndChoice>
                legend={t("schedule.dialog.ends")}
                values={ENDS}
                value={draft.end}
                onChange={(end) => set("end", end)}
                label={(e) => t(`schedule.endChoice.${e}`)}
                testId="schedule-end"
              />
              {draft.end === "until" && (
                <Field
                  label={t("schedule.dialog.until")}
                  error={message("until")}
                  errorTestId="schedule-error-until"
                  hint={language === "fa" && draft.until ? formatCalendarDate(draft.until, language) : undefined}
                >
                  {(control) => (
                    <input {...control} className="input" type="date" data-testid="schedule-until" dir="ltr" value={draft.until} onChange={(e) => set("until", e.target.value)} />
                  )}
                </Field>
              )}
              {draft.end === "count" && (
                <Field label={t("schedule.dialog.count")} error={message("count")} errorTestId="schedule-error-count">
                  {(control) => (
                    <input
                      {...control}
                      className="input input-number"
                      type="number"
                      min={1}
                      max={999}
                      data-testid="schedule-count"
                      dir="ltr"
                      value={draft.count}
                      onChange={(e) => set("count", e.target.value)}
                    />
                  )}
                </Field>
              )}
            </div>
          )}
        </div>
        <RadioChoices<string>
          legend={t("schedule.dialog.remind")}
          values={LEAD_VALUES}
          value={String(draft.lead)}
          onChange={(lead) => set("lead", Number(lead))}
          label={(lead) => (lead === "0" ? t("schedule.lead.atStart") : describeLead(t, language, Number(lead)))}
          testId="schedule-lead"
          error={message("lead_minutes")}
          errorTestId="schedule-error-lead_minutes"
        />
        <Field label={t("interactions.dialog.responsible")} error={message("responsible_id")} errorTestId="schedule-error-responsible_id">
          {(control) =>
            canChooseResponsible ? (
              <ResponsibleSelect control={control} me={me} value={draft.responsibleId} onChange={(id) => set("responsibleId", id)} testId="schedule-responsible" />
            ) : (
              <input {...control} className="input" readOnly data-testid="schedule-responsible" value={t("interactions.dialog.me", { name: me.name })} />
            )
          }
        </Field>
        <Field label={t("schedule.dialog.note")} className="field-wide" error={message("note")} errorTestId="schedule-error-note">
          {(control) => (
            <textarea
              {...control}
              className="input"
              data-testid="schedule-note"
              dir="auto"
              rows={3}
              placeholder={t("schedule.dialog.notePlaceholder")}
              value={draft.note}
              onChange={(e) => set("note", e.target.value)}
            />
          )}
        </Field>
      </div>
      <div className="dialog-actions interaction-actions">
        <span className="muted small">{t("interactions.dialog.shortcuts")}</span>
        <span className="toolbar-spacer" />
        <button type="button" className="button" data-testid="schedule-cancel" onClick={requestClose}>
          {t("interactions.dialog.cancel")}
        </button>
        <button type="button" className="button button-primary" data-testid="schedule-save" aria-disabled={pending || undefined} onClick={() => void save()}>
          {pending ? t("interactions.dialog.saving") : editing ? t("schedule.dialog.saveChanges") : t("schedule.dialog.save")}
        </button>
      </div>
      {discarding && (
        <ConfirmDialog
          title={t("schedule.dialog.discardTitle")}
          body={t("interactions.dialog.discardBody")}
          confirmLabel={t("interactions.dialog.discard")}
          danger
          onConfirm={onClose}
          onCancel={keepEditing}
          testIds={{ dialog: "schedule-discard", confirm: "schedule-discard-confirm", cancel: "schedule-discard-cancel" }}
        />
      )}
    </DialogShell>
  );
}

function toggle(days: readonly Weekday[], day: Weekday, on: boolean): Weekday[] {
  return on ? [...days.filter((d) => d !== day), day] : days.filter((d) => d !== day);
}

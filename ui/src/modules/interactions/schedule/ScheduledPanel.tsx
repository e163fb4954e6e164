import { useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { ApiError, ScheduledContact } from "../../../api/generated";
import { useMutation } from "../../../api/useOperation";
import { errorMessage, isConflict } from "../../../shared/errors";
import { formatDateTime, formatDateTimeIn } from "../../../shared/format";
import type { Whom } from "../../../shared/interactions/InteractionsSlot";
import { channelLabel } from "../../../shared/interactions/labels";
import { useTopics } from "../../../shared/interactions/useTopics";
import { useRecordTitles } from "../../../shared/search/useRecordTitles";
import { ConfirmDialog } from "../../../shared/ui/ConfirmDialog";
import { Field } from "../../../shared/ui/Field";
import { colleagueName, useColleagues } from "../../../shared/useColleagues";
import { useLanguage } from "../../../shared/useLanguage";
import { ChannelIcon } from "../components/ChannelIcon";
import { DialogShell } from "../components/DialogShell";
import { whomName, whomOf } from "../model";
import { parseRule, weekdayOfDay } from "./recurrence";
import { useScheduledContact } from "./useScheduling";
import { describeCustomRule, describeDuration, describeLead, describeRepeat } from "./words";
import { dayOfWeek, localZone, wallAt, dateText } from "./zones";

/** The snoozes offered, in minutes: 10 minutes, an hour, a day. */
const SNOOZES = [
  { minutes: 10, key: "tenMinutes" },
  { minutes: 60, key: "hour" },
  { minutes: 1440, key: "tomorrow" },
] as const;

type Props = {
  id: string;
  /** Who may change scheduled contacts (mark done, snooze, skip, edit, cancel). */
  canWrite: boolean;
  onClose: () => void;
  onEdit: (stored: ScheduledContact, whom: Whom | null) => void;
  /** Something was done to it; `text` says what, in words. */
  onChanged: (text: string) => void;
};

/**
 * One scheduled contact: whom, the topic, the channel, when (in its own zone and, when it differs,
 * in the reader's), how it repeats, the next start, the reminder, the note and who makes it; and
 * what can be done with it: done (with a summary, Ctrl+Enter), snooze, skip this occurrence, edit
 * the series, cancel the series.
 */
export function ScheduledPanel({ id, canWrite, onClose, onEdit, onChanged }: Props) {
  const { t } = useTranslation();
  const { data: stored, error, refetch } = useScheduledContact(id);
  if (!stored)
    return (
      <DialogShell testId="scheduled-panel" title={t("schedule.panel.title")} onEscape={onClose}>
        {error ? (
          <div className="banner banner-error" role="alert">
            <p>{errorMessage(t, error)}</p>
            <button type="button" className="button" onClick={() => void refetch()}>
              {t("app.retry")}
            </button>
          </div>
        ) : (
          <p className="muted">{t("app.loading")}</p>
        )}
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onClose}>
            {t("app.close")}
          </button>
        </div>
      </DialogShell>
    );
  return <PanelBody key={stored.version} stored={stored} canWrite={canWrite} onClose={onClose} onEdit={onEdit} onChanged={onChanged} onReload={() => void refetch()} />;
}

function PanelBody({ stored, canWrite, onClose, onEdit, onChanged, onReload }: Omit<Props, "id"> & { stored: ScheduledContact; onReload: () => void }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const topics = useTopics();
  const titles = useRecordTitles([stored.contact_id, stored.organisation_id].filter((x): x is string => x !== null));
  const { data: directory } = useColleagues();
  const [summary, setSummary] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [asking, setAsking] = useState<"cancel" | "discard" | null>(null);
  const summaryRef = useRef<HTMLTextAreaElement>(null);
  const complete = useMutation("interactions.complete_scheduled");
  const snooze = useMutation("interactions.snooze_reminder");
  const skip = useMutation("interactions.skip_occurrence");
  const cancel = useMutation("interactions.cancel_scheduled");
  const pending = complete.pending || snooze.pending || skip.pending || cancel.pending;

  const names = {
    contact: stored.contact_id ? (titles.get(stored.contact_id)?.title ?? null) : null,
    organisation: stored.organisation_id ? (titles.get(stored.organisation_id)?.title ?? null) : null,
  };
  const whom = whomOf(stored, names);
  const who = whom ? whomName(whom) || t("interactions.history.outOfReach") : t("interactions.history.outOfReach");
  const topic = topics.byId.get(stored.topic_id);
  const open = stored.due_at !== null && stored.archived_at === null;
  const when = stored.due_at ?? stored.starts_at;
  const here = localZone();
  const startDate = dateText(wallAt(new Date(stored.starts_at), stored.time_zone));
  const repeat = stored.recurrence === null ? null : parseRule(stored.recurrence, stored.time_zone, weekdayOfDay(dayOfWeek(startDate) ?? 1));
  const repeatText =
    stored.recurrence === null ? describeRepeat(t, language, null) : repeat ? describeRepeat(t, language, repeat) : describeCustomRule(t, stored.recurrence);
  const responsible = (directory && colleagueName(directory, stored.responsible_id)) ?? t("interactions.history.outOfReach");

  async function act<T>(run: () => Promise<T>, said: (result: T) => string) {
    if (pending) return;
    try {
      const result = await run();
      setError(null);
      onChanged(said(result));
    } catch (e) {
      setError(e as ApiError);
    }
  }

  function done() {
    if (summary === null) return;
    if (summary.trim() === "") {
      setError({ code: "invalid_input", message: "", fields: { summary: { code: "required", message: "" } } });
      summaryRef.current?.focus();
      return;
    }
    void act(
      () => complete.run({ id: stored.id, version: stored.version, summary }),
      () => t("schedule.panel.logged", { name: who }),
    );
  }

  function escape() {
    if (summary !== null && summary.trim() !== "") setAsking("discard");
    else if (summary !== null) setSummary(null);
    else onClose();
  }

  const nextText = (next: ScheduledContact) =>
    next.due_at ? t("schedule.panel.skipped", { time: formatDateTimeIn(next.due_at, language, next.time_zone) }) : t("schedule.panel.skippedLast");
  const summaryError = error?.fields.summary;

  return (
    <DialogShell testId="scheduled-panel" title={t("schedule.panel.titleWith", { name: who })} onEscape={escape} onSave={summary !== null && asking === null ? done : undefined}>
      {error && !summaryError && (
        <div className="banner banner-error" role="alert" data-testid="scheduled-error">
          <p>{isConflict(error) ? t("schedule.panel.conflict") : errorMessage(t, error)}</p>
          {isConflict(error) && (
            <button type="button" className="button" onClick={onReload}>
              {t("interactions.dialog.reload")}
            </button>
          )}
        </div>
      )}
      {stored.archived_at !== null && (
        <div className="banner" role="status">
          {t("schedule.panel.cancelled")}
        </div>
      )}
      <dl className="details scheduled-details">
        <div className="detail">
          <dt>{t("interactions.dialog.with")}</dt>
          <dd data-testid="scheduled-with">
            <bdi>{who}</bdi>
          </dd>
        </div>
        <div className="detail">
          <dt>{t("interactions.dialog.topic")}</dt>
          <dd data-testid="scheduled-topic">
            <bdi>{topic?.name ?? ""}</bdi>
          </dd>
        </div>
        <div className="detail">
          <dt>{t("interactions.dialog.channel")}</dt>
          <dd className="interaction-channel" data-testid="scheduled-channel">
            <ChannelIcon channel={stored.channel} />
            {channelLabel(t, stored.channel)}
          </dd>
        </div>
        <div className="detail">
          <dt>{open ? t("schedule.panel.next") : t("schedule.panel.when")}</dt>
          <dd data-testid="scheduled-when">
            <time dateTime={when}>{formatDateTimeIn(when, language, stored.time_zone)}</time>{" "}
            <bdi dir="ltr" className="muted">
              {stored.time_zone}
            </bdi>
            {stored.time_zone !== here && (
              <span className="field-hint" data-testid="scheduled-when-here">
                {t("schedule.dialog.yourTime", { time: formatDateTime(when, language) })}
              </span>
            )}
            {stored.due_at === null && <span className="field-hint">{t("schedule.panel.over")}</span>}
          </dd>
        </div>
        <div className="detail">
          <dt>{t("schedule.dialog.duration")}</dt>
          <dd>{describeDuration(t, language, stored.duration_minutes)}</dd>
        </div>
        <div className="detail">
          <dt>{t("schedule.dialog.repeat")}</dt>
          <dd data-testid="scheduled-repeat">{repeatText}</dd>
        </div>
        <div className="detail">
          <dt>{t("schedule.dialog.remind")}</dt>
          <dd data-testid="scheduled-reminder">
            {describeLead(t, language, stored.lead_minutes)}
            {stored.remind_at && <span className="field-hint">{t("schedule.panel.remindAt", { time: formatDateTime(stored.remind_at, language) })}</span>}
          </dd>
        </div>
        <div className="detail">
          <dt>{t("interactions.dialog.responsible")}</dt>
          <dd data-testid="scheduled-responsible">{responsible}</dd>
        </div>
        {stored.note && (
          <div className="detail detail-wide">
            <dt>{t("schedule.dialog.note")}</dt>
            <dd className="interaction-summary" dir="auto" data-testid="scheduled-note">
              {stored.note}
            </dd>
          </div>
        )}
      </dl>

      {summary !== null && (
        <Field
          label={t("schedule.panel.summary")}
          className="field-wide"
          required
          requiredLabel={t("form.required")}
          error={summaryError ? t("schedule.panel.summaryMissing") : undefined}
          errorTestId="scheduled-error-summary"
          hint={t("schedule.panel.summaryHint")}
        >
          {(control) => (
            <textarea
              {...control}
              ref={summaryRef}
              autoFocus
              className="input"
              rows={4}
              dir="auto"
              data-testid="scheduled-summary"
              placeholder={t("interactions.dialog.summaryPlaceholder")}
              value={summary}
              onChange={(e) => setSummary(e.target.value)}
            />
          )}
        </Field>
      )}

      <div className="dialog-actions scheduled-actions">
        {canWrite && summary === null && open && (
          <>
            <button type="button" className="button button-primary" data-testid="scheduled-done" onClick={() => setSummary("")}>
              {t("schedule.panel.done")}
            </button>
            <span className="scheduled-snooze" role="group" aria-label={t("schedule.panel.snooze")}>
              <span className="muted">{t("schedule.panel.snooze")}</span>
              {SNOOZES.map(({ minutes, key }) => (
                <button
                  key={key}
                  type="button"
                  className="button"
                  data-testid={`scheduled-snooze-${minutes}`}
                  onClick={() =>
                    void act(
                      () => snooze.run({ id: stored.id, version: stored.version, minutes }),
                      (next) => t("schedule.panel.snoozed", { time: next.remind_at ? formatDateTime(next.remind_at, language) : "" }),
                    )
                  }
                >
                  {t(`schedule.panel.snoozeFor.${key}`)}
                </button>
              ))}
            </span>
            <button
              type="button"
              className="button"
              data-testid="scheduled-skip"
              onClick={() => void act(() => skip.run({ id: stored.id, version: stored.version }), nextText)}
            >
              {t("schedule.panel.skip")}
            </button>
          </>
        )}
        {canWrite && summary === null && stored.archived_at === null && (
          <>
            <button type="button" className="button" data-testid="scheduled-edit" onClick={() => onEdit(stored, whom)}>
              {t("schedule.panel.edit")}
            </button>
            <button type="button" className="button button-danger-text" data-testid="scheduled-cancel-series" onClick={() => setAsking("cancel")}>
              {t("schedule.panel.cancelSeries")}
            </button>
          </>
        )}
        <span className="toolbar-spacer" />
        {summary !== null ? (
          <>
            <span className="muted small">{t("interactions.dialog.shortcuts")}</span>
            <button type="button" className="button" data-testid="scheduled-done-back" onClick={() => (summary.trim() === "" ? setSummary(null) : setAsking("discard"))}>
              {t("interactions.dialog.cancel")}
            </button>
            <button type="button" className="button button-primary" data-testid="scheduled-done-save" aria-disabled={pending || undefined} onClick={done}>
              {complete.pending ? t("interactions.dialog.saving") : t("schedule.panel.saveDone")}
            </button>
          </>
        ) : (
          <button type="button" className="button" data-testid="scheduled-close" onClick={onClose}>
            {t("app.close")}
          </button>
        )}
      </div>
      {asking === "cancel" && (
        <ConfirmDialog
          title={t("schedule.panel.cancelTitle")}
          body={t("schedule.panel.cancelBody", { name: who })}
          confirmLabel={t("schedule.panel.cancelSeries")}
          danger
          busy={cancel.pending}
          error={error ? errorMessage(t, error) : null}
          onConfirm={() => void act(() => cancel.run({ id: stored.id, version: stored.version }), () => t("schedule.panel.cancelledNotice", { name: who }))}
          onCancel={() => setAsking(null)}
          testIds={{ dialog: "scheduled-cancel-confirm", confirm: "scheduled-cancel-ok", cancel: "scheduled-cancel-no" }}
        />
      )}
      {asking === "discard" && (
        <ConfirmDialog
          title={t("schedule.panel.discardTitle")}
          body={t("interactions.dialog.discardBody")}
          confirmLabel={t("interactions.dialog.discard")}
          danger
          onConfirm={() => {
            setAsking(null);
            setSummary(null);
            setError(null);
          }}
          onCancel={() => {
            setAsking(null);
            summaryRef.current?.focus();
          }}
          testIds={{ dialog: "scheduled-discard", confirm: "scheduled-discard-confirm", cancel: "scheduled-discard-cancel" }}
        />
      )}
    </DialogShell>
  );
}

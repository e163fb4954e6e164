import { useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { ApiError, Task, TaskRow } from "../../../api/generated";
import { useMutation } from "../../../api/useOperation";
import { errorMessage, fieldErrorFor, isConflict } from "../../../shared/errors";
import { formatCalendarDate } from "../../../shared/format";
import { ConfirmDialog } from "../../../shared/ui/ConfirmDialog";
import { Field, type ControlProps } from "../../../shared/ui/Field";
import { UnshownFieldErrors } from "../../../shared/ui/UnshownFieldErrors";
import { useColleagues } from "../../../shared/useColleagues";
import { useLanguage } from "../../../shared/useLanguage";
import { DialogShell } from "../../interactions/components/DialogShell";
import { ResponsibleSelect, type Me } from "../../interactions/components/ResponsibleSelect";
import { ContactOrganisation, WithPicker } from "../../interactions/components/WithPicker";
import { taskFieldError } from "../labels";
import {
  createTaskInput,
  hasTypedTask,
  newTaskDraft,
  storedTaskDraft,
  taskProblems,
  updateTaskInput,
  whomOfTask,
  type TaskDraft,
  type TaskPrefill,
} from "../model";

/** A new task (about whom, when opened from a card), or a task corrected. */
export type TaskDialogMode = { kind: "new"; prefill: TaskPrefill } | { kind: "edit"; task: TaskRow };

type Props = {
  mode: TaskDialogMode;
  me: Me;
  /** Who may give a task to a colleague (who can read the directory); others give it to themselves. */
  canChooseResponsible: boolean;
  onClose: () => void;
  onSaved: (saved: Task, edited: boolean) => void;
};

/** The fields shown beside their controls; the core's other problems go in the banner. */
const SHOWN = ["title", "description", "deadline", "responsible_id", "controller_id", "contact_id", "organisation_id"];

/**
 * Gives a task from the keyboard: what (a title and a description), by when (a date and a time in
 * this computer's time zone), who does it (oneself unless a colleague is chosen), who checks the
 * result (nobody unless chosen: then handing it in finishes it) and the customer it is about.
 * Ctrl+Enter saves from anywhere; Esc cancels, asking first when something was typed. The same
 * dialog corrects a task (its author or controller), sending only what changed; who does it
 * changes by handing it on, not here.
 */
export function TaskDialog({ mode, me, canChooseResponsible, onClose, onSaved }: Props) {
  const { t } = useTranslation();
  const language = useLanguage();
  const editing = mode.kind === "edit";
  const [opened] = useState<TaskDraft>(() =>
    mode.kind === "edit" ? storedTaskDraft(mode.task, whomOfTask(mode.task)) : newTaskDraft(mode.prefill, me.id, new Date()),
  );
  const [draft, setDraft] = useState(opened);
  const [error, setError] = useState<ApiError | null>(null);
  const [discarding, setDiscarding] = useState(false);
  const dialogRef = useRef<HTMLDivElement>(null);
  const titleRef = useRef<HTMLInputElement>(null);
  const focusBeforeAsking = useRef<HTMLElement | null>(null);
  const create = useMutation("tasks.create");
  const update = useMutation("tasks.update");
  const pending = create.pending || update.pending;

  function set<K extends keyof TaskDraft>(key: K, value: TaskDraft[K]) {
    setDraft((prev) => ({ ...prev, [key]: value }));
  }

  function showProblems(problem: ApiError) {
    setError(problem);
    requestAnimationFrame(() => dialogRef.current?.querySelector<HTMLElement>("[aria-invalid=true]")?.focus());
  }

  async function save() {
    if (pending) return;
    const problems = taskProblems(draft);
    if (problems) {
      showProblems(problems);
      return;
    }
    try {
      const saved = mode.kind === "edit" ? await update.run(updateTaskInput(mode.task, opened, draft)) : await create.run(createTaskInput(draft, me.id));
      onSaved(saved, editing);
    } catch (e) {
      showProblems(e as ApiError);
    }
  }

  function requestClose() {
    if (!hasTypedTask(opened, draft)) {
      onClose();
      return;
    }
    focusBeforeAsking.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    setDiscarding(true);
  }

  function keepEditing() {
    setDiscarding(false);
    (focusBeforeAsking.current ?? titleRef.current)?.focus();
  }

  const message = (field: string) => {
    const fe = fieldErrorFor(error, field);
    return fe ? taskFieldError(t, field, fe) : undefined;
  };
  const whomField = fieldErrorFor(error, "contact_id") ? "contact_id" : "organisation_id";
  // The date as Persian readers count it, beside the Gregorian date the control shows.
  const dateHint = language === "fa" && /^\d{4}-\d{2}-\d{2}$/.test(draft.date) ? formatCalendarDate(draft.date, language) : undefined;

  return (
    <DialogShell
      testId="task-dialog"
      title={editing ? t("tasks.dialog.editTitle") : t("tasks.dialog.title")}
      onEscape={requestClose}
      onSave={discarding ? undefined : () => void save()}
      dialogRef={dialogRef}
    >
      {error && (
        <div className="banner banner-error" role="alert" data-testid="task-dialog-error">
          <p>{isConflict(error) ? t("tasks.dialog.conflict") : errorMessage(t, error)}</p>
          <UnshownFieldErrors error={error} shown={SHOWN} />
        </div>
      )}
      <div className="form-grid interaction-grid">
        <Field label={t("tasks.fields.title")} className="field-wide" required requiredLabel={t("form.required")} error={message("title")} errorTestId="task-error-title">
          {(control) => (
            <input
              {...control}
              ref={titleRef}
              className="input"
              data-testid="task-title"
              dir="auto"
              autoFocus
              value={draft.title}
              placeholder={t("tasks.dialog.titlePlaceholder")}
              onChange={(e) => set("title", e.target.value)}
            />
          )}
        </Field>
        <Field label={t("tasks.fields.description")} className="field-wide" error={message("description")} errorTestId="task-error-description">
          {(control) => (
            <textarea
              {...control}
              className="input"
              data-testid="task-description"
              dir="auto"
              rows={3}
              value={draft.description}
              onChange={(e) => set("description", e.target.value)}
            />
          )}
        </Field>
        <div className="schedule-when">
          <Field label={t("tasks.fields.deadlineDate")} required requiredLabel={t("form.required")} error={message("deadline")} errorTestId="task-error-deadline" hint={dateHint}>
            {(control) => (
              <input {...control} className="input" type="date" data-testid="task-date" dir="ltr" value={draft.date} onChange={(e) => set("date", e.target.value)} />
            )}
          </Field>
          <Field label={t("tasks.fields.deadlineTime")}>
            {(control) => (
              <input
                {...control}
                aria-invalid={fieldErrorFor(error, "deadline") ? true : undefined}
                className="input"
                type="time"
                data-testid="task-time"
                dir="ltr"
                value={draft.time}
                onChange={(e) => set("time", e.target.value)}
              />
            )}
          </Field>
        </div>
        {editing ? (
          <Field label={t("tasks.fields.responsible")}>
            {(control) => <input {...control} className="input" readOnly data-testid="task-responsible" value={mode.task.responsible_name} />}
          </Field>
        ) : (
          <Field label={t("tasks.fields.responsible")} error={message("responsible_id")} errorTestId="task-error-responsible_id">
            {(control) =>
              canChooseResponsible ? (
                <ResponsibleSelect control={control} me={me} value={draft.responsibleId} onChange={(id) => set("responsibleId", id)} testId="task-responsible" />
              ) : (
                <input {...control} className="input" readOnly data-testid="task-responsible" value={t("interactions.dialog.me", { name: me.name })} />
              )
            }
          </Field>
        )}
        <Field label={t("tasks.fields.controller")} error={message("controller_id")} errorTestId="task-error-controller_id" hint={t("tasks.dialog.controllerHint")}>
          {(control) => (
            <ColleagueSelect
              control={control}
              me={me}
              value={draft.controllerId}
              onChange={(id) => set("controllerId", id)}
              noneLabel={t("tasks.dialog.noController")}
              testId="task-controller"
            />
          )}
        </Field>
        {editing ? (
          draft.whom && (
            <Field label={t("tasks.fields.customer")} className="field-wide">
              {(control) => <input {...control} className="input" readOnly data-testid="task-customer" value={mode.task.contact_name ?? mode.task.organisation_name ?? ""} />}
            </Field>
          )
        ) : (
          <Field label={t("tasks.fields.customer")} className="field-wide" error={message(whomField)} errorTestId={`task-error-${whomField}`}>
            {(control) => (
              <div>
                <WithPicker control={control} value={draft.whom} onChange={(whom) => set("whom", whom)} />
                {draft.whom?.kind === "contact" && (
                  <span className="field-hint with-organisation">
                    <ContactOrganisation contactId={draft.whom.contact.id} />
                  </span>
                )}
              </div>
            )}
          </Field>
        )}
      </div>
      <div className="dialog-actions interaction-actions">
        <span className="muted small">{t("interactions.dialog.shortcuts")}</span>
        <span className="toolbar-spacer" />
        <button type="button" className="button" data-testid="task-cancel" onClick={requestClose}>
          {t("interactions.dialog.cancel")}
        </button>
        <button type="button" className="button button-primary" data-testid="task-save" aria-disabled={pending || undefined} onClick={() => void save()}>
          {pending ? t("interactions.dialog.saving") : editing ? t("tasks.dialog.saveChanges") : t("tasks.dialog.save")}
        </button>
      </div>
      {discarding && (
        <ConfirmDialog
          title={t("tasks.dialog.discardTitle")}
          body={t("interactions.dialog.discardBody")}
          confirmLabel={t("interactions.dialog.discard")}
          danger
          onConfirm={onClose}
          onCancel={keepEditing}
          testIds={{ dialog: "task-discard", confirm: "task-discard-confirm", cancel: "task-discard-cancel" }}
        />
      )}
    </DialogShell>
  );
}

/**
 * A colleague chosen from the directory (oneself marked, then the active ones by name), or none:
 * a task's controller, or whom it is handed on to. `exclude` are not offered (who holds it now).
 */
export function ColleagueSelect({
  control,
  me,
  value,
  onChange,
  noneLabel,
  exclude = [],
  testId,
}: {
  control: ControlProps;
  me: Me;
  value: string;
  onChange: (id: string) => void;
  /** The first choice, meaning nobody. */
  noneLabel: string;
  exclude?: readonly string[];
  testId: string;
}) {
  const { t } = useTranslation();
  const language = useLanguage();
  const { data: directory } = useColleagues();
  const others = (directory?.users ?? [])
    .filter((u) => u.id !== me.id && !exclude.includes(u.id) && (u.active || u.id === value))
    .sort((a, b) => a.display_name.localeCompare(b.display_name, language));
  return (
    <select {...control} className="input" data-testid={testId} value={value} onChange={(e) => onChange(e.target.value)}>
      <option value="">{noneLabel}</option>
      {!exclude.includes(me.id) && <option value={me.id}>{t("interactions.dialog.me", { name: me.name })}</option>}
      {others.map((u) => (
        <option key={u.id} value={u.id}>
          {u.display_name}
        </option>
      ))}
    </select>
  );
}

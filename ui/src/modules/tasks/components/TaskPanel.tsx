import { useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { ApiError, ReturnTaskInput, Task, TaskRow } from "../../../api/generated";
import { useMutation } from "../../../api/useOperation";
import { useOpenRecord } from "../../../app/useOpenRecord";
import { errorMessage, fieldErrorFor, isConflict } from "../../../shared/errors";
import { formatCalendarDate, formatDateTime } from "../../../shared/format";
import { ConfirmDialog } from "../../../shared/ui/ConfirmDialog";
import { Field } from "../../../shared/ui/Field";
import { colleagueName, useColleagues } from "../../../shared/useColleagues";
import { useLanguage } from "../../../shared/useLanguage";
import { DialogShell } from "../../interactions/components/DialogShell";
import type { Me } from "../../interactions/components/ResponsibleSelect";
import { allowedTaskActions, type TaskAction } from "../access";
import { useTask } from "../hooks/useTasks";
import { statusLabel, taskFieldError } from "../labels";
import { chainOf, customerName, deadlineOf } from "../model";
import { ColleagueSelect } from "./TaskDialog";

type Props = {
  id: string;
  me: Me;
  /** Who may act on tasks at all (`tasks.write`); what each may do follows from their part in the task. */
  canWrite: boolean;
  onClose: () => void;
  onEdit: (task: TaskRow) => void;
  /** Something was done to it; `text` says what, in words. */
  onChanged: (text: string) => void;
};

/**
 * One task: what it asks, by when (overdue said in words, not by colour alone), where it stands, who
 * does it and who checks it, whom it is about, the chain of who handed it to whom, the result
 * handed in and why it was returned; and what the person at the window may do with it.
 */
export function TaskPanel({ id, ...rest }: Props) {
  const { t } = useTranslation();
  const { data: task, error, refetch } = useTask(id);
  if (!task)
    return (
      <DialogShell testId="task-panel" title={t("tasks.panel.title")} onEscape={rest.onClose}>
        {error ? (
          <div className="banner banner-error" role="alert" data-testid="task-panel-error">
            <p>{errorMessage(t, error)}</p>
            <button type="button" className="button" onClick={() => void refetch()}>
              {t("app.retry")}
            </button>
          </div>
        ) : (
          <p className="muted">{t("app.loading")}</p>
        )}
        <div className="dialog-actions">
          <button type="button" className="button" onClick={rest.onClose}>
            {t("app.close")}
          </button>
        </div>
      </DialogShell>
    );
  return <PanelBody key={task.version} task={task} onReload={() => void refetch()} {...rest} />;
}

/** The form open under the details: handing in, returning, or handing on. */
type Form = "submit" | "return" | "delegate";

function PanelBody({ task, me, canWrite, onClose, onEdit, onChanged, onReload }: Omit<Props, "id"> & { task: TaskRow; onReload: () => void }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const { data: directory } = useColleagues();
  const openOrganisation = useOpenRecord("organisations");
  const openContact = useOpenRecord("contacts");
  const [form, setForm] = useState<Form | null>(null);
  const [text, setText] = useState("");
  const [delegateTo, setDelegateTo] = useState("");
  const [newDate, setNewDate] = useState("");
  const [newTime, setNewTime] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  const [cancelling, setCancelling] = useState(false);
  const formRef = useRef<HTMLDivElement>(null);
  const submit = useMutation("tasks.submit");
  const accept = useMutation("tasks.accept");
  const giveBack = useMutation("tasks.return");
  const delegate = useMutation("tasks.delegate");
  const cancel = useMutation("tasks.cancel");
  const pending = submit.pending || accept.pending || giveBack.pending || delegate.pending || cancel.pending;
  const actions = allowedTaskActions(task, me.id, canWrite);
  const can = (action: TaskAction) => actions.includes(action);

  /** A person by name: the directory's, else the names the task came with, else "someone". */
  const nameOf = (userId: string): string =>
    (directory && colleagueName(directory, userId)) ??
    (userId === task.responsible_id ? task.responsible_name : userId === task.controller_id ? task.controller_name : null) ??
    (userId === me.id ? me.name : t("tasks.panel.someone"));

  async function act(run: () => Promise<Task>, said: string) {
    if (pending) return;
    try {
      await run();
      setError(null);
      onChanged(said);
    } catch (e) {
      showProblems(e as ApiError);
    }
  }

  function showProblems(problem: ApiError) {
    setError(problem);
    requestAnimationFrame(() => formRef.current?.querySelector<HTMLElement>("[aria-invalid=true]")?.focus());
  }

  function openForm(next: Form) {
    setForm(next);
    setText("");
    setDelegateTo("");
    setNewDate("");
    setNewTime("");
    setError(null);
  }

  function closeForm() {
    setForm(null);
    setError(null);
  }

  const required = (field: string): ApiError => ({ code: "invalid_input", message: "", fields: { [field]: { code: "required", message: "" } } });

  function send() {
    if (form === "submit") {
      if (text.trim() === "") return showProblems(required("result"));
      void act(() => submit.run({ id: task.id, version: task.version, result: text.trim() }), t(task.controller_id ? "tasks.panel.submittedNotice" : "tasks.panel.doneNotice", { title: task.title }));
    } else if (form === "return") {
      if (text.trim() === "") return showProblems(required("note"));
      const input: ReturnTaskInput = { id: task.id, version: task.version, note: text.trim() };
      if (newDate !== "") {
        const deadline = deadlineOf(newDate, newTime);
        if (deadline === null) return showProblems({ code: "invalid_input", message: "", fields: { deadline: { code: "invalid_value", message: "" } } });
        input.deadline = deadline;
      }
      void act(() => giveBack.run(input), t("tasks.panel.returnedNotice", { title: task.title }));
    } else if (form === "delegate") {
      if (delegateTo === "") return showProblems(required("to_id"));
      const note = text.trim();
      void act(
        () => delegate.run({ id: task.id, version: task.version, to_id: delegateTo, ...(note !== "" ? { note } : {}) }),
        t("tasks.panel.delegatedNotice", { title: task.title, name: nameOf(delegateTo) }),
      );
    }
  }

  function openCustomer() {
    onClose();
    if (task.organisation_id !== null) void openOrganisation(task.organisation_id);
    else if (task.contact_id !== null) void openContact(task.contact_id);
  }

  const message = (field: string) => {
    const fe = fieldErrorFor(error, field);
    return fe ? taskFieldError(t, field, fe) : undefined;
  };
  const formFields = form === "submit" ? ["result"] : form === "return" ? ["note", "deadline"] : form === "delegate" ? ["to_id", "note"] : [];
  const bannerError = error && !formFields.some((f) => fieldErrorFor(error, f)) ? error : null;
  const chain = chainOf(task);
  const customer = customerName(task);
  const author = task.rule_id !== null ? t("tasks.panel.byRule") : nameOf(task.created_by);

  return (
    <DialogShell testId="task-panel" title={task.title} onEscape={form !== null ? closeForm : onClose} onSave={form !== null && !cancelling ? send : undefined}>
      {bannerError && (
        <div className="banner banner-error" role="alert" data-testid="task-panel-error">
          <p>{isConflict(bannerError) ? t("tasks.panel.conflict") : errorMessage(t, bannerError)}</p>
          {isConflict(bannerError) && (
            <button type="button" className="button" onClick={onReload}>
              {t("interactions.dialog.reload")}
            </button>
          )}
        </div>
      )}
      <dl className="details task-details">
        <div className="detail">
          <dt>{t("tasks.fields.status")}</dt>
          <dd data-testid="task-status">{statusLabel(t, task.status)}</dd>
        </div>
        <div className="detail">
          <dt>{t("tasks.fields.deadline")}</dt>
          <dd data-testid="task-deadline" className={task.overdue ? "field-error" : undefined}>
            <time dateTime={task.deadline}>{formatDateTime(task.deadline, language)}</time>
            {task.overdue && (
              <>
                {" "}
                <span className="badge badge-problem" data-testid="task-overdue">
                  {t("tasks.overdue")}
                </span>
              </>
            )}
          </dd>
        </div>
        <div className="detail">
          <dt>{t("tasks.fields.responsible")}</dt>
          <dd data-testid="task-responsible-name">
            <bdi>{task.responsible_name}</bdi>
          </dd>
        </div>
        <div className="detail">
          <dt>{t("tasks.fields.controller")}</dt>
          <dd data-testid="task-controller-name">{task.controller_name !== null ? <bdi>{task.controller_name}</bdi> : <span className="muted">{t("tasks.panel.noController")}</span>}</dd>
        </div>
        {customer !== "" && (
          <div className="detail">
            <dt>{t("tasks.fields.customer")}</dt>
            <dd data-testid="task-customer">
              <button type="button" className="link-button" onClick={openCustomer}>
                <bdi>{customer}</bdi>
              </button>
            </dd>
          </div>
        )}
        <div className="detail">
          <dt>{t("tasks.fields.author")}</dt>
          <dd data-testid="task-author">
            <bdi>{author}</bdi>, <time dateTime={task.created_at}>{formatDateTime(task.created_at, language)}</time>
          </dd>
        </div>
        {task.description && (
          <div className="detail detail-wide">
            <dt>{t("tasks.fields.description")}</dt>
            <dd className="interaction-summary" dir="auto" data-testid="task-description-text">
              {task.description}
            </dd>
          </div>
        )}
        {chain.length > 0 && (
          <div className="detail detail-wide">
            <dt>{t("tasks.panel.chain")}</dt>
            <dd>
              <ol className="task-chain" data-testid="task-chain">
                {chain.map((link, i) => (
                  <li key={i} data-testid="task-chain-link">
                    {t("tasks.panel.handedOn", { from: nameOf(link.from_id), to: nameOf(link.to_id), time: formatDateTime(link.at, language) })}
                    {link.by_id !== link.from_id && ` ${t("tasks.panel.handedOnBy", { name: nameOf(link.by_id) })}`}
                    {link.note && (
                      <>
                        {": "}
                        <bdi dir="auto">{link.note}</bdi>
                      </>
                    )}
                  </li>
                ))}
              </ol>
            </dd>
          </div>
        )}
        {task.result && (
          <div className="detail detail-wide">
            <dt>{t("tasks.fields.result")}</dt>
            <dd className="interaction-summary" dir="auto" data-testid="task-result">
              {task.result}
            </dd>
          </div>
        )}
        {task.return_note && task.status === "open" && (
          <div className="detail detail-wide">
            <dt>{t("tasks.fields.returnNote")}</dt>
            <dd className="interaction-summary" dir="auto" data-testid="task-return-note">
              {task.return_note}
            </dd>
          </div>
        )}
        {task.finished_at && (
          <div className="detail">
            <dt>{t("tasks.fields.finished")}</dt>
            <dd>
              <time dateTime={task.finished_at}>{formatDateTime(task.finished_at, language)}</time>
            </dd>
          </div>
        )}
      </dl>

      {form !== null && (
        <div className="task-form" ref={formRef} data-testid={`task-form-${form}`}>
          {form === "delegate" && (
            <Field label={t("tasks.panel.delegateTo")} required requiredLabel={t("form.required")} error={message("to_id")} errorTestId="task-error-to_id">
              {(control) => (
                <ColleagueSelect
                  control={control}
                  me={me}
                  value={delegateTo}
                  onChange={setDelegateTo}
                  noneLabel={t("tasks.panel.chooseColleague")}
                  exclude={[task.responsible_id, ...(task.controller_id ? [task.controller_id] : [])]}
                  testId="task-delegate-to"
                />
              )}
            </Field>
          )}
          <Field
            label={form === "submit" ? t("tasks.fields.result") : form === "return" ? t("tasks.panel.returnNote") : t("tasks.panel.delegateNote")}
            className="field-wide"
            required={form !== "delegate"}
            requiredLabel={t("form.required")}
            error={message(form === "submit" ? "result" : "note")}
            errorTestId={form === "submit" ? "task-error-result" : "task-error-note"}
            hint={form === "submit" ? (task.controller_id ? t("tasks.panel.submitHint") : t("tasks.panel.submitFinishes")) : undefined}
          >
            {(control) => (
              <textarea
                {...control}
                autoFocus={form !== "delegate"}
                className="input"
                rows={4}
                dir="auto"
                data-testid={form === "submit" ? "task-result-input" : "task-note-input"}
                value={text}
                onChange={(e) => setText(e.target.value)}
              />
            )}
          </Field>
          {form === "return" && (
            <div className="schedule-when">
              <Field
                label={t("tasks.panel.newDeadline")}
                error={message("deadline")}
                errorTestId="task-error-deadline"
                hint={language === "fa" && newDate !== "" ? formatCalendarDate(newDate, language) : t("tasks.panel.newDeadlineHint")}
              >
                {(control) => <input {...control} className="input" type="date" dir="ltr" data-testid="task-return-date" value={newDate} onChange={(e) => setNewDate(e.target.value)} />}
              </Field>
              <Field label={t("tasks.fields.deadlineTime")}>
                {(control) => <input {...control} className="input" type="time" dir="ltr" data-testid="task-return-time" value={newTime} onChange={(e) => setNewTime(e.target.value)} />}
              </Field>
            </div>
          )}
        </div>
      )}

      <div className="dialog-actions scheduled-actions" data-testid="task-actions">
        {form === null ? (
          <>
            {can("submit") && (
              <button type="button" className="button button-primary" data-testid="task-action-submit" onClick={() => openForm("submit")}>
                {t("tasks.actions.submit")}
              </button>
            )}
            {can("accept") && (
              <button
                type="button"
                className="button button-primary"
                data-testid="task-action-accept"
                aria-disabled={pending || undefined}
                onClick={() => void act(() => accept.run({ id: task.id, version: task.version }), t("tasks.panel.acceptedNotice", { title: task.title }))}
              >
                {t("tasks.actions.accept")}
              </button>
            )}
            {can("return") && (
              <button type="button" className="button" data-testid="task-action-return" onClick={() => openForm("return")}>
                {t("tasks.actions.return")}
              </button>
            )}
            {can("delegate") && (
              <button type="button" className="button" data-testid="task-action-delegate" onClick={() => openForm("delegate")}>
                {t("tasks.actions.delegate")}
              </button>
            )}
            {can("edit") && (
              <button type="button" className="button" data-testid="task-action-edit" onClick={() => onEdit(task)}>
                {t("tasks.actions.edit")}
              </button>
            )}
            {can("cancel") && (
              <button type="button" className="button button-danger-text" data-testid="task-action-cancel" onClick={() => setCancelling(true)}>
                {t("tasks.actions.cancel")}
              </button>
            )}
            <span className="toolbar-spacer" />
            <button type="button" className="button" data-testid="task-panel-close" onClick={onClose}>
              {t("app.close")}
            </button>
          </>
        ) : (
          <>
            <span className="muted small">{t("interactions.dialog.shortcuts")}</span>
            <span className="toolbar-spacer" />
            <button type="button" className="button" data-testid="task-form-back" onClick={closeForm}>
              {t("interactions.dialog.cancel")}
            </button>
            <button type="button" className="button button-primary" data-testid="task-form-send" aria-disabled={pending || undefined} onClick={send}>
              {pending ? t("interactions.dialog.saving") : t(`tasks.actions.${form}Send`)}
            </button>
          </>
        )}
      </div>
      {cancelling && (
        <ConfirmDialog
          title={t("tasks.panel.cancelTitle")}
          body={t("tasks.panel.cancelBody", { title: task.title })}
          confirmLabel={t("tasks.actions.cancel")}
          danger
          busy={cancel.pending}
          error={error ? errorMessage(t, error) : null}
          onConfirm={() => void act(() => cancel.run({ id: task.id, version: task.version }), t("tasks.panel.cancelledNotice", { title: task.title }))}
          onCancel={() => setCancelling(false)}
          testIds={{ dialog: "task-cancel-confirm", confirm: "task-cancel-ok", cancel: "task-cancel-no" }}
        />
      )}
    </DialogShell>
  );
}

// Tasks in words: where a task stands, the lists and how far along, and the core's problems with
// what was sent, said for the field they are about.

import type { TFunction } from "i18next";
import type { FieldError, TaskProgress, TaskStatus, TaskView } from "../../api/generated";
import { fieldErrorMessage } from "../../shared/errors";

export function statusLabel(t: TFunction, status: TaskStatus): string {
  return t(`tasks.status.${status}`);
}

export function viewLabel(t: TFunction, view: TaskView): string {
  return t(`tasks.views.${view}`);
}

/** "Waiting for me" in the list of tasks one controls, "Waiting for the controller" elsewhere. */
export function progressLabel(t: TFunction, progress: TaskProgress, view: TaskView): string {
  if (progress === "submitted") return view === "controlled" ? t("tasks.progress.submittedToMe") : t("tasks.progress.submitted");
  return t(`tasks.progress.${progress}`);
}

/** A field problem the core (or a form before sending) reported, in words for the field it names. */
export function taskFieldError(t: TFunction, field: string, error: FieldError): string {
  if (field === "title" && error.code === "required") return t("tasks.errors.title");
  if (field === "deadline" && error.code === "required") return t("tasks.errors.deadlineMissing");
  if (field === "deadline" && error.code === "invalid_value") return t("tasks.errors.deadline");
  if (field === "controller_id" && error.code === "invalid_value") return t("tasks.errors.controller");
  if (field === "to_id" && error.code === "invalid_value") return t("tasks.errors.delegateTo");
  if (field === "to_id" && error.code === "required") return t("tasks.errors.delegateToMissing");
  if (field === "result" && error.code === "required") return t("tasks.errors.result");
  if (field === "note" && error.code === "required") return t("tasks.errors.returnNote");
  return fieldErrorMessage(t, error);
}

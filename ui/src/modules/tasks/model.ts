// The tasks module's pure part: what the task dialog holds and sends (`tasks.create`, or the
// changes of `tasks.update`), what it says is missing before sending, deadlines as the date and
// time controls show them in this computer's time zone, and the delegation chain as a timeline.

import type { ApiError, CreateTaskInput, Task, TaskProgress, TaskRow, TaskView, UpdateTaskInput } from "../../api/generated";

/** One hand-over of the delegation chain. */
export type Delegation = Task["delegations"][number];
import type { Whom } from "../../shared/interactions/InteractionsSlot";
import { dateText, instantOf, localZone, timeText, wallAt, wallOf } from "../interactions/schedule/zones";

/** The lists of the screen, in the order offered ("team" only for who sees colleagues' records). */
export const VIEWS = ["mine", "controlled", "delegated", "team"] as const satisfies readonly TaskView[];
/** How far along, in the order offered. */
export const PROGRESS = ["unfinished", "overdue", "submitted", "finished", "all"] as const satisfies readonly TaskProgress[];

/** The time of day a new task is due unless changed: the end of a working day. */
export const DEFAULT_DUE_TIME = "18:00";

/** What the dialog holds; dates and times as their controls hold them, in this computer's zone. */
export type TaskDraft = {
  title: string;
  description: string;
  whom: Whom | null;
  responsibleId: string;
  /** "": none (handing the result in finishes the task). */
  controllerId: string;
  date: string;
  time: string;
};

/** Where a new task starts when opened from a card (about whom) or elsewhere. */
export type TaskPrefill = { whom?: Whom | null };

/** A new task: one's own, due tomorrow at the end of the day, without a controller. */
export function newTaskDraft(prefill: TaskPrefill, me: string, now: Date, zone = localZone()): TaskDraft {
  const tomorrow = wallAt(new Date(now.getTime() + 24 * 60 * 60 * 1000), zone);
  return {
    title: "",
    description: "",
    whom: prefill.whom ?? null,
    responsibleId: me,
    controllerId: "",
    date: dateText(tomorrow),
    time: DEFAULT_DUE_TIME,
  };
}

/** A stored task as the dialog corrects it (whom it is about and who does it are not changed here). */
export function storedTaskDraft(task: Task, whom: Whom | null, zone = localZone()): TaskDraft {
  const due = wallAt(new Date(task.deadline), zone);
  return {
    title: task.title,
    description: task.description ?? "",
    whom,
    responsibleId: task.responsible_id,
    controllerId: task.controller_id ?? "",
    date: dateText(due),
    time: timeText(due),
  };
}

/** The deadline the controls show, as the UTC instant (RFC 3339) the core takes; null when it is not a valid moment. */
export function deadlineOf(date: string, time: string, zone = localZone()): string | null {
  const wall = wallOf(date, time === "" ? DEFAULT_DUE_TIME : time);
  if (!wall) return null;
  try {
    return instantOf(wall, zone).toISOString();
  } catch {
    return null;
  }
}

const problem = (code: "required" | "invalid_value") => ({ code, message: "" });

/** What cannot be sent: every problem the dialog can see, at the fields the core would name. */
export function taskProblems(draft: TaskDraft, zone = localZone()): ApiError | null {
  const fields: ApiError["fields"] = {};
  if (draft.title.trim() === "") fields.title = problem("required");
  if (draft.date === "") fields.deadline = problem("required");
  else if (deadlineOf(draft.date, draft.time, zone) === null) fields.deadline = problem("invalid_value");
  if (draft.controllerId !== "" && draft.controllerId === draft.responsibleId) fields.controller_id = problem("invalid_value");
  if (Object.keys(fields).length === 0) return null;
  return { code: "invalid_input", message: "", fields };
}

/** A new task as the core takes it: the person responsible when not oneself, whom it is about by one id. */
export function createTaskInput(draft: TaskDraft, me: string, zone = localZone()): CreateTaskInput {
  const input: CreateTaskInput = { title: draft.title.trim(), deadline: deadlineOf(draft.date, draft.time, zone) ?? "" };
  const description = draft.description.trim();
  if (description !== "") input.description = description;
  if (draft.responsibleId !== me) input.responsible_id = draft.responsibleId;
  if (draft.controllerId !== "") input.controller_id = draft.controllerId;
  if (draft.whom?.kind === "contact") input.contact_id = draft.whom.contact.id;
  else if (draft.whom?.kind === "organisation") input.organisation_id = draft.whom.organisation.id;
  return input;
}

/** A correction as the core takes it: only what changed since the dialog opened (`null` clears). */
export function updateTaskInput(task: Task, opened: TaskDraft, draft: TaskDraft, zone = localZone()): UpdateTaskInput {
  const input: UpdateTaskInput = { id: task.id, version: task.version };
  if (draft.title.trim() !== opened.title.trim()) input.title = draft.title.trim();
  if (draft.description.trim() !== opened.description.trim()) input.description = draft.description.trim() === "" ? null : draft.description.trim();
  if (draft.date !== opened.date || draft.time !== opened.time) {
    const deadline = deadlineOf(draft.date, draft.time, zone);
    if (deadline !== null) input.deadline = deadline;
  }
  if (draft.controllerId !== opened.controllerId) input.controller_id = draft.controllerId === "" ? null : draft.controllerId;
  return input;
}

/** The person typed something the dialog would lose if closed now. */
export function hasTypedTask(opened: TaskDraft, draft: TaskDraft): boolean {
  return JSON.stringify(opened) !== JSON.stringify(draft);
}

/** Whether a task is open and past its deadline at `now` (what the core says as `overdue` on a row). */
export function isOverdue(task: Pick<Task, "status" | "deadline">, now: Date): boolean {
  return task.status === "open" && new Date(task.deadline).getTime() < now.getTime();
}

/** The customer a task is about, as a list shows it: the contact and their organisation, or one of them. */
export function customerName(row: Pick<TaskRow, "contact_name" | "organisation_name">): string {
  if (row.contact_name && row.organisation_name) return `${row.contact_name} — ${row.organisation_name}`;
  return row.contact_name ?? row.organisation_name ?? "";
}

/** Whom a stored task is about, as the pickers hold it (null when it is about nobody, or names are not known yet). */
export function whomOfTask(row: Pick<TaskRow, "contact_id" | "organisation_id" | "contact_name" | "organisation_name">): Whom | null {
  const organisation = row.organisation_id ? { id: row.organisation_id, name: row.organisation_name ?? "" } : null;
  if (row.contact_id) return { kind: "contact", contact: { id: row.contact_id, name: row.contact_name ?? "" }, organisation };
  return organisation ? { kind: "organisation", organisation } : null;
}

/** The delegation chain, oldest first, as the core keeps it (an unreadable one as none). */
export function chainOf(task: Pick<Task, "delegations">): Delegation[] {
  const chain: unknown = task.delegations;
  return Array.isArray(chain) ? (chain as Delegation[]) : [];
}

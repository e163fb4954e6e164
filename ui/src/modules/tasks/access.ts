// Tasks (COMM-5) are offered to who may read them (managers, sales, service desk, quality,
// auditors); giving, handing on, handing in, accepting and returning them to who may write them.
// What one may do with one task depends on one's part in it — responsible, controller or author —
// and on where it stands, as the core checks: the window offers only what the core would allow.

import type { SessionUser, Task } from "../../api/generated";
import { hasPermission } from "../session/hooks/useSession";

export function canReadTasks(user: SessionUser | null): boolean {
  return hasPermission(user, "tasks.read");
}

export function canWriteTasks(user: SessionUser | null): boolean {
  return hasPermission(user, "tasks.write");
}

/** What can be done with a task, in the order the panel offers it. */
export const TASK_ACTIONS = ["submit", "accept", "return", "delegate", "edit", "cancel"] as const;
export type TaskAction = (typeof TASK_ACTIONS)[number];

type Parts = Pick<Task, "status" | "responsible_id" | "controller_id" | "created_by">;

/**
 * What `me` may do with `task`, as the core allows it:
 * - hand in the result: the person responsible, while it is open;
 * - accept or return the result: the controller, once it is handed in;
 * - hand it on: the person responsible, the controller or the author, while it is open;
 * - correct it or cancel it: the author or the controller, until it is finished.
 * A finished task (done or cancelled) takes nothing; nor does anyone without `tasks.write`.
 */
export function allowedTaskActions(task: Parts, me: string | null, canWrite: boolean): TaskAction[] {
  if (!canWrite || me === null || task.status === "done" || task.status === "cancelled") return [];
  const responsible = task.responsible_id === me;
  const controller = task.controller_id === me;
  const author = task.created_by === me;
  const allowed: Record<TaskAction, boolean> = {
    submit: responsible && task.status === "open",
    accept: controller && task.status === "submitted",
    return: controller && task.status === "submitted",
    delegate: task.status === "open" && (responsible || controller || author),
    edit: author || controller,
    cancel: author || controller,
  };
  return TASK_ACTIONS.filter((action) => allowed[action]);
}

// Tasks wherever the window is (COMM-5): the dialog's and the panel's openers, held by
// TasksProvider, and the reads of tasks through TanStack Query under TASKS_KEY, so one change (a
// task handed on, handed in, accepted) marks every list, count and panel out of date at once.

import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import { createContext, useCallback, useContext, useEffect } from "react";
import { useClient } from "../../../api/ApiProvider";
import type { ListTasksInput } from "../../../api/generated";
import type { TaskPrefill } from "../model";

export type TaskDialogs = {
  /** Opens the dialog to give a new task, prefilled; null for who may not give tasks. */
  create: ((prefill?: TaskPrefill) => void) | null;
  /** Opens a task's panel; null for who may not read tasks. */
  open: ((id: string) => void) | null;
};

export const TaskDialogsContext = createContext<TaskDialogs>({ create: null, open: null });

export function useTaskDialogs(): TaskDialogs {
  return useContext(TaskDialogsContext);
}

/** Everything the tasks module caches. */
export const TASKS_KEY = ["tasks"] as const;

/** The badge asks again this often: tasks fall overdue as time passes, not only as the window changes them. */
export const BADGE_REFRESH_MS = 5 * 60_000;

/** One list of tasks; the last list stays shown until the next one's rows arrive. */
export function useTaskList(input: ListTasksInput | null) {
  const client = useClient();
  return useQuery({
    queryKey: [...TASKS_KEY, "list", input],
    queryFn: () => client.call("tasks.list", input ?? {}),
    enabled: input !== null,
    placeholderData: keepPreviousData,
    retry: false,
  });
}

/** One task with the names it shows, read again whenever a task changes. */
export function useTask(id: string) {
  const client = useClient();
  return useQuery({ queryKey: [...TASKS_KEY, "one", id], queryFn: () => client.call("tasks.get", { id }), retry: false });
}

/** Open and overdue tasks per person and per department, within reach (the team's summary). */
export function useOverdueCounts(wanted: boolean) {
  const client = useClient();
  return useQuery({ queryKey: [...TASKS_KEY, "overdue"], queryFn: () => client.call("tasks.overdue", {}), enabled: wanted, retry: false });
}

/** How many of one's own tasks are overdue, for the navigation badge; 0 while unknown. */
export function useMyOverdueCount(wanted: boolean): number {
  const client = useClient();
  const query = useQuery({
    queryKey: [...TASKS_KEY, "list", { view: "mine", progress: "overdue" }],
    queryFn: () => client.call("tasks.list", { view: "mine", progress: "overdue" }),
    enabled: wanted,
    refetchInterval: BADGE_REFRESH_MS,
    retry: false,
  });
  const { refetch } = query;
  useEffect(() => {
    if (!wanted) return;
    // A desktop window coming back from behind another one does not change the page's visibility.
    const onFocus = () => void refetch();
    window.addEventListener("focus", onFocus);
    return () => window.removeEventListener("focus", onFocus);
  }, [refetch, wanted]);
  return query.data?.tasks.length ?? 0;
}

/** Marks every task read so far out of date: after a task was given, changed or moved on. */
export function useRefreshTasks() {
  const queryClient = useQueryClient();
  return useCallback(() => queryClient.invalidateQueries({ queryKey: TASKS_KEY }), [queryClient]);
}

// Scheduled contacts wherever the window is (COMM-3): the schedule dialog's and the panel's openers,
// held by SchedulingProvider, and the reads of scheduled contacts through TanStack Query under
// INTERACTIONS_KEY, so one change (a contact done, moved, skipped) marks every calendar, planned
// list and history out of date at once.

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { createContext, useContext } from "react";
import { useClient } from "../../../api/ApiProvider";
import type { InputOf } from "../../../api/generated";
import { INTERACTIONS_KEY } from "../../../shared/recordQueries";
import type { SchedulePrefill } from "./model";

export type Scheduling = {
  /** Opens the schedule dialog, prefilled; null for who may not schedule. */
  schedule: ((prefill?: SchedulePrefill) => void) | null;
  /** Opens a scheduled contact's panel. */
  open: (id: string) => void;
  /** Says something briefly in the window's corner ("Saved 12 events to …"). */
  notify: (text: string) => void;
};

export const SchedulingContext = createContext<Scheduling>({ schedule: null, open: () => undefined, notify: () => undefined });

export function useScheduling(): Scheduling {
  return useContext(SchedulingContext);
}

export const SCHEDULED_KEY = [...INTERACTIONS_KEY, "scheduled"] as const;

/** One scheduled contact (its series), read again whenever something scheduled changes. */
export function useScheduledContact(id: string) {
  const client = useClient();
  return useQuery({ queryKey: [...SCHEDULED_KEY, "one", id], queryFn: () => client.call("interactions.get_scheduled", { id }), retry: false });
}

/** A period's occurrences (a calendar's visible range); the last period's stay shown until the next arrive. */
export function useOccurrences(input: InputOf<"interactions.list_occurrences">) {
  const client = useClient();
  return useQuery({
    queryKey: [...SCHEDULED_KEY, "occurrences", input],
    queryFn: () => client.call("interactions.list_occurrences", input),
    placeholderData: keepPreviousData,
    retry: false,
  });
}

/** A customer's planned contacts (open ones first, by their next start). */
export function usePlannedContacts(input: InputOf<"interactions.list_scheduled"> | null) {
  const client = useClient();
  return useQuery({
    queryKey: [...SCHEDULED_KEY, "planned", input],
    queryFn: () => client.call("interactions.list_scheduled", input ?? {}),
    enabled: input !== null,
    retry: false,
  });
}

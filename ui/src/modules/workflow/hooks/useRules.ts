// Workflow rules through TanStack Query under RULES_KEY: the list with the kinds rules may listen
// to, what one rule did and the emails rules queued; a rule defined, changed, switched off or on
// marks them out of date.

import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback } from "react";
import { useClient } from "../../../api/ApiProvider";

export const RULES_KEY = ["workflow-rules"] as const;

/** The rules by name (the switched-off ones too when asked), with how often each fired, and the kinds with their fields. */
export function useRules(withSwitchedOff: boolean) {
  const client = useClient();
  return useQuery({
    queryKey: [...RULES_KEY, "list", withSwitchedOff],
    queryFn: () => client.call("workflow.list", withSwitchedOff ? { with_switched_off: true } : {}),
    placeholderData: keepPreviousData,
    retry: false,
  });
}

/** What a rule did, newest first. */
export function useFirings(ruleId: string) {
  const client = useClient();
  return useQuery({
    queryKey: [...RULES_KEY, "firings", ruleId],
    queryFn: () => client.call("workflow.list_firings", { rule_id: ruleId }),
    retry: false,
  });
}

/** Marks the rules out of date (after one was defined, changed, switched off or on). */
export function useRefreshRules() {
  const queryClient = useQueryClient();
  return useCallback(() => queryClient.invalidateQueries({ queryKey: RULES_KEY }), [queryClient]);
}

/**
 * The emails rules queued, newest first (at most 500), waiting for the mail integration to send
 * them; read only by who may read rules (`workflow.read`).
 */
export function useOutbox(enabled: boolean) {
  const client = useClient();
  return useQuery({
    queryKey: [...RULES_KEY, "outbox"],
    queryFn: () => client.call("workflow.list_outbox", {}),
    enabled,
    retry: false,
  });
}

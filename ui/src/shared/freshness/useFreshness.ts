// Data freshness (CUST-6) through TanStack Query, so the card, the "Needs confirmation" screen,
// its navigation badge and administration share one cache: the rules are read once per window
// (administration replaces them when it sets one), and confirming a record drops it from every
// list of stale records at once before they are read again.

import { useQuery, useQueryClient, type QueryClient } from "@tanstack/react-query";
import { useCallback } from "react";
import { useClient } from "../../api/ApiProvider";
import type { ApiError, ConfirmRecordInput, ConfirmedRecord, FreshnessRuleList, StaleList, StaleRecordsInput } from "../../api/generated";
import { useMutation } from "../../api/useOperation";
import { CUSTOMERS_KEY } from "../recordQueries";

/** Everything the window caches about freshness. */
export const FRESHNESS_KEY = ["freshness"] as const;
const RULES_KEY = [...FRESHNESS_KEY, "rules"] as const;
/** Every list of stale records (the screen's, the badge's, a card's contacts'), for invalidation. */
export const STALE_KEY = [...FRESHNESS_KEY, "stale"] as const;

/** After how many months each kind's data must be confirmed again: read once, kept while the window lives. */
export function useFreshnessRules({ enabled = true }: { enabled?: boolean } = {}) {
  const client = useClient();
  return useQuery({
    queryKey: RULES_KEY,
    enabled,
    staleTime: Infinity,
    queryFn: async () => (await client.call("freshness.rules", {})).rules,
  });
}

type StaleOptions = {
  /** False: nothing is requested. */
  enabled?: boolean;
  /** Read again this often (ms) while mounted. */
  refetchInterval?: number;
};

/** One's own records not confirmed for longer than their kind allows, oldest first, per kind. */
export function useStaleRecords(input: StaleRecordsInput, { enabled = true, refetchInterval }: StaleOptions = {}) {
  const client = useClient();
  return useQuery({
    queryKey: [...STALE_KEY, input],
    enabled,
    refetchInterval,
    queryFn: () => client.call("freshness.stale", input),
  });
}

/** `list` without the record confirmed, its kind's count and the total one less. */
function withoutRecord(list: StaleList, table: string, id: string): StaleList {
  let dropped = 0;
  const kinds = list.kinds.map((kind) => {
    if (kind.table !== table || !kind.records.some((r) => r.id === id)) return kind;
    dropped += 1;
    return { ...kind, count: Math.max(kind.count - 1, 0), records: kind.records.filter((r) => r.id !== id) };
  });
  return dropped === 0 ? list : { kinds, total: Math.max(list.total - dropped, 0) };
}

/**
 * Drops a confirmed record from every cached list of stale records. A list read with a smaller
 * limit (the badge's) may not hold it, yet counts it: that one is left to be read again.
 */
function forgetStale(queryClient: QueryClient, table: string, id: string) {
  queryClient.setQueriesData<StaleList>({ queryKey: STALE_KEY }, (list) => (list ? withoutRecord(list, table, id) : list));
}

/** What a confirmation changes: the stale lists and the customers' cached lists (the record's version and last change). */
function markChanged(queryClient: QueryClient) {
  return Promise.all([STALE_KEY, CUSTOMERS_KEY].map((queryKey) => queryClient.invalidateQueries({ queryKey })));
}

/**
 * Confirms that a record's data is current, at the version the window holds (a newer one is
 * refused with `conflict`). It is an ordinary change: the record's version goes up, so whoever
 * holds it must use the answer's. Afterwards — and after a `conflict`, which says what the window
 * holds is out of date — the stale lists and the customers' lists are read again.
 */
export function useConfirmRecord() {
  const { run, pending } = useMutation("freshness.confirm");
  const queryClient = useQueryClient();
  const confirm = useCallback(
    async (input: ConfirmRecordInput): Promise<ConfirmedRecord> => {
      try {
        const confirmed = await run(input);
        forgetStale(queryClient, input.table, input.id);
        void markChanged(queryClient);
        return confirmed;
      } catch (e) {
        if ((e as ApiError).code === "conflict") void markChanged(queryClient);
        throw e;
      }
    },
    [run, queryClient],
  );
  return { confirm, pending };
}

/** Sets a kind's months (administration); the rules it answers with replace the cached ones, and the stale lists are read again. */
export function useSetFreshnessRule() {
  const { run, pending } = useMutation("freshness.set_rule");
  const queryClient = useQueryClient();
  const setRule = useCallback(
    async (table: string, months: number): Promise<FreshnessRuleList> => {
      const list = await run({ table, months });
      queryClient.setQueryData(RULES_KEY, list.rules);
      void queryClient.invalidateQueries({ queryKey: STALE_KEY });
      return list;
    },
    [run, queryClient],
  );
  return { setRule, pending };
}

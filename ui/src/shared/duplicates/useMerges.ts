// Merges of records (CUST-5), read through TanStack Query so the Duplicates screen and a record's
// card share one cache: a merge or an undo made on either marks both out of date.

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback } from "react";
import { useClient } from "../../api/ApiProvider";
import type { HistoryTable, MergeView, RecordMerge, UndoneMerge } from "../../api/generated";
import { useMutation } from "../../api/useOperation";
import { CUSTOMERS_KEY } from "../recordQueries";

/** Everything the window caches about duplicates: scans, comparisons and merges. */
export const DUPLICATES_KEY = ["duplicates"] as const;
/** Every list of merges (a kind's latest, a record's). */
export const MERGES_KEY = [...DUPLICATES_KEY, "merges"] as const;

type Options = {
  /** False: nothing is requested (someone without `duplicates.find`, whom the core would refuse). */
  enabled?: boolean;
};

/** The merges `rowId` took part in (its card), or (null) the latest merges of the kind; newest first. */
export function useMerges(table: HistoryTable, rowId: string | null, { enabled = true }: Options = {}) {
  const client = useClient();
  return useQuery({
    queryKey: [...MERGES_KEY, table, rowId ?? "latest"],
    enabled,
    queryFn: async (): Promise<MergeView[]> =>
      (await client.call("duplicates.list_merges", rowId === null ? { table } : { table, row_id: rowId })).merges,
  });
}

/**
 * Marks out of date what a merge or its undo changes: the lists of merges and everything the
 * customers module caches (lists, searches, archived contacts). A scan of duplicates is read
 * again only when its screen asks: it can take seconds.
 */
export function useMergesChanged() {
  const queryClient = useQueryClient();
  return useCallback(
    () => Promise.all([MERGES_KEY, CUSTOMERS_KEY].map((queryKey) => queryClient.invalidateQueries({ queryKey }))),
    [queryClient],
  );
}

/** Undoes a merge at the version shown; afterwards what it changed is read again. */
export function useUndoMerge() {
  const { run, pending } = useMutation("duplicates.undo_merge");
  const changed = useMergesChanged();
  const undo = useCallback(
    async (merge: Pick<RecordMerge, "id" | "version">): Promise<UndoneMerge> => {
      try {
        return await run({ id: merge.id, version: merge.version });
      } finally {
        // Undone here or (a conflict) elsewhere meanwhile: either way the lists are out of date.
        await changed();
      }
    },
    [run, changed],
  );
  return { undo, pending };
}

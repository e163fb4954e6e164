// The Duplicates screen's reads and writes: a scan the person starts (it can take seconds on a
// large database, so it runs on demand, never by itself), two records side by side, the merge,
// after which what it changed is read again, and the judgement that two records are different
// (and its taking back), which changes no record, only what later scans offer.

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback } from "react";
import { useClient } from "../../api/ApiProvider";
import type { CompareRecordsInput, DuplicateDismissal, DuplicateScan, MergeOutcome, MergeRecordsInput } from "../../api/generated";
import { useMutation } from "../../api/useOperation";
import { DUPLICATES_KEY, useMergesChanged } from "./useMerges";
import type { DuplicateTable } from "./pairs";

const scanKey = (table: DuplicateTable) => [...DUPLICATES_KEY, "scan", table] as const;
const COMPARE_KEY = [...DUPLICATES_KEY, "compare"] as const;

/**
 * The last scan of a kind, kept while the window lives (coming back to the screen shows it);
 * `find` runs it (again). Nothing runs on its own: not on mount, not after a change.
 */
export function useDuplicateScan(table: DuplicateTable) {
  const client = useClient();
  const query = useQuery({
    queryKey: scanKey(table),
    queryFn: () => client.call("duplicates.find", { table }),
    enabled: false,
    // A scan is read again only when asked: it stays however long the screen is away.
    gcTime: Infinity,
  });
  const { refetch } = query;
  const find = useCallback(() => void refetch(), [refetch]);
  return { scan: query.data, error: query.error, finding: query.isFetching, find };
}

/** Drops from the kept scan every pair that names `id` (merged away: it is archived), before the scan is read again. */
export function useForgetPairsOf() {
  const queryClient = useQueryClient();
  return useCallback(
    (table: DuplicateTable, id: string) =>
      queryClient.setQueryData<DuplicateScan>(scanKey(table), (scan) => {
        if (!scan) return scan;
        const pairs = scan.pairs.filter((p) => p.first !== id && p.second !== id);
        return { ...scan, pairs, found: scan.found - (scan.pairs.length - pairs.length) };
      }),
    [queryClient],
  );
}

/** Drops one pair (either way round) from the kept scan, before the scan is read again. */
export function useForgetPair() {
  const queryClient = useQueryClient();
  return useCallback(
    (table: DuplicateTable, a: string, b: string) =>
      queryClient.setQueryData<DuplicateScan>(scanKey(table), (scan) => {
        if (!scan) return scan;
        const pairs = scan.pairs.filter((p) => !((p.first === a && p.second === b) || (p.first === b && p.second === a)));
        return { ...scan, pairs, found: scan.found - (scan.pairs.length - pairs.length) };
      }),
    [queryClient],
  );
}

/** Two records side by side, read when opened (a merge needs their versions as they are now). */
export function useComparison(table: DuplicateTable, first: string, second: string) {
  const client = useClient();
  return useQuery({
    queryKey: [...COMPARE_KEY, table, first, second],
    queryFn: () => client.call("duplicates.compare", { table, first, second }),
    staleTime: 0,
    gcTime: 0,
  });
}

/** Merges two records; afterwards merges and customers are read again. */
export function useMergeRecords() {
  const { run, pending } = useMutation("duplicates.merge");
  const changed = useMergesChanged();
  const merge = useCallback(
    async (input: MergeRecordsInput): Promise<MergeOutcome> => {
      const outcome = await run(input);
      await changed();
      return outcome;
    },
    [run, changed],
  );
  return { merge, pending };
}

/**
 * Judges two records different: no scan offers the pair again, for anyone, until the judgement
 * is taken back. No record changes, so nothing cached about records is out of date.
 */
export function useDismissPair() {
  const { run, pending } = useMutation("duplicates.dismiss");
  const dismiss = useCallback((input: CompareRecordsInput): Promise<DuplicateDismissal> => run(input), [run]);
  return { dismiss, pending };
}

/** Takes back a judgement that two records are different, at the version it was given: scans may offer the pair again. */
export function useReconsiderPair() {
  const { run, pending } = useMutation("duplicates.reconsider_pair");
  const reconsider = useCallback(
    (dismissal: Pick<DuplicateDismissal, "id" | "version">): Promise<DuplicateDismissal> => run({ id: dismissal.id, version: dismissal.version }),
    [run],
  );
  return { reconsider, pending };
}

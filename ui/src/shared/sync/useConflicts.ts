// Open conflicts between offline changes (ADR 0014), read through TanStack Query so the
// navigation badge, the conflicts screen and a record's card share one cache: resolving one
// marks them all out of date at once.

import { useQuery } from "@tanstack/react-query";
import { useClient } from "../../api/ApiProvider";
import type { ConflictView } from "../../api/generated";

/** A record, by its table (as history and the change log name it) and its id. */
export type RecordRef = { table: string; id: string };

/** Every conflicts query (all records, or one record's), for invalidation. */
export const CONFLICTS_KEY = ["sync", "conflicts"] as const;

type Options = {
  /** False: nothing is requested (someone without `sync.resolve`, whom the core would refuse). */
  enabled?: boolean;
  /** Read again this often (ms) while mounted: conflicts arrive with syncs the window does not see. */
  refetchInterval?: number;
};

/** Open conflicts, newest first: one record's, or (null) those of every record one may change. */
export function useConflicts(record: RecordRef | null, { enabled = true, refetchInterval }: Options = {}) {
  const client = useClient();
  return useQuery({
    queryKey: [...CONFLICTS_KEY, record ?? "all"],
    enabled,
    refetchInterval,
    queryFn: async (): Promise<ConflictView[]> => {
      const input = record ? { table: record.table, row_id: record.id } : { table: null, row_id: null };
      return (await client.call("sync.list_conflicts", input)).conflicts;
    },
  });
}

/** How many fields are in conflict: a field several devices changed is one decision. */
export function conflictingFieldCount(conflicts: readonly ConflictView[]): number {
  return new Set(conflicts.map((c) => `${c.table}|${c.row_id}|${c.field}`)).size;
}

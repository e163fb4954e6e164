import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect } from "react";
import { useClient } from "../../../api/ApiProvider";
import type { ApiError, Choice, Resolved } from "../../../api/generated";
import { useMutation } from "../../../api/useOperation";
import { CONFLICTS_KEY, conflictingFieldCount, useConflicts } from "../../../shared/sync/useConflicts";
import { resolvableKind } from "../records";
import type { FieldConflict } from "../values";

/** Conflicts arrive with syncs the window does not see: the badge asks again this often. */
export const BADGE_REFRESH_MS = 30_000;

/**
 * How many fields await a decision, for the navigation badge: read every 30 s and whenever the
 * window gets the focus back (the person may have synced from a terminal meanwhile).
 */
export function useOpenConflictCount(): number {
  const conflicts = useConflicts(null, { refetchInterval: BADGE_REFRESH_MS });
  const { refetch } = conflicts;
  useEffect(() => {
    // TanStack's own focus refetch listens to page visibility, which a desktop window coming
    // back from behind another one does not change.
    const onFocus = () => void refetch();
    window.addEventListener("focus", onFocus);
    return () => window.removeEventListener("focus", onFocus);
  }, [refetch]);
  return conflicts.data ? conflictingFieldCount(conflicts.data) : 0;
}

/**
 * Resolves one field's conflict at the record's current version. Afterwards — and after a
 * `conflict` error, which says the list itself is out of date — the conflicts and what the window
 * caches about the record are read again.
 */
export function useResolveConflict() {
  const client = useClient();
  const queryClient = useQueryClient();
  const mutation = useMutation("sync.resolve_conflict");
  const { run } = mutation;

  const resolve = useCallback(
    async (conflict: FieldConflict, choice: Choice): Promise<Resolved> => {
      const kind = resolvableKind(conflict.table);
      if (!kind) throw new Error(`conflicts of ${conflict.table} are not resolved in this window`);
      const refresh = () =>
        Promise.all([CONFLICTS_KEY, ...kind.cached].map((queryKey) => queryClient.invalidateQueries({ queryKey })));
      try {
        const version = await kind.readVersion(client, conflict.row_id);
        const resolved = await run({ table: conflict.table, row_id: conflict.row_id, field: conflict.field, version, choice });
        await refresh();
        return resolved;
      } catch (e) {
        if ((e as ApiError).code === "conflict") await refresh();
        throw e;
      }
    },
    [client, queryClient, run],
  );
  return { resolve };
}

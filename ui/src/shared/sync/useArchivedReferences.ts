// Active records that name an archived record (ADR 0014): a contact made offline for an
// organisation archived in the office meanwhile is kept and flagged until a person restores the
// organisation or moves the contact.

import { useQuery } from "@tanstack/react-query";
import { useClient } from "../../api/ApiProvider";
import type { ArchivedReference } from "../../api/generated";
import { CONFLICTS_KEY, type RecordRef } from "./useConflicts";

/** Every archived-references query: under the conflicts' key, so whatever reads those again
 * (a sync, a resolve) reads these again too. */
export const ARCHIVED_REFERENCES_KEY = [...CONFLICTS_KEY, "archived-references"] as const;

/** One record's (its card), or (null) those of every record one may change; newest archive first. */
export function useArchivedReferences(record: RecordRef | null, { enabled = true }: { enabled?: boolean } = {}) {
  const client = useClient();
  return useQuery({
    queryKey: [...ARCHIVED_REFERENCES_KEY, record ?? "all"],
    enabled,
    queryFn: async (): Promise<ArchivedReference[]> => {
      const input = record ? { table: record.table, row_id: record.id } : { table: null, row_id: null };
      return (await client.call("sync.list_archived_references", input)).references;
    },
  });
}

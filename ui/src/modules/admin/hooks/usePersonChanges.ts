// Every record one person changed (created, changed, archived, restored), newest first, a page
// at a time as the audit log is read: the other half of the audit of a person's work.

import { useClient } from "../../../api/ApiProvider";
import type { ChangesByPersonInput } from "../../../api/generated";
import { AUDIT_KEY, PAGE_SIZE } from "./useAuditLog";
import { useNewestFirstPages } from "./useNewestFirstPages";

/** The input of one page of `actorId`'s changes: the first page has no `before_seq`. */
export function personChangesInput(actorId: string, beforeSeq: number | null): ChangesByPersonInput {
  const input: ChangesByPersonInput = { actor_id: actorId, limit: PAGE_SIZE };
  if (beforeSeq !== null) input.before_seq = beforeSeq;
  return input;
}

export function usePersonChanges(actorId: string) {
  const client = useClient();
  return useNewestFirstPages([...AUDIT_KEY, "changes_by_person", actorId], (beforeSeq) =>
    client.call("audit.changes_by_person", personChangesInput(actorId, beforeSeq)),
  );
}

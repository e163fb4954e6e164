// The audit log, a page at a time, newest first: "load older" appends, and a change of filter
// starts again from the newest.

import { useClient } from "../../../api/ApiProvider";
import type { ListAuditInput } from "../../../api/generated";
import { useNewestFirstPages } from "./useNewestFirstPages";

/** Who and what to show; "" is everyone, every operation. */
export type AuditFilter = { actorId: string; operation: string };
export const WHOLE_LOG: AuditFilter = { actorId: "", operation: "" };

/** Everything read from the audit log (the entries, and the records a person changed). */
export const AUDIT_KEY = ["audit"] as const;
export const PAGE_SIZE = 100;

/** The input of one page: only the filters chosen are sent (the core reads a missing one as "any"). */
export function auditListInput(filter: AuditFilter, beforeSeq: number | null): ListAuditInput {
  const input: ListAuditInput = { limit: PAGE_SIZE };
  if (beforeSeq !== null) input.before_seq = beforeSeq;
  if (filter.actorId) input.actor_id = filter.actorId;
  if (filter.operation) input.operation = filter.operation;
  return input;
}

export function useAuditLog(filter: AuditFilter) {
  const client = useClient();
  return useNewestFirstPages([...AUDIT_KEY, filter], (beforeSeq) => client.call("audit.list", auditListInput(filter, beforeSeq)));
}

// The audit log, a page at a time, newest first: TanStack's infinite query keeps the pages
// read so far, so "load older" appends and a change of filter starts again from the newest.

import { useInfiniteQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { useClient } from "../../../api/ApiProvider";
import type { ListAuditInput } from "../../../api/generated";

/** Who and what to show; "" is everyone, every operation. */
export type AuditFilter = { actorId: string; operation: string };
export const WHOLE_LOG: AuditFilter = { actorId: "", operation: "" };

const AUDIT_KEY = ["audit"] as const;
const PAGE_SIZE = 100;

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
  const query = useInfiniteQuery({
    queryKey: [...AUDIT_KEY, filter],
    queryFn: ({ pageParam }) => client.call("audit.list", auditListInput(filter, pageParam)),
    initialPageParam: null as number | null,
    getNextPageParam: (page) => page.next_before_seq,
  });
  const { data, error, hasNextPage, isFetchingNextPage, fetchNextPage, refetch } = query;
  const entries = useMemo(() => data?.pages.flatMap((page) => page.entries), [data]);
  return {
    /** Every entry read so far under this filter; undefined until the first page arrives. */
    entries,
    error,
    hasOlder: hasNextPage,
    loadingOlder: isFetchingNextPage,
    loadOlder: () => void fetchNextPage(),
    retry: () => void refetch(),
  };
}

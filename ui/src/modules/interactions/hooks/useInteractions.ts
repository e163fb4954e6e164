// Histories of interactions through TanStack Query: a history is an infinite query of keyset pages,
// newest first ("Load older" reads the page after the last one's `next_cursor`), under
// INTERACTIONS_KEY, so one save or archive marks every history out of date at once.

import { keepPreviousData, useInfiniteQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useMemo } from "react";
import { useClient } from "../../../api/ApiProvider";
import type { InteractionRow, ListInteractionsInput } from "../../../api/generated";
import { INTERACTIONS_KEY } from "../../../shared/recordQueries";

const HISTORY_KEY = [...INTERACTIONS_KEY, "history"] as const;

/** One history under one filter; `input` is its first page's (no cursor). */
export function useInteractionHistory(input: ListInteractionsInput) {
  const client = useClient();
  const query = useInfiniteQuery({
    queryKey: [...HISTORY_KEY, input],
    queryFn: ({ pageParam }) => client.call("interactions.list", pageParam === null ? input : { ...input, after: pageParam }),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.next_cursor,
    // Another filter keeps the rows shown until its own arrive, so the list does not flash empty.
    placeholderData: keepPreviousData,
  });
  const { data, error, hasNextPage, isFetchingNextPage, fetchNextPage, refetch, isPlaceholderData, isPending } = query;
  const rows = useMemo<InteractionRow[] | undefined>(() => data?.pages.flatMap((page) => page.items), [data]);
  return {
    /** Every row read so far; undefined until the first page arrives. */
    rows,
    error,
    /** The rows shown answer an earlier filter: the current one's are on their way. */
    stale: isPlaceholderData,
    loading: isPending,
    hasOlder: hasNextPage,
    loadingOlder: isFetchingNextPage,
    loadOlder: () => void fetchNextPage(),
    retry: () => void refetch(),
  };
}

/** Marks every history out of date: after a log, a correction, an archive or a restore. */
export function useRefreshInteractions() {
  const queryClient = useQueryClient();
  return useCallback(() => queryClient.invalidateQueries({ queryKey: INTERACTIONS_KEY }), [queryClient]);
}

// A log read a page at a time, newest first, each page saying where the next older one starts
// (`next_before_seq`, as the core's audit operations answer). TanStack's infinite query keeps
// the pages read so far, so "load older" appends, and another key (another filter, another
// person) starts again from the newest.

import { useInfiniteQuery, type QueryKey } from "@tanstack/react-query";
import { useMemo } from "react";

/** One page: its entries, newest first, and the `before_seq` of the next older page (null: none). */
export type NewestFirstPage<Entry> = { entries: Entry[]; next_before_seq: number | null };

export function useNewestFirstPages<Entry>(
  queryKey: QueryKey,
  readPage: (beforeSeq: number | null) => Promise<NewestFirstPage<Entry>>,
) {
  const query = useInfiniteQuery({
    queryKey,
    queryFn: ({ pageParam }) => readPage(pageParam),
    initialPageParam: null as number | null,
    getNextPageParam: (page) => page.next_before_seq,
  });
  const { data, error, hasNextPage, isFetchingNextPage, fetchNextPage, refetch } = query;
  const entries = useMemo(() => data?.pages.flatMap((page) => page.entries), [data]);
  return {
    /** Every entry read so far under this key; undefined until the first page arrives. */
    entries,
    error,
    hasOlder: hasNextPage,
    loadingOlder: isFetchingNextPage,
    loadOlder: () => void fetchNextPage(),
    retry: () => void refetch(),
  };
}

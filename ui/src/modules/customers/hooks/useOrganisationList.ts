// The organisation list as a bounded window of keyset pages (TanStack Query's infinite query):
// at most MAX_PAGES pages are kept; scrolling on drops the far end and a dropped page is read
// again by cursor when the user comes back (`before` = the first page's `prev_cursor`, `after` =
// the last page's `next_cursor`). Rows keep their absolute index in the list, so the window can
// slide without the scroll position moving. The list's length is the core's estimate (given with
// the first page) until the last page has been read, then the real count.

import { keepPreviousData, useInfiniteQuery, useQuery, useQueryClient, type InfiniteData } from "@tanstack/react-query";
import { useCallback, useMemo, useState } from "react";
import { useClient } from "../../../api/ApiProvider";
import type { ApiError, ListOrganisationsInput, OrganisationKind, OrganisationPage, OrganisationRow } from "../../../api/generated";
import { CUSTOMERS_KEY } from "../../../shared/recordQueries";
import { useDebouncedValue } from "../../../shared/useDebouncedValue";
import { SEARCH_DEBOUNCE_MS } from "../../../shared/search/useSearch";

export const PAGE_SIZE = 200;
/** Pages kept at once: MAX_PAGES × PAGE_SIZE rows, however far the user scrolls. */
export const MAX_PAGES = 6;
/** The most rows a search returns (the core's limit with `text`). */
export const SEARCH_LIMIT = 100;
/** How long the hits of an earlier text are kept (typing back to it shows them at once). */
const SEARCH_CACHE_MS = 30_000;

export type ListFilter = { kind: OrganisationKind | null; archived: boolean };

/** Where a page starts: the top, after a cursor (at index `start`), or before one (ending at `end`). */
type PageParam = { start: 0 } | { after: string; start: number } | { before: string; end: number };
/** A page with the absolute index of its first row. */
type WindowPage = OrganisationPage & { start: number };

/**
 * How far (in rows) past the window's edge the viewport may be for pages to be read toward it.
 * Farther (the scrollbar dragged into rows never read) only shows placeholders: keyset cursors
 * cannot jump there, and walking every page in between is not bounded.
 */
export const READ_REACH = MAX_PAGES * PAGE_SIZE;

/** What is known of the list's length: the core's estimate (first page) and the real count once the last page was read. */
export type ListLength = { estimated: number | null; exact: number | null };
const UNKNOWN_LENGTH: ListLength = { estimated: null, exact: null };

/** Every organisation list query (all filters, searches included), for invalidation. */
export const ORGANISATION_LIST_KEY = [...CUSTOMERS_KEY, "organisations"] as const;

/** Rows addressed by their absolute index in the list; only `offset … offset + count - 1` are loaded. */
export type RowWindow = {
  offset: number;
  count: number;
  rowAt: (index: number) => OrganisationRow | undefined;
  indexOf: (id: string) => number;
};

export type OrganisationList = RowWindow & {
  /** The first page for the current filter has arrived. */
  ready: boolean;
  /** What the pages read so far told of the list's length (kept when those pages are dropped). */
  length: ListLength;
  /** How many rows the list is taken to have: the real count, else the estimate, never fewer than the rows read. */
  size: number;
  /** More rows exist after the loaded ones. */
  hasMore: boolean;
  /** Rows before the loaded ones were dropped (or not read yet). */
  hasPrevious: boolean;
  /** A page is being read (next, previous, or all of them again). */
  fetching: boolean;
  error: ApiError | null;
  loadMore: () => void;
  loadPrevious: () => void;
  /** Drops the window and reads the list again from its first page (a jump back to the top). */
  restartFromTop: () => void;
  reload: () => void;
};

function baseInput(filter: ListFilter): ListOrganisationsInput {
  return { sort: "name", direction: "asc", archived: filter.archived, ...(filter.kind !== null ? { kind: filter.kind } : {}) };
}

function pageInput(filter: ListFilter, param: PageParam): ListOrganisationsInput {
  const input: ListOrganisationsInput = { ...baseInput(filter), limit: PAGE_SIZE };
  if ("after" in param) input.after = param.after;
  if ("before" in param) input.before = param.before;
  return input;
}

function startOf(param: PageParam, page: OrganisationPage): number {
  return "before" in param ? Math.max(0, param.end - page.items.length) : param.start;
}

/** The loaded pages seen as one run of rows, without copying them into one array. */
function windowOf(pages: readonly WindowPage[]): RowWindow {
  const offset = pages[0]?.start ?? 0;
  const count = pages.reduce((n, p) => n + p.items.length, 0);
  return {
    offset,
    count,
    rowAt(index) {
      let i = index - offset;
      if (i < 0) return undefined;
      for (const page of pages) {
        if (i < page.items.length) return page.items[i];
        i -= page.items.length;
      }
      return undefined;
    },
    indexOf(id) {
      let index = offset;
      for (const page of pages) {
        const i = page.items.findIndex((row) => row.id === id);
        if (i >= 0) return index + i;
        index += page.items.length;
      }
      return -1;
    },
  };
}

/** `known`, with what `pages` tell: an estimate from the first page, the real count from the last one. */
function learnLength(known: ListLength, pages: readonly WindowPage[]): ListLength {
  const first = pages[0];
  const last = pages.at(-1);
  return {
    estimated: first?.estimated_total ?? known.estimated,
    exact: last && last.next_cursor === null ? last.start + last.items.length : known.exact,
  };
}

/**
 * The core's estimate counts every organisation, archived ones included: it fits the list of all
 * active ones (over by the archived), not one kind nor the archived ones alone.
 */
function estimateFits(filter: ListFilter): boolean {
  return filter.kind === null && !filter.archived;
}

/** The virtualiser's count: the real count, else the estimate, but never fewer rows than were read. */
function sizeOf(length: ListLength, rows: RowWindow): number {
  return Math.max(length.exact ?? length.estimated ?? 0, rows.offset + rows.count);
}

/** The list's length as learnt from every page read for this filter, so it stays when the window drops them. */
function useListLength(filterKey: string, pages: readonly WindowPage[]): ListLength {
  const [learnt, setLearnt] = useState(() => ({ filterKey, pages, length: learnLength(UNKNOWN_LENGTH, pages) }));
  if (learnt.filterKey === filterKey && learnt.pages === pages) return learnt.length;
  const length = learnLength(learnt.filterKey === filterKey ? learnt.length : UNKNOWN_LENGTH, pages);
  setLearnt({ filterKey, pages, length });
  return length;
}

/** The page to read for rows `first … last` on screen, if any. */
export type PageToRead = "next" | "previous" | "top" | null;

/**
 * Which page brings the rows on screen (`first … last`) in, given the window and `margin` (rows
 * read ahead): the next or previous one when the viewport is near that edge, the first page when
 * the viewport is back at the top, and none when it is farther than `READ_REACH` from the window.
 */
export function pageToRead(
  view: { first: number; last: number },
  list: Pick<OrganisationList, "offset" | "count" | "hasMore" | "hasPrevious">,
  margin: number,
): PageToRead {
  const end = list.offset + list.count;
  if (list.hasMore && view.last >= end - margin && view.first < end + READ_REACH) return "next";
  if (!list.hasPrevious || view.first >= list.offset + margin) return null;
  if (view.last >= list.offset - READ_REACH) return "previous";
  return view.first < PAGE_SIZE ? "top" : null;
}

const NO_PAGES: WindowPage[] = [];

export function useOrganisationList(filter: ListFilter): OrganisationList {
  const client = useClient();
  const queryClient = useQueryClient();
  const { kind, archived } = filter;
  const queryKey = useMemo(() => [...ORGANISATION_LIST_KEY, "list", { kind, archived }], [kind, archived]);
  const query = useInfiniteQuery<WindowPage, ApiError, InfiniteData<WindowPage, PageParam>, readonly unknown[], PageParam>({
    queryKey,
    initialPageParam: { start: 0 },
    queryFn: async ({ pageParam }) => {
      const page = await client.call("customers.list_organisations", pageInput({ kind, archived }, pageParam));
      return { ...page, start: startOf(pageParam, page) };
    },
    getNextPageParam: (last) => (last.next_cursor ? { after: last.next_cursor, start: last.start + last.items.length } : undefined),
    getPreviousPageParam: (first) => (first.prev_cursor ? { before: first.prev_cursor, end: first.start } : undefined),
    maxPages: MAX_PAGES,
    // A filter no longer shown is forgotten at once: only the window on screen is kept.
    gcTime: 0,
  });

  const pages = query.data?.pages ?? NO_PAGES;
  const rows = useMemo(() => windowOf(pages), [pages]);
  const learnt = useListLength(`${kind}|${archived}`, pages);
  const length = estimateFits({ kind, archived }) ? learnt : { ...learnt, estimated: null };
  const { hasNextPage, hasPreviousPage, isFetching, fetchNextPage, fetchPreviousPage, refetch } = query;
  const failed = query.error !== null;

  const loadMore = useCallback(() => {
    if (hasNextPage && !isFetching && !failed) void fetchNextPage();
  }, [hasNextPage, isFetching, failed, fetchNextPage]);
  const loadPrevious = useCallback(() => {
    if (hasPreviousPage && !isFetching && !failed) void fetchPreviousPage();
  }, [hasPreviousPage, isFetching, failed, fetchPreviousPage]);
  const reload = useCallback(() => void refetch(), [refetch]);
  const restartFromTop = useCallback(() => void queryClient.resetQueries({ queryKey, exact: true }), [queryClient, queryKey]);

  return {
    ...rows,
    ready: query.data !== undefined && !failed,
    length,
    size: sizeOf(length, rows),
    hasMore: hasNextPage,
    hasPrevious: hasPreviousPage,
    fetching: isFetching,
    error: query.error,
    loadMore,
    loadPrevious,
    restartFromTop,
    reload,
  };
}

const NO_ROWS: OrganisationRow[] = [];

/**
 * The organisations matching `text` under the same filter, best match first, in the list's own
 * columns: debounced, and only the answer to the current text counts as `fresh`.
 */
export function useOrganisationSearch(text: string, filter: ListFilter) {
  const client = useClient();
  const query = text.trim();
  const debounced = useDebouncedValue(query, SEARCH_DEBOUNCE_MS);
  const { kind, archived } = filter;
  const result = useQuery({
    queryKey: [...ORGANISATION_LIST_KEY, "search", { kind, archived, text: debounced }],
    enabled: query !== "" && debounced === query,
    queryFn: () => client.call("customers.list_organisations", { ...baseInput({ kind, archived }), limit: SEARCH_LIMIT, text: debounced }),
    // While the next answer is on its way, the previous hits stay on screen.
    placeholderData: keepPreviousData,
    gcTime: SEARCH_CACHE_MS,
  });
  const fresh = query !== "" && debounced === query && result.isSuccess && !result.isPlaceholderData;
  return {
    /** The newest hits; they answer an earlier text until `fresh`. */
    rows: query !== "" ? (result.data?.items ?? NO_ROWS) : NO_ROWS,
    fresh,
    error: query !== "" ? result.error : null,
    reload: () => void result.refetch(),
  };
}

/** After a save or an archive: every loaded list page and search is read again, in place. */
export function useRefreshOrganisationLists() {
  const queryClient = useQueryClient();
  return useCallback(() => void queryClient.invalidateQueries({ queryKey: ORGANISATION_LIST_KEY }), [queryClient]);
}

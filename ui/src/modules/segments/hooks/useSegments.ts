// The Segments screen's reads and writes. The fields a filter may use and the values a text
// field holds are kept a minute; a preview follows the filter as it is edited (debounced, the
// last answer shown until the next arrives); a saved segment's members are read live, page by
// page; a save, change, archive or restore marks the lists and members out of date.

import { keepPreviousData, useInfiniteQuery, useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback } from "react";
import { useClient } from "../../../api/ApiProvider";
import type { SaveSegmentInput, Segment, SegmentFilter, UpdateSegmentInput } from "../../../api/generated";
import { useMutation } from "../../../api/useOperation";
import { useDebouncedValue } from "../../../shared/useDebouncedValue";
import type { SegmentTable } from "../labels";

/** Everything the window caches about segments. */
export const SEGMENTS_KEY = ["segments"] as const;
const LISTS_KEY = [...SEGMENTS_KEY, "list"] as const;
const MEMBERS_KEY = [...SEGMENTS_KEY, "members"] as const;

const KEEP_FOR_MS = 60 * 1000;
/** Long enough for a burst of keys or clicks to settle into one preview. */
export const PREVIEW_DEBOUNCE_MS = 300;
/** The first members a preview names. */
export const PREVIEW_LIMIT = 20;
/** Members read per page of a saved segment. */
export const MEMBERS_PAGE = 50;

/** The fields a filter over `table` may use, standard then custom. */
export function useSegmentFields(table: SegmentTable) {
  const client = useClient();
  return useQuery({
    queryKey: [...SEGMENTS_KEY, "fields", table],
    queryFn: () => client.call("segments.fields", { table }),
    staleTime: KEEP_FOR_MS,
  });
}

/** The values a text field holds, the commonest first (null: no text field, nothing asked). */
export function useFieldValues(table: SegmentTable, field: string | null) {
  const client = useClient();
  return useQuery({
    queryKey: [...SEGMENTS_KEY, "values", table, field],
    enabled: field !== null,
    queryFn: () => client.call("segments.field_values", { table, field: field ?? "" }),
    staleTime: KEEP_FOR_MS,
    // Suggestions are a courtesy: a refusal need not be asked again by every row.
    retryOnMount: false,
  });
}

/**
 * Who `filter` selects now: the count and the first members. Asked once the filter has stopped
 * changing for a moment; the last answer stays while the next is read (`settling`).
 */
export function useSegmentPreview(table: SegmentTable, filter: SegmentFilter) {
  const client = useClient();
  const key = JSON.stringify(filter);
  const settled = useDebouncedValue(key, PREVIEW_DEBOUNCE_MS);
  const query = useQuery({
    queryKey: [...SEGMENTS_KEY, "preview", table, settled],
    queryFn: () => client.call("segments.preview", { table, filter: JSON.parse(settled) as SegmentFilter, limit: PREVIEW_LIMIT }),
    placeholderData: keepPreviousData,
    staleTime: 0,
  });
  return { data: query.data, error: query.error, settling: settled !== key || query.isFetching, reload: query.refetch };
}

/** The saved segments of a kind, by name: the active ones, or the archived ones. */
export function useSegmentList(table: SegmentTable, archived: boolean) {
  const client = useClient();
  return useQuery({
    queryKey: [...LISTS_KEY, table, archived],
    queryFn: async (): Promise<Segment[]> => (await client.call("segments.list", { table, archived })).segments,
  });
}

/** The cache key of a saved segment's members. */
export function segmentMembersKey(id: string) {
  return [...MEMBERS_KEY, id] as const;
}

/** Who is in a saved segment now, page by page ("Show more" reads the next). */
export function useSegmentMembers(id: string, enabled: boolean) {
  const client = useClient();
  return useInfiniteQuery({
    queryKey: segmentMembersKey(id),
    enabled,
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) => client.call("segments.members", { id, limit: MEMBERS_PAGE, ...(pageParam ? { after: pageParam } : {}) }),
    getNextPageParam: (last) => last.next_cursor,
    staleTime: 0,
  });
}

/** Marks every list of segments and every segment's members out of date. */
function useSegmentsChanged() {
  const queryClient = useQueryClient();
  return useCallback(
    () => Promise.all([LISTS_KEY, MEMBERS_KEY].map((queryKey) => queryClient.invalidateQueries({ queryKey }))),
    [queryClient],
  );
}

/** Saves a new segment or changes one; afterwards the lists and members are read again. */
export function useSaveSegment() {
  const { run: runSave, pending: saving } = useMutation("segments.save");
  const { run: runUpdate, pending: updating } = useMutation("segments.update");
  const changed = useSegmentsChanged();
  const create = useCallback(
    async (input: SaveSegmentInput): Promise<Segment> => {
      const saved = await runSave(input);
      await changed();
      return saved;
    },
    [runSave, changed],
  );
  const change = useCallback(
    async (input: UpdateSegmentInput): Promise<Segment> => {
      try {
        return await runUpdate(input);
      } finally {
        // Changed here, or (a conflict) by someone else meanwhile: either way the lists are out of date.
        await changed();
      }
    },
    [runUpdate, changed],
  );
  return { create, change, pending: saving || updating };
}

/** Archives or restores a segment at the version shown. */
export function useArchiveSegment() {
  const { run: runArchive, pending: archiving } = useMutation("segments.archive");
  const { run: runRestore, pending: restoring } = useMutation("segments.restore");
  const changed = useSegmentsChanged();
  const run = useCallback(
    async (action: "archive" | "restore", segment: Pick<Segment, "id" | "version">): Promise<Segment> => {
      try {
        return await (action === "archive" ? runArchive : runRestore)({ id: segment.id, version: segment.version });
      } finally {
        await changed();
      }
    },
    [runArchive, runRestore, changed],
  );
  return { run, pending: archiving || restoring };
}

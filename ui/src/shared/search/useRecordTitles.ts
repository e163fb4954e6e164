// Names of records by id (`search.titles`): what a link field shows instead of an id. Each title
// is cached on its own, so a list that scrolls asks only for the ids it has not seen lately.

import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import { useClient } from "../../api/ApiProvider";
import type { SearchHit } from "../../api/generated";

const TITLES_KEY = ["record-titles"] as const;
const titleKey = (id: string) => [...TITLES_KEY, "one", id] as const;
/** How long a title is taken as current (a renamed record shows its new name after this). */
const KEEP_FOR_MS = 60 * 1000;
/** The most ids the core reads in one call. */
const BATCH = 500;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Id → hit; null: no record one may read has that id (removed, or out of one's reach); absent: not read yet. */
export type Titles = ReadonlyMap<string, SearchHit | null>;
const NONE: Titles = new Map();

/** The titles of `ids` (duplicates and what is not an id are ignored); empty until read. */
export function useRecordTitles(ids: readonly string[]): Titles {
  const client = useClient();
  const queryClient = useQueryClient();
  const wanted = [...new Set(ids.filter((id) => UUID.test(id)))].sort();
  const key = wanted.join(",");
  const query = useQuery({
    queryKey: [...TITLES_KEY, "set", key],
    enabled: key !== "",
    staleTime: KEEP_FOR_MS,
    placeholderData: keepPreviousData,
    queryFn: async (): Promise<Titles> => {
      const all = key.split(",");
      const fresh = (id: string) => {
        const state = queryClient.getQueryState<SearchHit | null>(titleKey(id));
        return state !== undefined && state.data !== undefined && Date.now() - state.dataUpdatedAt < KEEP_FOR_MS;
      };
      const missing = all.filter((id) => !fresh(id));
      for (let i = 0; i < missing.length; i += BATCH) {
        const batch = missing.slice(i, i + BATCH);
        const { hits } = await client.call("search.titles", { ids: batch });
        const found = new Map(hits.map((hit) => [hit.id, hit]));
        for (const id of batch) queryClient.setQueryData(titleKey(id), found.get(id) ?? null);
      }
      return new Map(all.map((id) => [id, queryClient.getQueryData<SearchHit | null>(titleKey(id)) ?? null]));
    },
  });
  if (key === "") return NONE;
  // Titles that cannot be read (refused, say) are none: what shows them falls back to the id.
  if (query.isError) return new Map(wanted.map((id) => [id, null]));
  return query.data ?? NONE;
}

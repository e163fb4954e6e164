// Search as you type: debounced, and only the answer to the current text counts.

import type { SearchEntity, SearchHit } from "../../api/generated";
import { useOperation } from "../../api/useOperation";
import { useDebouncedValue } from "../useDebouncedValue";

// Only long enough to coalesce a burst of keys: the core answers a local search in about 10 ms
// (docs/performance.md), stale answers are dropped anyway, and the target from keystroke to
// results is 100 ms.
export const SEARCH_DEBOUNCE_MS = 40;
const NO_HITS: SearchHit[] = [];

type Options = { entities?: SearchEntity[]; limit: number };

export function useSearch(text: string, { entities, limit }: Options) {
  const query = text.trim();
  const debounced = useDebouncedValue(query, SEARCH_DEBOUNCE_MS);
  const active = query !== "" && debounced === query;
  const result = useOperation(
    "search.query",
    active
      ? {
          text: debounced,
          limit,
          ...(entities ? { entities } : {}),
        }
      : null,
  );
  const fresh = query !== "" && result.dataInput?.text === query && !result.loading;
  return {
    /** The newest hits; they answer an earlier text until `fresh`. */
    hits: query !== "" ? (result.data?.hits ?? NO_HITS) : NO_HITS,
    /** The hits answer the text now in the box. */
    fresh,
    /** Text is present but its answer has not arrived. */
    pending: query !== "" && !fresh && !result.error,
    error: result.error,
  };
}

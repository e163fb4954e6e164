// The "Needs confirmation" screen's reads: one's own stale records of every kind (the first of
// each, oldest first), and — for the navigation badge — only how many there are, read when the
// window starts, now and then, and whenever it gets the focus back (time makes records stale
// without anything changing in the window). Both sit under the shared freshness cache, so a
// confirmation anywhere updates them.

import { useEffect } from "react";
import { useStaleRecords } from "../../../shared/freshness/useFreshness";

/** The badge asks again this often: records go stale as days pass, not only as the window changes them. */
export const BADGE_REFRESH_MS = 10 * 60_000;

/** The records listed per kind (the core's default). */
export const LISTED = 100;

/** One's stale records, per kind, the longest unconfirmed first, with each kind's count and months. */
export function useStaleList() {
  return useStaleRecords({ limit: LISTED });
}

/** How many of one's records await confirmation, for the badge; 0 while unknown. */
export function useStaleTotal(): number {
  // One record per kind is enough: the counts come with it.
  const query = useStaleRecords({ limit: 1 }, { refetchInterval: BADGE_REFRESH_MS });
  const { refetch } = query;
  useEffect(() => {
    // TanStack's own focus refetch listens to page visibility, which a desktop window coming
    // back from behind another one does not change.
    const onFocus = () => void refetch();
    window.addEventListener("focus", onFocus);
    return () => window.removeEventListener("focus", onFocus);
  }, [refetch]);
  return query.data?.total ?? 0;
}

// The organisation list, one keyset page at a time: the next page is requested with
// `after` = the previous page's `next_cursor`.

import { useCallback, useEffect, useRef, useState } from "react";
import { useClient } from "../../../api/ApiProvider";
import type { ApiError, OrganisationKind, OrganisationRow } from "../../../api/generated";

export const PAGE_SIZE = 200;

export type ListFilter = { kind: OrganisationKind | null; archived: boolean };

type Loaded = {
  key: string;
  rows: OrganisationRow[];
  cursor: string | null;
  error: ApiError | null;
};

export type OrganisationList = {
  rows: OrganisationRow[];
  /** The first page for the current filter has arrived. */
  ready: boolean;
  /** More pages exist after the loaded rows. */
  hasMore: boolean;
  error: ApiError | null;
  loadMore: () => void;
  reload: () => void;
};

export function useOrganisationList(filter: ListFilter): OrganisationList {
  const client = useClient();
  const [nonce, setNonce] = useState(0);
  const key = `${filter.kind ?? ""}|${filter.archived}|${nonce}`;
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  /** The request in flight, as `key|after`; a response to any other request is stale. */
  const inFlight = useRef<string | null>(null);

  const fetchPage = useCallback(
    (after: string | null) => {
      const token = `${key}|${after ?? ""}`;
      if (inFlight.current === token) return;
      inFlight.current = token;
      client
        .call("customers.list_organisations", {
          sort: "name",
          direction: "asc",
          limit: PAGE_SIZE,
          archived: filter.archived,
          ...(after !== null ? { after } : {}),
          ...(filter.kind !== null ? { kind: filter.kind } : {}),
        })
        .then(
          (page) => {
            if (inFlight.current !== token) return;
            inFlight.current = null;
            setLoaded((prev) => ({
              key,
              rows: after !== null && prev?.key === key ? prev.rows.concat(page.items) : page.items,
              cursor: page.next_cursor,
              error: null,
            }));
          },
          (error: ApiError) => {
            if (inFlight.current !== token) return;
            inFlight.current = null;
            setLoaded((prev) =>
              prev?.key === key ? { ...prev, error } : { key, rows: [], cursor: null, error },
            );
          },
        );
    },
    [client, key, filter.archived, filter.kind],
  );

  useEffect(() => {
    fetchPage(null);
  }, [fetchPage]);

  const current = loaded?.key === key ? loaded : null;
  const cursor = current?.cursor ?? null;
  const failed = current?.error != null;

  const loadMore = useCallback(() => {
    if (cursor !== null && !failed) fetchPage(cursor);
  }, [cursor, failed, fetchPage]);

  const reload = useCallback(() => setNonce((n) => n + 1), []);

  return {
    rows: current?.rows ?? [],
    ready: current !== null && current.error === null,
    hasMore: cursor !== null,
    error: current?.error ?? null,
    loadMore,
    reload,
  };
}

// Which database the window works on (the embedded one, the team server, or this laptop's
// offline copy of it), read through TanStack Query so the Settings screen, the offline banner and
// the automatic sync after going back online share one answer: a switch made in one place is
// seen everywhere at once.

import { useQuery, type QueryClient } from "@tanstack/react-query";
import { useClient } from "../../api/ApiProvider";
import type { ConnectionSettings, NoInput } from "../../api/generated";

export const CONNECTION_KEY = ["settings", "connection"] as const;

const NO_INPUT: NoInput = {};

type Options = {
  /** False: nothing is requested (nobody signed in yet, say). */
  enabled?: boolean;
};

/** The current connection; `error` when it cannot be read. */
export function useConnectionSettings({ enabled = true }: Options = {}) {
  const client = useClient();
  return useQuery({
    queryKey: CONNECTION_KEY,
    enabled,
    queryFn: () => client.call("settings.get_connection", NO_INPUT),
  });
}

/**
 * What a switch answered becomes the current connection, and everything else the window cached
 * (read from the database it has just left) is marked out of date.
 */
export function adoptConnection(queryClient: QueryClient, settings: ConnectionSettings) {
  queryClient.setQueryData(CONNECTION_KEY, settings);
  void queryClient.invalidateQueries({ predicate: (query) => !isConnectionKey(query.queryKey) });
}

function isConnectionKey(key: readonly unknown[]): boolean {
  return key.length === CONNECTION_KEY.length && CONNECTION_KEY.every((part, i) => key[i] === part);
}

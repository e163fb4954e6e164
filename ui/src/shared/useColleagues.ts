// Colleagues' names and departments, for showing who owns a record. Read once per window and
// kept: names change rarely, and administration marks them out of date when it changes users.

import { useQuery } from "@tanstack/react-query";
import { useClient } from "../api/ApiProvider";
import type { Colleagues } from "../api/generated";

export const COLLEAGUES_KEY = ["colleagues"] as const;
const KEEP_FOR_MS = 10 * 60 * 1000;

/**
 * The directory; an error (no `security.directory` permission, say) leaves `data` undefined.
 * Not asked for while not `wanted` (what was read before is still given).
 */
export function useColleagues(wanted = true) {
  const client = useClient();
  return useQuery({
    queryKey: COLLEAGUES_KEY,
    queryFn: () => client.call("security.list_colleagues", {}),
    enabled: wanted,
    staleTime: KEEP_FOR_MS,
    // A refusal is an answer about the person's permissions, which stay as they are until the
    // person changes (and the cache with them): every card opened need not ask again.
    retryOnMount: false,
  });
}

export function colleagueName(directory: Colleagues, userId: string): string | undefined {
  return directory.users.find((u) => u.id === userId)?.display_name;
}

export function departmentName(directory: Colleagues, departmentId: string): string | undefined {
  return directory.departments.find((d) => d.id === departmentId)?.name;
}

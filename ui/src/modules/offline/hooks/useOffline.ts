// This laptop's offline copy of the team server (ADR 0014), as the window follows it: where the
// copy stands and the job preparing it, read through TanStack Query so the Settings section, the
// offline banner and the automatic sync share one answer; and the ways to act on it.

import { useQuery, useQueryClient, type QueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState } from "react";
import { useClient } from "../../../api/ApiProvider";
import type { ApiError, ConnectionMode, NoInput, OfflineStatus, RejectedChange } from "../../../api/generated";
import { useMutation } from "../../../api/useOperation";
import { adoptConnection, useConnectionSettings } from "../../../shared/connection/useConnectionSettings";
import { ATTACHMENTS_KEY, CUSTOMERS_KEY } from "../../../shared/recordQueries";
import { CONFLICTS_KEY } from "../../../shared/sync/useConflicts";
import { useSession } from "../../session/hooks/useSession";
import { canWorkOffline } from "../access";

const NO_INPUT: NoInput = {};

/** Everything this module caches. */
export const OFFLINE_KEY = ["offline"] as const;
export const OFFLINE_STATUS_KEY = [...OFFLINE_KEY, "status"] as const;
export const REJECTED_KEY = [...OFFLINE_KEY, "rejected"] as const;

/** How often the status is read while a preparation runs. */
export const POLL_MS = 500;
/** Offline, the changes waiting to be sent grow with every save: the banner reads them this often. */
export const PENDING_REFRESH_MS = 5_000;

export function isRunning(status: OfflineStatus | null | undefined): boolean {
  return status?.job?.state === "running";
}

/**
 * Whether the signed-in person may work offline, and which database the window works on now
 * (null until it is known, or when it cannot be read).
 */
export function useOfflineAccess(): { allowed: boolean; mode: ConnectionMode | null } {
  const { status } = useSession();
  const connection = useConnectionSettings({ enabled: status.user !== null });
  return { allowed: canWorkOffline(status.user), mode: connection.data?.mode ?? null };
}

/**
 * A sync changed records and conflicts under the window, and may have brought attached files that
 * had not reached it: what it shows of them is read again.
 */
function afterSync(queryClient: QueryClient) {
  for (const queryKey of [CONFLICTS_KEY, CUSTOMERS_KEY, REJECTED_KEY, ATTACHMENTS_KEY]) void queryClient.invalidateQueries({ queryKey });
}

type StatusOptions = {
  /** False: nothing is requested (no `sync.replicate`, or the embedded database). */
  enabled: boolean;
  /** Read again this often (ms) while no preparation runs; while one runs, every POLL_MS. */
  refreshEvery?: number;
};

/** The copy and the preparation job; read every POLL_MS while the job runs. */
export function useOfflineStatus({ enabled, refreshEvery }: StatusOptions) {
  const client = useClient();
  const queryClient = useQueryClient();
  return useQuery({
    queryKey: OFFLINE_STATUS_KEY,
    enabled,
    queryFn: async (): Promise<OfflineStatus> => {
      const before = queryClient.getQueryData<OfflineStatus>(OFFLINE_STATUS_KEY);
      const status = await client.call("offline.status", NO_INPUT);
      if (isRunning(before) && !isRunning(status)) afterSync(queryClient);
      return status;
    },
    refetchInterval: (query) => (isRunning(query.state.data) ? POLL_MS : (refreshEvery ?? false)),
  });
}

/** Reads `refetch` again whenever the window gets the focus back (see useOpenConflictCount). */
export function useRefetchOnFocus(refetch: () => unknown, enabled: boolean) {
  useEffect(() => {
    if (!enabled) return;
    const onFocus = () => void refetch();
    window.addEventListener("focus", onFocus);
    return () => window.removeEventListener("focus", onFocus);
  }, [refetch, enabled]);
}

/** The changes the server refused, on the database the window works on (the copy, offline). */
export function useRejectedChanges({ enabled }: { enabled: boolean }) {
  const client = useClient();
  return useQuery({
    queryKey: REJECTED_KEY,
    enabled,
    queryFn: (): Promise<RejectedChange[]> => client.call("sync.list_rejected", {}),
  });
}

/** Starts (or, running already, leaves running) the preparation; its status becomes the current one. */
export function useStartPreparation() {
  const queryClient = useQueryClient();
  const { run, pending } = useMutation("offline.prepare");
  const start = useCallback(async () => {
    const status = await run(NO_INPUT);
    queryClient.setQueryData(OFFLINE_STATUS_KEY, status);
    return status;
  }, [run, queryClient]);
  return { start, pending };
}

export type OfflineAction = "prepare" | "cancel" | "work" | "online";

/**
 * What a person does with the copy: prepare or sync it, cancel that, work on it, go back online.
 * Each remembers its last failure for the component that offers it.
 */
export function useOfflineActions() {
  const queryClient = useQueryClient();
  const { refresh } = useSession();
  const preparation = useStartPreparation();
  const cancelling = useMutation("offline.cancel");
  const working = useMutation("offline.work_offline");
  const online = useMutation("offline.go_online");
  const [error, setError] = useState<ApiError | null>(null);

  const attempt = useCallback(async (action: () => Promise<unknown>) => {
    setError(null);
    try {
      await action();
    } catch (e) {
      setError(e as ApiError);
    }
  }, []);

  const startPreparation = preparation.start;
  const prepare = useCallback(() => attempt(startPreparation), [attempt, startPreparation]);

  const runCancel = cancelling.run;
  const cancel = useCallback(
    () =>
      attempt(async () => {
        queryClient.setQueryData(OFFLINE_STATUS_KEY, await runCancel(NO_INPUT));
      }),
    [attempt, runCancel, queryClient],
  );

  const runWork = working.run;
  const workOffline = useCallback(
    () =>
      attempt(async () => {
        adoptConnection(queryClient, await runWork(NO_INPUT));
        // The copy acts as its user: ask who is signed in there.
        await refresh();
      }),
    [attempt, runWork, queryClient, refresh],
  );

  const runOnline = online.run;
  const goOnline = useCallback(
    () =>
      attempt(async () => {
        adoptConnection(queryClient, await runOnline(NO_INPUT));
        // Nobody is signed in on the server yet: this brings the sign-in screen.
        await refresh();
      }),
    [attempt, runOnline, queryClient, refresh],
  );

  const pending: OfflineAction | null = preparation.pending
    ? "prepare"
    : cancelling.pending
      ? "cancel"
      : working.pending
        ? "work"
        : online.pending
          ? "online"
          : null;

  return { prepare, cancel, workOffline, goOnline, pending, error };
}

/**
 * Back online with changes made offline: the sync starts by itself, once per sign-in. Decided on
 * the first status read after mounting, in server mode, for who may replicate: a copy with
 * changes waiting and no preparation running is synced; otherwise nothing is started.
 */
export function useAutoSync() {
  const { allowed, mode } = useOfflineAccess();
  const active = allowed && mode === "server";
  const status = useOfflineStatus({ enabled: active });
  const { start } = useStartPreparation();
  const decided = useRef(false);
  const fresh = status.isFetchedAfterMount ? status.data : undefined;

  useEffect(() => {
    if (!active || decided.current || !fresh) return;
    decided.current = true;
    if (!fresh.replica || fresh.replica.pending === 0 || isRunning(fresh)) return;
    // A job that fails says so in Settings; a refused start leaves the copy as it was, to be
    // synced from there.
    start().catch(() => undefined);
  }, [active, fresh, start]);
}

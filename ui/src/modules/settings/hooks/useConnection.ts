import { useQueryClient } from "@tanstack/react-query";
import { useCallback } from "react";
import { isApiError } from "../../../api/client";
import type { ApiError, ConnectServerInput, ConnectionSettings, NoInput } from "../../../api/generated";
import { useMutation } from "../../../api/useOperation";
import { adoptConnection, useConnectionSettings } from "../../../shared/connection/useConnectionSettings";

const NO_INPUT: NoInput = {};

/** A rejection from the client is always an `ApiError`; anything else is reported as `internal`. */
function toApiError(e: unknown): ApiError {
  return isApiError(e) ? e : { code: "internal", message: String(e), fields: {} };
}

export type ConnectionResult = { ok: true; settings: ConnectionSettings } | { ok: false; error: ApiError };

/** Which database the app works on, and the two ways to switch it. */
export function useConnection() {
  const queryClient = useQueryClient();
  const current = useConnectionSettings();
  const connect = useMutation("settings.connect_server");
  const embedded = useMutation("settings.use_embedded");

  // What a successful switch answers replaces what was read (for every screen that shows it).
  const settle = useCallback(
    async (run: () => Promise<ConnectionSettings>): Promise<ConnectionResult> => {
      try {
        const settings = await run();
        adoptConnection(queryClient, settings);
        return { ok: true, settings };
      } catch (e) {
        return { ok: false, error: toApiError(e) };
      }
    },
    [queryClient],
  );

  const runConnect = connect.run;
  const connectServer = useCallback(
    (input: ConnectServerInput) => settle(() => runConnect(input)),
    [settle, runConnect],
  );
  const runEmbedded = embedded.run;
  const switchToEmbedded = useCallback(() => settle(() => runEmbedded(NO_INPUT)), [settle, runEmbedded]);

  const pending: "connect" | "embedded" | null = connect.pending ? "connect" : embedded.pending ? "embedded" : null;

  return {
    settings: current.data ?? null,
    loadError: current.data ? null : current.error,
    pending,
    connectServer,
    switchToEmbedded,
  };
}

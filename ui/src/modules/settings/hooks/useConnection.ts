import { useCallback, useState } from "react";
import { isApiError } from "../../../api/client";
import type { ApiError, ConnectServerInput, ConnectionSettings, NoInput } from "../../../api/generated";
import { useMutation, useOperation } from "../../../api/useOperation";

const NO_INPUT: NoInput = {};

/** A rejection from the client is always an `ApiError`; anything else is reported as `internal`. */
function toApiError(e: unknown): ApiError {
  return isApiError(e) ? e : { code: "internal", message: String(e), fields: {} };
}

export type ConnectionResult = { ok: true; settings: ConnectionSettings } | { ok: false; error: ApiError };

/** Which database the app works on, and the two ways to switch it. */
export function useConnection() {
  const current = useOperation("settings.get_connection", NO_INPUT);
  const connect = useMutation("settings.connect_server");
  const embedded = useMutation("settings.use_embedded");
  // What the last successful switch answered; it replaces what was read at start.
  const [switched, setSwitched] = useState<ConnectionSettings | null>(null);

  const settle = useCallback(async (run: () => Promise<ConnectionSettings>): Promise<ConnectionResult> => {
    try {
      const settings = await run();
      setSwitched(settings);
      return { ok: true, settings };
    } catch (e) {
      return { ok: false, error: toApiError(e) };
    }
  }, []);

  const runConnect = connect.run;
  const connectServer = useCallback(
    (input: ConnectServerInput) => settle(() => runConnect(input)),
    [settle, runConnect],
  );
  const runEmbedded = embedded.run;
  const switchToEmbedded = useCallback(() => settle(() => runEmbedded(NO_INPUT)), [settle, runEmbedded]);

  const pending: "connect" | "embedded" | null = connect.pending ? "connect" : embedded.pending ? "embedded" : null;

  return {
    settings: switched ?? current.data ?? null,
    loadError: switched ? null : current.error,
    pending,
    connectServer,
    switchToEmbedded,
  };
}

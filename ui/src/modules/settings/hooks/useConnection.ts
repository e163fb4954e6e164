import { useCallback, useEffect, useState } from "react";
import { useClient } from "../../../api/ApiProvider";
import type { ApiError } from "../../../api/generated";
import type { ConnectServerInput, ConnectionSettings, SettingsOperations } from "../types";

type SettingsOp = keyof SettingsOperations;

/**
 * The client's typed `call`, for the settings operations not yet in generated.ts.
 * TEMPORARY: once codegen has them, this becomes `client.call` / `useOperation` directly.
 */
function useSettingsCall() {
  const client = useClient();
  return useCallback(
    <K extends SettingsOp>(op: K, input: SettingsOperations[K]["input"]) =>
      (client.call as unknown as (op: K, input: unknown) => Promise<SettingsOperations[K]["output"]>)(op, input),
    [client],
  );
}

export function useConnection() {
  const call = useSettingsCall();
  const [settings, setSettings] = useState<ConnectionSettings | null>(null);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [pending, setPending] = useState<"connect" | "embedded" | null>(null);

  useEffect(() => {
    let live = true;
    call("settings.get_connection", {}).then(
      (s) => live && setSettings(s),
      (e: ApiError) => live && setLoadError(e),
    );
    return () => {
      live = false;
    };
  }, [call]);

  const connectServer = useCallback(
    async (input: ConnectServerInput) => {
      setPending("connect");
      try {
        const s = await call("settings.connect_server", input);
        setSettings(s);
        return s;
      } finally {
        setPending(null);
      }
    },
    [call],
  );

  const useEmbedded = useCallback(async () => {
    setPending("embedded");
    try {
      const s = await call("settings.use_embedded", {});
      setSettings(s);
      return s;
    } finally {
      setPending(null);
    }
  }, [call]);

  return { settings, loadError, pending, connectServer, switchToEmbedded: useEmbedded };
}

// The client reaches components through React context, so the transport is injectable:
// the app passes the Tauri transport, tests pass a fake one.

import { createContext, useContext, useMemo, type ReactNode } from "react";
import { createClient, type Client, type Transport } from "./client";

const ClientContext = createContext<Client | null>(null);

export function ApiProvider({ transport, children }: { transport: Transport; children: ReactNode }) {
  const client = useMemo(() => createClient(transport), [transport]);
  return <ClientContext.Provider value={client}>{children}</ClientContext.Provider>;
}

export function useClient(): Client {
  const client = useContext(ClientContext);
  if (!client) throw new Error("useClient needs an <ApiProvider> above it");
  return client;
}

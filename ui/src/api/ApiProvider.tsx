// The client reaches components through React context, so the transport is injectable:
// the app passes the Tauri transport, tests pass a fake one. TanStack Query's cache lives
// beside it: one per provider, so every test (and every window) starts from an empty cache.

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createContext, useContext, useMemo, useState, type ReactNode } from "react";
import { createClient, type ApiError, type Client, type Transport } from "./client";

declare module "@tanstack/react-query" {
  interface Register {
    // Queries reach the core through `client.call`, which rejects with an ApiError only.
    defaultError: ApiError;
  }
}

const ClientContext = createContext<Client | null>(null);

const BUSY_RETRIES = 3;
const retryWhileBusy = (failures: number, error: ApiError) => error.code === "busy" && failures < BUSY_RETRIES;

function createQueryClient() {
  return new QueryClient({
    defaultOptions: {
      // The core is local and its errors are answers, not glitches: show them, do not retry —
      // except `busy` (another writer holds the database), which says to try again.
      // Nothing changes behind the window's back, so focus and reconnects do not refetch.
      queries: { retry: retryWhileBusy, refetchOnWindowFocus: false, refetchOnReconnect: false },
      mutations: { retry: false },
    },
  });
}

export function ApiProvider({ transport, children }: { transport: Transport; children: ReactNode }) {
  const client = useMemo(() => createClient(transport), [transport]);
  const [queryClient] = useState(createQueryClient);
  return (
    <ClientContext.Provider value={client}>
      <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
    </ClientContext.Provider>
  );
}

export function useClient(): Client {
  const client = useContext(ClientContext);
  if (!client) throw new Error("useClient needs an <ApiProvider> above it");
  return client;
}

// The client reaches components through React context, so the transport is injectable:
// the app passes the Tauri transport, tests pass a fake one. TanStack Query's cache lives
// beside it: one per provider, so every test (and every window) starts from an empty cache.

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createContext, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { createClient, type ApiError, type Client, type ErrorObserver, type Transport } from "./client";

declare module "@tanstack/react-query" {
  interface Register {
    // Queries reach the core through `client.call`, which rejects with an ApiError only.
    defaultError: ApiError;
  }
}

const ClientContext = createContext<Client | null>(null);
const ErrorObserversContext = createContext<Set<ErrorObserver> | null>(null);

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
  const [observers] = useState(() => new Set<ErrorObserver>());
  // Every call goes through this client — TanStack queries and mutations as well as
  // useOperation and one-off calls — so its error hook is the one place that hears them all.
  const client = useMemo(
    () => createClient(transport, (op, error) => observers.forEach((observe) => observe(op, error))),
    [transport, observers],
  );
  const [queryClient] = useState(createQueryClient);
  return (
    <ClientContext.Provider value={client}>
      <ErrorObserversContext.Provider value={observers}>
        <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
      </ErrorObserversContext.Provider>
    </ClientContext.Provider>
  );
}

export function useClient(): Client {
  const client = useContext(ClientContext);
  if (!client) throw new Error("useClient needs an <ApiProvider> above it");
  return client;
}

/** Calls `observe` with every error any call of this window's client meets, while mounted. */
export function useApiErrorObserver(observe: ErrorObserver) {
  const observers = useContext(ErrorObserversContext);
  if (!observers) throw new Error("useApiErrorObserver needs an <ApiProvider> above it");
  // The newest callback is used without subscribing again at every render.
  const latest = useRef(observe);
  useEffect(() => {
    latest.current = observe;
  });
  useEffect(() => {
    const relay: ErrorObserver = (op, error) => latest.current(op, error);
    observers.add(relay);
    return () => {
      observers.delete(relay);
    };
  }, [observers]);
}

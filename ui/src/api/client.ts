// The UI's one door into the core: a typed `call` over the generated operation map.
// The transport is injected; the desktop shell's `invoke("api", { op, input })` arrives with
// issue 4, and tests can pass a fake.

import type { ApiError, InputOf, OperationName, Operations, OutputOf } from "./generated";

export type { ApiError, InputOf, OperationName, Operations, OutputOf };

/** Sends one operation to the core; resolves with its output, rejects with its error. */
export type Transport = (op: string, input: unknown) => Promise<unknown>;

/** True for the `{ code, message, fields }` errors the core returns. */
export function isApiError(e: unknown): e is ApiError {
  if (typeof e !== "object" || e === null) return false;
  const { code, message, fields } = e as Record<string, unknown>;
  return typeof code === "string" && typeof message === "string" && typeof fields === "object" && fields !== null;
}

/** Hears every failed call, whoever made it (a query, a mutation, a one-off call). */
export type ErrorObserver = (op: OperationName, error: ApiError) => void;

export function createClient(transport: Transport, onError?: ErrorObserver) {
  return {
    /** Runs `op`; a rejection is always an `ApiError` (transport failures become `internal`). */
    async call<K extends OperationName>(op: K, input: InputOf<K>): Promise<OutputOf<K>> {
      try {
        return (await transport(op, input)) as OutputOf<K>;
      } catch (e) {
        const error: ApiError = isApiError(e)
          ? e
          : { code: "internal", message: `Accord could not run ${op}: ${String(e)}`, fields: {} };
        onError?.(op, error);
        throw error;
      }
    },
  };
}

export type Client = ReturnType<typeof createClient>;

// Tests only: a fake core behind the same Transport the app injects.

import type { Transport } from "../api/client";
import type { ApiError, InputOf, OperationName, OrganisationRow, Organisation, OutputOf } from "../api/generated";

type Handlers = {
  [K in OperationName]?: (input: InputOf<K>) => OutputOf<K> | Promise<OutputOf<K>>;
} & { [op: string]: ((input: never) => unknown) | undefined };

export type Call = { op: string; input: unknown };

export function fakeTransport(handlers: Handlers) {
  const calls: Call[] = [];
  const transport: Transport = async (op, input) => {
    calls.push({ op, input });
    const handler = handlers[op] as ((input: unknown) => unknown) | undefined;
    if (!handler) {
      const error: ApiError = { code: "unknown_operation", message: `no fake for ${op}`, fields: {} };
      throw error;
    }
    return handler(input);
  };
  return {
    transport,
    calls,
    callsOf: <K extends OperationName>(op: K) => calls.filter((c) => c.op === op).map((c) => c.input as InputOf<K>),
  };
}

export function apiError(code: ApiError["code"], fields: ApiError["fields"] = {}, message = "core message"): ApiError {
  return { code, message, fields };
}

export function row(i: number, overrides: Partial<OrganisationRow> = {}): OrganisationRow {
  return {
    id: `org-${i}`,
    kind: "customer",
    name: `Organisation ${String(i).padStart(4, "0")}`,
    tax_id: null,
    email: `info${i}@example.com`,
    phone: null,
    city: "Moscow",
    updated_at: "2026-11-23T10:00:00Z",
    ...overrides,
  };
}

export function organisation(overrides: Partial<Organisation> = {}): Organisation {
  return {
    id: "org-1",
    kind: "customer",
    name: "Acme Ltd",
    legal_name: null,
    tax_id: "7701234567",
    email: "info@acme.example",
    phone: "+74951234567",
    website: null,
    industry: null,
    country: "RU",
    city: "Moscow",
    address: null,
    notes: null,
    version: 3,
    created_at: "2026-11-20T09:00:00Z",
    updated_at: "2026-11-22T09:00:00Z",
    created_by: "user-1",
    updated_by: "user-1",
    archived_at: null,
    ...overrides,
  };
}

export function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

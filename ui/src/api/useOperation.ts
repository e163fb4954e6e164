// The one generic way components read from the core: run `op` with `input` whenever the input
// changes (by value), ignore responses to inputs that are no longer current, and reload on demand.

import { useCallback, useEffect, useState } from "react";
import { useClient } from "./ApiProvider";
import type { ApiError, InputOf, OperationName, OutputOf } from "./client";

export type OperationState<K extends OperationName> = {
  /** The newest output received; it may belong to an earlier input while `loading`. */
  data: OutputOf<K> | undefined;
  /** The input `data` answers. */
  dataInput: InputOf<K> | undefined;
  error: ApiError | null;
  /** A request for the current input is in flight. */
  loading: boolean;
  reload: () => void;
};

type Settled<K extends OperationName> = {
  token: string;
  data: OutputOf<K> | undefined;
  dataInput: InputOf<K> | undefined;
  error: ApiError | null;
};

/** `input` null: nothing is requested (e.g. an empty search box). */
export function useOperation<K extends OperationName>(op: K, input: InputOf<K> | null): OperationState<K> {
  const client = useClient();
  const key = input === null ? null : JSON.stringify(input);
  const [nonce, setNonce] = useState(0);
  const [settled, setSettled] = useState<Settled<K>>({
    token: "",
    data: undefined,
    dataInput: undefined,
    error: null,
  });
  const token = key === null ? null : `${op}|${nonce}|${key}`;

  useEffect(() => {
    if (token === null || key === null) return;
    let current = true;
    const sent = JSON.parse(key) as InputOf<K>;
    client.call(op, sent).then(
      (data) => {
        if (current) setSettled({ token, data, dataInput: sent, error: null });
      },
      (error: ApiError) => {
        if (current) setSettled((prev) => ({ ...prev, token, error }));
      },
    );
    return () => {
      current = false;
    };
  }, [client, op, key, token]);

  const reload = useCallback(() => setNonce((n) => n + 1), []);

  return {
    data: settled.data,
    dataInput: settled.dataInput,
    error: token !== null && settled.token === token ? settled.error : null,
    loading: token !== null && settled.token !== token,
    reload,
  };
}

/** Runs a changing operation on demand (save, archive…), tracking whether it is running. */
export function useMutation<K extends OperationName>(op: K) {
  const client = useClient();
  const [pending, setPending] = useState(false);
  const run = useCallback(
    async (input: InputOf<K>): Promise<OutputOf<K>> => {
      setPending(true);
      try {
        return await client.call(op, input);
      } finally {
        setPending(false);
      }
    },
    [client, op],
  );
  return { run, pending };
}

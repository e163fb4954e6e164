// The Import screen's reads and writes. A file is opened (the shell's file dialog, then the core
// reads it) and previewed on demand; an import runs in the core's background and is followed by
// reading its summary every half second while it runs; its rows worth a look are read page by
// page once it has ended; cancelling, creating held rows and undoing change what is cached about
// it, and an import that stored records marks the customers' lists out of date.

import { useInfiniteQuery, useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useClient } from "../../../api/ApiProvider";
import type { ApiError, ExportFormat, ImportRowOutcome, ImportSummary, StartImportInput, UndoProgress } from "../../../api/generated";
import { useMutation } from "../../../api/useOperation";
import { downloadBase64File } from "../../../shared/download";
import { CUSTOMERS_KEY } from "../../../shared/recordQueries";

/** Everything the window caches about imports. */
export const IMPORTS_KEY = ["imports"] as const;
const LIST_KEY = [...IMPORTS_KEY, "list"] as const;
const summaryKey = (id: string) => [...IMPORTS_KEY, "summary", id] as const;
const rowsKey = (id: string) => [...IMPORTS_KEY, "rows", id] as const;

/** How often a running import's progress is read. */
export const POLL_MS = 500;
/** Rows of an import read per page ("Show more" reads the next). */
export const ROWS_PAGE = 50;

/** How often the list is read again while one of its imports runs (here or in another window). */
const LIST_POLL_MS = 3000;

/** One's latest imports, newest first; read again now and then while one of them runs. */
export function useImportList() {
  const client = useClient();
  return useQuery({
    queryKey: LIST_KEY,
    queryFn: () => client.call("imports.list", {}),
    refetchInterval: (q) => (q.state.data?.some((s) => s.status === "running") ? LIST_POLL_MS : false),
  });
}

/**
 * An import and how far it got: read again every `POLL_MS` while it runs, then left alone. When
 * it stops running, the list of imports, its rows and the customers' lists are read again.
 */
export function useImportSummary(id: string, initial?: ImportSummary) {
  const client = useClient();
  const queryClient = useQueryClient();
  const query = useQuery({
    queryKey: summaryKey(id),
    queryFn: () => client.call("imports.get", { id }),
    initialData: initial,
    staleTime: 0,
    refetchInterval: (q) => (q.state.data?.status === "running" ? POLL_MS : false),
  });
  const status = query.data?.status;
  const seen = useRef(status);
  useEffect(() => {
    const was = seen.current;
    seen.current = status;
    if (was === "running" && status !== undefined && status !== "running") {
      void queryClient.invalidateQueries({ queryKey: LIST_KEY });
      void queryClient.invalidateQueries({ queryKey: rowsKey(id) });
      void queryClient.invalidateQueries({ queryKey: CUSTOMERS_KEY });
    }
  }, [status, id, queryClient]);
  return query;
}

/** The rows of an ended import with one outcome, by row number, page by page. */
export function useImportRows(id: string, outcome: ImportRowOutcome, enabled: boolean) {
  const client = useClient();
  return useInfiniteQuery({
    queryKey: [...rowsKey(id), outcome],
    enabled,
    initialPageParam: null as number | null,
    queryFn: ({ pageParam }) =>
      client.call("imports.rows", { id, outcome, limit: ROWS_PAGE, ...(pageParam !== null ? { after_row: pageParam } : {}) }),
    getNextPageParam: (last) => last.next_after ?? undefined,
    staleTime: 0,
  });
}

/** Marks out of date what changes to an import change: it, its rows, the list, and the customers. */
function useImportChanged() {
  const queryClient = useQueryClient();
  return useCallback(
    (id: string) =>
      Promise.all(
        [summaryKey(id), rowsKey(id), LIST_KEY, CUSTOMERS_KEY].map((queryKey) => queryClient.invalidateQueries({ queryKey })),
      ),
    [queryClient],
  );
}

/** Starts an import (or a dry run); the list of imports is read again. */
export function useStartImport() {
  const { run, pending } = useMutation("imports.start");
  const queryClient = useQueryClient();
  const start = useCallback(
    async (input: StartImportInput): Promise<ImportSummary> => {
      const summary = await run(input);
      queryClient.setQueryData(summaryKey(summary.id), summary);
      void queryClient.invalidateQueries({ queryKey: LIST_KEY });
      return summary;
    },
    [run, queryClient],
  );
  return { start, pending };
}

/** Asks a running import to stop after its batch; the answer says so until it has. */
export function useCancelImport() {
  const { run, pending } = useMutation("imports.cancel");
  const queryClient = useQueryClient();
  const cancel = useCallback(
    async (id: string): Promise<ImportSummary> => {
      const summary = await run({ id });
      queryClient.setQueryData(summaryKey(id), summary);
      return summary;
    },
    [run, queryClient],
  );
  return { cancel, pending };
}

/** Creates held rows (all of them, or those given) next to the records they duplicate. */
export function useCreateHeld() {
  const { run, pending } = useMutation("imports.create_held");
  const changed = useImportChanged();
  const create = useCallback(
    async (id: string, rows?: number[]) => {
      try {
        return await run({ id, ...(rows ? { rows } : {}) });
      } finally {
        await changed(id);
      }
    },
    [run, changed],
  );
  return { create, pending };
}

/** What undoing an import did, once it has finished. */
export type UndoneImport = Pick<UndoProgress, "archived" | "kept_changed" | "already_archived">;

/** Undoes an import as a whole; afterwards it, its list and the customers are read again. */
export function useUndoImport() {
  const { run, pending } = useMutation("imports.undo");
  const client = useClient();
  const changed = useImportChanged();
  const [following, setFollowing] = useState(false);
  const undo = useCallback(
    async (id: string): Promise<UndoneImport> => {
      try {
        // The core undoes in the background, a thousand records at a time: follow it to its end.
        let summary = await run({ id });
        setFollowing(true);
        while (summary.undo?.status === "running") {
          await new Promise((resolve) => setTimeout(resolve, POLL_MS));
          summary = await client.call("imports.get", { id });
        }
        const undo = summary.undo;
        if (!undo || undo.status !== "finished") {
          throw { code: "internal", message: summary.message ?? "", fields: {} } satisfies ApiError;
        }
        return { archived: undo.archived, kept_changed: undo.kept_changed, already_archived: undo.already_archived };
      } finally {
        setFollowing(false);
        await changed(id);
      }
    },
    [run, client, changed],
  );
  return { undo, pending: pending || following };
}

/** How the last report ended: saved, or refused. */
export type ReportOutcome = { kind: "done"; fileName: string } | { kind: "failed"; error: ApiError };

/**
 * The rows an import did not import, as a file the person fixes and imports again: its first two
 * headings in the window's language. One report at a time.
 */
export function useImportReport(id: string) {
  const { t } = useTranslation();
  const client = useClient();
  const busy = useRef(false);
  const [running, setRunning] = useState<ExportFormat | null>(null);
  const [outcome, setOutcome] = useState<ReportOutcome | null>(null);
  const run = useCallback(
    async (format: ExportFormat) => {
      if (busy.current) return;
      busy.current = true;
      setRunning(format);
      setOutcome(null);
      try {
        const file = await client.call("imports.report", {
          id,
          format,
          headings: [t("imports.report.row"), t("imports.report.problems")],
        });
        downloadBase64File(file.file_name, file.content_base64, file.media_type);
        setOutcome({ kind: "done", fileName: file.file_name });
      } catch (e) {
        setOutcome({ kind: "failed", error: e as ApiError });
      } finally {
        busy.current = false;
        setRunning(null);
      }
    },
    [client, id, t],
  );
  return { run, running, outcome };
}

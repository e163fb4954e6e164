// Records to a file the person chooses — a saved segment's members, or the records a list shows
// (the active ones of a kind its filter selects): the system's Save dialog says where, then the
// core writes the CSV or the workbook in its background (and audits the export) while the window
// follows how far it got. One export at a time per screen: a large one takes a while.
// The job runs on while the person looks elsewhere: back on the segment or the list, its export
// is found again among the person's latest ones (still running, or just ended) and followed.

import { skipToken, useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useClient } from "../../api/ApiProvider";
import type { ApiError, ExportColumn, ExportFormat, ExportRecordsInput, ExportSummary, SegmentFilter } from "../../api/generated";
import { useCustomFields } from "../customFields/useCustomFields";
import { useColleagues } from "../useColleagues";
import { exportColumns, exportValueLabels, type ExportTable } from "./columns";

/** How often a running export's progress is read. */
export const EXPORT_POLL_MS = 500;

/** How long after it ended an export is still shown to the person coming back to its segment or list. */
export const RECENT_EXPORT_MS = 10 * 60 * 1000;

/** Every export query the window caches (one export, the person's latest). */
export const EXPORTS_KEY = ["exports"] as const;
const exportKey = (id: string | null) => [...EXPORTS_KEY, "one", id] as const;
const LATEST_EXPORTS_KEY = [...EXPORTS_KEY, "latest"] as const;

/**
 * What is exported: a saved segment's members (by its id), or the active records of the kind
 * that `filter` selects (every active one within reach when there is none), as a list shows them.
 */
export type ExportSource = { segmentId: string } | { filter: SegmentFilter | null };

export type ExportRequest = {
  table: ExportTable;
  source: ExportSource;
  /** The name offered in the Save dialog, and the sheet's. */
  name: string;
  /**
   * The columns, in order, as the screen shows them; when not given, the kind's own then its
   * active custom fields (a segment's file).
   */
  columns?: readonly ExportColumn[];
};

/**
 * An export and how far it got: read again every `EXPORT_POLL_MS` while it runs, then left
 * alone. `known`, the export as last listed, is shown until the first read answers.
 */
function useExportJob(id: string | null, known: ExportSummary | null) {
  const client = useClient();
  return useQuery({
    queryKey: exportKey(id),
    queryFn: id === null ? skipToken : () => client.call("segments.get_export", { id }),
    staleTime: 0,
    placeholderData: known !== null && known.id === id ? known : undefined,
    refetchInterval: (q) => (q.state.data?.status === "running" ? EXPORT_POLL_MS : false),
  });
}

/** The person's latest exports, newest first: read when a segment or a list opens, while `wanted`. */
function useLatestExports(wanted: boolean) {
  const client = useClient();
  return useQuery({
    queryKey: LATEST_EXPORTS_KEY,
    queryFn: wanted ? () => client.call("segments.list_exports", {}) : skipToken,
    // Read afresh at each opening (what was listed last time may have ended since).
    staleTime: 0,
  });
}

/**
 * Whether `summary` is an export of `source`: the same segment's; for a list, one of the same
 * kind started from no segment (which filter it had is not listed: the list's latest is taken).
 */
export function isExportOf(summary: ExportSummary, table: ExportTable, source: ExportSource): boolean {
  if ("segmentId" in source) return summary.segment_id === source.segmentId;
  return summary.segment_id === null && summary.table === table;
}

/**
 * Among the latest exports (read at `readAt`), the newest of `table` and `source` that still
 * runs or ended less than RECENT_EXPORT_MS before; none otherwise.
 */
export function returningExport(exports: readonly ExportSummary[], table: ExportTable, source: ExportSource, readAt: number): ExportSummary | null {
  return (
    exports.find((e) => {
      if (!isExportOf(e, table, source)) return false;
      if (e.status === "running") return true;
      const ended = e.finished_at === null ? NaN : Date.parse(e.finished_at);
      return readAt - ended < RECENT_EXPORT_MS;
    }) ?? null
  );
}

export type RecordsExport = {
  /** Asks where to save, then starts the export; nothing when the person closes the dialog. */
  run: (format: ExportFormat) => Promise<void>;
  /** The format being exported (or asked where to save), if any. */
  running: ExportFormat | null;
  /** Whether the custom fields, hence the columns, are known. */
  ready: boolean;
  /**
   * The last export started from this screen, as last read; before one is, the export of this
   * segment or list the person left running, or that ended moments ago.
   */
  job: ExportSummary | null;
  /** Asks the running export to stop at its next batch. */
  cancel: () => Promise<void>;
  /** Whether the running export was asked to stop. */
  stopping: boolean;
  /** Why the core refused to start, stop or report on the export. */
  error: ApiError | null;
};

export function useRecordsExport({ table, source, name, columns: shown }: ExportRequest): RecordsExport {
  const { t } = useTranslation();
  const client = useClient();
  const queryClient = useQueryClient();
  const { fields, settled } = useCustomFields(table);
  const segmentId = "segmentId" in source ? source.segmentId : null;
  const filter = "filter" in source ? source.filter : null;
  const columns = useMemo(() => shown ?? exportColumns(t, table, fields), [shown, t, table, fields]);
  // Owners are named by the colleagues' directory, read only when a column shows the owner.
  const { data: directory } = useColleagues(columns.some((c) => c.field === "owner_id"));
  // Refs as well as state: a second press before the re-render must not start a second export
  // (held from the press until the export has ended) nor ask twice to stop one.
  const busy = useRef(false);
  const cancelling = useRef<string | null>(null);
  const [pressed, setPressed] = useState<ExportFormat | null>(null);
  const [startedId, setStartedId] = useState<string | null>(null);
  const [stoppingId, setStoppingId] = useState<string | null>(null);
  const [refused, setRefused] = useState<ApiError | null>(null);
  // Until an export is started here (or Export pressed before the list answered), the one of
  // this segment or list found among the latest: read once, and only an answer read since the
  // opening. Unreadable, there is none: exporting goes on as usual.
  const [adopting, setAdopting] = useState(true);
  const latest = useLatestExports(adopting);
  const listed = adopting && latest.isSuccess && latest.isFetchedAfterMount;
  const adopted = listed
    ? returningExport(latest.data, table, segmentId !== null ? { segmentId } : { filter }, latest.dataUpdatedAt)
    : null;
  const jobId = startedId ?? adopted?.id ?? null;
  const query = useExportJob(jobId, adopted);
  const job = jobId === null ? null : (query.data ?? null);
  const ended = job !== null && job.status !== "running";
  const runningId = job?.status === "running" ? job.id : null;
  // Whether the list has had its say: a press before it did must not let it bring in an export.
  const lookedUp = !adopting || latest.isFetchedAfterMount;

  useEffect(() => {
    if (ended) busy.current = false;
  }, [ended, jobId]);

  const run = useCallback(
    async (format: ExportFormat) => {
      // Not before the custom fields are known: the file would lack their columns; nor while
      // an export runs, this screen's or the one found running when it opened.
      if (busy.current || runningId !== null || !settled) return;
      busy.current = true;
      setPressed(format);
      if (!lookedUp) setAdopting(false);
      let started = false;
      try {
        const chosen = await client.call("settings.choose_save_file", { name, format });
        if (chosen.path === null) return;
        const valueLabels = exportValueLabels(t, columns, fields, directory);
        // Started or refused (here or in the catch), what this screen shows is now its own.
        setAdopting(false);
        const input: ExportRecordsInput = {
          ...(segmentId !== null ? { segment_id: segmentId } : { table, ...(filter !== null ? { filter } : {}) }),
          format,
          name,
          columns: [...columns],
          ...(Object.keys(valueLabels).length > 0 ? { value_labels: valueLabels } : {}),
          path: chosen.path,
        };
        const summary = await client.call("segments.export", input);
        queryClient.setQueryData(exportKey(summary.id), summary);
        setStartedId(summary.id);
        setRefused(null);
        started = true;
      } catch (e) {
        setStartedId(null);
        setAdopting(false);
        setRefused(e as ApiError);
      } finally {
        setPressed(null);
        // A started export keeps the buttons busy until it has ended (the effect above).
        if (!started) busy.current = false;
      }
    },
    [client, queryClient, t, table, columns, fields, settled, directory, segmentId, filter, name, runningId, lookedUp],
  );

  const cancel = useCallback(async () => {
    if (runningId === null || cancelling.current === runningId) return;
    cancelling.current = runningId;
    setStoppingId(runningId);
    try {
      queryClient.setQueryData(exportKey(runningId), await client.call("segments.cancel_export", { id: runningId }));
    } catch (e) {
      cancelling.current = null;
      setStoppingId(null);
      setRefused(e as ApiError);
    }
  }, [client, queryClient, runningId]);

  return {
    run,
    running: pressed ?? (job?.status === "running" ? job.format : null),
    ready: settled,
    job,
    cancel,
    // A read begun before the request may still say it was not asked: the request is what counts.
    stopping: job !== null && (job.cancel_requested || stoppingId === job.id),
    error: refused ?? query.error ?? null,
  };
}

// A saved segment's members to a file the person chooses: the system's Save dialog says where,
// then the core writes the CSV or the workbook in its background (and audits the export) while
// the window follows how far it got. One export at a time: a large segment takes a while.
// The job runs on while the person looks elsewhere: back on the segment, its export is found
// again among the person's latest ones (still running, or just ended) and followed as before.

import { skipToken, useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useClient } from "../../../api/ApiProvider";
import type { ApiError, ExportFormat, ExportSummary, Segment } from "../../../api/generated";
import { useCustomFields } from "../../../shared/customFields/useCustomFields";
import { useColleagues } from "../../../shared/useColleagues";
import { exportColumns, exportValueLabels } from "../export";
import type { SegmentTable } from "../labels";
import { SEGMENTS_KEY } from "./useSegments";

/** How often a running export's progress is read. */
export const EXPORT_POLL_MS = 500;

/** How long after it ended an export is still shown to the person coming back to its segment. */
export const RECENT_EXPORT_MS = 10 * 60 * 1000;

const exportKey = (id: string | null) => [...SEGMENTS_KEY, "export", id] as const;
const LATEST_EXPORTS_KEY = [...SEGMENTS_KEY, "exports"] as const;

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

/** The person's latest exports, newest first: read when a segment opens, while `wanted`. */
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
 * Among the latest exports (read at `readAt`), the newest of `segmentId` that still runs or
 * ended less than RECENT_EXPORT_MS before; none otherwise.
 */
export function returningExport(exports: readonly ExportSummary[], segmentId: string, readAt: number): ExportSummary | null {
  return (
    exports.find((e) => {
      if (e.segment_id !== segmentId) return false;
      if (e.status === "running") return true;
      const ended = e.finished_at === null ? NaN : Date.parse(e.finished_at);
      return readAt - ended < RECENT_EXPORT_MS;
    }) ?? null
  );
}

export type SegmentExport = {
  /** Asks where to save, then starts the export; nothing when the person closes the dialog. */
  run: (format: ExportFormat) => Promise<void>;
  /** The format being exported (or asked where to save), if any. */
  running: ExportFormat | null;
  /** Whether the custom fields, hence the columns, are known. */
  ready: boolean;
  /**
   * The last export started from this screen, as last read; before one is, the export of this
   * segment the person left running, or that ended moments ago.
   */
  job: ExportSummary | null;
  /** Asks the running export to stop at its next batch. */
  cancel: () => Promise<void>;
  /** Whether the running export was asked to stop. */
  stopping: boolean;
  /** Why the core refused to start, stop or report on the export. */
  error: ApiError | null;
};

export function useSegmentExport(table: SegmentTable, segment: Pick<Segment, "id" | "name">): SegmentExport {
  const { t } = useTranslation();
  const client = useClient();
  const queryClient = useQueryClient();
  const { fields, settled } = useCustomFields(table);
  // Shared with the conditions' summary, which names owners: read once for the screen.
  const { data: directory } = useColleagues();
  // Refs as well as state: a second press before the re-render must not start a second export
  // (held from the press until the export has ended) nor ask twice to stop one.
  const busy = useRef(false);
  const cancelling = useRef<string | null>(null);
  const [pressed, setPressed] = useState<ExportFormat | null>(null);
  const [startedId, setStartedId] = useState<string | null>(null);
  const [stoppingId, setStoppingId] = useState<string | null>(null);
  const [refused, setRefused] = useState<ApiError | null>(null);
  // Until an export is started here (or Export pressed before the list answered), the one of
  // this segment found among the latest: read once, and only an answer read since the opening.
  // Unreadable, there is none: exporting goes on as usual.
  const [adopting, setAdopting] = useState(true);
  const latest = useLatestExports(adopting);
  const listed = adopting && latest.isSuccess && latest.isFetchedAfterMount;
  const adopted = listed ? returningExport(latest.data, segment.id, latest.dataUpdatedAt) : null;
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
        const chosen = await client.call("settings.choose_save_file", { name: segment.name, format });
        if (chosen.path === null) return;
        const columns = exportColumns(t, table, fields);
        const valueLabels = exportValueLabels(t, columns, fields, directory);
        // Started or refused (here or in the catch), what this screen shows is now its own.
        setAdopting(false);
        const summary = await client.call("segments.export", {
          segment_id: segment.id,
          format,
          name: segment.name,
          columns,
          ...(Object.keys(valueLabels).length > 0 ? { value_labels: valueLabels } : {}),
          path: chosen.path,
        });
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
    [client, queryClient, t, table, fields, settled, directory, segment.id, segment.name, runningId, lookedUp],
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

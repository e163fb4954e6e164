// A saved segment's members to a file the person chooses: the system's Save dialog says where,
// then the core writes the CSV or the workbook in its background (and audits the export) while
// the window follows how far it got. One export at a time: a large segment takes a while.

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

const exportKey = (id: string | null) => [...SEGMENTS_KEY, "export", id] as const;

/** An export and how far it got: read again every `EXPORT_POLL_MS` while it runs, then left alone. */
function useExportJob(id: string | null) {
  const client = useClient();
  return useQuery({
    queryKey: exportKey(id),
    queryFn: id === null ? skipToken : () => client.call("segments.get_export", { id }),
    staleTime: 0,
    refetchInterval: (q) => (q.state.data?.status === "running" ? EXPORT_POLL_MS : false),
  });
}

export type SegmentExport = {
  /** Asks where to save, then starts the export; nothing when the person closes the dialog. */
  run: (format: ExportFormat) => Promise<void>;
  /** The format being exported (or asked where to save), if any. */
  running: ExportFormat | null;
  /** Whether the custom fields, hence the columns, are known. */
  ready: boolean;
  /** The last export started from this screen, as last read. */
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
  const [jobId, setJobId] = useState<string | null>(null);
  const [stoppingId, setStoppingId] = useState<string | null>(null);
  const [refused, setRefused] = useState<ApiError | null>(null);
  const query = useExportJob(jobId);
  const job = jobId === null ? null : (query.data ?? null);
  const ended = job !== null && job.status !== "running";

  useEffect(() => {
    if (ended) busy.current = false;
  }, [ended, jobId]);

  const run = useCallback(
    async (format: ExportFormat) => {
      // Not before the custom fields are known: the file would lack their columns.
      if (busy.current || !settled) return;
      busy.current = true;
      setPressed(format);
      let started = false;
      try {
        const chosen = await client.call("settings.choose_save_file", { name: segment.name, format });
        if (chosen.path === null) return;
        const columns = exportColumns(t, table, fields);
        const valueLabels = exportValueLabels(t, columns, fields, directory);
        const summary = await client.call("segments.export", {
          segment_id: segment.id,
          format,
          name: segment.name,
          columns,
          ...(Object.keys(valueLabels).length > 0 ? { value_labels: valueLabels } : {}),
          path: chosen.path,
        });
        queryClient.setQueryData(exportKey(summary.id), summary);
        setJobId(summary.id);
        setRefused(null);
        started = true;
      } catch (e) {
        setJobId(null);
        setRefused(e as ApiError);
      } finally {
        setPressed(null);
        // A started export keeps the buttons busy until it has ended (the effect above).
        if (!started) busy.current = false;
      }
    },
    [client, queryClient, t, table, fields, settled, directory, segment.id, segment.name],
  );

  const runningId = job?.status === "running" ? job.id : null;
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

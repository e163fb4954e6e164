// A saved segment's members to a file: the core writes the CSV or the workbook (and audits the
// export), the window saves it. One export at a time: a large segment takes seconds.

import { useQueryClient, type InfiniteData } from "@tanstack/react-query";
import { useCallback, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useClient } from "../../../api/ApiProvider";
import type { ApiError, ExportFormat, ExportRecordsInput, Segment, SegmentMemberPage } from "../../../api/generated";
import { useCustomFields } from "../../../shared/customFields/useCustomFields";
import { downloadBase64File } from "../../../shared/download";
import { useColleagues } from "../../../shared/useColleagues";
import { exportColumns, exportValueLabels } from "../export";
import type { SegmentTable } from "../labels";
import { segmentMembersKey } from "./useSegments";

/** How the last export ended: saved (with how many members the segment was last read to hold), or refused. */
export type ExportOutcome = { kind: "done"; fileName: string; count: number | null } | { kind: "failed"; error: ApiError };

export function useSegmentExport(table: SegmentTable, segment: Pick<Segment, "id" | "name">) {
  const { t } = useTranslation();
  const client = useClient();
  const queryClient = useQueryClient();
  const { fields, settled } = useCustomFields(table);
  // Shared with the conditions' summary, which names owners: read once for the screen.
  const { data: directory } = useColleagues();
  // A ref as well as state: a second press before the re-render must not start a second export.
  const busy = useRef(false);
  const [running, setRunning] = useState<ExportFormat | null>(null);
  const [outcome, setOutcome] = useState<ExportOutcome | null>(null);

  const run = useCallback(
    async (format: ExportFormat) => {
      // Not before the custom fields are known: the file would lack their columns.
      if (busy.current || !settled) return;
      busy.current = true;
      setRunning(format);
      setOutcome(null);
      const columns = exportColumns(t, table, fields);
      const valueLabels = exportValueLabels(t, columns, fields, directory);
      const input: ExportRecordsInput = {
        segment_id: segment.id,
        format,
        name: segment.name,
        columns,
        ...(Object.keys(valueLabels).length > 0 ? { value_labels: valueLabels } : {}),
      };
      try {
        const file = await client.call("segments.export", input);
        downloadBase64File(file.file_name, file.content_base64, file.media_type);
        // The file does not say how many rows it holds: the count the members were last read with.
        const members = queryClient.getQueryData<InfiniteData<SegmentMemberPage>>(segmentMembersKey(segment.id));
        setOutcome({ kind: "done", fileName: file.file_name, count: members?.pages.at(-1)?.count ?? null });
      } catch (e) {
        setOutcome({ kind: "failed", error: e as ApiError });
      } finally {
        busy.current = false;
        setRunning(null);
      }
    },
    [client, queryClient, t, table, fields, settled, directory, segment.id, segment.name],
  );

  return { run, running, ready: settled, outcome };
}

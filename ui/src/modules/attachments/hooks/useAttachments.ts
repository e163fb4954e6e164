// A record's attached files through TanStack Query, under ATTACHMENTS_KEY: every panel showing the
// same record's files (under its row in a history, in the dialog correcting it) shares one answer,
// and attaching or removing a file marks them all out of date at once. Changing operations go
// through the app's `useMutation`.

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback } from "react";
import { useClient } from "../../../api/ApiProvider";
import type { HistoryTable } from "../../../api/generated";
import { useMutation } from "../../../api/useOperation";
import { ATTACHMENTS_KEY } from "../../../shared/recordQueries";

/** A file the person chose in the system's Open dialog, not yet attached. */
export type ChosenAttachment = { path: string; name: string };

/** The files attached to one record, oldest first (removed ones left out). */
export function useAttachmentList(table: HistoryTable, recordId: string, enabled = true) {
  const client = useClient();
  return useQuery({
    queryKey: [...ATTACHMENTS_KEY, table, recordId],
    queryFn: () => client.call("attachments.list", { table, record_id: recordId }),
    enabled,
  });
}

/** Marks every list of attached files out of date: after an attach or a removal. */
export function useRefreshAttachments() {
  const queryClient = useQueryClient();
  return useCallback(() => queryClient.invalidateQueries({ queryKey: ATTACHMENTS_KEY }), [queryClient]);
}

/** The file's own name, from a path of any system. */
export function fileNameOf(path: string): string {
  return path.split(/[\\/]/).pop() || path;
}

/** Asks the system's Open dialog for a file to attach; null when the person closed it. */
export function useChooseAttachment() {
  const client = useClient();
  return useCallback(async (): Promise<ChosenAttachment | null> => {
    const chosen = await client.call("settings.choose_file", { purpose: "attachment" });
    if (!chosen.path) return null;
    return { path: chosen.path, name: chosen.name ?? fileNameOf(chosen.path) };
  }, [client]);
}

/** Attaches a chosen file to a record. */
export function useAttachFile() {
  return useMutation("attachments.attach");
}

/**
 * Saves an attached file where the person chooses: the system's Save dialog offers the file's
 * own name with its own extension (no format is asked for). Resolves with where it was written,
 * or null when the person closed the dialog.
 */
export function useSaveAttachment() {
  const client = useClient();
  const { run: saveTo, pending } = useMutation("attachments.save");
  const run = useCallback(
    async (attachment: { id: string; file_name: string }): Promise<string | null> => {
      const chosen = await client.call("settings.choose_save_file", { name: attachment.file_name });
      if (chosen.path === null) return null;
      const written = await saveTo({ id: attachment.id, path: chosen.path });
      return written.path;
    },
    [client, saveTo],
  );
  return { run, pending };
}

/** Removes a file from its record (the core keeps it, and that it was attached, in the history). */
export function useRemoveAttachment() {
  return useMutation("attachments.remove");
}

import type { HistoryTable } from "../../api/generated";
import { useOperation } from "../../api/useOperation";

/** One record's changes, newest first; nothing is requested while `enabled` is false. */
export function useRecordHistory(table: HistoryTable, id: string, enabled: boolean) {
  const result = useOperation("history.record", enabled ? { table, id, limit: 200 } : null);
  const entries = result.dataInput?.id === id ? result.data?.entries : undefined;
  return { entries, error: result.error, loading: result.loading, reload: result.reload };
}

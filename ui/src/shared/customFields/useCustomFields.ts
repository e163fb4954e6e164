// The custom fields of a kind of record (CUST-3), read once and shared by its form, card, list
// columns and history. Administration marks them out of date after every change it makes.

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback } from "react";
import { useTranslation } from "react-i18next";
import { useClient } from "../../api/ApiProvider";
import type { CustomField, CustomFieldTarget, HistoryTable } from "../../api/generated";
import { fieldLabel } from "../labels";
import { customKeyOf } from "./values";

/** Every `fields.list` the window caches, whatever the kind: invalidated as one. */
export const CUSTOM_FIELDS_KEY = ["custom-fields"] as const;

/** Forms opened after another window changed the fields see the change within this time. */
const KEEP_FOR_MS = 60 * 1000;
const NO_FIELDS: CustomField[] = [];
const NO_TARGETS: CustomFieldTarget[] = [];

type Options = {
  /** Retired fields too (history names them; a card shows the values they keep). */
  includeRetired?: boolean;
};

/**
 * The fields of `table` in their order (every kind's when `table` is undefined), the kinds that
 * take fields and the kinds a link may point to. A refusal (a role without `fields.read`) or an
 * error leaves the lists empty: the record's own fields are what the reader came for.
 */
export function useCustomFields(table: HistoryTable | undefined, { includeRetired = false }: Options = {}) {
  const client = useClient();
  const query = useQuery({
    queryKey: [...CUSTOM_FIELDS_KEY, table ?? "all", includeRetired],
    queryFn: () => client.call("fields.list", { ...(table ? { record_table: table } : {}), include_retired: includeRetired }),
    staleTime: KEEP_FOR_MS,
    // A refusal is about the person's permissions: every form opened need not ask again.
    retryOnMount: false,
  });
  return {
    fields: query.data?.fields ?? NO_FIELDS,
    targets: query.data?.targets ?? NO_TARGETS,
    linkTargets: query.data?.link_targets ?? NO_TARGETS,
    /** The answer has arrived (or failed): the lists are what they are. */
    settled: !query.isPending,
    error: query.error,
    reload: query.refetch,
  };
}

/** Marks every cached list of fields out of date (after a field was added, changed, moved, retired). */
export function useRefreshCustomFields() {
  const queryClient = useQueryClient();
  return useCallback(() => queryClient.invalidateQueries({ queryKey: CUSTOM_FIELDS_KEY }), [queryClient]);
}

/**
 * A field's name as people call it, for a record of `table`: a custom field (`custom.<key>`) by
 * its label, retired ones too; a built-in field in words.
 */
export function useFieldLabel(table: HistoryTable | undefined) {
  const { t } = useTranslation();
  const { fields } = useCustomFields(table, { includeRetired: true });
  return useCallback(
    (field: string) => {
      const key = customKeyOf(field);
      const custom = key === null ? undefined : fields.find((f) => f.key === key);
      return custom?.label ?? fieldLabel(t, field);
    },
    [fields, t],
  );
}

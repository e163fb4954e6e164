import { useCallback } from "react";
import { useTranslation } from "react-i18next";
import { useCustomFields } from "../../../shared/customFields/useCustomFields";
import { choiceLabel, customKeyOf } from "../../../shared/customFields/values";
import { kindLabel } from "../../../shared/labels";
import type { SegmentTable } from "../labels";

/**
 * A choice's key in words, for a field of `table`: an organisation's kind by the kinds' labels,
 * a custom choice by its field's choice labels (retired choices too); the key itself otherwise.
 */
export function useChoiceLabel(table: SegmentTable) {
  const { t } = useTranslation();
  const { fields } = useCustomFields(table, { includeRetired: true });
  return useCallback(
    (field: string, key: string): string => {
      if (field === "kind") return kindLabel(t, key) ?? key;
      const customKey = customKeyOf(field);
      const custom = customKey === null ? undefined : fields.find((f) => f.key === customKey);
      return custom ? choiceLabel(custom, key) : key;
    },
    [t, fields],
  );
}

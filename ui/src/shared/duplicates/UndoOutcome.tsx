import { Trans, useTranslation } from "react-i18next";
import type { HistoryTable, UndoneMerge } from "../../api/generated";
import { useFieldLabel } from "../customFields/useCustomFields";
import { formatList, formatNumber } from "../format";
import { useLanguage } from "../useLanguage";

type Props = {
  table: HistoryTable;
  undone: UndoneMerge;
  /** The name of the record restored. */
  mergedTitle: string;
};

/**
 * What an undo did, as sentences: the record is back, how many records went back to it, how
 * many stayed where they are now, and the survivor's fields kept as they are (changed since).
 */
export function UndoOutcome({ table, undone, mergedTitle }: Props) {
  const { t } = useTranslation();
  const language = useLanguage();
  const fieldLabel = useFieldLabel(table);
  const { moved_back, left_in_place, kept_fields } = undone;
  return (
    <>
      <p>
        <Trans t={t} i18nKey="duplicates.done.undone" values={{ merged: mergedTitle }} components={{ merged: <bdi /> }} />
        {moved_back > 0 && <> {t("duplicates.done.movedBack", { count: moved_back, total: formatNumber(moved_back, language) })}</>}
      </p>
      {left_in_place > 0 && (
        <p data-testid="undo-left-in-place">
          {t("duplicates.done.leftInPlace", { count: left_in_place, total: formatNumber(left_in_place, language) })}
        </p>
      )}
      {kept_fields.length > 0 && (
        <p data-testid="undo-kept-fields">
          {t("duplicates.done.keptFields", { fields: formatList(kept_fields.map(fieldLabel), language) })}
        </p>
      )}
    </>
  );
}

import { useTranslation } from "react-i18next";
import { formatNumber } from "../format";
import { useLanguage } from "../useLanguage";
import { conflictingFieldCount, useConflicts, type RecordRef } from "./useConflicts";

/**
 * A record's open conflicts, announced on its card with the way to the conflicts screen; nothing
 * while there are none (or they cannot be read: the record itself is what the reader came for).
 */
export function ConflictsNotice({ record, onResolve }: { record: RecordRef; onResolve: () => void }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const { data } = useConflicts(record);
  const count = data ? conflictingFieldCount(data) : 0;
  if (count === 0) return null;
  return (
    <div className="banner banner-warning conflicts-notice" role="status" data-testid="record-conflicts-notice">
      <p>{t("conflicts.notice", { count, total: formatNumber(count, language) })}</p>
      <button type="button" className="button" data-testid="record-conflicts-resolve" onClick={onResolve}>
        {t("conflicts.review")}
      </button>
    </div>
  );
}

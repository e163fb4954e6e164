import { useTranslation } from "react-i18next";
import { formatNumber } from "../../../shared/format";
import { useLanguage } from "../../../shared/useLanguage";
import { useOpenConflictCount } from "../hooks/useConflictReview";

/** The number of fields awaiting a decision, on the navigation item; nothing when there are none. */
export function ConflictsBadge() {
  const { t } = useTranslation();
  const language = useLanguage();
  const count = useOpenConflictCount();
  if (count === 0) return null;
  const total = formatNumber(count, language);
  return (
    <span className="nav-badge" data-testid="nav-conflicts-badge" data-count={count} title={t("conflicts.badge", { count, total })}>
      {total}
    </span>
  );
}

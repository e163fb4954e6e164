import { useTranslation } from "react-i18next";
import { formatNumber } from "../../../shared/format";
import { useLanguage } from "../../../shared/useLanguage";
import { useMyOverdueCount } from "../hooks/useTasks";

/** How many of one's own tasks are overdue, on the navigation item; nothing when none are. */
export function TasksBadge() {
  const { t } = useTranslation();
  const language = useLanguage();
  const count = useMyOverdueCount(true);
  if (count === 0) return null;
  const total = formatNumber(count, language);
  return (
    <span className="nav-badge" data-testid="nav-tasks-count" data-count={count} title={t("tasks.badge", { count, total })}>
      {total}
    </span>
  );
}

import { useTranslation } from "react-i18next";
import { formatNumber } from "../../../shared/format";
import { useLanguage } from "../../../shared/useLanguage";
import { useStaleTotal } from "../hooks/useFreshnessScreen";

/** How many of one's records await confirmation, on the navigation item; nothing when none do. */
export function FreshnessBadge() {
  const { t } = useTranslation();
  const language = useLanguage();
  const count = useStaleTotal();
  if (count === 0) return null;
  const total = formatNumber(count, language);
  return (
    <span className="nav-badge nav-badge-soft" data-testid="nav-freshness-count" data-count={count} title={t("freshness.badge", { count, total })}>
      {total}
    </span>
  );
}

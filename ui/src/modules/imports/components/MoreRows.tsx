import { useTranslation } from "react-i18next";
import { formatNumber } from "../../../shared/format";
import { useLanguage } from "../../../shared/useLanguage";

type Paged = { hasNextPage: boolean; isFetchingNextPage: boolean; fetchNextPage: () => Promise<unknown> };

/** "Show more" under a list read page by page, and how many of how many are shown. */
export function MoreRows({ query, shown, total, testId }: { query: Paged; shown: number; total: number; testId: string }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const busy = query.isFetchingNextPage;
  if (!query.hasNextPage) return null;
  return (
    <p className="import-more">
      {/* Not disabled while busy: a disabled button would drop the focus it holds. */}
      <button
        type="button"
        className="button"
        data-testid={testId}
        aria-disabled={busy || undefined}
        aria-busy={busy || undefined}
        onClick={() => {
          if (!busy) void query.fetchNextPage();
        }}
      >
        {busy ? t("app.loading") : t("imports.rows.more")}
      </button>{" "}
      {shown < total && (
        <span className="muted small">{t("imports.rows.shown", { shown: formatNumber(shown, language), total: formatNumber(total, language) })}</span>
      )}
    </p>
  );
}

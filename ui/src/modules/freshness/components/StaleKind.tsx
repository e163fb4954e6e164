import { useTranslation } from "react-i18next";
import type { StaleKind as StaleKindView, StaleRecord } from "../../../api/generated";
import { useOpenRecord } from "../../../app/useOpenRecord";
import { titleOr } from "../../../shared/duplicates/labels";
import { formatNumber } from "../../../shared/format";
import { isFreshnessTable } from "../../../shared/freshness/freshness";
import { lastConfirmed, ruleText } from "../../../shared/freshness/labels";
import { recordCount } from "../../../shared/labels";
import { useLanguage } from "../../../shared/useLanguage";

type Props = {
  kind: StaleKindView;
  canConfirm: boolean;
  /** The records whose confirmation is under way. */
  confirming: ReadonlySet<string>;
  onConfirm: (record: StaleRecord) => void;
};

/**
 * One kind's stale records: its name, its months and how many there are ("Showing 100 of 340"
 * when not all are listed), then the records the longest unconfirmed first, each opening the
 * card that shows it, with when it was last confirmed and Confirm.
 */
export function StaleKind({ kind, canConfirm, confirming, onConfirm }: Props) {
  const { t } = useTranslation();
  const language = useLanguage();
  // A kind this build has no card or words for is listed as the core names it, without a link.
  const table = isFreshnessTable(kind.table) ? kind.table : null;
  const known = table !== null;
  const open = useOpenRecord(table ?? "organisations");
  const heading = table ? t(`freshness.kinds.${table}`) : kind.table;
  const shown = kind.records.length;
  const count =
    shown < kind.count
      ? t("freshness.screen.showing", { shown: formatNumber(shown, language), total: formatNumber(kind.count, language) })
      : table
        ? recordCount(t, table, kind.count, language)
        : formatNumber(kind.count, language);

  return (
    <section className="stale-kind" data-testid={`stale-kind-${kind.table}`} aria-labelledby={`stale-kind-${kind.table}`}>
      <header className="stale-kind-header">
        <h2 id={`stale-kind-${kind.table}`} className="section-title" tabIndex={-1}>
          {heading}
        </h2>
        <span className="muted" data-testid={`stale-rule-${kind.table}`}>
          {ruleText(t, kind.months, language)}
        </span>
        {kind.count > 0 && (
          <span className="stale-kind-count" data-testid={`stale-count-${kind.table}`}>
            {count}
          </span>
        )}
      </header>
      {kind.count === 0 ? (
        <p className="muted stale-kind-empty">{t("freshness.screen.kindEmpty")}</p>
      ) : (
        <table className="data-table stale-table">
          <thead>
            <tr>
              <th>{t("freshness.screen.columns.name")}</th>
              <th>{t("freshness.screen.columns.confirmed")}</th>
              {canConfirm && <th>{t("freshness.screen.columns.actions")}</th>}
            </tr>
          </thead>
          <tbody>
            {kind.records.map((record) => {
              const name = titleOr(t, record.title || null);
              const busy = confirming.has(record.id);
              return (
                <tr key={record.id} data-testid={`stale-row-${record.id}`} data-id={record.id}>
                  <td className="cell-strong">
                    {known ? (
                      <button
                        type="button"
                        className="link-button"
                        data-testid={`stale-open-${record.id}`}
                        aria-description={t("freshness.screen.opens")}
                        onClick={() => void open(record.id)}
                      >
                        <bdi>{name}</bdi>
                      </button>
                    ) : (
                      <bdi>{name}</bdi>
                    )}
                  </td>
                  <td className={record.confirmed_at ? undefined : "muted"}>{lastConfirmed(t, record, language)}</td>
                  {canConfirm && (
                    <td className="row-actions">
                      {/* Not disabled while busy: a disabled button would drop the focus it holds. */}
                      <button
                        type="button"
                        className="button"
                        data-testid={`stale-confirm-${record.id}`}
                        aria-label={t("freshness.screen.confirmOne", { name })}
                        aria-disabled={busy || undefined}
                        aria-busy={busy || undefined}
                        onClick={() => {
                          if (!busy) onConfirm(record);
                        }}
                      >
                        {busy ? t("freshness.screen.confirming") : t("freshness.screen.confirm")}
                      </button>
                    </td>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}

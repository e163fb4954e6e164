import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { ApiError, StaleRecord } from "../../../api/generated";
import { errorMessage } from "../../../shared/errors";
import { titleOr } from "../../../shared/duplicates/labels";
import { useConfirmRecord } from "../../../shared/freshness/useFreshness";
import { useSession } from "../../session/hooks/useSession";
import { canConfirmFreshness } from "../access";
import { useStaleList } from "../hooks/useFreshnessScreen";
import { StaleKind } from "./StaleKind";

/** What the last confirmation did, said above the lists. */
type Outcome = { kind: "confirmed"; name: string } | { kind: "changed"; name: string } | { kind: "failed"; name: string; error: ApiError };

/**
 * Needs confirmation (CUST-6): per kind, one's own records whose data was not confirmed for
 * longer than the kind allows, the longest unconfirmed first, with when each was last confirmed
 * (or that it never was, and when it was added), the kind's months and how many there are in
 * all; each opens the card that shows it, and is confirmed with one click (for who may change
 * customers), leaving the list at once.
 */
export function FreshnessScreen() {
  const { t } = useTranslation();
  const canConfirm = canConfirmFreshness(useSession().status.user);
  const list = useStaleList();
  const { confirm } = useConfirmRecord();
  const [confirming, setConfirming] = useState<ReadonlySet<string>>(new Set());
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  // Where the focus goes once a confirmed row has left: the next row's Confirm, else the kind's heading.
  const focusNext = useRef<string | null>(null);

  useEffect(() => {
    const target = focusNext.current;
    if (target === null) return;
    const element = document.querySelector<HTMLElement>(target);
    if (element) {
      focusNext.current = null;
      element.focus();
    }
  });

  async function confirmRecord(record: StaleRecord, records: readonly StaleRecord[]) {
    if (confirming.has(record.id)) return;
    const name = titleOr(t, record.title || null);
    setConfirming((prev) => new Set(prev).add(record.id));
    try {
      await confirm({ table: record.table, id: record.id, version: record.version });
      setOutcome({ kind: "confirmed", name });
      const at = records.findIndex((r) => r.id === record.id);
      const next = records[at + 1] ?? records[at - 1];
      focusNext.current = next && canConfirm ? `[data-testid="stale-confirm-${next.id}"]` : `#stale-kind-${record.table}`;
    } catch (e) {
      const error = e as ApiError;
      setOutcome(error.code === "conflict" ? { kind: "changed", name } : { kind: "failed", name, error });
    } finally {
      setConfirming((prev) => {
        const rest = new Set(prev);
        rest.delete(record.id);
        return rest;
      });
    }
  }

  const data = list.data;

  return (
    <div className="page freshness" data-testid="freshness-screen">
      <div className="panel freshness-panel">
        <header className="panel-header">
          <h1 className="screen-title">{t("freshness.screen.title")}</h1>
        </header>
        <p className="muted freshness-intro">{t("freshness.screen.intro")}</p>

        <div role="status" className="freshness-status">
          {outcome?.kind === "confirmed" && (
            <p className="banner banner-success" data-testid="stale-confirmed">
              {t("freshness.screen.confirmed", { name: outcome.name })}
            </p>
          )}
          {!data && list.isPending && <p className="muted">{t("app.loading")}</p>}
        </div>
        {(outcome?.kind === "changed" || outcome?.kind === "failed") && (
          <div className="banner banner-error" role="alert" data-testid="stale-error">
            {outcome.kind === "changed"
              ? t("freshness.screen.changed", { name: outcome.name })
              : t("freshness.screen.failed", { name: outcome.name, reason: errorMessage(t, outcome.error) })}
          </div>
        )}
        {list.error && (
          <div className="banner banner-error" role="alert" data-testid="freshness-error">
            <p>{errorMessage(t, list.error)}</p>
            <button type="button" className="button" onClick={() => void list.refetch()}>
              {t("app.retry")}
            </button>
          </div>
        )}

        {data &&
          (data.total === 0 ? (
            <p className="empty freshness-empty" data-testid="freshness-empty">
              {t("freshness.screen.empty")}
            </p>
          ) : (
            data.kinds.map((kind) => (
              <StaleKind
                key={kind.table}
                kind={kind}
                canConfirm={canConfirm}
                confirming={confirming}
                onConfirm={(record) => void confirmRecord(record, kind.records)}
              />
            ))
          ))}
      </div>
    </div>
  );
}

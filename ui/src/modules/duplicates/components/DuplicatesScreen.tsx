import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { DuplicatePair, DuplicateScan, UndoneMerge } from "../../../api/generated";
import { errorMessage } from "../../../shared/errors";
import { formatNumber } from "../../../shared/format";
import { recordCount } from "../../../shared/labels";
import { useLanguage } from "../../../shared/useLanguage";
import { useSession } from "../../session/hooks/useSession";
import { canMergeDuplicates } from "../access";
import { useDuplicateScan, useForgetPair, useForgetPairsOf } from "../../../shared/duplicates/useDuplicates";
import { DUPLICATE_TABLES, type DuplicateTable } from "../../../shared/duplicates/pairs";
import { Comparison, type Dismissed, type Merged } from "../../../shared/duplicates/Comparison";
import { DismissDone } from "../../../shared/duplicates/DismissDone";
import { MergeDone } from "../../../shared/duplicates/MergeDone";
import { PairList, pairKey } from "./PairList";
import { RecentMerges } from "./RecentMerges";

/** What was last done to a pair, said above the list with Undo at hand. */
type Done =
  | { kind: "merged"; merged: Merged; undone: UndoneMerge | null }
  | { kind: "dismissed"; dismissed: Dismissed; reconsidered: boolean };

/**
 * Duplicates (CUST-5): likely pairs of a kind, found when asked; a pair side by side, merged into
 * one record with the values chosen, or judged two different records (for who may merge); the
 * latest merges, each undoable.
 */
export function DuplicatesScreen() {
  const { t } = useTranslation();
  const canMerge = canMergeDuplicates(useSession().status.user);
  const [table, setTable] = useState<DuplicateTable>("organisations");
  const [selected, setSelected] = useState<DuplicatePair | null>(null);
  const [done, setDone] = useState<Done | null>(null);
  const { scan, error, finding, find } = useDuplicateScan(table);
  const forgetPairsOf = useForgetPairsOf();
  const forgetPair = useForgetPair();

  function switchTo(next: DuplicateTable) {
    if (next === table) return;
    setTable(next);
    setSelected(null);
    setDone(null);
  }

  function closeComparison(pair: DuplicatePair) {
    setSelected(null);
    // Back to the pair it was opened from.
    document.querySelector<HTMLButtonElement>(`[data-testid='duplicate-pair'][data-first='${pair.first}'][data-second='${pair.second}']`)?.focus();
  }

  function merged(result: Merged) {
    setSelected(null);
    setDone({ kind: "merged", merged: result, undone: null });
    // The record merged away is archived: every pair naming it goes at once, then the scan is read again.
    forgetPairsOf(table, result.outcome.merge.merged_id);
    find();
  }

  function undone(result: UndoneMerge) {
    setDone((prev) => (prev?.kind === "merged" && prev.merged.outcome.merge.id === result.merge.id ? { ...prev, undone: result } : prev));
    // The record is back: its pairs may be too.
    if (scan) find();
  }

  function dismissed(result: Dismissed) {
    setSelected(null);
    setDone({ kind: "dismissed", dismissed: result, reconsidered: false });
    // No scan offers the pair now: it goes at once, then the scan is read again.
    forgetPair(table, result.dismissal.first_id, result.dismissal.second_id);
    find();
  }

  function reconsidered() {
    setDone((prev) => (prev?.kind === "dismissed" ? { ...prev, reconsidered: true } : prev));
    // The pair may be offered again.
    find();
  }

  return (
    <div className="page duplicates" data-testid="duplicates-screen">
      <div className="panel duplicates-panel">
        <header className="panel-header">
          <h1 className="screen-title">{t("duplicates.screen.title")}</h1>
        </header>
        <p className="muted duplicates-intro">{t("duplicates.screen.intro")}</p>

        <div className="toolbar duplicates-toolbar">
          <div className="segmented" role="group" aria-label={t("duplicates.screen.kind")}>
            {DUPLICATE_TABLES.map((name) => (
              <button
                key={name}
                type="button"
                className="segment"
                data-testid={`duplicates-kind-${name}`}
                aria-pressed={table === name}
                onClick={() => switchTo(name)}
              >
                {t(`duplicates.screen.${name}`)}
              </button>
            ))}
          </div>
          {/* Not disabled while busy: a disabled button would drop the focus it holds. */}
          <button
            type="button"
            className="button button-primary"
            data-testid="duplicates-find"
            aria-disabled={finding || undefined}
            aria-busy={finding || undefined}
            onClick={() => {
              if (!finding) find();
            }}
          >
            {finding ? t("duplicates.screen.finding") : t("duplicates.screen.find")}
          </button>
        </div>

        <div role="status" className="duplicates-status">
          {finding ? (
            <p className="muted">{t("duplicates.screen.finding")}</p>
          ) : scan ? (
            <Summary table={table} scan={scan} />
          ) : !error ? (
            <p className="muted" data-testid="duplicates-not-yet">
              {t("duplicates.screen.notYet")}
            </p>
          ) : null}
        </div>
        {error && (
          <div className="banner banner-error" role="alert" data-testid="duplicates-error">
            <p>{errorMessage(t, error)}</p>
          </div>
        )}

        {done?.kind === "merged" && <MergeDone table={table} merged={done.merged} undone={done.undone} onUndone={undone} />}
        {done?.kind === "dismissed" && <DismissDone dismissed={done.dismissed} reconsidered={done.reconsidered} onReconsidered={reconsidered} />}

        {scan && scan.pairs.length > 0 && (
          <div className={selected ? "duplicates-layout duplicates-layout-open" : "duplicates-layout"} aria-busy={finding || undefined}>
            <PairList table={table} pairs={scan.pairs} selected={selected} onSelect={setSelected} />
            {selected && (
              <Comparison
                key={pairKey(selected)}
                table={table}
                pair={selected}
                canMerge={canMerge}
                onClose={() => closeComparison(selected)}
                onMerged={merged}
                onDismissed={dismissed}
              />
            )}
          </div>
        )}

        <RecentMerges key={table} table={table} canMerge={canMerge} onUndone={undone} />
      </div>
    </div>
  );
}

/** "12 likely pairs among 4,210 contacts", then whether more were found than listed and whether values were too common to use. */
function Summary({ table, scan }: { table: DuplicateTable; scan: DuplicateScan }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const records = recordCount(t, table, scan.scanned, language);
  return (
    <p data-testid="duplicates-summary">
      {scan.found === 0
        ? t("duplicates.screen.none", { records })
        : t("duplicates.screen.summary", { count: scan.found, pairs: formatNumber(scan.found, language), records })}
      {scan.found > scan.pairs.length && <> {t("duplicates.screen.shownOnly", { shown: formatNumber(scan.pairs.length, language) })}</>}
      {scan.common_values > 0 && (
        <> {t("duplicates.screen.commonValues", { count: scan.common_values, total: formatNumber(scan.common_values, language) })}</>
      )}
    </p>
  );
}

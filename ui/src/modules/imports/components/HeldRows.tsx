import { useEffect, useId, useRef, useState } from "react";
import { Trans, useTranslation } from "react-i18next";
import type { ApiError, DuplicatePair, ImportRow, ImportSummary, UndoneMerge } from "../../../api/generated";
import { useNavigation } from "../../../app/navigation";
import { Comparison, type Dismissed, type Merged } from "../../../shared/duplicates/Comparison";
import { DismissDone } from "../../../shared/duplicates/DismissDone";
import { titleOr } from "../../../shared/duplicates/labels";
import { MergeDone } from "../../../shared/duplicates/MergeDone";
import { reasonLabel } from "../../../shared/duplicates/pairs";
import { errorMessage } from "../../../shared/errors";
import { formatNumber, formatSerial } from "../../../shared/format";
import { useRecordTitles } from "../../../shared/search/useRecordTitles";
import { useLanguage } from "../../../shared/useLanguage";
import { useSession } from "../../session/hooks/useSession";
import { canCompareHeld, canMergeHeld } from "../access";
import { useCreateHeld, useImportRows } from "../hooks/useImports";
import type { ImportTable } from "../labels";
import { MoreRows } from "./MoreRows";

/** A created row and the record it duplicates, side by side. */
type Comparing = { row: number; existingId: string; createdId: string; existingTitle: string | null };

/** What was last done here, said above the list. */
type Done =
  | { kind: "created"; created: number; failed: number }
  | { kind: "createdOne"; row: number }
  | { kind: "notCreated"; row: number }
  | { kind: "merged"; merged: Merged; undone: UndoneMerge | null }
  | { kind: "dismissed"; dismissed: Dismissed; reconsidered: boolean };

/**
 * The rows held back as likely duplicates of records already there ("Row 5 looks like
 * «Ромашка»: same email, same name"), each created on demand and opened side by side with the
 * record it duplicates — the Duplicates screen's own comparison, to merge the two or judge them
 * different; all of them created at once for the Duplicates screen. Rows created already are
 * listed to compare again.
 */
export function HeldRows({ summary, table }: { summary: ImportSummary; table: ImportTable }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const nav = useNavigation();
  const user = useSession().status.user;
  const mayCompare = canCompareHeld(user);
  const mayMerge = canMergeHeld(user);
  const titleId = useId();
  const ended = summary.status !== "running";
  const stored = !summary.dry_run && summary.undone_at === null;
  const held = useImportRows(summary.id, "held", ended && summary.held > 0);
  const created = useImportRows(summary.id, "created", ended && !summary.dry_run);
  const heldRows = held.data?.pages.flatMap((p) => p.rows) ?? [];
  const createdRows = created.data?.pages.flatMap((p) => p.rows) ?? [];
  const { create, pending } = useCreateHeld();
  const [creating, setCreating] = useState<number | "all" | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState<Done | null>(null);
  const [comparing, setComparing] = useState<Comparing | null>(null);
  const doneRef = useRef<HTMLDivElement>(null);

  // What was just done is said where the focus goes: the button pressed may be gone with its row.
  useEffect(() => {
    if (done && (done.kind === "created" || done.kind === "createdOne" || done.kind === "notCreated")) doneRef.current?.focus();
  }, [done]);

  if (!ended || (summary.held === 0 && createdRows.length === 0 && !done)) return null;

  async function createOne(row: ImportRow) {
    if (pending) return;
    setCreating(row.row);
    setError(null);
    setDone(null);
    setComparing(null);
    try {
      const result = await create(summary.id, [row.row]);
      const one = result.created.find((c) => c.row === row.row);
      if (!one) setDone({ kind: "notCreated", row: row.row });
      else if (!mayCompare) setDone({ kind: "createdOne", row: row.row });
      else setComparing({ row: row.row, existingId: one.existing_id, createdId: one.created_id, existingTitle: row.existing_title });
    } catch (e) {
      setError(e as ApiError);
    } finally {
      setCreating(null);
    }
  }

  async function createAll() {
    if (pending) return;
    setCreating("all");
    setError(null);
    setDone(null);
    setComparing(null);
    try {
      const result = await create(summary.id);
      setDone({ kind: "created", created: result.created.length, failed: result.failed });
    } catch (e) {
      setError(e as ApiError);
    } finally {
      setCreating(null);
    }
  }

  function compare(row: ImportRow) {
    if (!row.existing_id || !row.created_id) return;
    setDone(null);
    setComparing({ row: row.row, existingId: row.existing_id, createdId: row.created_id, existingTitle: row.existing_title });
  }

  return (
    <section className="import-rows import-held" data-testid="import-held" aria-labelledby={titleId} aria-busy={held.isFetching || undefined}>
      <h3 id={titleId} className="section-title">
        {t("imports.held.title", { count: summary.held, total: formatNumber(summary.held, language) })}
      </h3>
      <p className="muted">{summary.dry_run ? t("imports.held.introDryRun") : t("imports.held.intro")}</p>

      {done?.kind === "created" && (
        <div ref={doneRef} tabIndex={-1} className="banner banner-success" role="status" data-testid="import-held-created">
          <p>
            {t("imports.held.createdAll", { count: done.created, total: formatNumber(done.created, language) })}
            {done.failed > 0 && <> {t("imports.held.notCreatedSome", { count: done.failed, total: formatNumber(done.failed, language) })}</>}
          </p>
          {mayCompare && done.created > 0 && (
            <button type="button" className="button" data-testid="import-open-duplicates" onClick={nav.openDuplicates}>
              {t("imports.held.openDuplicates")}
            </button>
          )}
        </div>
      )}
      {done?.kind === "createdOne" && (
        <div ref={doneRef} tabIndex={-1} className="banner banner-success" role="status" data-testid="import-held-created">
          <p>{t("imports.held.createdNoCompare", { row: formatSerial(done.row, language) })}</p>
        </div>
      )}
      {done?.kind === "notCreated" && (
        <div ref={doneRef} tabIndex={-1} className="banner banner-warning" role="status" data-testid="import-held-not-created">
          <p>{t("imports.held.notCreated", { row: formatSerial(done.row, language) })}</p>
        </div>
      )}
      {done?.kind === "merged" && (
        <MergeDone
          table={table}
          merged={done.merged}
          undone={done.undone}
          onUndone={(undone) => setDone((prev) => (prev?.kind === "merged" ? { ...prev, undone } : prev))}
        />
      )}
      {done?.kind === "dismissed" && (
        <DismissDone
          dismissed={done.dismissed}
          reconsidered={done.reconsidered}
          onReconsidered={() => setDone((prev) => (prev?.kind === "dismissed" ? { ...prev, reconsidered: true } : prev))}
        />
      )}
      {error && (
        <p className="status-error" role="alert" data-testid="import-held-error">
          {errorMessage(t, error)}
        </p>
      )}

      {comparing && (
        <HeldComparison
          key={`${comparing.existingId}-${comparing.createdId}`}
          table={table}
          comparing={comparing}
          canMerge={mayMerge}
          onClose={() => setComparing(null)}
          onMerged={(merged) => {
            setComparing(null);
            setDone({ kind: "merged", merged, undone: null });
          }}
          onDismissed={(dismissed) => {
            setComparing(null);
            setDone({ kind: "dismissed", dismissed, reconsidered: false });
          }}
        />
      )}

      {held.error ? (
        <p className="status-error" role="alert">
          {errorMessage(t, held.error)}{" "}
          <button type="button" className="link-button" onClick={() => void held.refetch()}>
            {t("app.retry")}
          </button>
        </p>
      ) : (
        heldRows.length > 0 && (
          <ul className="import-row-list">
            {heldRows.map((row) => (
              <li key={row.row} className="import-held-row" data-testid={`import-held-row-${row.row}`}>
                <p className="import-held-what">
                  <Trans
                    t={t}
                    i18nKey="imports.held.row"
                    values={{ row: formatSerial(row.row, language), title: titleOr(t, row.existing_title) }}
                    components={{ title: <bdi /> }}
                  />
                </p>
                <p className="import-held-why">
                  {row.reasons.map((field) => (
                    <span key={field} className="chip" data-testid="import-held-reason">
                      {reasonLabel(t, table, { field, similar: false })}
                    </span>
                  ))}
                  <bdi className="muted small import-held-cells">{row.cells.filter((c) => c.trim() !== "").slice(0, 4).join(" · ")}</bdi>
                </p>
                {stored && (
                  <button
                    type="button"
                    className="button"
                    data-testid={`import-held-merge-${row.row}`}
                    aria-label={t("imports.held.createMergeOne", { row: formatSerial(row.row, language), title: titleOr(t, row.existing_title) })}
                    aria-disabled={creating !== null || undefined}
                    aria-busy={creating === row.row || undefined}
                    onClick={() => void createOne(row)}
                  >
                    {creating === row.row ? t("imports.held.creating") : mayCompare ? t("imports.held.createMerge") : t("imports.held.create")}
                  </button>
                )}
              </li>
            ))}
          </ul>
        )
      )}
      <MoreRows query={held} shown={heldRows.length} total={summary.held} testId="import-held-more" />

      {stored && summary.held > 0 && (
        <p className="import-actions">
          <button
            type="button"
            className="button"
            data-testid="import-create-held-all"
            aria-disabled={creating !== null || undefined}
            aria-busy={creating === "all" || undefined}
            onClick={() => void createAll()}
          >
            {creating === "all" ? t("imports.held.creating") : t("imports.held.createAll")}
          </button>
        </p>
      )}

      {createdRows.length > 0 && (
        <>
          <h4 className="section-title import-subtitle">{t("imports.held.createdTitle")}</h4>
          <ul className="import-row-list">
            {createdRows.map((row) => (
              <li key={row.row} className="import-held-row" data-testid={`import-created-row-${row.row}`}>
                <p className="import-held-what">
                  <Trans
                    t={t}
                    i18nKey="imports.held.createdRow"
                    values={{ row: formatSerial(row.row, language), title: titleOr(t, row.existing_title) }}
                    components={{ title: <bdi /> }}
                  />
                </p>
                {mayCompare && row.existing_id && row.created_id && (
                  <button type="button" className="link-button" data-testid={`import-created-merge-${row.row}`} onClick={() => compare(row)}>
                    {t("imports.held.compare")}
                  </button>
                )}
              </li>
            ))}
          </ul>
          <MoreRows query={created} shown={createdRows.length} total={createdRows.length} testId="import-created-more" />
        </>
      )}
    </section>
  );
}

type ComparisonProps = {
  table: ImportTable;
  comparing: Comparing;
  canMerge: boolean;
  onClose: () => void;
  onMerged: (merged: Merged) => void;
  onDismissed: (dismissed: Dismissed) => void;
};

/** The Duplicates screen's comparison of the record there first (kept by default) and the one the row became. */
function HeldComparison({ table, comparing, canMerge, onClose, onMerged, onDismissed }: ComparisonProps) {
  const { t } = useTranslation();
  const language = useLanguage();
  const ref = useRef<HTMLDivElement>(null);
  const titles = useRecordTitles([comparing.existingId, comparing.createdId]);
  const pair: DuplicatePair = {
    first: comparing.existingId,
    second: comparing.createdId,
    score: 0,
    reasons: [],
    first_title: titles.get(comparing.existingId)?.title ?? comparing.existingTitle,
    second_title: titles.get(comparing.createdId)?.title ?? null,
  };

  // Opened by a button in the list: the comparison takes the focus, and is brought into view.
  useEffect(() => {
    ref.current?.focus();
    ref.current?.scrollIntoView?.({ block: "nearest" });
  }, []);

  return (
    <div ref={ref} tabIndex={-1} className="import-compare" data-testid="import-compare" aria-label={t("imports.held.comparing", { row: formatSerial(comparing.row, language) })}>
      <p className="muted">{t("imports.held.compareIntro", { row: formatSerial(comparing.row, language) })}</p>
      <Comparison table={table} pair={pair} canMerge={canMerge} onClose={onClose} onMerged={onMerged} onDismissed={onDismissed} />
    </div>
  );
}

import { useId, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { ApiError, CustomField, DuplicateDismissal, DuplicatePair, MergeOutcome, RecordComparison } from "../../api/generated";
import { useCustomFields, useFieldLabel } from "../customFields/useCustomFields";
import { customKeyOf } from "../customFields/values";
import { referencesText, titleOr } from "./labels";
import { errorMessage, isConflict } from "../errors";
import { formatDate } from "../format";
import { useRecordTitles } from "../search/useRecordTitles";
import { ConfirmDialog } from "../ui/ConfirmDialog";
import { useLanguage } from "../useLanguage";
import { chosenSide, fieldsToTake, otherSide, sameValue, type Choices, type Side } from "./choices";
import { useComparison, useDismissPair, useMergeRecords } from "./useDuplicates";
import type { DuplicateTable } from "./pairs";
import { CompareValue } from "./CompareValue";

const SIDES = ["first", "second"] as const satisfies readonly Side[];

export type Merged = { outcome: MergeOutcome; keptTitle: string; mergedTitle: string };
/** Two records judged different, named as the pair listed them. */
export type Dismissed = { dismissal: DuplicateDismissal; firstTitle: string; secondTitle: string };

type Props = {
  table: DuplicateTable;
  pair: DuplicatePair;
  /** May merge (`duplicates.merge`); otherwise the comparison is read-only. */
  canMerge: boolean;
  onClose: () => void;
  onMerged: (merged: Merged) => void;
  /** The two were judged different ("Not duplicates"): no scan offers them again. */
  onDismissed: (dismissed: Dismissed) => void;
};

/**
 * Two records side by side (CUST-5): a row per field, and, for who may merge, which record is kept
 * and, where the values differ, which value it ends with; what moves to it; then Merge, or
 * "Not duplicates" for two records that only look alike.
 */
export function Comparison({ table, pair, canMerge, onClose, onMerged, onDismissed }: Props) {
  const { t } = useTranslation();
  const titleId = useId();
  const comparison = useComparison(table, pair.first, pair.second);
  const titles = { first: titleOr(t, pair.first_title), second: titleOr(t, pair.second_title) };

  return (
    <section className="comparison" data-testid="comparison" aria-labelledby={titleId} aria-busy={comparison.isFetching || undefined}>
      <header className="comparison-header">
        <h2 id={titleId} className="section-title">
          {t("duplicates.compare.title")}
        </h2>
        <button type="button" className="link-button" data-testid="comparison-close" onClick={onClose}>
          {t("duplicates.compare.close")}
        </button>
      </header>
      {comparison.error ? (
        <div className="banner banner-error" role="alert">
          <p>{errorMessage(t, comparison.error)}</p>
          <button type="button" className="button" onClick={() => void comparison.refetch()}>
            {t("app.retry")}
          </button>
        </div>
      ) : !comparison.data ? (
        <p className="muted">{t("app.loading")}</p>
      ) : (
        <Choosing
          table={table}
          pair={pair}
          data={comparison.data}
          titles={titles}
          canMerge={canMerge}
          reload={() => void comparison.refetch()}
          onMerged={onMerged}
          onDismissed={onDismissed}
        />
      )}
    </section>
  );
}

type ChoosingProps = {
  table: DuplicateTable;
  pair: DuplicatePair;
  data: RecordComparison;
  titles: Record<Side, string>;
  canMerge: boolean;
  reload: () => void;
  onMerged: (merged: Merged) => void;
  onDismissed: (dismissed: Dismissed) => void;
};

function Choosing({ table, pair, data, titles, canMerge, reload, onMerged, onDismissed }: ChoosingProps) {
  const { t } = useTranslation();
  const language = useLanguage();
  const fieldLabel = useFieldLabel(table);
  const { fields: customFields } = useCustomFields(table, { includeRetired: true });
  const [survivor, setSurvivor] = useState<Side>("first");
  const [choices, setChoices] = useState<Choices>({});
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const { merge, pending } = useMergeRecords();
  const { dismiss, pending: dismissing } = useDismissPair();
  const [dismissError, setDismissError] = useState<ApiError | null>(null);
  const mergeButton = useRef<HTMLButtonElement>(null);
  const merged = otherSide(survivor);

  const customOf = (field: string): CustomField | undefined => {
    const key = customKeyOf(field);
    return key === null ? undefined : customFields.find((f) => f.key === key);
  };
  const linked = data.fields.filter((f) => f === "organisation_id" || customOf(f)?.kind === "link");
  const recordTitles = useRecordTitles(linked.flatMap((f) => [data.first[f], data.second[f]]).filter((v): v is string => typeof v === "string"));

  const moving = referencesText(t, language, merged === "first" ? data.first_references : data.second_references);

  async function confirmMerge() {
    if (pending) return;
    try {
      const outcome = await merge({
        table,
        survivor: { id: pair[survivor], version: versionOf(data[survivor]) },
        merged: { id: pair[merged], version: versionOf(data[merged]) },
        take: fieldsToTake(data, survivor, choices),
      });
      setConfirming(false);
      onMerged({ outcome, keptTitle: titles[survivor], mergedTitle: titles[merged] });
    } catch (e) {
      const apiError = e as ApiError;
      setError(apiError);
      // Changed meanwhile: the versions are read again, so a second try merges what is there now.
      if (isConflict(apiError)) reload();
    }
  }

  // No confirmation: the notice that follows offers Undo.
  async function dismissPair() {
    if (dismissing || pending) return;
    setDismissError(null);
    try {
      const dismissal = await dismiss({ table, first: pair.first, second: pair.second });
      onDismissed({ dismissal, firstTitle: titles.first, secondTitle: titles.second });
    } catch (e) {
      setDismissError(e as ApiError);
    }
  }

  function closeDialog() {
    setConfirming(false);
    setError(null);
    mergeButton.current?.focus();
  }

  return (
    <>
      {canMerge ? (
        <fieldset className="merge-survivor">
          <legend className="field-label">{t("duplicates.compare.keep")}</legend>
          <div className="merge-survivor-options">
            {SIDES.map((side) => (
              <label key={side} className="radio">
                <input
                  type="radio"
                  name="merge-survivor"
                  value={side}
                  data-testid={`merge-survivor-${side}`}
                  checked={survivor === side}
                  onChange={() => setSurvivor(side)}
                />
                <bdi>{titles[side]}</bdi>
                {side === "first" && <span className="muted">({t("duplicates.compare.older")})</span>}
              </label>
            ))}
          </div>
          <p className="field-hint">{t("duplicates.compare.keepHint")}</p>
        </fieldset>
      ) : (
        <p className="banner" role="note" data-testid="merge-read-only">
          {t("duplicates.compare.readOnly")}
        </p>
      )}

      <div className="compare-grid" data-testid="compare-grid" data-survivor={canMerge ? survivor : undefined}>
        <div className="compare-row compare-head">
          <div className="compare-field">{t("duplicates.compare.field")}</div>
          {SIDES.map((side) => (
            <div key={side} className="compare-cell" data-testid={`compare-head-${side}`}>
              <bdi className="compare-title">{titles[side]}</bdi>
              {typeof data[side].created_at === "string" && (
                <span className="muted small">{t("duplicates.compare.created", { date: formatDate(data[side].created_at, language) })}</span>
              )}
              {canMerge && (
                <span className={side === survivor ? "badge badge-kept" : "badge badge-archived"}>
                  {side === survivor ? t("duplicates.compare.kept") : t("duplicates.compare.mergedAway")}
                </span>
              )}
            </div>
          ))}
        </div>
        {data.fields.map((field) => {
          const same = sameValue(data.first[field], data.second[field]);
          const chosen = chosenSide(data, field, survivor, choices);
          return (
            <CompareRow
              key={field}
              field={field}
              label={fieldLabel(field)}
              values={{ first: data.first[field], second: data.second[field] }}
              customField={customOf(field)}
              titles={recordTitles}
              choosable={canMerge && !same}
              same={same}
              chosen={chosen}
              recordTitles={titles}
              onChoose={(side) => setChoices((prev) => ({ ...prev, [field]: side }))}
            />
          );
        })}
      </div>

      <p className="comparison-moves" data-testid="merge-moves">
        {moving ? t("duplicates.compare.moves", { what: moving }) : t("duplicates.compare.movesNothing")}
      </p>

      {canMerge && (
        <div className="comparison-actions">
          {/* Not disabled while busy: a disabled button would drop the focus it holds. */}
          <button
            type="button"
            className="button"
            data-testid="merge-dismiss"
            aria-disabled={dismissing || undefined}
            aria-busy={dismissing || undefined}
            aria-description={t("duplicates.compare.dismissHint")}
            onClick={() => void dismissPair()}
          >
            {t("duplicates.compare.dismiss")}
          </button>
          <button
            ref={mergeButton}
            type="button"
            className="button button-primary"
            data-testid="merge-confirm"
            disabled={pending}
            onClick={() => {
              if (!dismissing) setConfirming(true);
            }}
          >
            {t("duplicates.compare.merge")}
          </button>
        </div>
      )}
      {dismissError && (
        <p className="status-error" role="alert" data-testid="merge-dismiss-error">
          {errorMessage(t, dismissError)}
        </p>
      )}

      {confirming && (
        <ConfirmDialog
          title={t("duplicates.compare.confirmTitle")}
          body={t("duplicates.compare.confirmBody", { kept: titles[survivor], merged: titles[merged] })}
          confirmLabel={t("duplicates.compare.merge")}
          busy={pending}
          error={error ? errorMessage(t, error) : null}
          onConfirm={() => void confirmMerge()}
          onCancel={closeDialog}
          testIds={{ dialog: "merge-dialog" }}
        />
      )}
    </>
  );
}

type RowProps = {
  field: string;
  label: string;
  values: Record<Side, unknown>;
  customField?: CustomField;
  titles: ReturnType<typeof useRecordTitles>;
  /** The values differ and the person may merge: a radio per value. */
  choosable: boolean;
  same: boolean;
  /** Whose value the field ends with (null: the same on both sides). */
  chosen: Side | null;
  recordTitles: Record<Side, string>;
  onChoose: (side: Side) => void;
};

/** One field: its name and both values; a radio group where there is something to choose. */
function CompareRow({ field, label, values, customField, titles, choosable, same, chosen, recordTitles, onChoose }: RowProps) {
  const { t } = useTranslation();
  const labelId = useId();
  return (
    <div
      className={same ? "compare-row compare-row-same" : "compare-row"}
      role={choosable ? "radiogroup" : "group"}
      aria-labelledby={labelId}
      data-testid="compare-row"
      data-field={field}
      data-chosen={choosable ? (chosen ?? undefined) : undefined}
    >
      <div className="compare-field" id={labelId}>
        {label}
        {same && <span className="muted small compare-same">{t("duplicates.compare.same")}</span>}
      </div>
      {SIDES.map((side) => {
        const value = <CompareValue field={field} value={values[side]} customField={customField} titles={titles} />;
        if (!choosable)
          return (
            <div key={side} className="compare-cell" data-testid={`compare-value-${side}`}>
              {value}
            </div>
          );
        return (
          <label key={side} className={chosen === side ? "compare-cell compare-choice compare-chosen" : "compare-cell compare-choice"}>
            <input
              type="radio"
              name={`merge-choice-${field}`}
              data-testid={`merge-choice-${field}-${side}`}
              checked={chosen === side}
              aria-description={t("duplicates.compare.choiceOf", { field: label, record: recordTitles[side] })}
              onChange={() => onChoose(side)}
            />
            <span data-testid={`compare-value-${side}`}>{value}</span>
          </label>
        );
      })}
    </div>
  );
}

/** A record's version as the comparison read it. */
function versionOf(record: Record<string, unknown>): number {
  return typeof record.version === "number" ? record.version : Number(record.version);
}

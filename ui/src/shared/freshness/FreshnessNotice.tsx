import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import type { ApiError, ConfirmedRecord } from "../../api/generated";
import { errorMessage } from "../errors";
import { useLanguage } from "../useLanguage";
import { isStale, monthsFor, type Confirmable, type FreshnessTable } from "./freshness";
import { confirmedLine, ruleText } from "./labels";
import { useConfirmRecord, useFreshnessRules } from "./useFreshness";

/** How long "Confirmed" stays after a confirmation. */
export const DONE_MS = 5000;

type Props = {
  table: FreshnessTable;
  record: Confirmable & { id: string; version: number; archived_at: string | null };
  /** Who may change the record may confirm it; absent: only the line is shown. */
  canConfirm: boolean;
  /** Confirmed: the record's version has gone up, so whoever holds it reads it again. */
  onConfirmed: (confirmed: ConfirmedRecord) => void;
  /** Refused with `conflict`: the record changed meanwhile, and whoever holds it reads it again. */
  onOutdated?: () => void;
  /** The button's test id (`confirm-data`, `confirm-contact-data-<id>`). */
  testId: string;
  /** The success message's test id. */
  doneTestId?: string;
  /** The record's name, for the button's accessible name (a contact among others). */
  name?: string;
};

/**
 * When a record's data was last confirmed — flagged when that is longer ago than its kind allows
 * (the rules, read once) — with "Confirm data is current": one click, at the version the record
 * was read at, then "Confirmed" for a few seconds. An archived record is only described.
 */
export function FreshnessNotice({ table, record, canConfirm, onConfirmed, onOutdated, testId, doneTestId = "confirm-data-done", name }: Props) {
  const { t } = useTranslation();
  const language = useLanguage();
  const rules = useFreshnessRules();
  const { confirm, pending } = useConfirmRecord();
  // The answer of the last confirmation: until the record is read again, it is the newer one.
  const [confirmed, setConfirmed] = useState<ConfirmedRecord | null>(null);
  const [done, setDone] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  useEffect(() => {
    if (!done) return;
    const timer = window.setTimeout(() => setDone(false), DONE_MS);
    return () => window.clearTimeout(timer);
  }, [done]);

  const newer = confirmed !== null && confirmed.id === record.id && confirmed.version > record.version;
  const current = newer ? { ...record, version: confirmed.version, confirmed_at: confirmed.confirmed_at } : record;
  const archived = record.archived_at !== null;
  const months = monthsFor(rules.data, table);
  // The kind's months when the record is past them (flagged), else null.
  const due = !archived && months !== undefined && isStale(current, months) ? months : null;

  async function run() {
    if (pending) return;
    setError(null);
    setDone(false);
    try {
      const result = await confirm({ table, id: current.id, version: current.version });
      setConfirmed(result);
      setDone(true);
      onConfirmed(result);
    } catch (e) {
      setError(e as ApiError);
      if ((e as ApiError).code === "conflict") onOutdated?.();
    }
  }

  return (
    <div
      className={due !== null ? "freshness-notice freshness-stale" : "freshness-notice"}
      data-testid={`freshness-${table}-${record.id}`}
      data-stale={due !== null || undefined}
      data-months={months}
    >
      <p className="freshness-line">
        <span className="freshness-text">{confirmedLine(t, current, language)}</span>
        {due !== null && (
          <>
            <span className="badge badge-due">{t("freshness.card.due")}</span>
            <span className="muted small">{ruleText(t, due, language)}</span>
          </>
        )}
      </p>
      {canConfirm && !archived && (
        // Not disabled while busy: a disabled button would drop the focus it holds.
        <button
          type="button"
          className={due !== null ? "button button-primary" : "button"}
          data-testid={testId}
          aria-disabled={pending || undefined}
          aria-busy={pending || undefined}
          aria-label={name ? t("freshness.card.confirmOne", { name }) : undefined}
          onClick={() => void run()}
        >
          {pending ? t("freshness.card.confirming") : t("freshness.card.confirm")}
        </button>
      )}
      <span role="status" className="freshness-done">
        {done && (
          <span data-testid={doneTestId} className="badge badge-ok">
            {t("freshness.card.done")}
          </span>
        )}
      </span>
      {error && (
        <p className="status-error freshness-error" role="alert" data-testid={`${testId}-error`}>
          {error.code === "conflict" ? t("freshness.card.changed") : errorMessage(t, error)}
        </p>
      )}
    </div>
  );
}

import type { TFunction } from "i18next";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { ApiError, FreshnessRule } from "../../../api/generated";
import { latinDigits } from "../../../shared/customFields/values";
import { errorMessage, fieldErrorMessage } from "../../../shared/errors";
import { formatNumber, formatSerial } from "../../../shared/format";
import { isFreshnessTable, MONTHS_MAX, MONTHS_MIN } from "../../../shared/freshness/freshness";
import { useFreshnessRules, useSetFreshnessRule } from "../../../shared/freshness/useFreshness";
import { Field } from "../../../shared/ui/Field";
import { useLanguage } from "../../../shared/useLanguage";
import type { Language } from "../../../i18n";

/** What the last save said: everything saved, or nothing to save. */
type Notice = "saved" | "unchanged";

/** A whole number of months as typed (Latin or Persian digits, spaces around); null when it is none. */
export function parseMonths(text: string): number | null {
  const digits = latinDigits(text).trim();
  return /^\d{1,6}$/.test(digits) ? Number(digits) : null;
}

/**
 * Data freshness (CUST-6): after how many months each kind's data must be confirmed again, for
 * who holds `freshness.manage`. Each kind shows its months and whether they were set or are the
 * default; Save sends the kinds changed, one by one, and the core's problems with each show
 * beside its field.
 */
export function FreshnessTab() {
  const { t } = useTranslation();
  const language = useLanguage();
  const rules = useFreshnessRules();
  const { setRule } = useSetFreshnessRule();
  // What is typed, by kind; a kind not typed in shows its rule.
  const [drafts, setDrafts] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [saving, setSaving] = useState(false);

  async function save(e: FormEvent, list: readonly FreshnessRule[]) {
    e.preventDefault();
    if (saving) return;
    setNotice(null);
    setProblem(null);
    const found: Record<string, string> = {};
    const sent: string[] = [];
    let refused: ApiError | null = null;
    setSaving(true);
    try {
      for (const rule of list) {
        const text = drafts[rule.table];
        if (text === undefined) continue;
        const months = parseMonths(text);
        if (months === null) {
          found[rule.table] = t("freshness.admin.notNumber");
          continue;
        }
        if (months === rule.months && rule.set) continue;
        try {
          await setRule(rule.table, months);
          sent.push(rule.table);
        } catch (err) {
          const error = err as ApiError;
          const message = ruleError(t, error, language);
          if (message) found[rule.table] = message;
          else refused = error;
        }
      }
    } finally {
      setSaving(false);
    }
    // The kinds saved show their rule again; the others keep what was typed.
    setDrafts((prev) => Object.fromEntries(Object.entries(prev).filter(([table]) => !sent.includes(table))));
    setErrors(found);
    setProblem(refused);
    if (Object.keys(found).length === 0 && refused === null) setNotice(sent.length > 0 ? "saved" : "unchanged");
  }

  if (rules.error)
    return (
      <div className="admin-tab" data-testid="freshness-tab">
        <div className="banner banner-error" role="alert" data-testid="freshness-rules-error">
          <p>{errorMessage(t, rules.error)}</p>
          <button type="button" className="button" onClick={() => void rules.refetch()}>
            {t("app.retry")}
          </button>
        </div>
      </div>
    );
  if (!rules.data)
    return (
      <div className="admin-tab" data-testid="freshness-tab" aria-busy="true">
        <p className="muted">{t("app.loading")}</p>
      </div>
    );
  const list = rules.data;

  return (
    <div className="admin-tab" data-testid="freshness-tab">
      <h2 className="section-title">{t("freshness.admin.title")}</h2>
      <p className="muted">{t("freshness.admin.intro")}</p>
      {problem && (
        <div className="banner banner-error" role="alert" data-testid="freshness-save-error">
          {errorMessage(t, problem)}
        </div>
      )}
      <form className="freshness-rules" noValidate onSubmit={(e) => void save(e, list)}>
        {list.map((rule) => (
          <Field
            key={rule.table}
            className="freshness-rule"
            label={isFreshnessTable(rule.table) ? t(`freshness.kinds.${rule.table}`) : rule.table}
            hint={
              rule.set
                ? t("freshness.admin.set")
                : t("freshness.admin.default", { count: rule.months, total: formatNumber(rule.months, language) })
            }
            error={errors[rule.table]}
            errorTestId={`freshness-months-error-${rule.table}`}
          >
            {(control) => (
              <div className="freshness-rule-control">
                <input
                  {...control}
                  className="input"
                  data-testid={`freshness-months-${rule.table}`}
                  inputMode="numeric"
                  value={drafts[rule.table] ?? formatSerial(rule.months, language)}
                  onChange={(e) => {
                    const text = e.target.value;
                    setDrafts((prev) => ({ ...prev, [rule.table]: text }));
                    // A problem the core had with the months typed before is not one with these.
                    setErrors((prev) => Object.fromEntries(Object.entries(prev).filter(([table]) => table !== rule.table)));
                    setNotice(null);
                  }}
                />
                <span className="muted">{t("freshness.admin.months")}</span>
              </div>
            )}
          </Field>
        ))}
        <div className="freshness-rules-actions">
          <button type="submit" className="button button-primary" data-testid="freshness-save" aria-disabled={saving || undefined}>
            {saving ? t("freshness.admin.saving") : t("freshness.admin.save")}
          </button>
          <span role="status">
            {notice && (
              <span data-testid={`freshness-${notice}`} className={notice === "saved" ? "badge badge-ok" : "muted"}>
                {notice === "saved" ? t("freshness.admin.saved") : t("form.noChanges")}
              </span>
            )}
          </span>
        </div>
      </form>
    </div>
  );
}

/** The core's problem with one kind's rule, in words, for its field; null when it is not about the field. */
function ruleError(t: TFunction, error: ApiError, language: Language): string | null {
  const months = error.fields.months;
  if (months) {
    return months.code === "invalid_value" || months.code === "wrong_type"
      ? t("freshness.admin.range", { min: formatNumber(MONTHS_MIN, language), max: formatNumber(MONTHS_MAX, language) })
      : fieldErrorMessage(t, months);
  }
  if (error.fields.table) return t("freshness.admin.unknownTable");
  return null;
}

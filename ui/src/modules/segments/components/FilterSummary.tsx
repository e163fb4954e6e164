import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import type { Colleagues, SegmentFilter } from "../../../api/generated";
import { useFieldLabel } from "../../../shared/customFields/useCustomFields";
import { formatAlternatives, formatCalendarDate, formatNumber } from "../../../shared/format";
import { shortId } from "../../../shared/labels";
import { useRecordTitles, type Titles } from "../../../shared/search/useRecordTitles";
import { colleagueName, useColleagues } from "../../../shared/useColleagues";
import { useLanguage } from "../../../shared/useLanguage";
import type { Language } from "../../../i18n";
import { fieldIndex, needsValue, type FieldIndex, type FieldType } from "../filter";
import { useChoiceLabel } from "../hooks/useChoiceLabel";
import { useSegmentFields } from "../hooks/useSegments";
import { operatorLabel, type SegmentTable } from "../labels";

type Words = {
  t: TFunction;
  language: Language;
  index: FieldIndex;
  fieldName: (field: string) => string;
  choice: (field: string, key: string) => string;
  titles: Titles;
  directory: Colleagues | undefined;
};

/** A saved segment's conditions in words, as the builder shows them: "Kind is any of Customer or Partner". */
export function FilterSummary({ table, filter }: { table: SegmentTable; filter: SegmentFilter }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const fields = useSegmentFields(table);
  const index = fieldIndex(fields.data?.fields ?? []);
  const fieldName = useFieldLabel(table);
  const choice = useChoiceLabel(table);
  const { data: directory } = useColleagues();
  const titles = useRecordTitles(recordIds(filter, index));
  const words: Words = { t, language, index, fieldName, choice, titles, directory };
  return (
    <div className="segment-summary" data-testid="segment-summary">
      <SummaryNode words={words} filter={filter} />
    </div>
  );
}

function SummaryNode({ words, filter }: { words: Words; filter: SegmentFilter }) {
  const { t } = words;
  if (filter.type === "condition") return <ConditionText words={words} filter={filter} />;
  if (filter.of.length === 0) return <p className="muted">{t("segments.summary.everyone")}</p>;
  return (
    <div className="segment-summary-group">
      <p className="muted small">{filter.type === "all" ? t("segments.summary.all") : t("segments.summary.any")}</p>
      <ul>
        {filter.of.map((child, i) => (
          <li key={i}>
            <SummaryNode words={words} filter={child} />
          </li>
        ))}
      </ul>
    </div>
  );
}

function ConditionText({ words, filter }: { words: Words; filter: Extract<SegmentFilter, { type: "condition" }> }) {
  const { t, index, fieldName } = words;
  const spec = index.get(filter.field);
  const type = spec?.type ?? guessType(filter.value);
  return (
    <span className="segment-summary-condition" data-testid="segment-summary-condition">
      <bdi className="segment-summary-field">{fieldName(filter.field)}</bdi> <span>{operatorLabel(t, type, filter.op)}</span>
      {needsValue(filter.op) && (
        <>
          {" "}
          <bdi className="segment-summary-value">{valueText(words, filter.field, type, spec?.type === "reference" ? spec.table : null, filter.op, filter.value)}</bdi>
        </>
      )}
    </span>
  );
}

/** A field no longer offered is read by its value. */
function guessType(value: unknown): FieldType | undefined {
  const one = Array.isArray(value) ? value[0] : value;
  return typeof one === "number" ? "number" : typeof one === "boolean" ? "yes_no" : undefined;
}

function valueText(words: Words, field: string, type: FieldType | undefined, refTable: string | null, op: string, value: unknown): string {
  const { t, language, choice, titles, directory } = words;
  const one = (v: unknown): string => {
    if (typeof v === "boolean") return v ? t("customFields.yes") : t("customFields.no");
    if (typeof v === "number") return formatNumber(v, language);
    const text = typeof v === "string" ? v : JSON.stringify(v);
    switch (type) {
      case "choice":
      case "multi_choice":
        return choice(field, text);
      case "date":
        return formatCalendarDate(text, language);
      case "reference": {
        if (refTable === "users") return (directory ? colleagueName(directory, text) : undefined) ?? shortId(text);
        const hit = titles.get(text);
        return hit ? hit.title : shortId(text);
      }
      default:
        return text;
    }
  };
  if (op === "any_of" && Array.isArray(value)) return formatAlternatives(value.map(one), language);
  return one(value);
}

/** The records an organisation or contact reference of `filter` names, to read their titles at once. */
function recordIds(filter: SegmentFilter, index: FieldIndex): string[] {
  if (filter.type !== "condition") return filter.of.flatMap((child) => recordIds(child, index));
  const spec = index.get(filter.field);
  if (spec?.type !== "reference" || spec.table === "users") return [];
  const values = Array.isArray(filter.value) ? filter.value : [filter.value];
  return values.filter((v): v is string => typeof v === "string");
}

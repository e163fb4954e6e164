import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import type { CustomField, CustomValues } from "../../api/generated";
import type { Language } from "../../i18n";
import { formatCalendarDate, formatDecimal, formatList, formatNumber } from "../format";
import { shortId } from "../labels";
import { useRecordTitles, type Titles } from "../search/useRecordTitles";
import { useLanguage } from "../useLanguage";
import { choiceLabel, holdsValue, isRetired, linkedIds, storedApiValue } from "./values";

/**
 * A custom value in words, or null when there is none: a date or number in the language's
 * format, a choice's label, yes or no, a linked record's title (nothing while `titles` has not
 * read it; its id, shortened, when it cannot be read or no titles are given). A value of an
 * unexpected shape is shown as it is.
 */
export function customValueText(t: TFunction, language: Language, field: CustomField, value: unknown, titles?: Titles): string | null {
  const v = storedApiValue(field, value);
  if (v === null) return value === null || value === undefined || value === "" ? null : JSON.stringify(value);
  switch (field.kind) {
    case "number":
      return typeof v === "number" ? formatNumber(v, language) : String(v);
    case "decimal":
      return formatDecimal(String(v), language);
    case "date":
      return formatCalendarDate(String(v), language);
    case "choice":
      return choiceLabel(field, String(v));
    case "multi_choice":
      return formatList((v as string[]).map((key) => choiceLabel(field, key)), language);
    case "yes_no":
      return v ? t("customFields.yes") : t("customFields.no");
    case "link": {
      const hit = titles?.get(String(v));
      // Not read yet: nothing rather than an id that flickers; unreadable: the id, shortened.
      if (hit === undefined && titles !== undefined) return "";
      if (!hit) return shortId(String(v));
      return hit.archived ? t("customFields.archivedRecord", { title: hit.title }) : hit.title;
    }
    default:
      return String(v);
  }
}

/** The titles of the records the link fields among `fields` point to, in all of `records`. */
export function useLinkTitles(fields: readonly CustomField[], records: readonly CustomValues[]): Titles {
  return useRecordTitles(linkedIds(fields, records));
}

/** One value, isolated so a Persian value in an English window (or the reverse) reads right. */
export function CustomValue({ field, value, titles }: { field: CustomField; value: unknown; titles?: Titles }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const text = customValueText(t, language, field, value, titles);
  return text === null ? null : <bdi>{text}</bdi>;
}

type Props = {
  /** The kind's fields in their order, retired ones included. */
  fields: readonly CustomField[];
  values: CustomValues;
};

/**
 * A record's custom values as entries of a details list: every active field (a dash when empty)
 * and each retired field that still holds a value, marked retired. Nothing when there are none.
 */
export function CustomFieldValues({ fields, values }: Props) {
  const { t } = useTranslation();
  const shown = fields.filter((f) => !isRetired(f) || holdsValue(f, values));
  const titles = useLinkTitles(shown, [values]);
  if (shown.length === 0) return null;
  return (
    <dl className="details">
      {shown.map((field) => {
        const empty = !holdsValue(field, values);
        return (
          <div
            key={field.id}
            className={field.kind === "text" || field.kind === "multi_choice" ? "detail detail-wide" : "detail"}
            data-testid={`custom-value-${field.key}`}
            data-retired={isRetired(field) ? "true" : undefined}
          >
            <dt>
              {field.label}
              {isRetired(field) && <span className="badge badge-retired">{t("customFields.retired")}</span>}
            </dt>
            <dd className={empty ? "muted" : undefined}>
              {empty ? t("app.none") : <CustomValue field={field} value={values[field.key]} titles={titles} />}
            </dd>
          </div>
        );
      })}
    </dl>
  );
}

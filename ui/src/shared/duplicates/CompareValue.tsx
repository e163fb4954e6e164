import { useTranslation } from "react-i18next";
import type { CustomField } from "../../api/generated";
import { customValueText } from "../customFields/CustomFieldValues";
import { formatDateTime, formatNumber } from "../format";
import { kindLabel, shortId } from "../labels";
import type { Titles } from "../search/useRecordTitles";
import { Phone } from "../ui/Phone";
import { useLanguage } from "../useLanguage";
import { isEmptyValue } from "./choices";

/** Codes and addresses read left to right whatever the window's direction. */
const LTR_FIELDS = new Set(["tax_id", "email", "website", "country"]);
const DATE_FIELDS = new Set(["created_at", "updated_at", "archived_at"]);

type Props = {
  field: string;
  value: unknown;
  /** The custom field a `custom.<key>` value belongs to, when the kind has it. */
  customField?: CustomField;
  /** Names of the records an organisation or a link field points to. */
  titles: Titles;
};

/**
 * One record's value of a field, as its card shows it: a kind translated, a phone formatted, an
 * organisation by name, a custom value as its field's kind says; codes left to right, names isolated.
 */
export function CompareValue({ field, value, customField, titles }: Props) {
  const { t } = useTranslation();
  const language = useLanguage();
  if (isEmptyValue(value)) return <span className="muted">{t("duplicates.compare.empty")}</span>;
  if (customField) return <bdi>{customValueText(t, language, customField, value, titles) ?? ""}</bdi>;
  if (field === "phone" && typeof value === "string") return <Phone value={value} />;
  if (field === "kind" && typeof value === "string") return <bdi>{kindLabel(t, value) ?? value}</bdi>;
  if (field === "organisation_id" && typeof value === "string") {
    const hit = titles.get(value);
    // Not read yet: nothing rather than an id that flickers; unreadable: the id, shortened.
    if (hit === undefined) return null;
    if (hit === null)
      return (
        <bdi dir="ltr" title={value}>
          {shortId(value)}
        </bdi>
      );
    return <bdi>{hit.archived ? t("customFields.archivedRecord", { title: hit.title }) : hit.title}</bdi>;
  }
  if (typeof value === "string") {
    if (DATE_FIELDS.has(field)) return <bdi>{formatDateTime(value, language)}</bdi>;
    return <bdi dir={LTR_FIELDS.has(field) ? "ltr" : undefined}>{value}</bdi>;
  }
  if (typeof value === "number") return <bdi>{formatNumber(value, language)}</bdi>;
  if (typeof value === "boolean") return <bdi>{value ? t("history.yes") : t("history.no")}</bdi>;
  return <bdi dir="ltr">{JSON.stringify(value)}</bdi>;
}

import { useTranslation } from "react-i18next";
import { formatNumber } from "../../../shared/format";
import { shortId } from "../../../shared/labels";
import { Phone } from "../../../shared/ui/Phone";
import { colleagueName, departmentName, useColleagues } from "../../../shared/useColleagues";
import { useLanguage } from "../../../shared/useLanguage";
import { resolvableKind } from "../records";

/** Codes and addresses read left to right whatever the window's direction. */
const LTR_FIELDS = new Set(["tax_id", "email", "website", "country"]);

type Props = { table: string; field: string; value: unknown };

/** One of the values in conflict, in words: a kind translated, an owner by name, a number in the language's digits. */
export function ConflictValue({ table, field, value }: Props) {
  const { t } = useTranslation();
  const language = useLanguage();
  if (field === "owner_id" || field === "department_id") return <OwnershipValue field={field} value={value} />;
  if (value === null || value === undefined || value === "") return <span className="muted">{t("history.empty")}</span>;
  if (field === "phone" && typeof value === "string") return <Phone value={value} />;
  const enumeration = resolvableKind(table)?.enumerations[field];
  if (enumeration && typeof value === "string") return <bdi>{enumeration.label(t, value)}</bdi>;
  if (typeof value === "number") return <bdi>{formatNumber(value, language)}</bdi>;
  if (typeof value === "boolean") return <bdi>{value ? t("history.yes") : t("history.no")}</bdi>;
  if (typeof value === "string") return <bdi dir={LTR_FIELDS.has(field) ? "ltr" : undefined}>{value}</bdi>;
  return <bdi dir="ltr">{JSON.stringify(value)}</bdi>;
}

/** An owner or a department by name from the directory; its id, shortened, where the directory lacks it. */
function OwnershipValue({ field, value }: { field: "owner_id" | "department_id"; value: unknown }) {
  const { t } = useTranslation();
  const { data: directory } = useColleagues();
  if (typeof value !== "string" || value === "")
    return <span className="muted">{field === "owner_id" ? t("app.none") : t("ownership.shared")}</span>;
  const name = directory && (field === "owner_id" ? colleagueName(directory, value) : departmentName(directory, value));
  return name ? (
    <bdi title={value}>{name}</bdi>
  ) : (
    <bdi dir="ltr" title={value}>
      {shortId(value)}
    </bdi>
  );
}

import { useTranslation } from "react-i18next";
import type { DuplicateWarning } from "../../../api/generated";
import { fieldLabel } from "../../../shared/labels";

type Props = {
  duplicates: DuplicateWarning[];
  /** Opens the existing record; without it the warning has no link (e.g. for contacts). */
  onOpen?: (id: string) => void;
};

/** "Saved, but it looks like a record you already have." */
export function DuplicateWarnings({ duplicates, onOpen }: Props) {
  const { t } = useTranslation();
  if (duplicates.length === 0) return null;
  return (
    <div className="banner banner-warning" data-testid="duplicate-warning" role="status">
      <strong>{t("duplicates.title")}</strong> <span>{t("duplicates.saved")}</span>
      <ul>
        {duplicates.map((d) => (
          <li key={`${d.existing_id}-${d.field}`}>
            {t("duplicates.message", { name: d.existing_name, field: fieldLabel(t, d.field) })}{" "}
            {onOpen && (
              <button type="button" className="link-button" onClick={() => onOpen(d.existing_id)}>
                {t("duplicates.open", { name: d.existing_name })}
              </button>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

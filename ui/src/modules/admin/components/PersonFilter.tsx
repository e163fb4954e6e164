import { useTranslation } from "react-i18next";
import { Field } from "../../../shared/ui/Field";
import { useColleagues } from "../../../shared/useColleagues";

type Props = { value: string; onChange: (userId: string) => void; testId: string };

/** Everyone in the directory, the deactivated too: what a departed user did is what is often looked for. */
export function PersonFilter({ value, onChange, testId }: Props) {
  const { t } = useTranslation();
  const { data: directory } = useColleagues();
  return (
    <Field label={t("admin.audit.filters.person")} className="audit-filter">
      {(control) => (
        <select {...control} className="input select-compact" data-testid={testId} value={value} onChange={(e) => onChange(e.target.value)}>
          <option value="">{t("admin.audit.filters.everyone")}</option>
          {directory?.users.map((person) => (
            <option key={person.id} value={person.id}>
              {person.active ? person.display_name : t("admin.audit.filters.deactivated", { name: person.display_name })}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

import { useTranslation } from "react-i18next";
import type { ControlProps } from "../../../shared/ui/Field";
import { useColleagues } from "../../../shared/useColleagues";
import { useLanguage } from "../../../shared/useLanguage";

/** The person at the window, who answers for what they log unless they name a colleague. */
export type Me = { id: string; name: string };

/** The colleagues who may answer for an interaction: oneself first, then the active ones by name. */
export function ResponsibleSelect({
  control,
  me,
  value,
  onChange,
  testId = "interaction-responsible",
}: {
  control: ControlProps;
  me: Me;
  value: string;
  onChange: (id: string) => void;
  testId?: string;
}) {
  const { t } = useTranslation();
  const language = useLanguage();
  const { data: directory } = useColleagues();
  const others = (directory?.users ?? [])
    .filter((u) => u.id !== me.id && (u.active || u.id === value))
    .sort((a, b) => a.display_name.localeCompare(b.display_name, language));
  return (
    <select {...control} className="input" data-testid={testId} value={value} onChange={(e) => onChange(e.target.value)}>
      <option value={me.id}>{t("interactions.dialog.me", { name: me.name })}</option>
      {others.map((u) => (
        <option key={u.id} value={u.id}>
          {u.display_name}
        </option>
      ))}
    </select>
  );
}


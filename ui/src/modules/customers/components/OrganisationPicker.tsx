import { useTranslation } from "react-i18next";
import type { ControlProps } from "../../../shared/ui/Field";
import { RecordPicker } from "../../../shared/search/RecordPicker";

export type PickedOrganisation = { id: string; name: string };

type Props = {
  /** The id, label and error wiring from the surrounding `Field`. */
  control: ControlProps;
  value: PickedOrganisation | null;
  onChange: (value: PickedOrganisation | null) => void;
  /** Never offered (the organisation itself). */
  excludeId?: string;
  testId: string;
};

const ORGANISATIONS = ["organisation"] as const;

/** Choose an active organisation by typing part of its name, email, phone or tax id. */
export function OrganisationPicker({ control, value, onChange, excludeId, testId }: Props) {
  const { t } = useTranslation();
  return (
    <RecordPicker
      control={control}
      value={value && { id: value.id, title: value.name }}
      onChange={(picked) => onChange(picked && { id: picked.id, name: picked.title })}
      entities={[...ORGANISATIONS]}
      excludeId={excludeId}
      testId={testId}
      placeholder={t("relations.searchPlaceholder")}
      listLabel={t("relations.columns.organisation")}
      noMatches={t("relations.noMatches")}
    />
  );
}

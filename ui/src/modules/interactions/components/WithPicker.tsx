import { useTranslation } from "react-i18next";
import type { SearchEntity, SearchHit } from "../../../api/generated";
import type { Whom } from "../../../shared/interactions/InteractionsSlot";
import { RecordPicker, type PickedRecord } from "../../../shared/search/RecordPicker";
import type { ControlProps } from "../../../shared/ui/Field";
import { TextOrPhone } from "../../../shared/ui/Phone";
import { useContactOrganisation } from "../hooks/useContactOrganisation";

const ENTITIES: SearchEntity[] = ["contact", "organisation"];

type Props = {
  control: ControlProps;
  value: Whom | null;
  onChange: (whom: Whom | null) => void;
  autoFocus?: boolean;
};

function pickedOf(whom: Whom | null): PickedRecord | null {
  if (whom === null) return null;
  return whom.kind === "contact"
    ? { id: whom.contact.id, title: whom.contact.name, entity: "contact" }
    : { id: whom.organisation.id, title: whom.organisation.name, entity: "organisation" };
}

function whomOfPicked(picked: PickedRecord): Whom {
  const named = { id: picked.id, name: picked.title };
  return picked.entity === "contact" ? { kind: "contact", contact: named, organisation: null } : { kind: "organisation", organisation: named };
}

/**
 * "With": one box over contacts and organisations (search as you type, ↑ ↓ and Enter choose); a
 * contact says which organisation it works at, which the interaction is then with too.
 */
export function WithPicker({ control, value, onChange, autoFocus }: Props) {
  const { t } = useTranslation();
  return (
    <RecordPicker
      control={control}
      value={pickedOf(value)}
      onChange={(picked) => onChange(picked && whomOfPicked(picked))}
      entities={ENTITIES}
      testId="interaction-with"
      placeholder={t("interactions.dialog.withPlaceholder")}
      listLabel={t("interactions.dialog.withList")}
      noMatches={t("interactions.dialog.noMatches")}
      subtitle={(hit) => <HitSubtitle hit={hit} />}
      autoFocus={autoFocus}
    />
  );
}

/** A hit's kind, then for a contact its organisation, for an organisation what the core says of it. */
function HitSubtitle({ hit }: { hit: SearchHit }) {
  const { t } = useTranslation();
  return (
    <>
      <span className="with-entity">{t(`palette.${hit.entity}`)}</span>
      {hit.entity === "contact" ? <ContactOrganisation contactId={hit.id} fallback={hit.subtitle} /> : hit.subtitle && <TextOrPhone text={hit.subtitle} />}
    </>
  );
}

/** The organisation a contact works at; what the core says of the contact until (or unless) it is known. */
export function ContactOrganisation({ contactId, fallback = null }: { contactId: string; fallback?: string | null }) {
  const { t } = useTranslation();
  const organisation = useContactOrganisation(contactId);
  if (organisation) return <bdi data-testid="interaction-with-organisation">{organisation.name}</bdi>;
  if (organisation === null) return <span>{t("interactions.dialog.noOrganisation")}</span>;
  return fallback ? <TextOrPhone text={fallback} /> : null;
}

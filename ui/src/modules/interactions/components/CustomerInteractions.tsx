import { useTranslation } from "react-i18next";
import type { CardInteractionsProps } from "../../../shared/interactions/InteractionsSlot";
import { useLogInteraction } from "../hooks/useLogInteraction";
import { InteractionHistory } from "./InteractionHistory";

/**
 * The customer card's "Interactions" tab: the organisation's interactions, its people's included
 * (or one person's, chosen here or from the person's row), and "Log interaction" with them.
 */
export function CustomerInteractions({ organisation, contacts, contactId, onContactChange }: CardInteractionsProps) {
  const { t } = useTranslation();
  const { log } = useLogInteraction();
  const contact = contacts.find((c) => c.id === contactId) ?? null;
  const named = { id: organisation.id, name: organisation.name };
  return (
    <section className="section interaction-section" data-testid="interaction-history" aria-label={t("interactions.history.title")}>
      {log && !organisation.archived && (
        <div className="section-toolbar">
          <span className="toolbar-spacer" />
          <button
            type="button"
            className="button"
            data-testid="log-interaction-open"
            onClick={() => log(contact ? { kind: "contact", contact, organisation: named } : { kind: "organisation", organisation: named })}
          >
            {contact ? t("interactions.history.logWith", { name: contact.name }) : t("interactions.history.log")}
          </button>
        </div>
      )}
      <InteractionHistory
        scope={{ organisationId: organisation.id, ...(contactId ? { contactId } : {}) }}
        people={{ options: contacts, value: contactId, onChange: onContactChange }}
        emptyText={contact ? t("interactions.history.emptyContact", { name: contact.name }) : t("interactions.history.empty")}
      />
    </section>
  );
}

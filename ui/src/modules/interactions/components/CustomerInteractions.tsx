import { useTranslation } from "react-i18next";
import type { CardInteractionsProps, Whom } from "../../../shared/interactions/InteractionsSlot";
import { useLogInteraction } from "../hooks/useLogInteraction";
import { PlannedContacts } from "../schedule/PlannedContacts";
import { useScheduling } from "../schedule/useScheduling";
import { useSession } from "../../session/hooks/useSession";
import { canReadTasks } from "../../tasks/access";
import { CustomerTasks } from "../../tasks/components/CustomerTasks";
import { InteractionHistory } from "./InteractionHistory";

/**
 * The customer card's "Interactions" tab: the contacts planned with them (COMM-3), their open
 * tasks (COMM-5, for who may read tasks), the
 * organisation's interactions, its people's included (or one person's, chosen here or from the
 * person's row), and "Log interaction" and "Schedule contact" with them.
 */
export function CustomerInteractions({ organisation, contacts, contactId, onContactChange }: CardInteractionsProps) {
  const { t } = useTranslation();
  const { log } = useLogInteraction();
  const { schedule } = useScheduling();
  const showTasks = canReadTasks(useSession().status.user);
  const contact = contacts.find((c) => c.id === contactId) ?? null;
  const named = { id: organisation.id, name: organisation.name };
  const whom: Whom = contact ? { kind: "contact", contact, organisation: named } : { kind: "organisation", organisation: named };
  return (
    <section className="section interaction-section" data-testid="interaction-history" aria-label={t("interactions.history.title")}>
      <PlannedContacts
        scope={{ organisationId: organisation.id, contactId }}
        onSchedule={schedule && !organisation.archived ? () => schedule({ whom }) : undefined}
      />
      {showTasks && <CustomerTasks customerId={contact?.id ?? organisation.id} whom={whom} archived={organisation.archived} />}
      {log && !organisation.archived && (
        <div className="section-toolbar">
          <span className="toolbar-spacer" />
          <button
            type="button"
            className="button"
            data-testid="log-interaction-open"
            onClick={() => log(whom)}
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

// The customer card's place for interactions. The card (customers) and the interactions module
// never import each other: the card renders what this slot holds, and the app fills it with the
// interactions module's pieces for who may read interactions. Left empty, the card shows none.

import { createContext, useContext, type ComponentType } from "react";

/** A record named by the window: its id and the name it is shown by. */
export type NamedRecord = { id: string; name: string };

/** Whom an interaction is (to be) with: an organisation, or a contact (its organisation when known). */
export type Whom =
  | { kind: "organisation"; organisation: NamedRecord }
  | { kind: "contact"; contact: NamedRecord; organisation: NamedRecord | null };

export type CardInteractionsProps = {
  organisation: NamedRecord & { archived: boolean };
  /** The organisation's active contacts, offered as a filter. */
  contacts: readonly NamedRecord[];
  /** Only this contact's interactions (chosen from the contact's row); null: everyone's. */
  contactId: string | null;
  onContactChange: (contactId: string | null) => void;
};

export type InteractionsSlotValue = {
  /** The organisation's interactions, its people's included: the card's "Interactions" tab. */
  History: ComponentType<CardInteractionsProps>;
  /** Opens the dialog to log an interaction with them; absent for who may not log interactions. */
  log?: (whom: Whom) => void;
  /** Opens the dialog to schedule a contact with them; absent for who may not schedule contacts. */
  schedule?: (whom: Whom) => void;
};

export const InteractionsSlot = createContext<InteractionsSlotValue | null>(null);

/** What the app put in the slot; null: the card shows no interactions. */
export function useInteractionsSlot(): InteractionsSlotValue | null {
  return useContext(InteractionsSlot);
}

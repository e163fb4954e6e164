import { useCallback } from "react";
import { useClient } from "../api/ApiProvider";
import type { HistoryTable } from "../api/generated";
import { useNavigation, type CardTab } from "./navigation";

/** The kinds of record a card shows: an organisation its own, a contact its organisation's. */
export type CardTable = Extract<HistoryTable, "organisations" | "contacts">;

/**
 * Opens the card that shows a record: an organisation's own, a contact's organisation's (a
 * contact has no card of its own). A contact out of reach, or in no organisation, opens nothing.
 * Shared by the screens that name records of either kind (duplicates, segments, interactions);
 * `tab` is the card's tab it opens on (details when absent).
 */
export function useOpenRecord(table: CardTable, tab?: CardTab) {
  const client = useClient();
  const nav = useNavigation();
  return useCallback(
    async (id: string) => {
      if (table === "organisations") {
        nav.openOrganisation(id, undefined, tab);
        return;
      }
      try {
        const contact = await client.call("customers.get_contact", { id });
        if (contact.organisation_id) nav.openOrganisation(contact.organisation_id, undefined, tab);
      } catch {
        // Out of reach now: there is no card to open.
      }
    },
    [client, nav, table, tab],
  );
}

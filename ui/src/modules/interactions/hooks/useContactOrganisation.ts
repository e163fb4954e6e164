// The organisation a contact works at, named: search hits of contacts do not say it, and whom an
// interaction is with reads best as "Anna Petrova — Acme Ltd".

import { useQuery } from "@tanstack/react-query";
import { useClient } from "../../../api/ApiProvider";
import type { NamedRecord } from "../../../shared/interactions/InteractionsSlot";
import { CUSTOMERS_KEY } from "../../../shared/recordQueries";
import { useRecordTitles } from "../../../shared/search/useRecordTitles";

/** How long a contact's organisation is taken as current. */
const KEEP_FOR_MS = 60 * 1000;

/**
 * The contact's organisation: undefined while being read (or when it cannot be), null when the
 * contact is at none. Cached with the customers' records, so a change to the contact reads it again.
 */
export function useContactOrganisation(contactId: string | null): NamedRecord | null | undefined {
  const client = useClient();
  const contact = useQuery({
    queryKey: [...CUSTOMERS_KEY, "contact-organisation", contactId],
    queryFn: async () => (await client.call("customers.get_contact", { id: contactId ?? "" })).organisation_id,
    enabled: contactId !== null,
    staleTime: KEEP_FOR_MS,
    retry: false,
  });
  const organisationId = contact.data ?? null;
  const titles = useRecordTitles(organisationId ? [organisationId] : []);
  if (contact.data === undefined) return undefined;
  if (organisationId === null) return null;
  const title = titles.get(organisationId)?.title;
  return title === undefined ? undefined : { id: organisationId, name: title };
}

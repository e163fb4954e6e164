import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback } from "react";
import { useClient } from "../../../api/ApiProvider";
import type { ContactPage, ContactRow } from "../../../api/generated";
import { useOperation } from "../../../api/useOperation";
import { CUSTOMERS_KEY } from "../../../shared/recordQueries";

/** An organisation with its contacts and relations. */
export function useOrganisationCard(id: string) {
  const result = useOperation("customers.get_organisation", { id });
  const card = result.dataInput?.id === id ? result.data : undefined;
  return { card, error: result.error, loading: result.loading, reload: result.reload };
}

const ARCHIVED_CONTACTS_PAGE = 500;
const archivedContactsKey = (organisationId: string) => [...CUSTOMERS_KEY, "archived-contacts", organisationId] as const;

/**
 * The organisation's archived contacts, by name; nothing is requested while `enabled` is false.
 * `customers.list_contacts` has no organisation filter, so this pages through the archived
 * contacts and keeps this organisation's.
 */
export function useArchivedContacts(organisationId: string, enabled: boolean) {
  const client = useClient();
  return useQuery({
    queryKey: archivedContactsKey(organisationId),
    enabled,
    queryFn: async () => {
      const mine: ContactRow[] = [];
      let after: string | null = null;
      do {
        const page: ContactPage = await client.call("customers.list_contacts", {
          archived: true,
          organisation_id: organisationId,
          limit: ARCHIVED_CONTACTS_PAGE,
          ...(after !== null ? { after } : {}),
        });
        mine.push(...page.items);
        after = page.next_cursor;
      } while (after !== null);
      return mine;
    },
  });
}

/** Marks the organisation's archived contacts out of date (after an archive or a restore). */
export function useInvalidateArchivedContacts(organisationId: string) {
  const queryClient = useQueryClient();
  return useCallback(
    () => void queryClient.invalidateQueries({ queryKey: archivedContactsKey(organisationId) }),
    [queryClient, organisationId],
  );
}

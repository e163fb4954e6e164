// The one place that knows, per kind of record, what resolving its conflicts needs from the rest
// of the window: its current version, the card that shows it, the codes an enumerated field
// takes, and what the window caches about it. A kind missing here is listed but not resolved.

import type { QueryKey } from "@tanstack/react-query";
import type { TFunction } from "i18next";
import type { Client } from "../../api/client";
import type { OrganisationKind } from "../../api/generated";
import { CHANNELS, channelLabel, FORMS, formLabel, isChannel, isForm } from "../../shared/interactions/labels";
import { kindLabel } from "../../shared/labels";
import { CUSTOMERS_KEY, INTERACTIONS_KEY } from "../../shared/recordQueries";

/** A field that takes one of a few codes, offered as a select. */
export type Enumeration = { codes: readonly string[]; label: (t: TFunction, code: string) => string };

export type ResolvableKind = {
  /** The record's version now: resolving is a change like any other and names the version it follows. */
  readVersion: (client: Client, id: string) => Promise<number>;
  /** The organisation whose card shows the record, or null when no card does. */
  cardOf: (client: Client, id: string) => Promise<string | null>;
  enumerations: Partial<Record<string, Enumeration>>;
  /** What the window caches about records of this kind: read again after a resolve. */
  cached: readonly QueryKey[];
};

/** Every kind, in the order the form offers them (checked against the generated union). */
const ORGANISATION_KINDS = ["customer", "prospect", "supplier", "partner"] as const satisfies readonly OrganisationKind[];
const _allKinds: Exclude<OrganisationKind, (typeof ORGANISATION_KINDS)[number]> extends never ? true : never = true;
void _allKinds;

const RESOLVABLE: Partial<Record<string, ResolvableKind>> = {
  organisations: {
    readVersion: async (client, id) => (await client.call("customers.get_organisation", { id })).organisation.version,
    cardOf: async (_client, id) => id,
    enumerations: { kind: { codes: ORGANISATION_KINDS, label: (t, code) => kindLabel(t, code) ?? code } },
    cached: [CUSTOMERS_KEY],
  },
  contacts: {
    readVersion: async (client, id) => (await client.call("customers.get_contact", { id })).version,
    cardOf: async (client, id) => (await client.call("customers.get_contact", { id })).organisation_id,
    enumerations: {},
    cached: [CUSTOMERS_KEY],
  },
  interactions: {
    readVersion: async (client, id) => (await client.call("interactions.get", { id })).version,
    // Shown on its customer's card: its organisation's, else its contact's organisation's.
    cardOf: async (client, id) => {
      const interaction = await client.call("interactions.get", { id });
      if (interaction.organisation_id !== null || interaction.contact_id === null) return interaction.organisation_id;
      return (await client.call("customers.get_contact", { id: interaction.contact_id })).organisation_id;
    },
    enumerations: {
      channel: { codes: CHANNELS, label: (t, code) => (isChannel(code) ? channelLabel(t, code) : code) },
      form: { codes: FORMS, label: (t, code) => (isForm(code) ? formLabel(t, code) : code) },
    },
    cached: [INTERACTIONS_KEY],
  },
};

export function resolvableKind(table: string): ResolvableKind | undefined {
  return RESOLVABLE[table];
}

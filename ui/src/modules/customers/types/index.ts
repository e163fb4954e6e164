// Form-side views of the generated types; no shape here restates one from generated.ts.

import type {
  Contact,
  ContactChanges,
  CreateContactInput,
  CreateOrganisationInput,
  CustomValues,
  Organisation,
  OrganisationChanges,
  OrganisationKind,
  RelationKind,
} from "../../../api/generated";

/** The built-in fields a form edits as text; custom values (`custom`) go their own way. */
export type OrganisationField = Exclude<keyof OrganisationChanges & keyof CreateOrganisationInput, "custom">;
export type OrganisationValues = Record<OrganisationField, string>;

/** Every kind, in the order the UI offers them (checked against the generated union). */
export const ORGANISATION_KINDS = ["customer", "prospect", "supplier", "partner"] as const satisfies readonly OrganisationKind[];
type MissingKind = Exclude<OrganisationKind, (typeof ORGANISATION_KINDS)[number]>;
const _allKinds: MissingKind extends never ? true : never = true;

export const RELATION_KINDS = ["parent_of", "supplier_of", "partner_of", "competitor_of"] as const satisfies readonly RelationKind[];
const _allRelationKinds: Exclude<RelationKind, (typeof RELATION_KINDS)[number]> extends never ? true : never = true;
void _allKinds;
void _allRelationKinds;

/** The form's fields in display order (all of OrganisationChanges). */
export const ORGANISATION_FIELDS = [
  "name",
  "kind",
  "legal_name",
  "tax_id",
  "email",
  "phone",
  "website",
  "industry",
  "country",
  "city",
  "address",
  "notes",
] as const satisfies readonly OrganisationField[];
const _allFields: Exclude<OrganisationField, (typeof ORGANISATION_FIELDS)[number]> extends never ? true : never = true;
void _allFields;

export function emptyOrganisationValues(): OrganisationValues {
  const values = {} as OrganisationValues;
  for (const f of ORGANISATION_FIELDS) values[f] = "";
  values.kind = "customer";
  return values;
}

export function organisationValues(org: Organisation): OrganisationValues {
  const values = {} as OrganisationValues;
  for (const f of ORGANISATION_FIELDS) values[f] = org[f] ?? "";
  return values;
}

/** A new organisation: name and kind always, the other fields and custom values only when filled in. */
export function createOrganisationInput(values: OrganisationValues, custom: CustomValues = {}): CreateOrganisationInput {
  const input: Record<string, string> = { name: values.name, kind: values.kind };
  for (const f of ORGANISATION_FIELDS) {
    if (f !== "name" && f !== "kind" && values[f].trim() !== "") input[f] = values[f];
  }
  return withCustom(input as unknown as CreateOrganisationInput, custom);
}

/** `input` with the custom values, when there are any. */
function withCustom<T extends { custom?: CustomValues }>(input: T, custom: CustomValues): T {
  return Object.keys(custom).length > 0 ? { ...input, custom } : input;
}

/**
 * Only the fields whose value differs from `before`; a cleared field becomes null, except the
 * `kept` ones (required or enumerated), which are sent as they are.
 */
function changedFields<F extends string>(
  fields: readonly F[],
  before: Record<F, string>,
  values: Record<F, string>,
  kept: readonly F[],
): Partial<Record<F, string | null>> {
  const changes: Partial<Record<F, string | null>> = {};
  for (const f of fields) {
    if (values[f] === before[f]) continue;
    changes[f] = kept.includes(f) || values[f].trim() !== "" ? values[f] : null;
  }
  return changes;
}

/**
 * Only the fields the user changed; a cleared optional field becomes null. `custom` is the
 * per-key patch of the custom values (see shared/customFields), sent when it holds any key.
 */
export function organisationChanges(original: Organisation, values: OrganisationValues, custom: CustomValues = {}): OrganisationChanges {
  const changes = changedFields(ORGANISATION_FIELDS, organisationValues(original), values, ["name", "kind"]) as OrganisationChanges;
  return withCustom(changes, custom);
}

export type ContactField = Exclude<keyof ContactChanges & keyof CreateContactInput, "custom">;
export const CONTACT_FORM_FIELDS = ["first_name", "last_name", "role", "email", "phone"] as const satisfies readonly ContactField[];
export type ContactFormField = (typeof CONTACT_FORM_FIELDS)[number];
export type ContactValues = Record<ContactFormField, string>;

export function emptyContactValues(): ContactValues {
  return { first_name: "", last_name: "", role: "", email: "", phone: "" };
}

export function createContactInput(organisationId: string, values: ContactValues, custom: CustomValues = {}): CreateContactInput {
  const input: Record<string, string> = { first_name: values.first_name, organisation_id: organisationId };
  for (const f of CONTACT_FORM_FIELDS) {
    if (f !== "first_name" && values[f].trim() !== "") input[f] = values[f];
  }
  return withCustom(input as unknown as CreateContactInput, custom);
}

export function contactValues(contact: Contact): ContactValues {
  const values = emptyContactValues();
  for (const f of CONTACT_FORM_FIELDS) values[f] = contact[f] ?? "";
  return values;
}

/** Only the fields the user changed; a cleared optional field becomes null; `custom` as for organisations. */
export function contactChanges(original: Contact, values: ContactValues, custom: CustomValues = {}): ContactChanges {
  return withCustom(changedFields(CONTACT_FORM_FIELDS, contactValues(original), values, ["first_name"]) as ContactChanges, custom);
}

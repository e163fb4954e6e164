// Custom values (CUST-3) between the core and a form: what an editor holds while a person types
// (the draft), what the core takes for it, and which keys a save must send. Pure functions only.

import type { CustomField, CustomValues } from "../../api/generated";

/**
 * What an editor holds: text for text, number, decimal, date and link fields (a link: the
 * record's id), a choice's key ("" for none), the checked keys of a multi-choice field, and
 * "yes", "no" or "" (not set) for a yes/no field.
 */
export type DraftValue = string | string[];
/** The edited values by field key; a key not in it still holds what the record holds. */
export type CustomDraft = Partial<Record<string, DraftValue>>;

/** How the change log and the core's errors name a custom value: `custom.<key>`. */
export function customFieldName(key: string): string {
  return `custom.${key}`;
}

/** The field a `custom.<key>` name stands for, if it is one. */
export function customKeyOf(name: string): string | null {
  return name.startsWith("custom.") ? name.slice("custom.".length) : null;
}

export function isRetired(field: CustomField): boolean {
  return field.retired_at !== null;
}

/** Persian (۰–۹) and Arabic-Indic (٠–٩) digits as Latin ones; nothing else changes. */
export function latinDigits(text: string): string {
  return text.replace(/[\u06F0-\u06F9\u0660-\u0669]/g, (d) => {
    const code = d.charCodeAt(0);
    return String(code - (code >= 0x06f0 ? 0x06f0 : 0x0660));
  });
}

/** Spaces and group marks people put in numbers ("1 250", "1'250", "۱٬۲۵۰"). */
const GROUP_MARKS = /[\s\u066C'_\u202F\u00A0]/g;

/** What an editor shows for a stored value (a value of the wrong shape shows as empty). */
export function draftValue(field: CustomField, stored: unknown): DraftValue {
  switch (field.kind) {
    case "number":
    case "decimal":
      return typeof stored === "number" ? String(stored) : typeof stored === "string" ? stored : "";
    case "multi_choice":
      if (Array.isArray(stored)) return stored.filter((k): k is string => typeof k === "string");
      return typeof stored === "string" && stored !== "" ? [stored] : [];
    case "yes_no":
      return stored === true ? "yes" : stored === false ? "no" : "";
    default:
      return typeof stored === "string" ? stored : "";
  }
}

/**
 * The value the core takes for a draft, or null for none. Numbers are read in Latin digits
 * (Persian ones are allowed) without group marks; a whole number becomes a JSON number, and
 * text that is not one is sent as typed, for the core to say what is wrong with it. A decimal
 * stays text ("1250.50"): a lone comma is read as its point, commas beside a point as groups.
 */
export function apiValue(field: CustomField, draft: DraftValue | undefined): unknown {
  if (draft === undefined) return null;
  if (Array.isArray(draft)) {
    if (field.kind !== "multi_choice" || draft.length === 0) return null;
    const order = field.choices.map((c) => c.key);
    const rank = (key: string) => {
      const i = order.indexOf(key);
      return i < 0 ? order.length : i;
    };
    return [...new Set(draft)].sort((a, b) => rank(a) - rank(b));
  }
  const text = draft.trim();
  if (text === "") return null;
  switch (field.kind) {
    case "number": {
      const digits = latinDigits(text).replace(GROUP_MARKS, "");
      if (/^[-+]?\d+$/.test(digits)) {
        const n = Number(digits);
        if (Number.isSafeInteger(n)) return n;
      }
      return text;
    }
    case "decimal": {
      const digits = latinDigits(text).replace(GROUP_MARKS, "").replace(/\u066B/g, ".");
      // With a point, commas group thousands ("1,250.50"); a lone comma is the point ("1250,50").
      if (digits.includes(".")) return digits.replace(/,/g, "");
      return digits.split(",").length === 2 ? digits.replace(",", ".") : digits;
    }
    case "date":
      return latinDigits(text);
    case "yes_no":
      return text === "yes" ? true : text === "no" ? false : null;
    case "multi_choice":
      return [text];
    default:
      return text;
  }
}

/** The stored value in the form a draft of it would send: what an edit is compared with. */
export function storedApiValue(field: CustomField, stored: unknown): unknown {
  return apiValue(field, draftValue(field, stored));
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Whether `field`'s value is to be sent at all: retired fields cannot be set. */
function settable(field: CustomField): boolean {
  return !isRetired(field);
}

/** The values of a new record: only the fields filled in. */
export function customValuesToCreate(fields: readonly CustomField[], draft: CustomDraft): CustomValues {
  const out: CustomValues = {};
  for (const field of fields) {
    if (!settable(field)) continue;
    const value = apiValue(field, draft[field.key]);
    if (value !== null) out[field.key] = value;
  }
  return out;
}

/**
 * The per-key patch of an update: only the keys whose edited value differs from the stored
 * one, a cleared value as null. Keys not edited, and retired fields, are never sent.
 */
export function customValuesPatch(fields: readonly CustomField[], stored: CustomValues, draft: CustomDraft): CustomValues {
  const out: CustomValues = {};
  for (const field of fields) {
    if (!settable(field) || !(field.key in draft)) continue;
    const next = apiValue(field, draft[field.key]);
    if (!same(next, storedApiValue(field, stored[field.key]))) out[field.key] = next;
  }
  return out;
}

/** Whether a record holds a value for `field` (an empty text or list counts as none). */
export function holdsValue(field: CustomField, values: CustomValues): boolean {
  return storedApiValue(field, values[field.key]) !== null;
}

/** A choice's label by key; the key itself when the field has no such choice. */
export function choiceLabel(field: CustomField, key: string): string {
  return field.choices.find((c) => c.key === key)?.label ?? key;
}

/** `custom.<key>` → the field's label, for every field given (to name an error or a change). */
export function customFieldLabels(fields: readonly CustomField[]): Record<string, string> {
  return Object.fromEntries(fields.map((f) => [customFieldName(f.key), f.label]));
}

/** The ids the link fields among `fields` hold in `records` (to read their titles at once). */
export function linkedIds(fields: readonly CustomField[], records: readonly CustomValues[]): string[] {
  const links = fields.filter((f) => f.kind === "link");
  const ids = new Set<string>();
  for (const values of records) {
    for (const field of links) {
      const id = values[field.key];
      if (typeof id === "string" && id !== "") ids.add(id);
    }
  }
  return [...ids];
}

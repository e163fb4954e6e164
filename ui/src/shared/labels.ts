// Labels for values that come from the core (field names, kinds…), looked up by their code.

import type { TFunction } from "i18next";
import { i18n } from "../i18n";

type LooseT = (key: string) => string;

/** A field's label ("tax_id" → "Tax ID"); the raw name when this build has no label for it. */
export function fieldLabel(t: TFunction, field: string): string {
  const key = `fields.${field}`;
  return i18n.exists(key) ? (t as unknown as LooseT)(key) : field;
}

/** A kind's label ("prospect" → "Prospect"); null when this build has no label for it. */
export function kindLabel(t: TFunction, kind: string): string | null {
  const key = `kinds.${kind}`;
  return i18n.exists(key) ? (t as unknown as LooseT)(key) : null;
}

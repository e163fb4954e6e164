import type { TFunction } from "i18next";
import { i18n } from "../../i18n";

type LooseT = (key: string) => string;

/** What a person calls a record of `table` ("Organisation"); the core's own word when this build has none. */
export function recordKindLabel(t: TFunction, table: string, coreLabel: string): string {
  const key = `conflicts.records.${table}`;
  return i18n.exists(key) ? (t as unknown as LooseT)(key) : coreLabel;
}

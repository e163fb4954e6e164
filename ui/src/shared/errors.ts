// The core's errors in the chosen language: every ErrorCode and FieldCode has a translation;
// the core's own message is used only for a code this build does not know.

import type { TFunction } from "i18next";
import type { ApiError, ErrorCode, FieldCode, FieldError } from "../api/generated";
import { i18n } from "../i18n";

export function errorMessage(t: TFunction, error: ApiError): string {
  const key = `errors.code.${error.code}` as const;
  if (i18n.exists(key)) return t(key as `errors.code.${ErrorCode}`);
  return error.message || t("errors.unknown");
}

export function fieldErrorMessage(t: TFunction, error: { code: FieldCode; message: string }): string {
  const key = `errors.field.${error.code}` as const;
  if (i18n.exists(key)) return t(key as `errors.field.${FieldCode}`);
  return error.message || t("errors.unknown");
}

/** The per-field messages of an error, translated, keyed by field name. */
export function fieldErrors(t: TFunction, error: ApiError | null): Record<string, string> {
  const out: Record<string, string> = {};
  if (!error) return out;
  for (const [name, fieldError] of Object.entries(error.fields)) out[name] = fieldErrorMessage(t, fieldError);
  return out;
}

/** The problem reported for `field`, whether the core keyed it plainly or under `changes.`. */
export function fieldErrorFor(error: ApiError | null, field: string): FieldError | undefined {
  return error?.fields[field] ?? error?.fields[`changes.${field}`];
}

/** An error's field problems that no field on screen shows (and that are not a stale version). */
export function unshownFieldErrors(error: ApiError | null, shownFields: readonly string[]): [string, FieldError][] {
  if (!error) return [];
  const shown = new Set(shownFields.flatMap((f) => [f, `changes.${f}`]));
  return Object.entries(error.fields).filter(([name, fe]) => !shown.has(name) && fe.code !== "stale_version");
}

/** The record was changed by someone else since it was read. */
export function isConflict(error: ApiError | null): boolean {
  if (!error) return false;
  return error.code === "conflict" || Object.values(error.fields).some((f) => f.code === "stale_version");
}

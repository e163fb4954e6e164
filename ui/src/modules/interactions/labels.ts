// The dialog's and the histories' problems in words: the core reports a code per field, and some
// codes say more about one field than their generic words do.

import type { TFunction } from "i18next";
import type { FieldError } from "../../api/generated";
import { fieldErrorMessage } from "../../shared/errors";

/** A field problem the core (or the dialog before sending) reported, for the field it names (also under `changes.`). */
export function interactionFieldError(t: TFunction, field: string, error: FieldError): string {
  const name = field.replace(/^changes\./, "");
  if (name === "contact_id" && error.code === "required") return t("interactions.errors.whom");
  if (name === "topic_id" && error.code === "required") return t("interactions.errors.topic");
  if (name === "topic_id" && error.code === "archived") return t("interactions.errors.retiredTopic");
  if (name === "happened_at" && error.code === "invalid_value") return t("interactions.errors.future");
  if (name === "organisation_id" && error.code === "invalid_value") return t("interactions.errors.otherOrganisation");
  return fieldErrorMessage(t, error);
}

/** A history's period refused: the core names `to` when the period ends before it starts. */
export function periodError(t: TFunction, error: FieldError): string {
  return error.code === "invalid_value" ? t("interactions.errors.period") : fieldErrorMessage(t, error);
}

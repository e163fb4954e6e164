// Interactions' channels and forms in words. Shared: the interactions module shows them, and so
// do the screens that show any record's values (history, conflicts between offline changes).

import type { TFunction } from "i18next";
import type { FieldError, InteractionChannel, InteractionForm } from "../../api/generated";
import { fieldErrorMessage } from "../errors";

/** Every channel, in the order the dialog offers them (checked against the generated union). */
export const CHANNELS = ["phone", "email", "meeting", "letter", "chat", "visit"] as const satisfies readonly InteractionChannel[];
const _allChannels: Exclude<InteractionChannel, (typeof CHANNELS)[number]> extends never ? true : never = true;
void _allChannels;

/** Every form (ISO 9001 7.4: written, oral or visual communication). */
export const FORMS = ["written", "oral", "visual"] as const satisfies readonly InteractionForm[];
const _allForms: Exclude<InteractionForm, (typeof FORMS)[number]> extends never ? true : never = true;
void _allForms;

/**
 * The form a contact by this channel usually takes, as the core assumes when none is sent: the
 * dialog shows it before the person chooses, so what is shown is what will be stored.
 */
export function usualForm(channel: InteractionChannel): InteractionForm {
  return channel === "email" || channel === "letter" || channel === "chat" ? "written" : "oral";
}

export function isChannel(value: unknown): value is InteractionChannel {
  return typeof value === "string" && (CHANNELS as readonly string[]).includes(value);
}

export function isForm(value: unknown): value is InteractionForm {
  return typeof value === "string" && (FORMS as readonly string[]).includes(value);
}

export function channelLabel(t: TFunction, channel: InteractionChannel): string {
  return t(`interactions.channels.${channel}`);
}

export function formLabel(t: TFunction, form: InteractionForm): string {
  return t(`interactions.forms.${form}`);
}

/**
 * The core's refusal of a topic's name, in words: `invalid_value` on a name is the core finding an
 * active topic of the same name (letter case and Persian letter variants aside).
 */
export function topicNameError(t: TFunction, error: FieldError): string {
  return error.code === "invalid_value" ? t("interactions.topics.duplicate") : fieldErrorMessage(t, error);
}

// The interactions module's pure part: what the log dialog holds and sends, what a history asks
// the core for, moments as the window's controls show them, and topics matched as people type.

import type {
  ApiError,
  CustomValues,
  Interaction,
  InteractionChanges,
  InteractionChannel,
  InteractionForm,
  InteractionTopic,
  ListInteractionsInput,
  LogInteractionInput,
} from "../../api/generated";
import type { NamedRecord, Whom } from "../../shared/interactions/InteractionsSlot";
import { usualForm } from "../../shared/interactions/labels";
import type { CustomDraft } from "../../shared/customFields/values";

// ---------- Moments ----------

const two = (n: number) => String(n).padStart(2, "0");

/** A local calendar moment; built field by field so that years before 100 are not read as 19xx. */
function localMoment(year: number, month: number, day: number, hours = 0, minutes = 0, seconds = 0): Date | null {
  const date = new Date(0);
  date.setFullYear(year, month - 1, day);
  date.setHours(hours, minutes, seconds, 0);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** "2026-11-23T14:05": a moment as a datetime-local control holds it, in the computer's time zone. */
export function toLocalInput(moment: Date): string {
  return `${String(moment.getFullYear()).padStart(4, "0")}-${two(moment.getMonth() + 1)}-${two(moment.getDate())}T${two(moment.getHours())}:${two(moment.getMinutes())}`;
}

/** What a datetime-local control holds, as the UTC instant the core takes; null when it holds none. */
export function fromLocalInput(value: string): string | null {
  const m = /^(\d{4,})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?/.exec(value);
  if (!m) return null;
  return localMoment(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0))?.toISOString() ?? null;
}

/**
 * The first moment of a calendar day ("2026-11-23") in the computer's time zone, as a UTC instant;
 * `laterDays` on (1: the next day's start, the exclusive end of a period that includes the day).
 */
export function dayStart(day: string, laterDays = 0): string | null {
  const m = /^(\d{4,})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return null;
  return localMoment(Number(m[1]), Number(m[2]), Number(m[3]) + laterDays)?.toISOString() ?? null;
}

/**
 * The moment a search hit's subtitle names: the core writes an interaction's time there as
 * "2026-11-23 14:05 UTC", which the window shows in the reader's time zone and language.
 */
export function hitMoment(subtitle: string | null): Date | null {
  const m = subtitle && /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}) UTC$/.exec(subtitle);
  if (!m) return null;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5])));
  return Number.isNaN(date.getTime()) ? null : date;
}

// ---------- Topics ----------

/**
 * Text as people match it: letter case, the Arabic letters Persian keyboards may type for ی and
 * ک, the zero-width non-joiner and Russian ё aside (as the core compares topic names).
 */
export function matchable(text: string): string {
  return text
    .toLocaleLowerCase()
    .replace(/[يى]/g, "ی")
    .replace(/ك/g, "ک")
    .replace(/\u200c/g, "")
    .replace(/ё/g, "е")
    .trim();
}

/** The topics whose name holds what is typed, those that start with it first, each group by name. */
export function filterTopics(topics: readonly InteractionTopic[], text: string): InteractionTopic[] {
  const wanted = matchable(text);
  if (wanted === "") return [...topics];
  const starting: InteractionTopic[] = [];
  const containing: InteractionTopic[] = [];
  for (const topic of topics) {
    const name = matchable(topic.name);
    if (name.startsWith(wanted)) starting.push(topic);
    else if (name.includes(wanted)) containing.push(topic);
  }
  return [...starting, ...containing];
}

// ---------- The dialog ----------

/** What the log dialog holds. */
export type Draft = {
  whom: Whom | null;
  topicId: string | null;
  channel: InteractionChannel;
  /** The form the person chose; null: the channel's usual one (it follows the channel). */
  form: InteractionForm | null;
  /** The moment as the datetime-local control holds it. */
  when: string;
  /** Who answers for it. */
  responsibleId: string;
  summary: string;
  custom: CustomDraft;
};

/** A new interaction: by phone, now, answered for by the person logging it. */
export function newDraft(whom: Whom | null, me: string, now: Date): Draft {
  return { whom, topicId: null, channel: "phone", form: null, when: toLocalInput(now), responsibleId: me, summary: "", custom: {} };
}

/** A stored interaction as the dialog corrects it; its form follows its channel while it is the usual one. */
export function draftOf(stored: Interaction, whom: Whom | null): Draft {
  return {
    whom,
    topicId: stored.topic_id,
    channel: stored.channel,
    form: stored.form === usualForm(stored.channel) ? null : stored.form,
    when: toLocalInput(new Date(stored.happened_at)),
    responsibleId: stored.responsible_id,
    summary: stored.summary,
    custom: {},
  };
}

export function effectiveForm(draft: Draft): InteractionForm {
  return draft.form ?? usualForm(draft.channel);
}

/** Whom a stored interaction is with, named as its history row names them. */
export function whomOf(
  interaction: Pick<Interaction, "contact_id" | "organisation_id">,
  names: { contact: string | null; organisation: string | null },
): Whom | null {
  const organisation: NamedRecord | null =
    interaction.organisation_id !== null ? { id: interaction.organisation_id, name: names.organisation ?? "" } : null;
  if (interaction.contact_id !== null) return { kind: "contact", contact: { id: interaction.contact_id, name: names.contact ?? "" }, organisation };
  return organisation && { kind: "organisation", organisation };
}

/** Whom it is with in words: the contact (at their organisation), else the organisation. */
export function whomName(whom: Whom): string {
  return whom.kind === "contact" ? whom.contact.name : whom.organisation.name;
}

const whomKey = (whom: Whom | null) => (whom === null ? "" : whom.kind === "contact" ? `c:${whom.contact.id}` : `o:${whom.organisation.id}`);

/**
 * What cannot be sent at all: the core needs a topic to read the input, so the problems it would
 * find with whom and the summary are said with it, every one at once, as the core says them.
 */
export function problemsBeforeSending(draft: Draft): ApiError | null {
  const fields: ApiError["fields"] = {};
  if (draft.whom === null) fields.contact_id = { code: "required", message: "" };
  if (draft.topicId === null) fields.topic_id = { code: "required", message: "" };
  if (draft.summary.trim() === "") fields.summary = { code: "required", message: "" };
  if (Object.keys(fields).length === 0) return null;
  return { code: "invalid_input", message: "", fields };
}

/**
 * A new interaction as the core takes it: whom by one id (a contact's organisation is the core's
 * to find), and only what the person set of the rest — the form when chosen, the time when changed
 * from the one the dialog opened with, the responsible person when not oneself.
 */
export function logInput(opened: Draft, draft: Draft, me: string, custom: CustomValues): LogInteractionInput {
  const input: LogInteractionInput = { topic_id: draft.topicId ?? "", channel: draft.channel, summary: draft.summary };
  if (draft.whom?.kind === "contact") input.contact_id = draft.whom.contact.id;
  else if (draft.whom?.kind === "organisation") input.organisation_id = draft.whom.organisation.id;
  if (draft.form !== null) input.form = draft.form;
  if (draft.when !== opened.when) {
    const at = fromLocalInput(draft.when);
    if (at !== null) input.happened_at = at;
  }
  if (draft.responsibleId !== me) input.responsible_id = draft.responsibleId;
  if (Object.keys(custom).length > 0) input.custom = custom;
  return input;
}

/**
 * A correction: only the fields changed. A new contact is sent without an organisation (the core
 * takes the contact's), a new organisation without a contact.
 */
export function interactionChanges(stored: Interaction, opened: Draft, draft: Draft, custom: CustomValues): InteractionChanges {
  const changes: InteractionChanges = {};
  if (whomKey(draft.whom) !== whomKey(opened.whom)) {
    if (draft.whom?.kind === "contact") Object.assign(changes, { contact_id: draft.whom.contact.id, organisation_id: null });
    else if (draft.whom?.kind === "organisation") Object.assign(changes, { contact_id: null, organisation_id: draft.whom.organisation.id });
  }
  if (draft.topicId !== null && draft.topicId !== stored.topic_id) changes.topic_id = draft.topicId;
  if (draft.channel !== stored.channel) changes.channel = draft.channel;
  if (effectiveForm(draft) !== stored.form) changes.form = effectiveForm(draft);
  // Compared as shown (to the minute), so that an untouched time keeps its seconds.
  if (draft.when !== opened.when) {
    const at = fromLocalInput(draft.when);
    if (at !== null) changes.happened_at = at;
  }
  if (draft.summary !== stored.summary) changes.summary = draft.summary;
  if (draft.responsibleId !== stored.responsible_id) changes.responsible_id = draft.responsibleId;
  if (Object.keys(custom).length > 0) changes.custom = custom;
  return changes;
}

/** The person typed something the dialog would lose if closed now. */
export function hasTyped(opened: Draft, draft: Draft): boolean {
  return (
    draft.summary !== opened.summary ||
    draft.topicId !== opened.topicId ||
    whomKey(draft.whom) !== whomKey(opened.whom) ||
    draft.channel !== opened.channel ||
    draft.form !== opened.form ||
    draft.when !== opened.when ||
    draft.responsibleId !== opened.responsibleId ||
    Object.keys(draft.custom).length > 0
  );
}

// ---------- Histories ----------

/** Rows per page of a history. */
export const PAGE_SIZE = 50;

/** Whose history: an organisation's (its people's included, or one of them only) or an employee's. */
export type HistoryScope = { organisationId?: string; contactId?: string; responsibleId?: string };

/** What a history is narrowed to; "" is any. The period is in calendar days of the computer's time zone, both included. */
export type HistoryFilter = {
  channel: InteractionChannel | "";
  topicId: string;
  from: string;
  to: string;
  text: string;
  archived: boolean;
};

export const NO_FILTER: HistoryFilter = { channel: "", topicId: "", from: "", to: "", text: "", archived: false };

/** Any filter besides whose history it is (the archived ones are a list of their own). */
export function isFiltered(filter: HistoryFilter): boolean {
  return filter.channel !== "" || filter.topicId !== "" || filter.from !== "" || filter.to !== "" || filter.text.trim() !== "";
}

/** A history's first page as the core takes it: only the filters chosen; the days as instants. */
export function historyInput(scope: HistoryScope, filter: HistoryFilter): ListInteractionsInput {
  const input: ListInteractionsInput = { limit: PAGE_SIZE };
  if (scope.organisationId) input.organisation_id = scope.organisationId;
  if (scope.contactId) input.contact_id = scope.contactId;
  if (scope.responsibleId) input.responsible_id = scope.responsibleId;
  if (filter.channel) input.channel = filter.channel;
  if (filter.topicId) input.topic_id = filter.topicId;
  const from = filter.from ? dayStart(filter.from) : null;
  if (from !== null) input.from = from;
  const to = filter.to ? dayStart(filter.to, 1) : null;
  if (to !== null) input.to = to;
  const text = filter.text.trim();
  if (text !== "") input.text = text;
  if (filter.archived) input.archived = true;
  return input;
}

/** A summary long enough to be shown cut, with a way to show it all. */
export function isLongSummary(summary: string): boolean {
  return summary.split("\n").length > 3 || summary.length > 280;
}

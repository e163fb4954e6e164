// Workflow rules in words: the kinds of record they listen to, "When" ("A contact is created",
// "Role of a contact is set to Director", "30 days before Contract end", "Every year on
// Birthday", "No activity with an organisation for 30 days") and "Then" ("Create the task “Call back” for the record's owner, due in 3 days"), in
// the window's language and digits; and the core's problems with a rule, said for their field.

import type { TFunction } from "i18next";
import type { FieldError, InteractionChannel, RuleAction, RuleAssignee, RuleKind, RuleTrigger, SegmentField, SegmentFilter } from "../../api/generated";
import { i18n, type Language } from "../../i18n";
import { fieldErrorMessage } from "../../shared/errors";
import { formatCalendarDate, formatList, formatNumber } from "../../shared/format";
import { channelLabel } from "../../shared/interactions/labels";
import { segmentFieldLabel } from "../segments/labels";
import { loopNames } from "./model";

type LooseT = (key: string, options?: Record<string, unknown>) => string;
const loose = (t: TFunction) => t as unknown as LooseT;

/** The kinds this build has words for (workflow.kinds.*); others are named by the core's label. */
const has = (key: string) => i18n.exists(key);

/** A kind in a list of kinds: "Contacts", by the labels the window already has for tables where there are. */
export function kindName(t: TFunction, table: string, coreLabel: string): string {
  if (has(`customFields.tables.${table}`)) return loose(t)(`customFields.tables.${table}`);
  if (has(`workflow.kinds.${table}.name`)) return loose(t)(`workflow.kinds.${table}.name`);
  return coreLabel;
}

/** "of a contact" as the sentences need it. */
function kindOf(t: TFunction, table: string, coreLabel: string): string {
  return has(`workflow.kinds.${table}.of`) ? loose(t)(`workflow.kinds.${table}.of`) : loose(t)("workflow.kindOf", { kind: coreLabel });
}

/** "with a contact" as a quiet spell's sentence needs it ("по контакту", "با مخاطب"). */
function kindWith(t: TFunction, table: string, coreLabel: string): string {
  return has(`workflow.kinds.${table}.with`) ? loose(t)(`workflow.kinds.${table}.with`) : loose(t)("workflow.kindOf", { kind: coreLabel });
}

/** What the sentences know of the rule's record and fields. */
export type RuleWords = {
  t: TFunction;
  language: Language;
  kind: Pick<RuleKind, "table" | "label"> & { fields: readonly SegmentField[] };
  /** A choice's key, a person's id or a record's id in words, for a field of the kind. */
  value: (field: SegmentField | undefined, value: unknown) => string;
  /** A colleague's name by id. */
  person: (id: string) => string;
  /** A topic's name by id. */
  topic: (id: string) => string;
};

function fieldName(words: RuleWords, field: string): string {
  const spec = words.kind.fields.find((f) => f.field === field);
  return spec ? segmentFieldLabel(words.t, spec) : segmentFieldLabel(words.t, { field, label: null });
}

/** A condition's value in words, by its field's type. */
export function valueWords(t: TFunction, language: Language, field: SegmentField | undefined, value: unknown, choice: (field: string, key: string) => string, person: (id: string) => string): string {
  if (typeof value === "boolean") return value ? t("customFields.yes") : t("customFields.no");
  if (typeof value === "number") return formatNumber(value, language);
  const text = typeof value === "string" ? value : JSON.stringify(value ?? "");
  switch (field?.type) {
    case "choice":
    case "multi_choice":
      return choice(field.field, text);
    case "date":
      return formatCalendarDate(text, language);
    case "reference":
      return field.table === "users" ? person(text) : text;
    default:
      return text;
  }
}

type Condition = Extract<SegmentFilter, { type: "condition" }>;

/** The conditions of a filter as a flat list when it is one or an "all" of simple ones. */
function simpleParts(condition: SegmentFilter | null | undefined): Condition[] | null {
  if (!condition) return [];
  const parts = condition.type === "all" ? condition.of : [condition];
  return parts.every((p): p is Condition => p.type === "condition" && p.op === "is") ? parts : null;
}

/** "When" in words, the condition's "is set to" folded in when it is one. */
export function describeWhen(words: RuleWords, trigger: RuleTrigger, condition: SegmentFilter | null | undefined): string {
  const { t, kind, language } = words;
  const l = loose(t);
  switch (trigger.type) {
    case "created":
      return has(`workflow.kinds.${kind.table}.created`) ? l(`workflow.kinds.${kind.table}.created`) : l("workflow.when.createdOther", { kind: kind.label });
    case "changed": {
      const field = fieldName(words, trigger.field);
      const of = kindOf(t, kind.table, kind.label);
      const setTo = simpleParts(condition)?.find((p) => p.field === trigger.field);
      if (setTo) {
        const spec = kind.fields.find((f) => f.field === trigger.field);
        return l("workflow.when.setTo", { field, of, value: words.value(spec, setTo.value) });
      }
      return l("workflow.when.changed", { field, of });
    }
    case "date_reached": {
      const field = fieldName(words, trigger.field);
      const n = Math.abs(trigger.days);
      const every = trigger.yearly === true ? "yearly" : "once";
      if (trigger.days === 0) return l(`workflow.when.${every}.on`, { field });
      const side = trigger.days < 0 ? "before" : "after";
      return l(`workflow.when.${every}.${side}`, { field, count: n, n: formatNumber(n, language) });
    }
    case "quiet":
      return l("workflow.when.quiet", { with: kindWith(t, kind.table, kind.label), count: trigger.days, n: formatNumber(trigger.days, language) });
  }
}

/** "Only if" in words: the conditions besides "is set to"; null when there are none. */
export function describeOnlyIf(words: RuleWords, trigger: RuleTrigger, condition: SegmentFilter | null | undefined): string | null {
  const { t, kind, language } = words;
  const parts = simpleParts(condition);
  if (parts === null) return loose(t)("workflow.onlyIf.complex");
  const rest = parts.filter((p) => !(trigger.type === "changed" && p.field === trigger.field));
  if (rest.length === 0) return null;
  const each = rest.map((p) => {
    const spec = kind.fields.find((f) => f.field === p.field);
    return loose(t)("workflow.onlyIf.is", { field: fieldName(words, p.field), value: words.value(spec, p.value) });
  });
  return formatList(each, language);
}

function assigneeWords(words: RuleWords, who: RuleAssignee): string {
  return who.type === "person" ? words.person(who.id) : loose(words.t)("workflow.then.recordOwner");
}

/** "Then" in words. */
export function describeThen(words: RuleWords, action: RuleAction): string {
  const { t, language } = words;
  const l = loose(t);
  switch (action.type) {
    case "create_task": {
      const base = { title: action.title, who: assigneeWords(words, action.responsible) };
      return action.deadline_days === 0
        ? l("workflow.then.taskToday", base)
        : l("workflow.then.task", { ...base, count: action.deadline_days, n: formatNumber(action.deadline_days, language) });
    }
    case "schedule_contact": {
      const base = {
        channel: channelLabel(t, action.channel as InteractionChannel),
        topic: words.topic(action.topic_id),
        who: assigneeWords(words, action.responsible),
        time: action.at.slice(0, 5),
      };
      return action.days === 0 ? l("workflow.then.contactToday", base) : l("workflow.then.contact", { ...base, count: action.days, n: formatNumber(action.days, language) });
    }
    case "notify":
      return l("workflow.then.notify", { people: formatList(action.recipients.map(words.person), language), message: action.message });
    case "email":
      return l("workflow.then.email", { to: action.to, subject: action.subject });
  }
}

/** A field problem the core (or the editor before sending) reported, in words for the field it names. */
export function ruleFieldError(t: TFunction, field: string, error: FieldError): string {
  const l = loose(t);
  if (field === "action" && error.code === "invalid_value") {
    const names = loopNames(error.message);
    // The arrow points the way the language reads.
    const arrow = ` ${l("workflow.errors.loopArrow")} `;
    return names.length > 0 ? l("workflow.errors.loop", { rules: names.join(arrow) }) : error.message || fieldErrorMessage(t, error);
  }
  if (field === "name" && error.code === "required") return l("workflow.errors.name");
  if (field === "trigger.field" && error.code === "required") return l("workflow.errors.field");
  if (field === "trigger.field" && error.code === "invalid_value") return l("workflow.errors.fieldInvalid");
  if (field === "trigger.type" && error.code === "invalid_value") return l("workflow.errors.quietKind");
  if (field === "trigger.days" && (error.code === "invalid_value" || error.code === "required")) return l("workflow.errors.days");
  if ((field === "action.days" || field === "action.deadline_days") && error.code === "invalid_value") return l("workflow.errors.days");
  if (field === "action.responsible.id" && error.code === "required") return l("workflow.errors.person");
  if (field === "action.title" && error.code === "required") return l("workflow.errors.title");
  if (field === "action.topic_id" && error.code === "required") return l("workflow.errors.topic");
  if (field === "action.at") return l("workflow.errors.at");
  if (field === "action.time_zone" && error.code === "invalid_value") return t("schedule.errors.timeZone");
  if (field === "action.recipients" && error.code === "required") return l("workflow.errors.recipients");
  if (field === "action.message" && error.code === "required") return l("workflow.errors.message");
  if (field === "action.to" && error.code === "invalid_value") return l("workflow.errors.to");
  if (field === "action.type" && error.code === "invalid_value") return l("workflow.errors.noCustomer");
  if (field === "record_table" && error.code === "invalid_value") return l("workflow.errors.kind");
  return fieldErrorMessage(t, error);
}

// The workflow module's pure part: what the rule editor holds — a form, not code — and the
// `RuleDefinition` it sends (`workflow.define`, `workflow.update`); a stored rule read back into
// the form; which "When" choices a kind of record offers; what it says is missing before sending;
// and where in the form the core's problems go.

import type {
  ApiError,
  InteractionChannel,
  RuleAction,
  RuleAssignee,
  RuleDefinition,
  RuleKind,
  RuleRow,
  RuleTrigger,
  SegmentField,
  SegmentFilter,
} from "../../api/generated";
import { latinDigits } from "../../shared/customFields/values";
import { localZone } from "../interactions/schedule/zones";
import { fieldIndex, readNumber, toFilter } from "../segments/filter";

export type WhenChoice = RuleTrigger["type"];
/** Before the date, on its day, or after it. */
export type DateSide = "before" | "on" | "after";
export type ThenChoice = RuleAction["type"];
export type AssigneeChoice = RuleAssignee["type"];

export const WHEN_CHOICES = ["created", "changed", "date_reached", "quiet"] as const satisfies readonly WhenChoice[];
export const DATE_SIDES = ["before", "on", "after"] as const satisfies readonly DateSide[];
export const THEN_CHOICES = ["create_task", "schedule_contact", "notify", "email"] as const satisfies readonly ThenChoice[];
export const ASSIGNEE_CHOICES = ["record_owner", "person"] as const satisfies readonly AssigneeChoice[];

/** The most days a rule may count before or after a date, of silence, or until a deadline (ten years). */
export const MAX_DAYS = 3660;

/** The kinds of record "nothing happens for N days" may listen to: the customers, whom interactions are logged with. */
export const QUIET_TABLES = ["contacts", "organisations"] as const;

/** Whether rules on this kind may wait for a customer's quiet spell (the core refuses it on others). */
export function listensToQuiet(table: string): boolean {
  return (QUIET_TABLES as readonly string[]).includes(table);
}

/**
 * The "When" choices for a kind: a new record always; a change when it has fields; a date when it
 * has date fields; a quiet spell for a customer. The chosen one stays offered, as stored.
 */
export function whenChoices(kind: Pick<RuleKind, "fields"> | undefined, table: string, chosen: WhenChoice): WhenChoice[] {
  const fields = kind?.fields ?? [];
  const offered: Record<WhenChoice, boolean> = {
    created: true,
    changed: fields.length > 0,
    date_reached: fields.some((f) => f.type === "date"),
    quiet: listensToQuiet(table),
  };
  return WHEN_CHOICES.filter((w) => offered[w] || w === chosen);
}

/** "When" after the kind changes: a quiet spell stays where the new kind offers it; otherwise a new record (the fields differ). */
export function whenForKind(when: WhenChoice, table: string): WhenChoice {
  return when === "quiet" && listensToQuiet(table) ? "quiet" : "created";
}

/** A trigger that names a field of the kind (a change, a date). */
export const namesField = (when: WhenChoice): boolean => when === "changed" || when === "date_reached";

/** What the editor holds; every number and time as its control holds it. */
export type RuleDraft = {
  name: string;
  /** The kind of record it listens to (its table). */
  table: string;
  when: WhenChoice;
  /** The field a change or a date rule listens to. */
  field: string;
  /** "Is set to": the value a changed field must take ("" : any change). */
  setTo: string;
  /** Days before or after a date; days of silence for a quiet spell. */
  days: string;
  side: DateSide;
  yearly: boolean;
  /** "Only if": one more condition, field is value ("" field: none). */
  onlyIfField: string;
  onlyIfValue: string;
  /** A stored condition the form cannot show as its choices: kept as it is. */
  keptCondition: SegmentFilter | null;
  then: ThenChoice;
  /** Who a task or a scheduled contact is for. */
  assignee: AssigneeChoice;
  personId: string;
  // A task.
  title: string;
  description: string;
  /** "": none. */
  controllerId: string;
  deadlineDays: string;
  // A scheduled contact.
  topicId: string | null;
  channel: InteractionChannel;
  contactDays: string;
  /** "10:00", as a time control holds it. */
  at: string;
  timeZone: string;
  note: string;
  // A notice.
  recipients: string[];
  message: string;
  // An email.
  to: string;
  subject: string;
  body: string;
};

/** A new rule on the first kind offered: when one is created, give its owner a task due in 3 days. */
export function newRuleDraft(table: string, zone = localZone()): RuleDraft {
  return {
    name: "",
    table,
    when: "created",
    field: "",
    setTo: "",
    days: "30",
    side: "before",
    yearly: false,
    onlyIfField: "",
    onlyIfValue: "",
    keptCondition: null,
    then: "create_task",
    assignee: "record_owner",
    personId: "",
    title: "",
    description: "",
    controllerId: "",
    deadlineDays: "3",
    topicId: null,
    channel: "phone",
    contactDays: "1",
    at: "10:00",
    timeZone: zone,
    note: "",
    recipients: [],
    message: "",
    to: "{email}",
    subject: "",
    body: "",
  };
}

/** A value of a condition as its control holds it. */
function textOf(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number") return String(value);
  if (typeof value === "boolean") return value ? "yes" : "no";
  return "";
}

type Condition = Extract<SegmentFilter, { type: "condition" }>;
const isSimple = (filter: SegmentFilter): filter is Condition => filter.type === "condition" && filter.op === "is" && !Array.isArray(filter.value);

/** A stored rule in the editor; a condition the form cannot show is kept as it is. */
export function ruleDraft(rule: RuleRow, zone = localZone()): RuleDraft {
  const draft: RuleDraft = { ...newRuleDraft(rule.record_table, zone), name: rule.name };
  const trigger = rule.trigger;
  draft.when = trigger.type;
  if (trigger.type === "changed") draft.field = trigger.field;
  if (trigger.type === "date_reached") {
    draft.field = trigger.field;
    draft.days = String(Math.abs(trigger.days));
    draft.side = trigger.days < 0 ? "before" : trigger.days > 0 ? "after" : "on";
    draft.yearly = trigger.yearly === true;
  }
  if (trigger.type === "quiet") draft.days = String(trigger.days);
  Object.assign(draft, conditionDraft(trigger, rule.condition));
  const action = rule.action;
  draft.then = action.type;
  switch (action.type) {
    case "create_task":
      Object.assign(draft, assigneeDraft(action.responsible), {
        title: action.title,
        description: action.description ?? "",
        controllerId: action.controller_id ?? "",
        deadlineDays: String(action.deadline_days),
      });
      break;
    case "schedule_contact":
      Object.assign(draft, assigneeDraft(action.responsible), {
        topicId: action.topic_id,
        channel: action.channel,
        contactDays: String(action.days),
        at: action.at.slice(0, 5),
        timeZone: action.time_zone,
        note: action.note ?? "",
      });
      break;
    case "notify":
      Object.assign(draft, { recipients: [...action.recipients], message: action.message });
      break;
    case "email":
      Object.assign(draft, { to: action.to, subject: action.subject, body: action.body });
      break;
  }
  return draft;
}

function assigneeDraft(who: RuleAssignee): Pick<RuleDraft, "assignee" | "personId"> {
  return who.type === "person" ? { assignee: "person", personId: who.id } : { assignee: "record_owner", personId: "" };
}

/** A stored condition as "is set to" and "only if" when it is one or both of them; kept as it is otherwise. */
function conditionDraft(trigger: RuleTrigger, condition: SegmentFilter | null | undefined): Partial<RuleDraft> {
  if (!condition) return {};
  const parts = condition.type === "all" ? condition.of : [condition];
  const changedField = trigger.type === "changed" ? trigger.field : null;
  if (parts.length === 0 || parts.length > 2 || !parts.every(isSimple)) return { keptCondition: condition };
  const [first, second] = parts as Condition[];
  if (changedField !== null && first.field === changedField) {
    return second ? { setTo: textOf(first.value), onlyIfField: second.field, onlyIfValue: textOf(second.value) } : { setTo: textOf(first.value) };
  }
  if (second) return { keptCondition: condition };
  return { onlyIfField: first.field, onlyIfValue: textOf(first.value) };
}

/** A whole number of days as typed (Persian digits too); NaN when it is not one. */
export function wholeDays(text: string): number {
  const n = readNumber(latinDigits(text));
  return n !== null && Number.isInteger(n) ? n : NaN;
}

/** Where the form's conditions go in the filter sent: the path of each (null: not sent). */
export function conditionPaths(draft: RuleDraft): { setTo: string | null; onlyIf: string | null } {
  const setTo = draft.when === "changed" && draft.field !== "" && draft.setTo.trim() !== "";
  const onlyIf = draft.onlyIfField !== "";
  if (setTo && onlyIf) return { setTo: "condition.of.0", onlyIf: "condition.of.1" };
  return { setTo: setTo ? "condition" : null, onlyIf: onlyIf ? "condition" : null };
}

/** The condition sent: "is set to" and "only if" together, one of them, the one kept, or none. */
function conditionOf(draft: RuleDraft, fields: readonly SegmentField[]): SegmentFilter | null {
  const index = fieldIndex(fields);
  const is = (field: string, value: string) => toFilter({ kind: "condition", key: 0, field, op: "is", value }, index);
  const paths = conditionPaths(draft);
  const parts: SegmentFilter[] = [];
  if (paths.setTo !== null) parts.push(is(draft.field, draft.setTo));
  if (paths.onlyIf !== null) parts.push(is(draft.onlyIfField, draft.onlyIfValue));
  if (parts.length === 2) return { type: "all", of: parts };
  if (parts.length === 1) return parts[0];
  return draft.keptCondition;
}

function triggerOf(draft: RuleDraft): RuleTrigger {
  if (draft.when === "created") return { type: "created" };
  if (draft.when === "changed") return { type: "changed", field: draft.field };
  if (draft.when === "quiet") return { type: "quiet", days: wholeDays(draft.days) };
  const days = draft.side === "on" ? 0 : wholeDays(draft.days);
  const trigger: RuleTrigger = { type: "date_reached", field: draft.field, days: draft.side === "before" ? -days : days };
  if (draft.yearly) trigger.yearly = true;
  return trigger;
}

function assigneeOf(draft: RuleDraft): RuleAssignee {
  return draft.assignee === "person" ? { type: "person", id: draft.personId } : { type: "record_owner" };
}

function actionOf(draft: RuleDraft): RuleAction {
  switch (draft.then) {
    case "create_task": {
      const action: RuleAction = { type: "create_task", title: draft.title.trim(), responsible: assigneeOf(draft), deadline_days: wholeDays(draft.deadlineDays) };
      if (draft.description.trim() !== "") action.description = draft.description.trim();
      if (draft.controllerId !== "") action.controller_id = draft.controllerId;
      return action;
    }
    case "schedule_contact": {
      const action: RuleAction = {
        type: "schedule_contact",
        topic_id: draft.topicId ?? "",
        channel: draft.channel,
        responsible: assigneeOf(draft),
        days: wholeDays(draft.contactDays),
        at: `${draft.at}:00`,
        time_zone: draft.timeZone,
      };
      if (draft.note.trim() !== "") action.note = draft.note.trim();
      return action;
    }
    case "notify":
      return { type: "notify", recipients: [...draft.recipients], message: draft.message.trim() };
    case "email":
      return { type: "email", to: draft.to.trim(), subject: draft.subject.trim(), body: draft.body.trim() };
  }
}

/** The rule as the core takes it; `fields` are the kind's (to send each value as its type wants). */
export function ruleDefinition(draft: RuleDraft, fields: readonly SegmentField[]): RuleDefinition {
  const definition: RuleDefinition = { name: draft.name.trim(), record_table: draft.table, trigger: triggerOf(draft), action: actionOf(draft) };
  const condition = conditionOf(draft, fields);
  if (condition !== null) definition.condition = condition;
  return definition;
}

const problem = (code: "required" | "invalid_value") => ({ code, message: "" });
const inRange = (text: string, low: number, high: number) => {
  const n = wholeDays(text);
  return n >= low && n <= high;
};

/** What cannot be sent: every problem the editor can see, at the fields the core would name. */
export function ruleProblems(draft: RuleDraft): ApiError | null {
  const fields: ApiError["fields"] = {};
  if (draft.name.trim() === "") fields.name = problem("required");
  if (namesField(draft.when) && draft.field === "") fields["trigger.field"] = problem("required");
  if ((draft.when === "date_reached" && draft.side !== "on") || draft.when === "quiet") {
    if (draft.days.trim() === "") fields["trigger.days"] = problem("required");
    else if (!inRange(draft.days, 1, MAX_DAYS)) fields["trigger.days"] = problem("invalid_value");
  }
  if ((draft.then === "create_task" || draft.then === "schedule_contact") && draft.assignee === "person" && draft.personId === "")
    fields["action.responsible.id"] = problem("required");
  switch (draft.then) {
    case "create_task":
      if (draft.title.trim() === "") fields["action.title"] = problem("required");
      if (!inRange(draft.deadlineDays, 0, MAX_DAYS)) fields["action.deadline_days"] = problem("invalid_value");
      break;
    case "schedule_contact":
      if (draft.topicId === null) fields["action.topic_id"] = problem("required");
      if (!inRange(draft.contactDays, 0, MAX_DAYS)) fields["action.days"] = problem("invalid_value");
      if (!/^\d{2}:\d{2}$/.test(draft.at)) fields["action.at"] = problem("required");
      break;
    case "notify":
      if (draft.recipients.length === 0) fields["action.recipients"] = problem("required");
      if (draft.message.trim() === "") fields["action.message"] = problem("required");
      break;
    case "email":
      if (draft.to.trim() === "") fields["action.to"] = problem("required");
      if (draft.subject.trim() === "") fields["action.subject"] = problem("required");
      if (draft.body.trim() === "") fields["action.body"] = problem("required");
      break;
  }
  if (Object.keys(fields).length === 0) return null;
  return { code: "invalid_input", message: "", fields };
}

/** The person typed something the editor would lose if closed now. */
export function hasTypedRule(opened: RuleDraft, draft: RuleDraft): boolean {
  return JSON.stringify(opened) !== JSON.stringify(draft);
}

/** The fields of a kind a trigger may name: any for a change, the dates for a date rule. */
export function triggerFields(kind: RuleKind | undefined, when: WhenChoice): SegmentField[] {
  const fields = kind?.fields ?? [];
  return when === "date_reached" ? fields.filter((f) => f.type === "date") : fields;
}

/** The rules a loop runs through, as the core names them in its message (“A” → “B”); none when it names none. */
export function loopNames(message: string): string[] {
  return [...message.matchAll(/“([^”]*)”/g)].map((m) => m[1]);
}

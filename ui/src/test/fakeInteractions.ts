// Tests only: a fake core for interactions (COMM-1, COMM-2): topics the administrator keeps, the
// interactions logged, histories read a page at a time by the same filters and cursors as the
// core's, and the customers the dialog finds and names. Ids are UUIDs, as the core's are.

import type {
  ApiError,
  Colleagues,
  Contact,
  Interaction,
  InteractionRow,
  InteractionTopic,
  ListInteractionsInput,
  ExportCalendarInput,
  ListScheduledInput,
  LogInteractionInput,
  MovedOccurrence,
  MoveOccurrenceInput,
  Occurrence,
  Organisation,
  ScheduleContactInput,
  ScheduledContact,
  Permission,
  SearchHit,
  UpdateScheduledInput,
} from "../api/generated";
import { fakeAttachments, type FakeAttachmentsOptions } from "./fakeAttachments";
import { apiError, emptyPage, fakeTransport, organisation, signedIn } from "./fakeTransport";

export const ME = { id: "0198e000-0000-7000-8000-0000000000a1", display_name: "Anna Petrova" };
export const BORIS = { id: "0198e000-0000-7000-8000-0000000000b2", display_name: "Boris Ivanov" };

export const ACME = organisation({ id: "0198a000-0000-7000-8000-000000000001", name: "Acme Ltd" });
export const GLOBEX = organisation({ id: "0198a000-0000-7000-8000-000000000002", name: "Globex", city: "Kazan" });
export const ANNA_C = contact({ id: "0198c000-0000-7000-8000-000000000001", first_name: "Anna", last_name: "Ivanova", full_name: "Anna Ivanova" });
export const PETR_C = contact({ id: "0198c000-0000-7000-8000-000000000002", first_name: "Petr", last_name: "Smirnov", full_name: "Petr Smirnov", role: "Buyer" });

export const DELIVERY = topic({ id: "0198f000-0000-7000-8000-000000000001", name: "Delivery" });
export const COMPLAINT = topic({ id: "0198f000-0000-7000-8000-000000000002", name: "Complaint" });
export const OLD_PRICES = topic({ id: "0198f000-0000-7000-8000-000000000003", name: "Old prices", archived_at: "2026-01-10T09:00:00Z" });

/** Who reads and logs interactions (the service desk); add `interactions.archive` or `.manage_topics` for more. */
export const DESK: Permission[] = ["customers.read", "search.query", "security.directory", "interactions.read", "interactions.write"];

export function contact(overrides: Partial<Contact> & Pick<Contact, "id" | "full_name">): Contact {
  return {
    organisation_id: ACME.id,
    first_name: "",
    last_name: null,
    role: null,
    email: null,
    phone: null,
    notes: null,
    custom: {},
    version: 1,
    created_at: "2026-11-20T09:00:00Z",
    updated_at: "2026-11-20T09:00:00Z",
    created_by: ME.id,
    updated_by: ME.id,
    archived_at: null,
    owner_id: ME.id,
    department_id: null,
    confirmed_at: null,
    ...overrides,
  };
}

export function topic(overrides: Partial<InteractionTopic> & Pick<InteractionTopic, "id" | "name">): InteractionTopic {
  return {
    version: 1,
    created_at: "2026-01-01T09:00:00Z",
    updated_at: "2026-01-01T09:00:00Z",
    created_by: ME.id,
    updated_by: ME.id,
    archived_at: null,
    owner_id: ME.id,
    department_id: null,
    ...overrides,
  };
}

let serial = 0;

export function interaction(overrides: Partial<Interaction> = {}): Interaction {
  serial += 1;
  return {
    id: `0198d000-0000-7000-8000-${String(serial).padStart(12, "0")}`,
    topic_id: DELIVERY.id,
    happened_at: "2026-11-23T10:00:00Z",
    channel: "phone",
    form: "oral",
    contact_id: null,
    organisation_id: ACME.id,
    responsible_id: ME.id,
    summary: "Called about the delivery.",
    custom: {},
    version: 1,
    created_at: "2026-11-23T10:00:00Z",
    updated_at: "2026-11-23T10:00:00Z",
    created_by: ME.id,
    updated_by: ME.id,
    archived_at: null,
    owner_id: ME.id,
    department_id: null,
    ...overrides,
  };
}

/** Letter case, Persian letter variants and the zero-width non-joiner aside, as the core compares names. */
const same = (a: string, b: string) => {
  const norm = (s: string) => s.trim().toLocaleLowerCase().replace(/[يى]/g, "ی").replace(/ك/g, "ک").replace(/\u200c/g, "");
  return norm(a) === norm(b);
};

const invalid = (field: string, code: ApiError["fields"][string]["code"] = "invalid_value") => apiError("invalid_input", { [field]: { code, message: "core message" } });

let scheduledSerial = 0;

/** A scheduled contact as the core keeps it: a call with Acme at 10:00 UTC on 8 December 2026 unless told otherwise. */
export function scheduled(overrides: Partial<ScheduledContact> = {}): ScheduledContact {
  scheduledSerial += 1;
  return {
    id: `0198b000-0000-7000-8000-${String(scheduledSerial).padStart(12, "0")}`,
    topic_id: DELIVERY.id,
    channel: "phone",
    contact_id: null,
    organisation_id: ACME.id,
    responsible_id: ME.id,
    note: null,
    starts_at: "2026-12-08T10:00:00Z",
    time_zone: "UTC",
    duration_minutes: 30,
    recurrence: null,
    exceptions: [],
    ends_at: "2026-12-08T10:00:00Z",
    lead_minutes: 15,
    due_at: "2026-12-08T10:00:00Z",
    remind_at: "2026-12-08T09:45:00Z",
    version: 1,
    created_at: "2026-12-01T09:00:00Z",
    updated_at: "2026-12-01T09:00:00Z",
    created_by: ME.id,
    updated_by: ME.id,
    archived_at: null,
    owner_id: ME.id,
    department_id: null,
    ...overrides,
  };
}

/** An occurrence as `interactions.list_occurrences` gives it (with the names the core adds). */
export function occurrence(overrides: Partial<Occurrence> = {}): Occurrence {
  return {
    scheduled_id: "0198b000-0000-7000-8000-0000000000f1",
    version: 1,
    starts_at: "2026-12-08T10:00:00Z",
    ends_at: "2026-12-08T10:30:00Z",
    state: "planned",
    channel: "phone",
    topic_id: DELIVERY.id,
    responsible_id: ME.id,
    contact_id: null,
    organisation_id: ACME.id,
    recurring: false,
    note: null,
    topic: "Delivery",
    contact_name: null,
    organisation_name: "Acme Ltd",
    time_zone: "UTC",
    ...overrides,
  };
}

type Options = {
  permissions?: Permission[];
  /** Whether the session says they see colleagues' records; a manager (who archives) does unless told. */
  seesColleagues?: boolean;
  topics?: InteractionTopic[];
  interactions?: Interaction[];
  organisations?: Organisation[];
  contacts?: Contact[];
  /** Stands in for `interactions.log` (a refusal, say); the stored interaction is logged otherwise. */
  log?: (input: LogInteractionInput) => Interaction;
  /** Scheduled contacts (COMM-3) the core holds. */
  scheduledContacts?: ScheduledContact[];
  /** What `interactions.list_occurrences` answers, whatever the period. */
  occurrences?: Occurrence[];
  /** Stands in for `interactions.schedule` (a refusal, say). */
  schedule?: (input: ScheduleContactInput) => ScheduledContact;
  /** Stands in for `interactions.move_occurrence`. */
  move?: (input: MoveOccurrenceInput) => MovedOccurrence;
  /** The path the Save dialog gives (null: the person closed it). */
  savePath?: string | null;
  /** Attached files and the Open dialog's answers (the Save dialog's is `savePath`). */
  files?: Omit<FakeAttachmentsOptions, "savePath">;
};

/** The fake core; the test renders `<App transport={core.transport} />`. */
export function interactionsCore({
  permissions = DESK,
  seesColleagues = permissions.includes("interactions.archive"),
  topics = [DELIVERY, COMPLAINT, OLD_PRICES],
  interactions = [],
  organisations = [ACME, GLOBEX],
  contacts = [ANNA_C, PETR_C],
  log,
  scheduledContacts = [],
  occurrences = [],
  schedule,
  move,
  savePath = "/home/anna/Accord calendar.ics",
  files: filesOptions,
}: Options = {}) {
  const files = fakeAttachments({ ...filesOptions, savePath });
  const state = { topics: [...topics], interactions: [...interactions], organisations, contacts, scheduled: [...scheduledContacts] };
  const findScheduled = (id: string) => {
    const found = state.scheduled.find((s) => s.id === id);
    if (!found) throw apiError("not_found");
    return found;
  };
  const changeScheduled = (id: string, version: number, apply: (s: ScheduledContact) => Partial<ScheduledContact>) => {
    const found = findScheduled(id);
    if (found.version !== version) throw apiError("conflict");
    const changed = { ...found, ...apply(found), version: found.version + 1 };
    state.scheduled = state.scheduled.map((s) => (s.id === id ? changed : s));
    return changed;
  };
  const summary = (s: ScheduledContact) => ({
    ...s,
    topic: state.topics.find((t) => t.id === s.topic_id)?.name ?? "",
    contact_name: state.contacts.find((c) => c.id === s.contact_id)?.full_name ?? null,
    organisation_name: state.organisations.find((o) => o.id === s.organisation_id)?.name ?? null,
  });
  const logInteraction = (input: LogInteractionInput): Interaction => {
    const worksAt = input.contact_id ? state.contacts.find((c) => c.id === input.contact_id)?.organisation_id : undefined;
    const usual = input.channel === "email" || input.channel === "letter" || input.channel === "chat" ? "written" : "oral";
    const logged = interaction({
      topic_id: input.topic_id,
      channel: input.channel,
      summary: input.summary,
      happened_at: input.happened_at ?? "2026-12-07T09:00:00Z",
      form: input.form ?? usual,
      contact_id: input.contact_id ?? null,
      organisation_id: input.organisation_id ?? worksAt ?? null,
      responsible_id: input.responsible_id ?? ME.id,
    });
    state.interactions.push(logged);
    return logged;
  };
  const directory: Colleagues = {
    users: [
      { ...ME, department_id: null, active: true },
      { ...BORIS, department_id: null, active: true },
    ],
    departments: [],
  };
  const row = (i: Interaction): InteractionRow => ({
    id: i.id,
    version: i.version,
    happened_at: i.happened_at,
    channel: i.channel,
    form: i.form,
    topic_id: i.topic_id,
    contact_id: i.contact_id,
    organisation_id: i.organisation_id,
    responsible_id: i.responsible_id,
    summary: i.summary,
    archived_at: i.archived_at,
    contact_name: state.contacts.find((c) => c.id === i.contact_id)?.full_name ?? null,
    organisation_name: state.organisations.find((o) => o.id === i.organisation_id)?.name ?? null,
  });
  const find = (id: string) => {
    const found = state.interactions.find((i) => i.id === id);
    if (!found) throw apiError("not_found");
    return found;
  };
  const change = (id: string, version: number, apply: (i: Interaction) => Partial<Interaction>) => {
    const found = find(id);
    if (found.version !== version) throw apiError("conflict");
    const changed = { ...found, ...apply(found), version: found.version + 1 };
    state.interactions = state.interactions.map((i) => (i.id === id ? changed : i));
    return changed;
  };
  const changeTopic = (id: string, version: number, apply: (t: InteractionTopic) => Partial<InteractionTopic>) => {
    const found = state.topics.find((t) => t.id === id);
    if (!found) throw apiError("not_found");
    if (found.version !== version) throw apiError("conflict");
    const changed = { ...found, ...apply(found), version: found.version + 1 };
    state.topics = state.topics.map((t) => (t.id === id ? changed : t));
    return changed;
  };
  const byName = () => [...state.topics].sort((a, b) => a.name.localeCompare(b.name));
  let topicSerial = 100;

  const fake = fakeTransport({
    ...files.handlers,
    "session.get": () => signedIn({ ...ME, permissions, sees_colleagues: seesColleagues }),
    "customers.list_organisations": () => emptyPage,
    "fields.list": () => ({ targets: [], link_targets: [], fields: [] }),
    "security.list_colleagues": () => directory,
    "history.record": () => ({ entries: [] }),
    "search.query": ({ text, entities }) => {
      const words = text.toLocaleLowerCase();
      const hits: SearchHit[] = [
        ...state.contacts.map((c): SearchHit => ({ entity: "contact", id: c.id, title: c.full_name, subtitle: c.role, archived: false })),
        ...state.organisations.map((o): SearchHit => ({ entity: "organisation", id: o.id, title: o.name, subtitle: o.city, archived: false })),
      ];
      return { hits: hits.filter((h) => (!entities || entities.includes(h.entity)) && h.title.toLocaleLowerCase().includes(words)) };
    },
    "search.titles": ({ ids }) => ({
      hits: [
        ...state.organisations.filter((o) => ids.includes(o.id)).map((o): SearchHit => ({ entity: "organisation", id: o.id, title: o.name, subtitle: null, archived: false })),
        ...state.contacts.filter((c) => ids.includes(c.id)).map((c): SearchHit => ({ entity: "contact", id: c.id, title: c.full_name, subtitle: null, archived: false })),
      ],
    }),
    "customers.get_contact": ({ id }) => {
      const found = state.contacts.find((c) => c.id === id);
      if (!found) throw apiError("not_found");
      return found;
    },
    "customers.get_organisation": ({ id }) => {
      const found = state.organisations.find((o) => o.id === id);
      if (!found) throw apiError("not_found");
      const people = state.contacts.filter((c) => c.organisation_id === id);
      return {
        organisation: found,
        contacts: people.map((c) => ({ id: c.id, organisation_id: c.organisation_id, full_name: c.full_name, role: c.role, email: c.email, phone: c.phone, custom: {} })),
        relations: [],
      };
    },
    "freshness.stale": () => ({ kinds: [], total: 0 }),
    "interactions.list_topics": ({ include_retired }) => ({ topics: byName().filter((t) => include_retired || t.archived_at === null) }),
    "interactions.define_topic": ({ name }) => {
      if (name.trim() === "") throw invalid("name", "required");
      if (state.topics.some((t) => t.archived_at === null && same(t.name, name))) throw invalid("name");
      topicSerial += 1;
      const added = topic({ id: `0198f000-0000-7000-8000-000000000${topicSerial}`, name: name.trim() });
      state.topics.push(added);
      return added;
    },
    "interactions.rename_topic": ({ id, version, name }) => {
      if (state.topics.some((t) => t.id !== id && t.archived_at === null && same(t.name, name))) throw invalid("name");
      return changeTopic(id, version, () => ({ name: name.trim() }));
    },
    "interactions.retire_topic": ({ id, version }) => changeTopic(id, version, () => ({ archived_at: "2026-12-07T09:00:00Z" })),
    "interactions.restore_topic": ({ id, version }) => changeTopic(id, version, () => ({ archived_at: null })),
    "interactions.log": (input) => (log ? log(input) : logInteraction(input)),
    "interactions.get": ({ id }) => find(id),
    "interactions.update": ({ id, version, changes }) =>
      change(id, version, () => Object.fromEntries(Object.entries(changes).filter(([key]) => key !== "custom")) as Partial<Interaction>),
    "interactions.archive": ({ id, version }) => change(id, version, () => ({ archived_at: "2026-12-07T09:00:00Z" })),
    "interactions.restore": ({ id, version }) => change(id, version, () => ({ archived_at: null })),
    "interactions.schedule": (input: ScheduleContactInput) => {
      if (schedule) return schedule(input);
      const made = scheduled({
        topic_id: input.topic_id,
        channel: input.channel,
        contact_id: input.contact_id ?? null,
        organisation_id: input.organisation_id ?? null,
        responsible_id: input.responsible_id ?? ME.id,
        note: input.note ?? null,
        time_zone: input.time_zone,
        recurrence: input.recurrence ?? null,
      });
      state.scheduled.push(made);
      return made;
    },
    "interactions.update_scheduled": (input: UpdateScheduledInput) =>
      changeScheduled(input.id, input.version, () => ({ topic_id: input.topic_id, channel: input.channel, recurrence: input.recurrence ?? null, time_zone: input.time_zone })),
    "interactions.get_scheduled": ({ id }) => findScheduled(id),
    "interactions.complete_scheduled": ({ id, version, summary: text }) => {
      const done = changeScheduled(id, version, () => ({ due_at: null, remind_at: null }));
      const logged = interaction({ summary: text, contact_id: done.contact_id, organisation_id: done.organisation_id, topic_id: done.topic_id, channel: done.channel });
      state.interactions.push(logged);
      return { interaction: logged, scheduled: done };
    },
    "interactions.snooze_reminder": ({ id, version }) => changeScheduled(id, version, () => ({ remind_at: "2026-12-08T09:55:00Z" })),
    "interactions.skip_occurrence": ({ id, version }) => changeScheduled(id, version, () => ({ due_at: null, remind_at: null })),
    "interactions.cancel_scheduled": ({ id, version }) => changeScheduled(id, version, () => ({ archived_at: "2026-12-07T09:00:00Z" })),
    "interactions.list_occurrences": () => ({ items: occurrences }),
    "interactions.list_scheduled": (input: ListScheduledInput) => ({
      items: state.scheduled
        .filter((s) => (!input.contact_id || s.contact_id === input.contact_id) && (!input.organisation_id || s.organisation_id === input.organisation_id))
        .map(summary),
    }),
    "interactions.move_occurrence": (input: MoveOccurrenceInput) =>
      move ? move(input) : { series: findScheduled(input.id), moved: findScheduled(input.id) },
    "interactions.export_calendar": ({ path }: ExportCalendarInput) => ({ path, events: 12 }),
    "settings.choose_save_file": () => ({ path: savePath, name: savePath === null ? null : (savePath.split("/").pop() ?? null) }),
    "interactions.list": (input: ListInteractionsInput) => {
      if (input.from && input.to && input.from >= input.to) throw invalid("to");
      const words = (input.text ?? "").toLocaleLowerCase().split(/\s+/).filter(Boolean);
      const all = state.interactions
        .filter((i) => (input.archived ? i.archived_at !== null : i.archived_at === null))
        .filter((i) => !input.organisation_id || i.organisation_id === input.organisation_id)
        .filter((i) => !input.contact_id || i.contact_id === input.contact_id)
        .filter((i) => !input.responsible_id || i.responsible_id === input.responsible_id)
        .filter((i) => !input.channel || i.channel === input.channel)
        .filter((i) => !input.topic_id || i.topic_id === input.topic_id)
        .filter((i) => !input.from || i.happened_at >= input.from)
        .filter((i) => !input.to || i.happened_at < input.to)
        .filter((i) => words.every((w) => i.summary.toLocaleLowerCase().includes(w)))
        .sort((a, b) => b.happened_at.localeCompare(a.happened_at));
      const limit = input.limit ?? 50;
      const start = input.after ? Number(input.after.slice(2)) + 1 : 0;
      const items = all.slice(start, start + limit).map(row);
      const end = start + items.length;
      return { items, next_cursor: end < all.length ? `c-${end - 1}` : null, prev_cursor: start > 0 ? `c-${start}` : null };
    },
  });
  return Object.assign(fake, { state, directory, files: files.state });
}

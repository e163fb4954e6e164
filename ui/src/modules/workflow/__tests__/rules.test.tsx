import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Transport } from "../../../api/client";
import type { ApiError, DefineRuleInput, Permission, QueuedEmail, RuleFiring, RuleKind, RuleRow, UpdateRuleInput, WorkflowRule } from "../../../api/generated";
import { App } from "../../../app/App";
import { i18n } from "../../../i18n";
import { formatDateTime } from "../../../shared/format";
import { apiError } from "../../../test/fakeTransport";
import { ANNA_C, BORIS, DELIVERY, DESK, interactionsCore, ME } from "../../../test/fakeInteractions";
import { ruleDefinition, ruleDraft } from "../model";

const READER: Permission[] = [...DESK, "workflow.read"];
const MANAGER: Permission[] = [...READER, "workflow.manage"];
const NOW = new Date("2026-12-07T09:20:00Z");

const CONTACTS: RuleKind = {
  table: "contacts",
  label: "contact",
  fields: [
    { field: "role", label: null, type: "text" },
    { field: "owner_id", label: null, type: "reference", table: "users" },
    { field: "created_at", label: null, type: "date" },
    { field: "custom.level", label: "Level", type: "choice", values: ["gold", "silver"] },
    { field: "custom.birthday", label: "Birthday", type: "date" },
    { field: "custom.contract_end", label: "Contract end", type: "date" },
  ],
};
const KINDS: RuleKind[] = [
  { table: "organisations", label: "organisation", fields: [{ field: "kind", label: null, type: "choice", values: ["customer", "prospect"] }] },
  CONTACTS,
  { table: "interactions", label: "interaction", fields: [] },
  { table: "tasks", label: "task", fields: [] },
];

let serial = 0;

function rule(overrides: Partial<RuleRow> & Pick<RuleRow, "name" | "trigger" | "action">): RuleRow {
  serial += 1;
  return {
    id: `0198f200-0000-7000-8000-${String(serial).padStart(12, "0")}`,
    record_table: "contacts",
    condition: null,
    version: 2,
    created_at: "2026-12-01T09:00:00Z",
    updated_at: "2026-12-01T09:00:00Z",
    created_by: ME.id,
    updated_by: ME.id,
    archived_at: null,
    owner_id: ME.id,
    department_id: null,
    fired: 0,
    last_fired_at: null,
    ...overrides,
  };
}

const CALL_BACK = { type: "create_task", title: "Call {record}", responsible: { type: "record_owner" }, deadline_days: 3 } as const;

const NEW_CONTACT = rule({ name: "Welcome call", trigger: { type: "created" }, action: CALL_BACK, fired: 12, last_fired_at: "2026-12-06T14:00:00Z" });
const DIRECTOR = rule({
  name: "Directors to Boris",
  trigger: { type: "changed", field: "role" },
  condition: { type: "condition", field: "role", op: "is", value: "Director" },
  action: { type: "notify", recipients: [BORIS.id], message: "{record} is a director now" },
});
const RENEWAL = rule({
  name: "Renewal",
  trigger: { type: "date_reached", field: "custom.contract_end", days: -30 },
  condition: { type: "condition", field: "custom.level", op: "is", value: "gold" },
  action: { type: "email", to: "{email}", subject: "Your contract", body: "It ends soon." },
});
const BIRTHDAY = rule({
  name: "Birthday",
  trigger: { type: "date_reached", field: "custom.birthday", days: 0, yearly: true },
  action: {
    type: "schedule_contact",
    topic_id: DELIVERY.id,
    channel: "phone",
    responsible: { type: "person", id: BORIS.id },
    days: 1,
    at: "10:00:00",
    time_zone: "Europe/Moscow",
  },
});
const OLD = rule({ name: "Old one", trigger: { type: "created" }, action: CALL_BACK, archived_at: "2026-11-01T09:00:00Z", record_table: "organisations" });
const GONE_QUIET = rule({ name: "Gone quiet", record_table: "organisations", trigger: { type: "quiet", days: 30 }, action: CALL_BACK });
const CHECK_IN = rule({
  name: "Check in",
  trigger: { type: "quiet", days: 21 },
  condition: { type: "condition", field: "custom.level", op: "is", value: "gold" },
  action: { type: "notify", recipients: [BORIS.id], message: "{record} has gone quiet" },
});

type Options = { permissions?: Permission[]; rules?: RuleRow[]; refuse?: ApiError; firings?: RuleFiring[]; outbox?: QueuedEmail[] };

/** The interactions' fake core with workflow rules besides. */
function renderApp({ permissions = MANAGER, rules = [NEW_CONTACT, DIRECTOR, RENEWAL, BIRTHDAY, OLD, GONE_QUIET, CHECK_IN], refuse, firings = [], outbox = [] }: Options = {}) {
  const core = interactionsCore({ permissions });
  const state = { rules: [...rules] };
  const calls: { op: string; input: unknown }[] = [];
  const stored = (id: string, version: number, definition: DefineRuleInput["rule"], before?: RuleRow): WorkflowRule => ({
    ...(before ?? rule({ name: "", trigger: { type: "created" }, action: CALL_BACK })),
    id,
    version,
    name: definition.name,
    record_table: definition.record_table,
    trigger: definition.trigger,
    condition: definition.condition ?? null,
    action: definition.action,
  });
  const change = (id: string, version: number, apply: (r: RuleRow) => Partial<RuleRow>) => {
    const found = state.rules.find((r) => r.id === id);
    if (!found) throw apiError("not_found");
    if (found.version !== version) throw apiError("conflict");
    const changed = { ...found, ...apply(found), version: found.version + 1 };
    state.rules = state.rules.map((r) => (r.id === id ? changed : r));
    return changed;
  };
  const handlers: Record<string, (input: never) => unknown> = {
    "workflow.list": ({ with_switched_off }: { with_switched_off?: boolean }) => ({
      rules: state.rules.filter((r) => with_switched_off || r.archived_at === null),
      kinds: KINDS,
    }),
    "workflow.define": ({ rule: definition }: DefineRuleInput) => {
      if (refuse) throw refuse;
      const made = stored("0198f200-0000-7000-8000-0000000000ff", 1, definition);
      state.rules.push({ ...made, fired: 0, last_fired_at: null });
      return made;
    },
    "workflow.update": ({ id, version, rule: definition }: UpdateRuleInput) => {
      if (refuse) throw refuse;
      return change(id, version, (before) => stored(id, version, definition, before));
    },
    "workflow.switch_off": ({ id, version }: { id: string; version: number }) => change(id, version, () => ({ archived_at: NOW.toISOString() })),
    "workflow.switch_on": ({ id, version }: { id: string; version: number }) => change(id, version, () => ({ archived_at: null })),
    "workflow.list_firings": () => ({ firings }),
    "workflow.list_outbox": () => ({ emails: outbox }),
  };
  const transport: Transport = async (op, input) => {
    const handler = handlers[op] as ((input: unknown) => unknown) | undefined;
    if (!handler) return core.transport(op, input);
    calls.push({ op, input });
    return handler(input);
  };
  render(<App transport={transport} initialRoute={{ screen: "admin" }} />);
  return { state, callsOf: (op: string) => calls.filter((c) => c.op === op).map((c) => c.input) };
}

const row = (name: string) => screen.getAllByTestId("rule-row").find((r) => within(r).getByTestId("rule-row-name").textContent === name)!;

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(NOW);
});

afterEach(() => {
  vi.useRealTimers();
});

describe("the workflow rules tab", () => {
  it("describes each rule's trigger and action in words, with how often it fired", async () => {
    renderApp();
    expect(await screen.findByTestId("admin-tab-workflow")).toHaveTextContent("Workflow rules");
    await screen.findAllByTestId("rule-row");

    expect(within(row("Welcome call")).getByTestId("rule-row-when")).toHaveTextContent("A contact is created");
    expect(within(row("Directors to Boris")).getByTestId("rule-row-when")).toHaveTextContent("Role of a contact is set to Director");
    expect(within(row("Renewal")).getByTestId("rule-row-when")).toHaveTextContent("30 days before Contract end");
    // The condition beside the trigger is said apart, by its field's label and its choice.
    expect(within(row("Renewal")).getByTestId("rule-row-when")).toHaveTextContent("Only if Level is gold");
    expect(within(row("Birthday")).getByTestId("rule-row-when")).toHaveTextContent("Every year on Birthday");
    // A quiet spell, for the kind of customer the rule listens to.
    expect(within(row("Gone quiet")).getByTestId("rule-row-when")).toHaveTextContent(/^No activity with an organisation for 30 days$/);
    expect(within(row("Check in")).getByTestId("rule-row-when")).toHaveTextContent("No activity with a contact for 21 days");

    expect(within(row("Welcome call")).getByTestId("rule-row-then")).toHaveTextContent("Give the task “Call {record}” to the record's owner, due in 3 days");
    expect(within(row("Directors to Boris")).getByTestId("rule-row-then")).toHaveTextContent("Notify Boris Ivanov: “{record} is a director now”");
    expect(within(row("Renewal")).getByTestId("rule-row-then")).toHaveTextContent("Queue an email to {email}: “Your contract”");
    await waitFor(() =>
      expect(within(row("Birthday")).getByTestId("rule-row-then")).toHaveTextContent("Schedule a contact (Phone, Delivery) for Boris Ivanov in 1 day at 10:00"),
    );

    const fired = within(row("Welcome call")).getByTestId("rule-row-fired");
    expect(fired).toHaveTextContent("12 times");
    expect(fired).toHaveTextContent(`Last: ${formatDateTime("2026-12-06T14:00:00Z", "en")}`);
    expect(within(row("Renewal")).getByTestId("rule-row-fired")).toHaveTextContent("Never");
    // Switched-off rules only on request.
    expect(screen.queryByText("Old one")).toBeNull();
  });

  it("describes the triggers in Russian too, with the right plural", async () => {
    window.localStorage.setItem("accord.language", "ru");
    await i18n.changeLanguage("ru");
    renderApp({ rules: [NEW_CONTACT, RENEWAL, GONE_QUIET, CHECK_IN] });
    await screen.findAllByTestId("rule-row");
    expect(within(row("Welcome call")).getByTestId("rule-row-when")).toHaveTextContent("Создан контакт");
    expect(within(row("Renewal")).getByTestId("rule-row-when")).toHaveTextContent("За 30 дней до даты «Contract end»");
    // A quiet spell: 30 takes "дней", 21 takes "день".
    expect(within(row("Gone quiet")).getByTestId("rule-row-when")).toHaveTextContent(/^Нет активности по организации 30 дней$/);
    expect(within(row("Check in")).getByTestId("rule-row-when")).toHaveTextContent(/^Нет активности по контакту 21 день/);

    // And in Persian, with Persian digits.
    await i18n.changeLanguage("fa");
    await waitFor(() => expect(within(row("Gone quiet")).getByTestId("rule-row-when")).toHaveTextContent(/^۳۰ روز بدون هیچ فعالیتی با سازمان$/));
  });

  it("shows switched-off rules on request and switches one on, or off, at the version listed", async () => {
    const user = userEvent.setup();
    const core = renderApp();
    await screen.findAllByTestId("rule-row");
    await user.click(screen.getByTestId("rules-show-switched-off"));
    await waitFor(() => expect(row("Old one")).toBeDefined());
    expect(within(row("Old one")).getByTestId("rule-row-off")).toHaveTextContent("Switched off");
    // An organisation's rule on a kind with a field of its own.
    expect(within(row("Old one")).getByTestId("rule-row-when")).toHaveTextContent("An organisation is created");
    await user.click(within(row("Old one")).getByTestId("rule-switch-on"));
    await waitFor(() => expect(core.callsOf("workflow.switch_on")).toEqual([{ id: OLD.id, version: 2 }]));
    expect(await screen.findByTestId("rules-notice")).toHaveTextContent("Switched on again: Old one.");

    await user.click(within(row("Welcome call")).getByTestId("rule-switch-off"));
    await waitFor(() => expect(core.callsOf("workflow.switch_off")).toEqual([{ id: NEW_CONTACT.id, version: 2 }]));
  });

  it("shows what a rule did", async () => {
    const user = userEvent.setup();
    const firing: RuleFiring = {
      id: "0198f300-0000-7000-8000-000000000001",
      rule_id: NEW_CONTACT.id,
      record_table: "contacts",
      record_id: "0198c000-0000-7000-8000-000000000001",
      event_key: "created",
      fired_at: "2026-12-06T14:00:00Z",
      outcome_table: "tasks",
      outcome_id: "0198f100-0000-7000-8000-000000000001",
      version: 1,
      created_at: "2026-12-06T14:00:00Z",
      updated_at: "2026-12-06T14:00:00Z",
      created_by: ME.id,
      updated_by: ME.id,
      archived_at: null,
      owner_id: null,
      department_id: null,
    };
    const core = renderApp({ firings: [firing, { ...firing, id: "0198f300-0000-7000-8000-000000000002", outcome_table: null, outcome_id: null }] });
    await screen.findAllByTestId("rule-row");
    await user.click(within(row("Welcome call")).getByTestId("rule-firings"));
    const dialog = await screen.findByTestId("rule-firings-dialog");
    expect(core.callsOf("workflow.list_firings")).toEqual([{ rule_id: NEW_CONTACT.id }]);
    const rows = await within(dialog).findAllByTestId("rule-firing");
    await waitFor(() => expect(rows[0]).toHaveTextContent("Anna Ivanova"));
    expect(rows[0]).toHaveTextContent("Gave a task");
    expect(rows[1]).toHaveTextContent("Could not act");
  });

  it("lets who may only read rules see them, not change them", async () => {
    renderApp({ permissions: READER });
    await screen.findAllByTestId("rule-row");
    expect(screen.queryByTestId("rule-new")).toBeNull();
    expect(screen.queryByTestId("rule-edit")).toBeNull();
    expect(screen.queryByTestId("rule-switch-off")).toBeNull();
    expect(screen.getAllByTestId("rule-firings").length).toBeGreaterThan(0);
  });

  it("is no tab for who may not read rules", async () => {
    renderApp({ permissions: [...DESK, "interactions.manage_topics"] });
    await screen.findByTestId("admin-tab-topics");
    expect(screen.queryByTestId("admin-tab-workflow")).toBeNull();
  });
});

describe("the outbox", () => {
  function email(overrides: Partial<QueuedEmail> & Pick<QueuedEmail, "id">): QueuedEmail {
    return {
      to_address: "anna@example.com",
      subject: "Your contract",
      body: "It ends soon.",
      status: "queued",
      about_table: "contacts",
      about_id: ANNA_C.id,
      rule_id: RENEWAL.id,
      version: 1,
      created_at: "2026-12-06T15:30:00Z",
      updated_at: "2026-12-06T15:30:00Z",
      created_by: ME.id,
      updated_by: ME.id,
      archived_at: null,
      owner_id: null,
      department_id: null,
      ...overrides,
    };
  }
  const LONG_BODY = ["Dear Anna,", "your contract ends on 6 January.", "Shall we renew it?", "Best regards,", "Boris"].join("\n");
  const RENEWAL_EMAIL = email({ id: "0198f400-0000-7000-8000-000000000001", body: LONG_BODY });
  const OLD_EMAIL = email({
    id: "0198f400-0000-7000-8000-000000000002",
    to_address: "office@acme.example",
    subject: "Welcome",
    body: null,
    rule_id: OLD.id,
    about_table: "organisations",
    about_id: "0198a000-0000-7000-8000-0000000000ff",
    created_at: "2026-11-01T08:00:00Z",
  });

  const outboxRows = () => within(screen.getByTestId("outbox")).getAllByTestId("outbox-row");

  it("lists the queued emails: when, to whom, what, which rule queued them and about what record", async () => {
    const user = userEvent.setup();
    const core = renderApp({ outbox: [RENEWAL_EMAIL, OLD_EMAIL] });
    const open = await screen.findByTestId("outbox-open");
    await waitFor(() => expect(open).toHaveTextContent("Queued emails (2)"));
    await user.click(open);
    const outbox = await screen.findByTestId("outbox");
    expect(outbox).toHaveTextContent("wait here until the mail integration, coming in a later version, sends them");
    // The rules' list and toolbar make way for it.
    expect(screen.queryByTestId("rules-list")).toBeNull();
    expect(open).toHaveAttribute("aria-pressed", "true");
    expect(core.callsOf("workflow.list_outbox")[0]).toEqual({});

    const [first, second] = outboxRows();
    expect(within(first).getByTestId("outbox-row-queued")).toHaveTextContent(formatDateTime("2026-12-06T15:30:00Z", "en"));
    expect(within(first).getByTestId("outbox-row-to")).toHaveTextContent("anna@example.com");
    expect(within(first).getByTestId("outbox-row-to")).toHaveAttribute("dir", "ltr");
    expect(within(first).getByTestId("outbox-row-subject")).toHaveTextContent("Your contract");
    expect(within(first).getByTestId("outbox-row-subject")).toHaveAttribute("dir", "auto");
    expect(within(first).getByTestId("outbox-row-status")).toHaveTextContent("Waiting to be sent");
    await waitFor(() => expect(within(first).getByTestId("outbox-row-rule")).toHaveTextContent("Renewal"));
    await waitFor(() => expect(within(first).getByTestId("outbox-row-about")).toHaveTextContent("Contact Anna Ivanova"));
    // A customer's name opens its card.
    expect(within(first).getByTestId("outbox-record-open")).toHaveAccessibleName("Open Anna Ivanova");

    // A switched-off rule is still named; a record one cannot read is named by its kind and id.
    await waitFor(() => expect(within(second).getByTestId("outbox-row-rule")).toHaveTextContent("Old one Switched off"));
    expect(within(second).queryByTestId("outbox-rule-open")).toBeNull();
    expect(within(second).getByTestId("outbox-row-about")).toHaveTextContent("Organisation 000000ff");
    expect(second).toHaveTextContent("No text");
  });

  it("shows the first lines of a body and all of it on request", async () => {
    const user = userEvent.setup();
    renderApp({ outbox: [RENEWAL_EMAIL] });
    await user.click(await screen.findByTestId("outbox-open"));
    const [row] = await within(await screen.findByTestId("outbox")).findAllByTestId("outbox-row");
    const body = within(row).getByTestId("outbox-row-body");
    expect(body).toHaveAttribute("dir", "auto");
    expect(body).toHaveTextContent("Shall we renew it?…");
    expect(body).not.toHaveTextContent("Best regards");
    const toggle = within(row).getByTestId("outbox-row-body-toggle");
    expect(toggle).toHaveAttribute("aria-expanded", "false");
    await user.click(toggle);
    expect(body.textContent).toBe(LONG_BODY);
    expect(toggle).toHaveAttribute("aria-expanded", "true");
    await user.click(toggle);
    expect(body).not.toHaveTextContent("Best regards");
  });

  it("says when no emails are waiting", async () => {
    const user = userEvent.setup();
    renderApp({ outbox: [] });
    const open = await screen.findByTestId("outbox-open");
    await waitFor(() => expect(open).toHaveTextContent("Queued emails (0)"));
    await user.click(open);
    expect(await screen.findByTestId("outbox-empty")).toHaveTextContent("No emails are waiting.");
    expect(screen.queryByTestId("outbox-row")).toBeNull();
    // Back to the rules.
    await user.click(screen.getByTestId("rules-view-rules"));
    expect(await screen.findByTestId("rules-list")).toBeInTheDocument();
    expect(screen.queryByTestId("outbox")).toBeNull();
  });

  it("opens the rule that queued an email in the editor for who may change rules", async () => {
    const user = userEvent.setup();
    renderApp({ outbox: [RENEWAL_EMAIL] });
    await user.click(await screen.findByTestId("outbox-open"));
    const [row] = await within(await screen.findByTestId("outbox")).findAllByTestId("outbox-row");
    await user.click(await within(row).findByTestId("outbox-rule-open"));
    await screen.findByTestId("rule-editor");
    expect(screen.getByTestId("rule-name")).toHaveValue("Renewal");
    expect(screen.getByTestId("rule-then-email")).toBeChecked();
  });

  it("names the rule without opening it for who may only read rules", async () => {
    const user = userEvent.setup();
    renderApp({ permissions: READER, outbox: [RENEWAL_EMAIL] });
    await user.click(await screen.findByTestId("outbox-open"));
    const [row] = await within(await screen.findByTestId("outbox")).findAllByTestId("outbox-row");
    await waitFor(() => expect(within(row).getByTestId("outbox-row-rule")).toHaveTextContent("Renewal"));
    expect(within(row).queryByTestId("outbox-rule-open")).toBeNull();
  });

  it("reads right to left in Persian, with Persian digits", async () => {
    window.localStorage.setItem("accord.language", "fa");
    await i18n.changeLanguage("fa");
    const user = userEvent.setup();
    renderApp({ outbox: [RENEWAL_EMAIL, OLD_EMAIL] });
    const open = await screen.findByTestId("outbox-open");
    await waitFor(() => expect(open).toHaveTextContent("ایمیل‌های در صف (۲)"));
    await user.click(open);
    const outbox = await screen.findByTestId("outbox");
    expect(document.documentElement).toHaveAttribute("dir", "rtl");
    expect(outbox).toHaveTextContent("ایمیل‌هایی که قاعده‌ها در صف می‌گذارند");
    const [row] = outboxRows();
    const queued = within(row).getByTestId("outbox-row-queued");
    expect(queued).toHaveTextContent(formatDateTime("2026-12-06T15:30:00Z", "fa"));
    expect(queued.textContent).toMatch(/[۰-۹]/);
    expect(queued.textContent).not.toMatch(/[0-9]/);
    // The address still reads left to right.
    expect(within(row).getByTestId("outbox-row-to")).toHaveAttribute("dir", "ltr");
    expect(within(row).getByTestId("outbox-row-status")).toHaveTextContent("در انتظار ارسال");
  });

  it("is not offered to who may not read rules", async () => {
    renderApp({ permissions: [...DESK, "interactions.manage_topics"], outbox: [RENEWAL_EMAIL] });
    await screen.findByTestId("admin-tab-topics");
    expect(screen.queryByTestId("outbox-open")).toBeNull();
    expect(screen.queryByTestId("outbox")).toBeNull();
  });
});

describe("the rule editor", () => {
  type User = ReturnType<typeof userEvent.setup>;

  async function openNew(user: User) {
    await user.click(await screen.findByTestId("rule-new"));
    return screen.findByTestId("rule-editor");
  }

  it("builds a date rule, 30 days before a date field, that notifies people", async () => {
    const user = userEvent.setup();
    const core = renderApp();
    await openNew(user);
    await user.type(screen.getByTestId("rule-name"), "Contract ends soon");
    await user.selectOptions(screen.getByTestId("rule-kind"), "contacts");
    await user.click(screen.getByTestId("rule-when-date_reached"));
    // Only date fields are offered for a date rule, by their labels.
    const offered = [...screen.getByTestId("rule-field").querySelectorAll("option")].map((o) => o.textContent);
    expect(offered).toEqual(["Choose a field…", "Created", "Birthday", "Contract end"]);
    await user.selectOptions(screen.getByTestId("rule-field"), "custom.contract_end");
    expect(screen.getByTestId("rule-side-before")).toBeChecked();
    await user.clear(screen.getByTestId("rule-days"));
    await user.type(screen.getByTestId("rule-days"), "30");
    await user.click(screen.getByTestId("rule-then-notify"));
    // Nobody chosen: said before sending.
    // (Typed braces are doubled for user-event: "{{" types "{".)
    await user.type(screen.getByTestId("rule-message"), "{{record}: the contract ends on {{custom.contract_end}");
    await user.click(screen.getByTestId("rule-save"));
    expect(await screen.findByTestId("rule-error-action.recipients")).toHaveTextContent("Choose who is notified.");
    expect(core.callsOf("workflow.define")).toEqual([]);

    await user.click(screen.getByTestId(`rule-recipient-${BORIS.id}`));
    await user.keyboard("{Control>}{Enter}{/Control}");
    await waitFor(() => expect(core.callsOf("workflow.define")).toHaveLength(1));
    expect(core.callsOf("workflow.define")[0]).toEqual({
      rule: {
        name: "Contract ends soon",
        record_table: "contacts",
        trigger: { type: "date_reached", field: "custom.contract_end", days: -30 },
        action: { type: "notify", recipients: [BORIS.id], message: "{record}: the contract ends on {custom.contract_end}" },
      },
    });
    expect(await screen.findByTestId("rules-notice")).toHaveTextContent("Rule saved: Contract ends soon.");
  });

  it("builds “a field is set to a value, only if another holds one” as one condition the core takes", async () => {
    const user = userEvent.setup();
    const core = renderApp();
    await openNew(user);
    await user.type(screen.getByTestId("rule-name"), "Gold directors");
    await user.selectOptions(screen.getByTestId("rule-kind"), "contacts");
    await user.click(screen.getByTestId("rule-when-changed"));
    await user.selectOptions(screen.getByTestId("rule-field"), "role");
    await user.type(screen.getByTestId("rule-set-to"), "Director");
    await user.selectOptions(screen.getByTestId("rule-only-if-field"), "custom.level");
    await user.selectOptions(screen.getByTestId("rule-only-if-value"), "gold");
    await user.type(screen.getByTestId("rule-task-title"), "Meet {{record}");
    await user.selectOptions(screen.getByTestId("rule-responsible"), BORIS.id);
    await user.click(screen.getByTestId("rule-save"));
    await waitFor(() => expect(core.callsOf("workflow.define")).toHaveLength(1));
    expect(core.callsOf("workflow.define")[0]).toEqual({
      rule: {
        name: "Gold directors",
        record_table: "contacts",
        trigger: { type: "changed", field: "role" },
        condition: {
          type: "all",
          of: [
            { type: "condition", field: "role", op: "is", value: "Director" },
            { type: "condition", field: "custom.level", op: "is", value: "gold" },
          ],
        },
        action: { type: "create_task", title: "Meet {record}", responsible: { type: "person", id: BORIS.id }, deadline_days: 3 },
      },
    });
  });

  it("shows the core's loop refusal beside “Then”, naming the rules in the window's language", async () => {
    const user = userEvent.setup();
    const loop = apiError("invalid_input", {
      action: {
        code: "invalid_value",
        message: "This rule would trigger itself without end: “Task for every task” → “Welcome call” → back to the start. Change what it does or what it listens to.",
      },
    });
    const core = renderApp({ refuse: loop });
    await openNew(user);
    await user.type(screen.getByTestId("rule-name"), "Task for every task");
    await user.selectOptions(screen.getByTestId("rule-kind"), "tasks");
    // A kind without fields listens only to new records and takes no condition.
    expect(screen.queryByTestId("rule-when-changed")).toBeNull();
    expect(screen.queryByTestId("rule-only-if")).toBeNull();
    await user.type(screen.getByTestId("rule-task-title"), "Check {{record}");
    await user.click(screen.getByTestId("rule-save"));
    const error = await screen.findByTestId("rule-error-action");
    expect(error).toHaveTextContent("This rule would trigger itself without end: Task for every task → Welcome call → back to the start.");
    expect(screen.getByTestId("rule-then")).toHaveAttribute("aria-invalid", "true");
    expect(core.callsOf("workflow.define")).toHaveLength(1);
    // Still open, with what was typed.
    expect(screen.getByTestId("rule-name")).toHaveValue("Task for every task");

    await i18n.changeLanguage("ru");
    await waitFor(() => expect(screen.getByTestId("rule-error-action")).toHaveTextContent("Это правило запускало бы само себя без конца: Task for every task → Welcome call"));
  });

  it("opens a stored rule as the form and sends it back unchanged with its version", async () => {
    const user = userEvent.setup();
    const core = renderApp();
    await screen.findAllByTestId("rule-row");
    await user.click(within(row("Renewal")).getByTestId("rule-edit"));
    await screen.findByTestId("rule-editor");
    expect(screen.getByTestId("rule-when-date_reached")).toBeChecked();
    expect(screen.getByTestId("rule-field")).toHaveValue("custom.contract_end");
    expect(screen.getByTestId("rule-days")).toHaveValue("30");
    expect(screen.getByTestId("rule-only-if-field")).toHaveValue("custom.level");
    expect(screen.getByTestId("rule-then-email")).toBeChecked();
    await user.click(screen.getByTestId("rule-save"));
    await waitFor(() => expect(core.callsOf("workflow.update")).toHaveLength(1));
    expect(core.callsOf("workflow.update")[0]).toEqual({
      id: RENEWAL.id,
      version: 2,
      rule: { name: "Renewal", record_table: "contacts", trigger: RENEWAL.trigger, condition: RENEWAL.condition, action: RENEWAL.action },
    });
  });

  it("builds “nothing happens for 30 days” for organisations, its days checked before sending", async () => {
    const user = userEvent.setup();
    const core = renderApp();
    await openNew(user);
    await user.type(screen.getByTestId("rule-name"), "Quiet customers");
    await user.selectOptions(screen.getByTestId("rule-kind"), "organisations");
    await user.click(screen.getByTestId("rule-when-quiet"));
    expect(screen.getByTestId("rule-when-quiet")).toBeChecked();
    expect(screen.getByTestId("rule-editor")).toHaveTextContent("Nothing happens for a while");
    expect(screen.getByTestId("rule-editor")).toHaveTextContent("No interaction logged with the customer and no change to the record");
    // It names no field of the record.
    expect(screen.queryByTestId("rule-field")).toBeNull();
    expect(screen.queryByTestId("rule-days")).toBeNull();
    await user.type(screen.getByTestId("rule-task-title"), "Call {{record}");

    // No silence at all: said beside the days, nothing sent.
    await user.clear(screen.getByTestId("rule-quiet-days"));
    await user.type(screen.getByTestId("rule-quiet-days"), "0");
    await user.click(screen.getByTestId("rule-save"));
    expect(await screen.findByTestId("rule-error-trigger.days")).toHaveTextContent("Give a whole number of days");
    expect(screen.getByTestId("rule-quiet-days")).toHaveAttribute("aria-invalid", "true");
    expect(core.callsOf("workflow.define")).toEqual([]);

    await user.clear(screen.getByTestId("rule-quiet-days"));
    await user.type(screen.getByTestId("rule-quiet-days"), "30");
    await user.click(screen.getByTestId("rule-save"));
    await waitFor(() => expect(core.callsOf("workflow.define")).toHaveLength(1));
    expect(core.callsOf("workflow.define")[0]).toEqual({
      rule: {
        name: "Quiet customers",
        record_table: "organisations",
        trigger: { type: "quiet", days: 30 },
        action: { type: "create_task", title: "Call {record}", responsible: { type: "record_owner" }, deadline_days: 3 },
      },
    });
    await waitFor(() => expect(within(row("Quiet customers")).getByTestId("rule-row-when")).toHaveTextContent("No activity with an organisation for 30 days"));
  });

  it("offers “nothing happens” only for contacts and organisations", async () => {
    const user = userEvent.setup();
    renderApp();
    await openNew(user);
    await user.selectOptions(screen.getByTestId("rule-kind"), "contacts");
    await user.click(screen.getByTestId("rule-when-quiet"));
    await user.clear(screen.getByTestId("rule-quiet-days"));
    await user.type(screen.getByTestId("rule-quiet-days"), "45");
    // Between the two kinds of customer it stays as chosen.
    await user.selectOptions(screen.getByTestId("rule-kind"), "organisations");
    expect(screen.getByTestId("rule-when-quiet")).toBeChecked();
    expect(screen.getByTestId("rule-quiet-days")).toHaveValue("45");

    for (const other of ["tasks", "interactions"]) {
      await user.selectOptions(screen.getByTestId("rule-kind"), other);
      expect(screen.queryByTestId("rule-when-quiet"), other).toBeNull();
      expect(screen.getByTestId("rule-when-created"), other).toBeChecked();
      expect(screen.queryByTestId("rule-quiet-days"), other).toBeNull();
    }
    // Back on a customer it is offered again, not chosen.
    await user.selectOptions(screen.getByTestId("rule-kind"), "contacts");
    expect(screen.getByTestId("rule-when-quiet")).not.toBeChecked();
    expect(screen.getByTestId("rule-when-created")).toBeChecked();
  });

  it("shows the core's refusal of a quiet spell beside “When” and beside its days", async () => {
    const user = userEvent.setup();
    const refuse = apiError("invalid_input", {
      "trigger.type": { code: "invalid_value", message: "" },
      "trigger.days": { code: "invalid_value", message: "" },
    });
    const core = renderApp({ refuse });
    await openNew(user);
    await user.type(screen.getByTestId("rule-name"), "Quiet");
    await user.click(screen.getByTestId("rule-when-quiet"));
    await user.type(screen.getByTestId("rule-task-title"), "Call");
    await user.click(screen.getByTestId("rule-save"));
    expect(await screen.findByTestId("rule-error-trigger")).toHaveTextContent("Only rules on contacts and organisations can wait for a quiet spell");
    expect(screen.getByTestId("rule-when")).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByTestId("rule-error-trigger.days")).toHaveTextContent("Give a whole number of days");
    expect(core.callsOf("workflow.define")).toHaveLength(1);
    // Both said beside their controls, not again in the banner.
    expect(within(screen.getByTestId("rule-error")).queryByRole("listitem")).toBeNull();
  });

  it("opens a stored quiet rule as the form and sends it back unchanged", async () => {
    const user = userEvent.setup();
    const core = renderApp();
    await screen.findAllByTestId("rule-row");
    await user.click(within(row("Check in")).getByTestId("rule-edit"));
    await screen.findByTestId("rule-editor");
    expect(screen.getByTestId("rule-when-quiet")).toBeChecked();
    expect(screen.getByTestId("rule-quiet-days")).toHaveValue("21");
    expect(screen.getByTestId("rule-only-if-field")).toHaveValue("custom.level");
    await user.click(screen.getByTestId("rule-save"));
    await waitFor(() => expect(core.callsOf("workflow.update")).toHaveLength(1));
    expect(core.callsOf("workflow.update")[0]).toEqual({
      id: CHECK_IN.id,
      version: 2,
      rule: { name: "Check in", record_table: "contacts", trigger: { type: "quiet", days: 21 }, condition: CHECK_IN.condition, action: CHECK_IN.action },
    });
  });

  it("reads every kind of stored rule back into the same definition", () => {
    for (const stored of [NEW_CONTACT, DIRECTOR, RENEWAL, BIRTHDAY, OLD, GONE_QUIET, CHECK_IN]) {
      const kind = KINDS.find((k) => k.table === stored.record_table)!;
      const definition = ruleDefinition(ruleDraft(stored), kind.fields);
      expect(definition, stored.name).toEqual({
        name: stored.name,
        record_table: stored.record_table,
        trigger: stored.trigger,
        ...(stored.condition ? { condition: stored.condition } : {}),
        action: stored.action,
      });
    }
  });
});

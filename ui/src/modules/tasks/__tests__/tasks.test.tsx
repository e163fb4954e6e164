import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Transport } from "../../../api/client";
import type { ApiError, CreateTaskInput, ListTasksInput, OverdueTasks, Permission, TaskRow, TaskStatus } from "../../../api/generated";
import { App } from "../../../app/App";
import type { Route } from "../../../app/navigation";
import { i18n } from "../../../i18n";
import { formatDateTime } from "../../../shared/format";
import { apiError } from "../../../test/fakeTransport";
import { ACME, BORIS, DESK, interactionsCore, ME } from "../../../test/fakeInteractions";
import { allowedTaskActions, TASK_ACTIONS, type TaskAction } from "../access";

const OLGA = { id: "0198e000-0000-7000-8000-0000000000c3", display_name: "Olga Sidorova" };
const NAMES: Record<string, string> = { [ME.id]: ME.display_name, [BORIS.id]: BORIS.display_name, [OLGA.id]: OLGA.display_name };

/** Who works with tasks: the service desk's permissions and tasks'. */
const WORKER: Permission[] = [...DESK, "tasks.read", "tasks.write"];
const TASKS: Route = { screen: "tasks" };
const NOW = new Date("2026-12-07T09:20:00Z");

let serial = 0;

/** A task as `tasks.list` and `tasks.get` give it: mine, open, about Acme, due on 10 December, unless told. */
function task(overrides: Partial<TaskRow> = {}): TaskRow {
  serial += 1;
  const row: TaskRow = {
    id: `0198f100-0000-7000-8000-${String(serial).padStart(12, "0")}`,
    title: "Send the contract",
    description: null,
    responsible_id: ME.id,
    controller_id: null,
    deadline: "2026-12-10T15:00:00Z",
    status: "open",
    result: null,
    return_note: null,
    delegations: [],
    contact_id: null,
    organisation_id: ACME.id,
    about_table: null,
    about_id: null,
    rule_id: null,
    finished_at: null,
    version: 3,
    created_at: "2026-12-01T09:00:00Z",
    updated_at: "2026-12-01T09:00:00Z",
    created_by: ME.id,
    updated_by: ME.id,
    archived_at: null,
    owner_id: ME.id,
    department_id: null,
    responsible_name: "",
    controller_name: null,
    contact_name: null,
    organisation_name: "Acme Ltd",
    overdue: false,
    ...overrides,
  };
  return named(row);
}

/** The names the core adds, after the people changed. */
function named(row: TaskRow): TaskRow {
  return {
    ...row,
    responsible_name: NAMES[row.responsible_id] ?? "?",
    controller_name: row.controller_id ? (NAMES[row.controller_id] ?? "?") : null,
    overdue: row.status === "open" && new Date(row.deadline).getTime() < NOW.getTime(),
  };
}

type Options = { permissions?: Permission[]; seesColleagues?: boolean; tasks?: TaskRow[]; overdue?: OverdueTasks; refuseCreate?: ApiError };

/** The interactions' fake core with tasks besides: the tasks it holds change as the core would change them. */
function renderApp({ permissions = WORKER, seesColleagues = false, tasks = [], overdue, refuseCreate }: Options = {}, route: Route = TASKS) {
  const core = interactionsCore({ permissions, seesColleagues });
  core.directory.users.push({ ...OLGA, department_id: null, active: true });
  const state = { tasks: [...tasks] };
  const calls: { op: string; input: unknown }[] = [];
  const find = (id: string) => {
    const found = state.tasks.find((t) => t.id === id);
    if (!found) throw apiError("not_found");
    return found;
  };
  const change = (id: string, version: number, apply: (t: TaskRow) => Partial<TaskRow>) => {
    const found = find(id);
    if (found.version !== version) throw apiError("conflict");
    const changed = named({ ...found, ...apply(found), version: found.version + 1 });
    state.tasks = state.tasks.map((t) => (t.id === id ? changed : t));
    return changed;
  };
  const handlers: Record<string, (input: never) => unknown> = {
    "tasks.list": (input: ListTasksInput) => {
      const view = input.view ?? "mine";
      const progress = input.progress ?? "unfinished";
      const rows = state.tasks
        .filter((t) =>
          view === "mine"
            ? t.responsible_id === ME.id
            : view === "controlled"
              ? t.controller_id === ME.id
              : view === "delegated"
                ? t.responsible_id !== ME.id && (t.created_by === ME.id || t.delegations.some((d) => d.from_id === ME.id))
                : true,
        )
        .filter((t) => !input.responsible_id || t.responsible_id === input.responsible_id)
        .filter((t) => !input.customer_id || t.contact_id === input.customer_id || t.organisation_id === input.customer_id)
        .filter((t) =>
          progress === "unfinished"
            ? t.status === "open" || t.status === "submitted"
            : progress === "overdue"
              ? t.overdue
              : progress === "submitted"
                ? t.status === "submitted"
                : progress === "finished"
                  ? t.status === "done" || t.status === "cancelled"
                  : true,
        );
      return { tasks: rows, truncated: false };
    },
    "tasks.get": ({ id }: { id: string }) => find(id),
    "tasks.overdue": () => overdue ?? { by_person: [], by_department: [] },
    "tasks.create": (input: CreateTaskInput) => {
      if (refuseCreate) throw refuseCreate;
      const made = task({
        title: input.title,
        description: input.description ?? null,
        deadline: input.deadline,
        responsible_id: input.responsible_id ?? ME.id,
        controller_id: input.controller_id ?? null,
        contact_id: input.contact_id ?? null,
        organisation_id: input.organisation_id ?? null,
        version: 1,
      });
      state.tasks.push(made);
      return made;
    },
    "tasks.submit": ({ id, version, result }: { id: string; version: number; result: string }) =>
      change(id, version, (t) => ({ result, status: t.controller_id ? "submitted" : "done" })),
    "tasks.accept": ({ id, version }: { id: string; version: number }) => change(id, version, () => ({ status: "done" })),
    "tasks.return": ({ id, version, note, deadline }: { id: string; version: number; note: string; deadline?: string }) =>
      change(id, version, (t) => ({ status: "open", return_note: note, deadline: deadline ?? t.deadline })),
    "tasks.delegate": ({ id, version, to_id, note }: { id: string; version: number; to_id: string; note?: string }) =>
      change(id, version, (t) => ({
        responsible_id: to_id,
        delegations: [...t.delegations, { from_id: t.responsible_id, to_id, at: NOW.toISOString(), by_id: ME.id, note: note ?? null }],
      })),
    "tasks.cancel": ({ id, version }: { id: string; version: number }) => change(id, version, () => ({ status: "cancelled" })),
  };
  const transport: Transport = async (op, input) => {
    const handler = handlers[op] as ((input: unknown) => unknown) | undefined;
    if (!handler) return core.transport(op, input);
    calls.push({ op, input });
    return handler(input);
  };
  render(<App transport={transport} initialRoute={route} />);
  return { state, callsOf: (op: string) => calls.filter((c) => c.op === op).map((c) => c.input) };
}

type User = ReturnType<typeof userEvent.setup>;

async function openTask(user: User, row: TaskRow) {
  await user.click(await screen.findByTestId(`task-row-${row.id}`));
  return screen.findByTestId("task-panel");
}

/** The actions the panel offers, by name. */
function offered(): string[] {
  return within(screen.getByTestId("task-actions"))
    .queryAllByTestId(/^task-action-/)
    .map((button) => button.dataset.testid!.replace("task-action-", ""));
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(NOW);
});

afterEach(() => {
  vi.useRealTimers();
});

describe("what one may do with a task", () => {
  type Case = { name: string; status: TaskStatus; parts: Partial<TaskRow>; expected: TaskAction[] };
  // Olga gave each task unless told otherwise; the person at the window is Anna (ME).
  const cases: Case[] = [
    { name: "responsible, open", status: "open", parts: { responsible_id: ME.id, controller_id: BORIS.id }, expected: ["submit", "delegate"] },
    { name: "responsible, handed in", status: "submitted", parts: { responsible_id: ME.id, controller_id: BORIS.id }, expected: [] },
    { name: "controller, open", status: "open", parts: { responsible_id: BORIS.id, controller_id: ME.id }, expected: ["delegate", "edit", "cancel"] },
    { name: "controller, handed in", status: "submitted", parts: { responsible_id: BORIS.id, controller_id: ME.id }, expected: ["accept", "return", "edit", "cancel"] },
    { name: "author, open", status: "open", parts: { responsible_id: BORIS.id, created_by: ME.id }, expected: ["delegate", "edit", "cancel"] },
    { name: "author, handed in", status: "submitted", parts: { responsible_id: BORIS.id, controller_id: OLGA.id, created_by: ME.id }, expected: ["edit", "cancel"] },
    { name: "author and controller, done", status: "done", parts: { responsible_id: BORIS.id, controller_id: ME.id, created_by: ME.id }, expected: [] },
    { name: "someone else's", status: "open", parts: { responsible_id: BORIS.id, controller_id: OLGA.id }, expected: [] },
  ];

  it.each(cases)("follows the core's rules: $name", ({ status, parts, expected }) => {
    const row = task({ created_by: OLGA.id, status, ...parts });
    expect(allowedTaskActions(row, ME.id, true)).toEqual(expected);
    // Without the right to change tasks, nothing is offered whatever one's part.
    expect(allowedTaskActions(row, ME.id, false)).toEqual([]);
  });

  it("offers in the panel exactly what the person's part and the task's state allow", async () => {
    const user = userEvent.setup();
    const asResponsible = task({ title: "Mine, open", created_by: OLGA.id, controller_id: BORIS.id });
    const toCheck = task({ title: "To check", responsible_id: BORIS.id, controller_id: ME.id, created_by: OLGA.id, status: "submitted" });
    const colleagues = task({ title: "Boris's", responsible_id: BORIS.id, controller_id: OLGA.id, created_by: OLGA.id });
    const finished = task({ title: "Finished", responsible_id: BORIS.id, controller_id: ME.id, status: "done" });
    renderApp({ tasks: [asResponsible, toCheck, colleagues, finished], seesColleagues: true });

    await openTask(user, asResponsible);
    expect(offered()).toEqual(["submit", "delegate"]);
    await user.click(screen.getByTestId("task-panel-close"));

    await user.click(screen.getByTestId("tasks-view-controlled"));
    await openTask(user, toCheck);
    expect(offered()).toEqual(["accept", "return", "edit", "cancel"]);
    await user.click(screen.getByTestId("task-panel-close"));

    await user.click(screen.getByTestId("tasks-view-team"));
    await openTask(user, colleagues);
    expect(offered()).toEqual([]);
    await user.click(screen.getByTestId("task-panel-close"));

    await user.click(screen.getByTestId("tasks-progress-finished"));
    await openTask(user, finished);
    expect(screen.getByTestId("task-status")).toHaveTextContent("Done");
    expect(offered()).toEqual([]);
  });

  it("offers nothing to who may only read tasks", async () => {
    const user = userEvent.setup();
    const mine = task();
    renderApp({ permissions: [...DESK, "tasks.read"], tasks: [mine] });
    await openTask(user, mine);
    expect(offered()).toEqual([]);
    expect(screen.queryByTestId("task-new")).toBeNull();
    expect(TASK_ACTIONS).toHaveLength(6);
  });
});

describe("handing in, accepting and returning", () => {
  it("hands in the result with tasks.submit, at the version read, and says it went to the controller", async () => {
    const user = userEvent.setup();
    const mine = task({ controller_id: BORIS.id, created_by: BORIS.id });
    const core = renderApp({ tasks: [mine] });
    await openTask(user, mine);
    await user.click(screen.getByTestId("task-action-submit"));
    // Nothing written: asked for, not sent.
    await user.click(screen.getByTestId("task-form-send"));
    expect(await screen.findByTestId("task-error-result")).toHaveTextContent("Say what was done.");
    expect(core.callsOf("tasks.submit")).toEqual([]);

    await user.type(screen.getByTestId("task-result-input"), "Sent by courier, signed copy received.");
    await user.keyboard("{Control>}{Enter}{/Control}");
    await waitFor(() => expect(core.callsOf("tasks.submit")).toHaveLength(1));
    expect(core.callsOf("tasks.submit")[0]).toEqual({ id: mine.id, version: 3, result: "Sent by courier, signed copy received." });
    expect(await screen.findByTestId("task-notice")).toHaveTextContent("Result handed in to the controller: Send the contract.");
    expect(screen.queryByTestId("task-panel")).toBeNull();
    expect(core.state.tasks[0].status).toBe("submitted");
  });

  it("requires a note to return a result, and sends it with a new deadline when one is chosen", async () => {
    const user = userEvent.setup();
    const toCheck = task({ responsible_id: BORIS.id, controller_id: ME.id, created_by: ME.id, status: "submitted", result: "Done, I think." });
    const core = renderApp({ tasks: [toCheck] });
    await user.click(await screen.findByTestId("tasks-view-controlled"));
    await openTask(user, toCheck);
    expect(screen.getByTestId("task-result")).toHaveTextContent("Done, I think.");
    await user.click(screen.getByTestId("task-action-return"));
    await user.click(screen.getByTestId("task-form-send"));
    expect(await screen.findByTestId("task-error-note")).toHaveTextContent("Say what is missing");
    expect(screen.getByTestId("task-note-input")).toHaveAttribute("aria-invalid", "true");
    expect(core.callsOf("tasks.return")).toEqual([]);

    await user.type(screen.getByTestId("task-note-input"), "The signed copy is missing.");
    await user.type(screen.getByTestId("task-return-date"), "2026-12-14");
    await user.type(screen.getByTestId("task-return-time"), "12:30");
    await user.click(screen.getByTestId("task-form-send"));
    await waitFor(() => expect(core.callsOf("tasks.return")).toHaveLength(1));
    expect(core.callsOf("tasks.return")[0]).toEqual({
      id: toCheck.id,
      version: 3,
      note: "The signed copy is missing.",
      deadline: new Date(2026, 11, 14, 12, 30).toISOString(),
    });
    expect(await screen.findByTestId("task-notice")).toHaveTextContent("Returned to the person responsible: Send the contract.");
  });

  it("accepts a result with one click", async () => {
    const user = userEvent.setup();
    const toCheck = task({ responsible_id: BORIS.id, controller_id: ME.id, status: "submitted" });
    const core = renderApp({ tasks: [toCheck] });
    await user.click(await screen.findByTestId("tasks-view-controlled"));
    await openTask(user, toCheck);
    await user.click(screen.getByTestId("task-action-accept"));
    await waitFor(() => expect(core.callsOf("tasks.accept")).toEqual([{ id: toCheck.id, version: 3 }]));
    expect(await screen.findByTestId("task-notice")).toHaveTextContent("Result accepted");
  });

  it("hands a task on to a colleague with a note, and shows the chain as a timeline", async () => {
    const user = userEvent.setup();
    const mine = task({ controller_id: OLGA.id, created_by: OLGA.id });
    const core = renderApp({ tasks: [mine] });
    await openTask(user, mine);
    await user.click(screen.getByTestId("task-action-delegate"));
    // Neither the person responsible now nor the controller is offered.
    const options = [...screen.getByTestId("task-delegate-to").querySelectorAll("option")].map((o) => o.value);
    expect(options).toEqual(["", BORIS.id]);
    await user.click(screen.getByTestId("task-form-send"));
    expect(await screen.findByTestId("task-error-to_id")).toHaveTextContent("Choose whom to hand it on to.");
    await user.selectOptions(screen.getByTestId("task-delegate-to"), BORIS.id);
    await user.type(screen.getByTestId("task-note-input"), "You know them better");
    await user.click(screen.getByTestId("task-form-send"));
    await waitFor(() => expect(core.callsOf("tasks.delegate")).toEqual([{ id: mine.id, version: 3, to_id: BORIS.id, note: "You know them better" }]));
    expect(await screen.findByTestId("task-notice")).toHaveTextContent("Handed on to Boris Ivanov: Send the contract.");

    // Handed on: it is in "Handed on", with who handed it to whom, when, and why.
    await user.click(screen.getByTestId("tasks-view-delegated"));
    await openTask(user, core.state.tasks[0]);
    expect(screen.getByTestId("task-chain-link")).toHaveTextContent(`Anna Petrova → Boris Ivanov, ${formatDateTime(NOW, "en")}: You know them better`);
  });

  it("cancels a task after asking", async () => {
    const user = userEvent.setup();
    const given = task({ responsible_id: BORIS.id, created_by: ME.id });
    const core = renderApp({ tasks: [given] });
    await user.click(await screen.findByTestId("tasks-view-delegated"));
    await openTask(user, given);
    await user.click(screen.getByTestId("task-action-cancel"));
    await user.click(await screen.findByTestId("task-cancel-ok"));
    await waitFor(() => expect(core.callsOf("tasks.cancel")).toEqual([{ id: given.id, version: 3 }]));
  });
});

describe("the tasks screen", () => {
  it("lists one's tasks with the customer, who does it, the deadline (overdue said in words) and the state; Enter opens one", async () => {
    const user = userEvent.setup();
    const late = task({ title: "Call back", deadline: "2026-12-05T09:00:00Z" });
    const soon = task({ title: "Send the offer" });
    renderApp({ tasks: [late, soon] });
    const lateRow = await screen.findByTestId(`task-row-${late.id}`);
    expect(lateRow).toHaveTextContent("Call back");
    expect(lateRow).toHaveTextContent("Acme Ltd");
    expect(lateRow).toHaveTextContent("Anna Petrova");
    expect(within(lateRow).getByTestId("task-row-deadline")).toHaveTextContent(`${formatDateTime(late.deadline, "en")} Overdue`);
    expect(within(lateRow).getByTestId("task-row-status")).toHaveTextContent("Open");
    const soonRow = screen.getByTestId(`task-row-${soon.id}`);
    expect(soonRow).not.toHaveTextContent("Overdue");

    soonRow.focus();
    await user.keyboard("{Enter}");
    expect(await screen.findByTestId("task-panel")).toHaveTextContent("Send the offer");
    expect(screen.getByTestId("task-deadline")).not.toHaveTextContent("Overdue");
  });

  it("offers the team's list and its overdue summary only to who sees colleagues' records", async () => {
    const user = userEvent.setup();
    const overdue: OverdueTasks = {
      by_person: [{ id: BORIS.id, name: "Boris Ivanov", open: 4, overdue: 2 }],
      by_department: [{ id: null, name: "", open: 4, overdue: 2 }],
    };
    const borisTask = task({ responsible_id: BORIS.id, title: "Boris's task" });
    const core = renderApp({ seesColleagues: true, overdue, tasks: [borisTask, task({ title: "Mine" })] });
    await user.click(await screen.findByTestId("tasks-view-team"));
    const people = await screen.findByTestId("tasks-overdue-people");
    expect(within(people).getByTestId("tasks-overdue-person")).toHaveTextContent("Boris Ivanov42");
    expect(screen.getByTestId("tasks-overdue-departments")).toHaveTextContent("No department42");
    // A person chosen narrows the team's list to theirs.
    await user.click(within(people).getByRole("button", { name: "Show only Boris Ivanov's tasks" }));
    await waitFor(() => expect(core.callsOf("tasks.list").at(-1)).toEqual({ view: "team", progress: "unfinished", responsible_id: BORIS.id }));
  });

  it("has no team view for who sees only their own records", async () => {
    renderApp({ seesColleagues: false });
    await screen.findByTestId("tasks-view-mine");
    expect(screen.queryByTestId("tasks-view-team")).toBeNull();
  });

  it("gives a new task with Ctrl+Shift+T from anywhere: due at the time chosen, to a colleague, about a customer", async () => {
    const user = userEvent.setup();
    const core = renderApp({}, { screen: "customers", view: { kind: "list" } });
    await screen.findByTestId("nav-tasks");
    await user.keyboard("{Control>}{Shift>}T{/Shift}{/Control}");
    await screen.findByTestId("task-dialog");
    expect(screen.getByTestId("task-title")).toHaveFocus();
    // Nothing typed: what is missing is said before anything is sent.
    await user.keyboard("{Control>}{Enter}{/Control}");
    expect(await screen.findByTestId("task-error-title")).toHaveTextContent("Say what is to be done.");
    expect(core.callsOf("tasks.create")).toEqual([]);

    await user.type(screen.getByTestId("task-title"), "Prepare the offer");
    await user.clear(screen.getByTestId("task-date"));
    await user.type(screen.getByTestId("task-date"), "2026-12-09");
    await user.clear(screen.getByTestId("task-time"));
    await user.type(screen.getByTestId("task-time"), "16:00");
    await user.selectOptions(screen.getByTestId("task-responsible"), BORIS.id);
    await user.selectOptions(screen.getByTestId("task-controller"), ME.id);
    await user.click(screen.getByTestId("interaction-with"));
    await user.keyboard("acme");
    await waitFor(() => expect(screen.getAllByTestId("interaction-with-option")[0]).toHaveTextContent("Acme Ltd"));
    await user.keyboard("{Enter}");
    await user.keyboard("{Control>}{Enter}{/Control}");
    await waitFor(() => expect(core.callsOf("tasks.create")).toHaveLength(1));
    expect(core.callsOf("tasks.create")[0]).toEqual({
      title: "Prepare the offer",
      deadline: new Date(2026, 11, 9, 16, 0).toISOString(),
      responsible_id: BORIS.id,
      controller_id: ME.id,
      organisation_id: ACME.id,
    });
    expect(await screen.findByTestId("task-notice")).toHaveTextContent("Task given: Prepare the offer.");
  });

  it("shows the core's refusal beside its field and keeps what was typed", async () => {
    const user = userEvent.setup();
    // The core finds the deadline passed (its clock is ahead of this one, say).
    const core = renderApp({ refuseCreate: apiError("invalid_input", { deadline: { code: "invalid_value", message: "passed" } }) });
    await user.click(await screen.findByTestId("task-new"));
    await user.type(screen.getByTestId("task-title"), "Too late");
    await user.keyboard("{Control>}{Enter}{/Control}");
    expect(await screen.findByTestId("task-error-deadline")).toHaveTextContent("This deadline has passed; choose a time from now on.");
    expect(screen.getByTestId("task-date")).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByTestId("task-title")).toHaveValue("Too late");
    expect(core.callsOf("tasks.create")).toHaveLength(1);
  });

  it("shows the deadline in Persian with the Solar Hijri calendar and Persian digits", async () => {
    window.localStorage.setItem("accord.language", "fa");
    await i18n.changeLanguage("fa");
    const user = userEvent.setup();
    const late = task({ deadline: "2026-12-05T09:00:00Z" });
    renderApp({ tasks: [late] });
    const deadline = within(await screen.findByTestId(`task-row-${late.id}`)).getByTestId("task-row-deadline");
    expect(deadline).toHaveTextContent("۱۴ آذر ۱۴۰۵");
    expect(deadline).toHaveTextContent(i18n.t("tasks.overdue", { lng: "fa" }));
    await user.click(screen.getByTestId("task-new"));
    await user.clear(screen.getByTestId("task-date"));
    await user.type(screen.getByTestId("task-date"), "2026-12-09");
    expect(screen.getByTestId("task-dialog")).toHaveTextContent("۱۸ آذر ۱۴۰۵");
  });
});

describe("a customer's tasks on their card", () => {
  it("lists the open tasks about them in the interactions tab, opens one, and gives a new one about them", async () => {
    const user = userEvent.setup();
    const aboutAcme = task({ title: "Visit Acme", responsible_id: BORIS.id, deadline: "2026-12-01T09:00:00Z" });
    const elsewhere = task({ title: "Elsewhere", organisation_id: null, organisation_name: null });
    const core = renderApp({ tasks: [aboutAcme, elsewhere] }, { screen: "customers", view: { kind: "card", id: ACME.id, tab: "interactions" } });
    const list = await screen.findByTestId("customer-tasks");
    await waitFor(() => expect(within(list).getAllByTestId("customer-task")).toHaveLength(1));
    expect(core.callsOf("tasks.list")).toContainEqual({ view: "team", progress: "unfinished", customer_id: ACME.id });
    const item = within(list).getByTestId("customer-task");
    expect(item).toHaveTextContent("Visit Acme");
    expect(item).toHaveTextContent("Overdue");
    expect(item).toHaveTextContent("Boris Ivanov");

    await user.click(item);
    expect(await screen.findByTestId("task-panel")).toBeInTheDocument();
    await user.click(screen.getByTestId("task-panel-close"));

    await user.click(screen.getByTestId("customer-task-new"));
    await screen.findByTestId("task-dialog");
    expect(screen.getByTestId("interaction-with")).toHaveValue("Acme Ltd");
  });
});

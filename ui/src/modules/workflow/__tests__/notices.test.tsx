import { act, render, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Transport } from "../../../api/client";
import type { Permission, TaskRow } from "../../../api/generated";
import { App } from "../../../app/App";
import type { Route } from "../../../app/navigation";
import { ACME, ANNA_C, DESK, interactionsCore, ME } from "../../../test/fakeInteractions";
import { OPEN_RECORD_EVENT } from "../hooks/useRecordNoticeClicks";

// The desktop shell: a rule's notice clicked arrives as a Tauri event.
const shell = vi.hoisted(() => ({ handlers: new Map<string, (event: { payload: unknown }) => void>() }));
vi.mock("@tauri-apps/api/core", () => ({ isTauri: () => true, invoke: vi.fn() }));
vi.mock("@tauri-apps/api/event", () => ({
  listen: async (name: string, handler: (event: { payload: unknown }) => void) => {
    shell.handlers.set(name, handler);
    return () => shell.handlers.delete(name);
  },
}));

const TASK: TaskRow = {
  id: "0198f100-0000-7000-8000-0000000000a1",
  title: "Call Anna about her contract",
  description: null,
  responsible_id: ME.id,
  controller_id: null,
  deadline: "2026-12-10T15:00:00Z",
  status: "open",
  result: null,
  return_note: null,
  delegations: [],
  contact_id: ANNA_C.id,
  organisation_id: null,
  about_table: "contacts",
  about_id: ANNA_C.id,
  rule_id: "0198f200-0000-7000-8000-000000000001",
  finished_at: null,
  version: 1,
  created_at: "2026-12-01T09:00:00Z",
  updated_at: "2026-12-01T09:00:00Z",
  created_by: ME.id,
  updated_by: ME.id,
  archived_at: null,
  owner_id: ME.id,
  department_id: null,
  responsible_name: ME.display_name,
  controller_name: null,
  contact_name: "Anna Ivanova",
  organisation_name: null,
  overdue: false,
};

function renderApp(permissions: Permission[], route: Route = { screen: "settings" }) {
  const core = interactionsCore({ permissions });
  const calls: string[] = [];
  const transport: Transport = async (op, input) => {
    calls.push(op);
    if (op === "tasks.get") return TASK;
    if (op === "tasks.list") return { tasks: [], truncated: false };
    return core.transport(op, input);
  };
  render(<App transport={transport} initialRoute={route} />);
  return calls;
}

async function click(payload: unknown) {
  await waitFor(() => expect(shell.handlers.has(OPEN_RECORD_EVENT)).toBe(true));
  act(() => shell.handlers.get(OPEN_RECORD_EVENT)!({ payload }));
}

afterEach(() => {
  shell.handlers.clear();
});

describe("a workflow rule's notice clicked", () => {
  it("opens a task's panel, over wherever the window is", async () => {
    renderApp([...DESK, "tasks.read"]);
    await screen.findByTestId("nav-tasks");
    await click({ table: "tasks", id: TASK.id });
    await waitFor(() => expect(screen.getByTestId("task-panel")).toHaveTextContent("Call Anna about her contract"));
    // Given by a rule, not by a person.
    expect(screen.getByTestId("task-author")).toHaveTextContent("A workflow rule");
  });

  it("opens an organisation's card", async () => {
    renderApp(DESK);
    await screen.findByTestId("nav-interactions");
    await click({ table: "organisations", id: ACME.id });
    expect(await screen.findByTestId("org-card-name")).toHaveTextContent("Acme Ltd");
  });

  it("opens a contact's organisation's card", async () => {
    renderApp(DESK);
    await screen.findByTestId("nav-interactions");
    await click({ table: "contacts", id: ANNA_C.id });
    expect(await screen.findByTestId("org-card-name")).toHaveTextContent("Acme Ltd");
  });

  it("leaves the window where it is for another kind of record, or a task one may not read", async () => {
    const calls = renderApp(DESK);
    await screen.findByTestId("nav-interactions");
    await click({ table: "interactions", id: "0198d000-0000-7000-8000-000000000001" });
    await click({ table: "tasks", id: TASK.id });
    await click({ nonsense: true });
    expect(screen.getByTestId("nav-settings")).toHaveAttribute("aria-current", "page");
    expect(screen.queryByTestId("task-panel")).toBeNull();
    expect(calls).not.toContain("tasks.get");
  });
});

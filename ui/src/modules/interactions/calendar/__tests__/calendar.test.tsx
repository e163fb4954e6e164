import { act, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { ComponentType } from "react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { App } from "../../../../app/App";
import type { Route } from "../../../../app/navigation";
import { i18n } from "../../../../i18n";
import { apiError } from "../../../../test/fakeTransport";
import { BORIS, DESK, interactionsCore, ME, occurrence, scheduled } from "../../../../test/fakeInteractions";
import type { CalendarEvent } from "../events";

// Dragging cannot be done in jsdom: the drag-and-drop wrapper is replaced by one that offers, for
// each event, the drop and the resize react-big-calendar would report (a day later; 30 minutes longer).
vi.mock("react-big-calendar/lib/addons/dragAndDrop", async () => {
  const React = await import("react");
  type Props = {
    events: CalendarEvent[];
    onEventDrop: (args: { event: CalendarEvent; start: Date; end: Date }) => void;
    onEventResize: (args: { event: CalendarEvent; start: Date; end: Date }) => void;
  };
  const day = 24 * 60 * 60 * 1000;
  return {
    default: (Calendar: ComponentType<Props>) =>
      function DragAndDrop(props: Props) {
        return React.createElement(
          React.Fragment,
          null,
          React.createElement(Calendar, props),
          ...props.events.flatMap((event, i) => [
            React.createElement("button", {
              key: `drop-${i}`,
              "data-testid": `test-drop-${i}`,
              onClick: () => props.onEventDrop({ event, start: new Date(event.start.getTime() + day), end: new Date(event.end.getTime() + day) }),
            }),
            React.createElement("button", {
              key: `resize-${i}`,
              "data-testid": `test-resize-${i}`,
              onClick: () => props.onEventResize({ event, start: event.start, end: new Date(event.end.getTime() + 30 * 60 * 1000) }),
            }),
          ]),
        );
      },
  };
});

// The desktop shell: a reminder's notification click arrives as a Tauri event.
const shell = vi.hoisted(() => ({ handlers: new Map<string, (event: { payload: unknown }) => void>() }));
vi.mock("@tauri-apps/api/core", () => ({ isTauri: () => true, invoke: vi.fn() }));
vi.mock("@tauri-apps/api/event", () => ({
  listen: async (name: string, handler: (event: { payload: unknown }) => void) => {
    shell.handlers.set(name, handler);
    return () => shell.handlers.delete(name);
  },
}));

type Core = Parameters<typeof interactionsCore>[0];
const CALENDAR: Route = { screen: "calendar" };
const MANAGER = [...DESK, "interactions.archive" as const];

function renderApp(options: Core = {}, route: Route = CALENDAR) {
  const core = interactionsCore(options);
  render(<App transport={core.transport} initialRoute={route} />);
  return core;
}

beforeEach(() => {
  // react-big-calendar's selection asks what is under the pointer, which jsdom cannot say.
  document.elementFromPoint = () => null;
  vi.useFakeTimers({ toFake: ["Date"] });
  // Wednesday 9 December 2026.
  vi.setSystemTime(new Date(2026, 11, 9, 9, 20));
});

afterEach(() => {
  vi.useRealTimers();
  shell.handlers.clear();
});

const SERIES = scheduled({ id: "0198b000-0000-7000-8000-0000000000f1", recurrence: "FREQ=WEEKLY;BYDAY=TH", version: 4 });
const THURSDAY = occurrence({
  scheduled_id: SERIES.id,
  version: 4,
  starts_at: new Date(2026, 11, 10, 10, 0).toISOString(),
  ends_at: new Date(2026, 11, 10, 10, 30).toISOString(),
  recurring: true,
});
const ONCE = occurrence({
  scheduled_id: "0198b000-0000-7000-8000-0000000000f2",
  version: 2,
  starts_at: new Date(2026, 11, 11, 15, 0).toISOString(),
  ends_at: new Date(2026, 11, 11, 15, 30).toISOString(),
  state: "due",
  channel: "meeting",
  topic: "Complaint",
  contact_name: "Anna Ivanova",
});

describe("the calendar", () => {
  it("asks for one's own occurrences of the week shown (Monday first), and of the next one", async () => {
    const user = userEvent.setup();
    const core = renderApp({ occurrences: [THURSDAY] });
    await screen.findByTestId("calendar-screen");
    await waitFor(() => expect(core.callsOf("interactions.list_occurrences")).toHaveLength(1));
    expect(core.callsOf("interactions.list_occurrences")[0]).toEqual({
      from: new Date(2026, 11, 7).toISOString(),
      to: new Date(2026, 11, 14).toISOString(),
      responsible_id: ME.id,
    });
    const event = await screen.findByTestId("calendar-event");
    expect(event).toHaveTextContent("Delivery — Acme Ltd");
    expect(event.closest(".rbc-event")).toHaveClass("calendar-event-planned");

    await user.click(screen.getByTestId("calendar-next"));
    await waitFor(() => expect(core.callsOf("interactions.list_occurrences")).toHaveLength(2));
    expect(core.callsOf("interactions.list_occurrences")[1]).toMatchObject({ from: new Date(2026, 11, 14).toISOString(), to: new Date(2026, 11, 21).toISOString() });

    // The month shows whole weeks around it: from Monday 30 November to Sunday 3 January.
    await user.click(screen.getByTestId("calendar-view-month"));
    await waitFor(() =>
      expect(core.callsOf("interactions.list_occurrences").at(-1)).toEqual({
        from: new Date(2026, 10, 30).toISOString(),
        to: new Date(2027, 0, 4).toISOString(),
        responsible_id: ME.id,
      }),
    );
  });

  it("asks from Saturday in Persian, and shows the Solar Hijri month", async () => {
    window.localStorage.setItem("accord.language", "fa");
    await i18n.changeLanguage("fa");
    const user = userEvent.setup();
    const core = renderApp({ occurrences: [THURSDAY] });
    await screen.findByTestId("calendar-screen");
    await waitFor(() => expect(core.callsOf("interactions.list_occurrences").at(-1)).toMatchObject({ from: new Date(2026, 11, 5).toISOString(), to: new Date(2026, 11, 12).toISOString() }));
    await user.click(screen.getByTestId("calendar-view-month"));
    expect(screen.getByTestId("calendar-title")).toHaveTextContent("آذر ۱۴۰۵");
    // Azar 1405 runs from 22 November to 21 December 2026; its grid starts on Saturday 21 November.
    await waitFor(() => expect(core.callsOf("interactions.list_occurrences").at(-1)).toMatchObject({ from: new Date(2026, 10, 21).toISOString() }));
  });

  it("lets a manager switch between their own, the team's and a colleague's calendar", async () => {
    const user = userEvent.setup();
    const core = renderApp({ permissions: MANAGER });
    const person = await screen.findByTestId("calendar-person");
    await waitFor(() => expect(core.callsOf("interactions.list_occurrences").at(-1)).toHaveProperty("responsible_id", ME.id));
    await user.selectOptions(person, "team");
    await waitFor(() => expect(core.callsOf("interactions.list_occurrences").at(-1)).not.toHaveProperty("responsible_id"));
    expect(screen.getByRole("heading", { level: 1 })).toHaveTextContent("Calendar of Team");
    await user.selectOptions(person, BORIS.id);
    await waitFor(() => expect(core.callsOf("interactions.list_occurrences").at(-1)).toHaveProperty("responsible_id", BORIS.id));
    await user.selectOptions(person, "me");
    await waitFor(() => expect(core.callsOf("interactions.list_occurrences").at(-1)).toHaveProperty("responsible_id", ME.id));
  });

  it("offers no team or colleague to who sees only their own", async () => {
    const core = renderApp();
    await screen.findByTestId("calendar-screen");
    await waitFor(() => expect(core.callsOf("interactions.list_occurrences")).toHaveLength(1));
    expect(screen.queryByTestId("calendar-person")).toBeNull();
  });

  it("opens an event's panel when clicked", async () => {
    const user = userEvent.setup();
    renderApp({ occurrences: [THURSDAY], scheduledContacts: [SERIES] });
    await user.click(await screen.findByTestId("calendar-event"));
    await waitFor(() => expect(within(screen.getByTestId("scheduled-panel")).getByTestId("scheduled-repeat")).toHaveTextContent("Every week on Thursday"));
  });

  it("opens a scheduled contact's panel on the calendar when its reminder's notification is clicked", async () => {
    renderApp({ scheduledContacts: [SERIES] }, { screen: "customers", view: { kind: "list" } });
    await screen.findByTestId("nav-calendar");
    await waitFor(() => expect(shell.handlers.has("accord://open-scheduled")).toBe(true));
    act(() => shell.handlers.get("accord://open-scheduled")!({ payload: { id: SERIES.id } }));
    expect(await screen.findByTestId("calendar-screen")).toBeInTheDocument();
    // The panel reads the contact, then shows it.
    await waitFor(() => expect(within(screen.getByTestId("scheduled-panel")).getByTestId("scheduled-topic")).toHaveTextContent("Delivery"));
  });
});

describe("moving an occurrence", () => {
  it("says a repeating contact's occurrence moves alone, and moves it only once the person agrees", async () => {
    const user = userEvent.setup();
    const core = renderApp({ occurrences: [THURSDAY] });
    await screen.findByTestId("calendar-event");
    await user.click(screen.getByTestId("test-drop-0"));
    const confirm = await screen.findByTestId("calendar-move-confirm");
    expect(confirm).toHaveTextContent("Only this occurrence moves; the series stays.");
    expect(core.callsOf("interactions.move_occurrence")).toHaveLength(0);
    await user.click(within(confirm).getByTestId("calendar-move-cancel"));
    expect(core.callsOf("interactions.move_occurrence")).toHaveLength(0);

    await user.click(screen.getByTestId("test-drop-0"));
    await user.click(await screen.findByTestId("calendar-move-ok"));
    await waitFor(() => expect(core.callsOf("interactions.move_occurrence")).toHaveLength(1));
    expect(core.callsOf("interactions.move_occurrence")[0]).toEqual({
      id: SERIES.id,
      version: 4,
      occurrence: THURSDAY.starts_at,
      to: new Date(2026, 11, 11, 10, 0).toISOString(),
    });
    // Moved: the period is read again.
    await waitFor(() => expect(core.callsOf("interactions.list_occurrences").length).toBeGreaterThan(1));
  });

  it("moves a once-only contact at once, and sends the new length when resized", async () => {
    const user = userEvent.setup();
    const core = renderApp({ occurrences: [ONCE] });
    await screen.findByTestId("calendar-event");
    await user.click(screen.getByTestId("test-resize-0"));
    await waitFor(() => expect(core.callsOf("interactions.move_occurrence")).toHaveLength(1));
    expect(screen.queryByTestId("calendar-move-confirm")).toBeNull();
    expect(core.callsOf("interactions.move_occurrence")[0]).toEqual({
      id: ONCE.scheduled_id,
      version: 2,
      occurrence: ONCE.starts_at,
      to: ONCE.starts_at,
      duration_minutes: 60,
    });
  });

  it("shows why the core refused a move", async () => {
    const user = userEvent.setup();
    renderApp({
      occurrences: [ONCE],
      move: () => {
        throw apiError("invalid_input", { to: { code: "invalid_value", message: "in the past" } });
      },
    });
    await screen.findByTestId("calendar-event");
    await user.click(screen.getByTestId("test-drop-0"));
    expect(await screen.findByTestId("calendar-move-error-to")).toHaveTextContent("It cannot be moved into the past.");
  });

  it("does not move what is done", async () => {
    const user = userEvent.setup();
    const core = renderApp({ occurrences: [{ ...ONCE, state: "done" }] });
    await screen.findByTestId("calendar-event");
    await user.click(screen.getByTestId("test-drop-0"));
    expect(screen.queryByTestId("calendar-move-confirm")).toBeNull();
    expect(core.callsOf("interactions.move_occurrence")).toHaveLength(0);
  });
});

describe("exporting the calendar", () => {
  it("asks where to save it, writes the person's series there and says how many", async () => {
    const user = userEvent.setup();
    const core = renderApp();
    await user.click(await screen.findByTestId("calendar-export"));
    await waitFor(() => expect(core.callsOf("interactions.export_calendar")).toHaveLength(1));
    expect(core.callsOf("settings.choose_save_file")).toEqual([{ name: "Accord calendar — Anna Petrova", format: "ics" }]);
    expect(core.callsOf("interactions.export_calendar")[0]).toEqual({ path: "/home/anna/Accord calendar.ics", responsible_id: ME.id });
    expect(await screen.findByTestId("schedule-notice")).toHaveTextContent("Saved 12 events to Accord calendar.ics.");
  });

  it("exports the team's without naming a person", async () => {
    const user = userEvent.setup();
    const core = renderApp({ permissions: MANAGER });
    await user.selectOptions(await screen.findByTestId("calendar-person"), "team");
    await user.click(screen.getByTestId("calendar-export"));
    await waitFor(() => expect(core.callsOf("interactions.export_calendar")).toHaveLength(1));
    expect(core.callsOf("settings.choose_save_file")).toEqual([{ name: "Accord calendar — Team", format: "ics" }]);
    expect(core.callsOf("interactions.export_calendar")[0]).toEqual({ path: "/home/anna/Accord calendar.ics" });
  });

  it("writes nothing when the Save dialog is closed", async () => {
    const user = userEvent.setup();
    const core = renderApp({ savePath: null });
    await user.click(await screen.findByTestId("calendar-export"));
    await waitFor(() => expect(core.callsOf("settings.choose_save_file")).toHaveLength(1));
    expect(core.callsOf("interactions.export_calendar")).toHaveLength(0);
    expect(screen.queryByTestId("schedule-notice")).toBeNull();
  });
});

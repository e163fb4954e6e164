import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { App } from "../../../../app/App";
import type { Route } from "../../../../app/navigation";
import { i18n } from "../../../../i18n";
import { apiError } from "../../../../test/fakeTransport";
import { ACME, ANNA_C, DELIVERY, DESK, interactionsCore, scheduled } from "../../../../test/fakeInteractions";

type Core = Parameters<typeof interactionsCore>[0];

function renderApp(options: Core = {}, route?: Route) {
  const core = interactionsCore(options);
  render(<App transport={core.transport} initialRoute={route} />);
  return core;
}

type User = ReturnType<typeof userEvent.setup>;

/** Opens the dialog as an operator does: Ctrl+Shift+L from anywhere in the window. */
async function openWithKeyboard(user: User) {
  await screen.findByTestId("nav-calendar");
  await user.keyboard("{Control>}{Shift>}L{/Shift}{/Control}");
  return screen.findByTestId("schedule-dialog");
}

async function chooseWith(user: User, text: string, title: string) {
  await user.keyboard(text);
  await waitFor(() => expect(screen.getAllByTestId("interaction-with-option")[0]).toHaveTextContent(title));
  await user.keyboard("{Enter}");
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date("2026-12-07T09:20:00Z"));
});

afterEach(() => {
  vi.useRealTimers();
});

describe("scheduling a contact from the keyboard", () => {
  it("fills every field without a mouse and sends the wall clock, its zone and the RRULE on Ctrl+Enter", async () => {
    const user = userEvent.setup();
    const core = renderApp();
    await openWithKeyboard(user);
    expect(screen.getByTestId("interaction-with")).toHaveFocus();
    await chooseWith(user, "acme", "Acme Ltd");
    await waitFor(() => expect(screen.getByTestId("interaction-topic")).toHaveFocus());
    await user.keyboard("deli{Enter}");

    // Picked: on to the date, then Tab through the time, the duration and the zone.
    const date = screen.getByTestId("schedule-date");
    await waitFor(() => expect(date).toHaveFocus());
    await user.clear(date);
    await user.keyboard("2026-12-09");
    expect(date).toHaveValue("2026-12-09");
    await user.tab();
    expect(screen.getByTestId("schedule-time")).toHaveFocus();
    await user.keyboard("15:30");
    expect(screen.getByTestId("schedule-time")).toHaveValue("15:30");
    await user.tab();
    expect(screen.getByTestId("schedule-duration")).toHaveFocus();
    await user.keyboard("{Backspace}{Backspace}45");
    await user.tab();
    expect(screen.getByTestId("schedule-zone")).toHaveFocus();
    await user.keyboard("tehran");
    await waitFor(() => expect(screen.getAllByTestId("schedule-zone-option").map((o) => o.textContent)).toEqual(["Asia/Tehran"]));
    await user.keyboard("{Enter}");
    expect(screen.getByTestId("schedule-zone")).toHaveValue("Asia/Tehran");

    // Repeat weekly (arrow keys over the choices), on Monday besides the start's Wednesday, until 1 June 2027.
    await user.tab();
    expect(screen.getByTestId("schedule-repeat-none")).toHaveFocus();
    await user.keyboard("{ArrowRight}{ArrowRight}");
    expect(screen.getByTestId("schedule-repeat-weekly")).toBeChecked();
    expect(screen.getByTestId("schedule-day-WE")).toBeChecked();
    await user.tab();
    expect(screen.getByTestId("schedule-interval")).toHaveValue(1);
    await user.tab();
    expect(screen.getByTestId("schedule-day-MO")).toHaveFocus();
    await user.keyboard(" ");
    expect(screen.getByTestId("schedule-day-MO")).toBeChecked();
    for (let i = 0; i < 7; i++) await user.tab();
    expect(screen.getByTestId("schedule-end-never")).toHaveFocus();
    await user.keyboard("{ArrowRight}");
    await user.tab();
    expect(screen.getByTestId("schedule-until")).toHaveFocus();
    await user.keyboard("2027-06-01");
    expect(screen.getByTestId("schedule-repeat")).toHaveTextContent("Every week on Monday and Wednesday, until 1 Jun 2027");

    await user.keyboard("{Control>}{Enter}{/Control}");
    await waitFor(() => expect(core.callsOf("interactions.schedule")).toHaveLength(1));
    expect(core.callsOf("interactions.schedule")[0]).toEqual({
      topic_id: DELIVERY.id,
      channel: "phone",
      organisation_id: ACME.id,
      starts_at: "2026-12-09T15:30:00",
      time_zone: "Asia/Tehran",
      duration_minutes: 45,
      lead_minutes: 15,
      recurrence: "FREQ=WEEKLY;INTERVAL=1;BYDAY=MO,WE;UNTIL=20270601T202959Z",
    });
    expect(await screen.findByTestId("schedule-notice")).toHaveTextContent("Contact scheduled: Acme Ltd.");
    expect(screen.queryByTestId("schedule-dialog")).toBeNull();
  });

  it("starts at the next whole hour in this computer's zone, once, reminded 15 minutes before", async () => {
    const user = userEvent.setup();
    const core = renderApp();
    await openWithKeyboard(user);
    await chooseWith(user, "anna", "Anna Ivanova");
    await user.keyboard("deli{Enter}");
    expect(screen.getByTestId("schedule-date")).toHaveValue("2026-12-07");
    expect(screen.getByTestId("schedule-time")).toHaveValue("10:00");
    expect(screen.getByTestId("schedule-lead-15")).toBeChecked();
    await user.keyboard("{Control>}{Enter}{/Control}");
    await waitFor(() => expect(core.callsOf("interactions.schedule")).toHaveLength(1));
    expect(core.callsOf("interactions.schedule")[0]).toEqual({
      topic_id: DELIVERY.id,
      channel: "phone",
      contact_id: ANNA_C.id,
      starts_at: "2026-12-07T10:00:00",
      time_zone: Intl.DateTimeFormat().resolvedOptions().timeZone,
      duration_minutes: 30,
      lead_minutes: 15,
    });
  });

  it("shows a field error from the core beside its field, in Persian, and keeps what was typed", async () => {
    window.localStorage.setItem("accord.language", "fa");
    await i18n.changeLanguage("fa");
    const user = userEvent.setup();
    const core = renderApp({
      schedule: () => {
        throw apiError("invalid_input", { starts_at: { code: "invalid_value", message: "in the past" } });
      },
    });
    await openWithKeyboard(user);
    await chooseWith(user, "acme", "Acme Ltd");
    await user.keyboard("deli{Enter}");
    // The Solar Hijri date is shown beside the date picked.
    expect(screen.getByTestId("schedule-dialog")).toHaveTextContent("۱۶ آذر ۱۴۰۵");
    await user.keyboard("{Control>}{Enter}{/Control}");
    const error = await screen.findByTestId("schedule-error-starts_at");
    expect(error).toHaveTextContent(i18n.t("schedule.errors.startsAt", { lng: "fa" }));
    expect(screen.getByTestId("schedule-date")).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByTestId("interaction-with")).toHaveValue("Acme Ltd");
    expect(core.callsOf("interactions.schedule")).toHaveLength(1);
  });

  it("says what is missing before sending, and asks before Esc discards what was changed", async () => {
    const user = userEvent.setup();
    const core = renderApp();
    await openWithKeyboard(user);
    await user.keyboard("{Control>}{Enter}{/Control}");
    expect(await screen.findByTestId("schedule-error-contact_id")).toHaveTextContent("Choose whom it was with");
    expect(screen.getByTestId("schedule-error-topic_id")).toHaveTextContent("Choose a topic.");
    expect(core.callsOf("interactions.schedule")).toHaveLength(0);

    await chooseWith(user, "acme", "Acme Ltd");
    await user.keyboard("{Escape}{Escape}");
    expect(await screen.findByTestId("schedule-discard")).toBeInTheDocument();
    await user.click(screen.getByTestId("schedule-discard-confirm"));
    expect(screen.queryByTestId("schedule-dialog")).toBeNull();
  });

  it("is offered by the command palette", async () => {
    const user = userEvent.setup();
    renderApp();
    await screen.findByTestId("nav-calendar");
    await user.keyboard("{Control>}k{/Control}");
    await user.type(screen.getByTestId("palette-input"), "schedule");
    await user.click(await screen.findByTestId("palette-command-scheduleContact"));
    expect(await screen.findByTestId("schedule-dialog")).toBeInTheDocument();
  });

  it("does not open for who only reads interactions, and Ctrl+L still logs", async () => {
    const user = userEvent.setup();
    renderApp({ permissions: DESK.filter((p) => p !== "interactions.write") });
    await screen.findByTestId("nav-calendar");
    await user.keyboard("{Control>}{Shift>}L{/Shift}{/Control}");
    expect(screen.queryByTestId("schedule-dialog")).toBeNull();
  });

  it("keeps Ctrl+L for logging an interaction", async () => {
    const user = userEvent.setup();
    renderApp();
    await screen.findByTestId("nav-calendar");
    await user.keyboard("{Control>}{Shift>}L{/Shift}{/Control}");
    expect(await screen.findByTestId("schedule-dialog")).toBeInTheDocument();
    expect(screen.queryByTestId("log-interaction-dialog")).toBeNull();
  });
});

describe("a customer's planned contacts on their card", () => {
  const ACME_CARD: Route = { screen: "customers", view: { kind: "card", id: ACME.id } };
  const CALL = scheduled({ id: "0198b000-0000-7000-8000-0000000000a1", organisation_id: ACME.id, note: "Ask about the lorry." });

  it("lists them at the top of the interactions tab, opens one, and marks it done with a summary (Ctrl+Enter)", async () => {
    const user = userEvent.setup();
    const core = renderApp({ scheduledContacts: [CALL] }, ACME_CARD);
    await user.click(await screen.findByTestId("card-tab-interactions"));
    const item = await screen.findByTestId("planned-item");
    expect(core.callsOf("interactions.list_scheduled")[0]).toEqual({ organisation_id: ACME.id });
    expect(item).toHaveTextContent("Delivery");
    await user.click(item);

    // The panel reads the contact, then shows it.
    await waitFor(() => expect(within(screen.getByTestId("scheduled-panel")).getByTestId("scheduled-with")).toHaveTextContent("Acme Ltd"));
    const panel = screen.getByTestId("scheduled-panel");
    expect(within(panel).getByTestId("scheduled-topic")).toHaveTextContent("Delivery");
    expect(within(panel).getByTestId("scheduled-repeat")).toHaveTextContent("Does not repeat");
    expect(within(panel).getByTestId("scheduled-note")).toHaveTextContent("Ask about the lorry.");
    await user.click(within(panel).getByTestId("scheduled-done"));
    expect(screen.getByTestId("scheduled-summary")).toHaveFocus();
    await user.keyboard("Promised delivery on Friday.{Control>}{Enter}{/Control}");

    await waitFor(() => expect(core.callsOf("interactions.complete_scheduled")).toHaveLength(1));
    expect(core.callsOf("interactions.complete_scheduled")[0]).toEqual({ id: CALL.id, version: CALL.version, summary: "Promised delivery on Friday." });
    expect(await screen.findByTestId("schedule-notice")).toHaveTextContent("Logged on Acme Ltd's history.");
    expect(screen.queryByTestId("scheduled-panel")).toBeNull();
  });

  it("asks for a summary before marking done", async () => {
    const user = userEvent.setup();
    const core = renderApp({ scheduledContacts: [CALL] }, ACME_CARD);
    await user.click(await screen.findByTestId("card-tab-interactions"));
    await user.click(await screen.findByTestId("planned-item"));
    await user.click(await screen.findByTestId("scheduled-done"));
    await user.keyboard("{Control>}{Enter}{/Control}");
    expect(await screen.findByTestId("scheduled-error-summary")).toHaveTextContent("Write a short summary first.");
    expect(core.callsOf("interactions.complete_scheduled")).toHaveLength(0);
  });

  it("schedules a contact with the person from their row", async () => {
    const user = userEvent.setup();
    const core = renderApp({}, ACME_CARD);
    await user.click(await screen.findByTestId("card-tab-contacts"));
    const row = (await screen.findAllByTestId("contact-row")).find((r) => r.dataset.id === ANNA_C.id)!;
    await user.click(within(row).getByTestId("contact-schedule"));
    expect(await screen.findByTestId("schedule-dialog")).toBeInTheDocument();
    expect(screen.getByTestId("interaction-with")).toHaveValue("Anna Ivanova");
    expect(screen.getByTestId("interaction-topic")).toHaveFocus();
    await user.keyboard("deli{Enter}{Control>}{Enter}{/Control}");
    await waitFor(() => expect(core.callsOf("interactions.schedule")).toHaveLength(1));
    expect(core.callsOf("interactions.schedule")[0]).toMatchObject({ contact_id: ANNA_C.id, topic_id: DELIVERY.id });
    expect(core.callsOf("interactions.schedule")[0]).not.toHaveProperty("responsible_id");
  });

  it("edits the series from its panel: a rule it cannot show is kept as text and sent as it was", async () => {
    const user = userEvent.setup();
    const SERIES = scheduled({
      id: "0198b000-0000-7000-8000-0000000000a2",
      organisation_id: ACME.id,
      starts_at: "2026-12-08T06:30:00Z",
      time_zone: "Asia/Tehran",
      recurrence: "FREQ=MONTHLY;BYDAY=1MO",
      version: 3,
    });
    const core = renderApp({ scheduledContacts: [SERIES] }, ACME_CARD);
    await user.click(await screen.findByTestId("card-tab-interactions"));
    await user.click(await screen.findByTestId("planned-item"));
    await waitFor(() => expect(within(screen.getByTestId("scheduled-panel")).getByTestId("scheduled-repeat")).toHaveTextContent("FREQ=MONTHLY;BYDAY=1MO"));
    await user.click(screen.getByTestId("scheduled-edit"));
    await screen.findByTestId("schedule-dialog");
    // Its first start on the wall in its own zone.
    expect(screen.getByTestId("schedule-date")).toHaveValue("2026-12-08");
    expect(screen.getByTestId("schedule-time")).toHaveValue("10:00");
    expect(screen.getByTestId("schedule-zone")).toHaveValue("Asia/Tehran");
    expect(screen.getByTestId("schedule-repeat-custom")).toBeChecked();
    await user.click(screen.getByTestId("schedule-channel-email"));
    await user.keyboard("{Control>}{Enter}{/Control}");
    await waitFor(() => expect(core.callsOf("interactions.update_scheduled")).toHaveLength(1));
    expect(core.callsOf("interactions.update_scheduled")[0]).toEqual({
      id: SERIES.id,
      version: 3,
      topic_id: DELIVERY.id,
      channel: "email",
      organisation_id: ACME.id,
      responsible_id: SERIES.responsible_id,
      starts_at: "2026-12-08T10:00:00",
      time_zone: "Asia/Tehran",
      duration_minutes: 30,
      lead_minutes: 15,
      recurrence: "FREQ=MONTHLY;BYDAY=1MO",
    });
    expect(await screen.findByTestId("schedule-notice")).toHaveTextContent("Scheduled contact changed: Acme Ltd.");
  });
});

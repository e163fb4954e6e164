import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { App } from "../../../app/App";
import type { Route } from "../../../app/navigation";
import { formatDateTime } from "../../../shared/format";
import { attachment } from "../../../test/fakeAttachments";
import {
  ACME,
  ANNA_C,
  BORIS,
  COMPLAINT,
  DELIVERY,
  DESK,
  interaction,
  interactionsCore,
  ME,
  OLD_PRICES,
  PETR_C,
} from "../../../test/fakeInteractions";

type Core = Parameters<typeof interactionsCore>[0];

const ACME_CARD: Route = { screen: "customers", view: { kind: "card", id: ACME.id } };

function renderApp(options: Core = {}, route: Route = ACME_CARD) {
  const core = interactionsCore(options);
  render(<App transport={core.transport} initialRoute={route} />);
  return core;
}

async function openInteractionsTab(user: ReturnType<typeof userEvent.setup>) {
  await user.click(await screen.findByTestId("card-tab-interactions"));
  return screen.findByTestId("interaction-history");
}

const CALL = interaction({ id: "0198d000-0000-7000-8000-0000000000c1", happened_at: "2026-11-23T10:00:00Z", summary: "Called about the delivery." });
const EMAIL = interaction({
  id: "0198d000-0000-7000-8000-0000000000c2",
  happened_at: "2026-11-20T08:00:00Z",
  channel: "email",
  form: "written",
  topic_id: OLD_PRICES.id,
  contact_id: ANNA_C.id,
  responsible_id: BORIS.id,
  summary: "Sent the old price list.\nShe asked for the new one.\nAnd for a discount.\nAnd for delivery terms.",
});

describe("the interactions on the customer card", () => {
  it("lists the organisation's interactions, its people's included, newest first, each in words", async () => {
    const user = userEvent.setup();
    const core = renderApp({ interactions: [EMAIL, CALL] });
    await openInteractionsTab(user);
    const rows = await screen.findAllByTestId("interaction-row");
    expect(core.callsOf("interactions.list")[0]).toEqual({ limit: 50, organisation_id: ACME.id });
    expect(rows.map((r) => r.dataset.id)).toEqual([CALL.id, EMAIL.id]);

    const [call, email] = rows;
    expect(call).toHaveTextContent(formatDateTime(CALL.happened_at, "en"));
    expect(within(call).getByTestId("interaction-row-channel")).toHaveTextContent("Phone");
    expect(within(call).getByTestId("interaction-row-form")).toHaveTextContent("Oral");
    expect(within(call).getByTestId("interaction-row-topic")).toHaveTextContent("Delivery");
    expect(within(call).getByTestId("interaction-row-with")).toHaveTextContent("Acme Ltd");
    expect(within(call).getByTestId("interaction-row-responsible")).toHaveTextContent(ME.display_name);

    // A retired topic still names what was logged under it; with whom is the contact.
    expect(within(email).getByTestId("interaction-row-topic")).toHaveTextContent("Old prices (retired)");
    expect(within(email).getByTestId("interaction-row-with")).toHaveTextContent("Anna Ivanova");
    expect(within(email).getByTestId("interaction-row-responsible")).toHaveTextContent(BORIS.display_name);
    // A long summary is cut, and shown whole on request.
    const summary = within(email).getByTestId("interaction-row-summary");
    expect(summary).toHaveClass("interaction-summary-cut");
    await user.click(within(email).getByTestId("interaction-expand"));
    expect(summary).not.toHaveClass("interaction-summary-cut");
  });

  it("sends the filters chosen: channel, topic, the period's days as instants, and the words once typing pauses", async () => {
    const user = userEvent.setup();
    const core = renderApp({ interactions: [EMAIL, CALL] });
    await openInteractionsTab(user);
    await screen.findAllByTestId("interaction-row");

    await user.selectOptions(screen.getByTestId("interaction-filter-channel"), "email");
    await waitFor(() => expect(core.callsOf("interactions.list").at(-1)).toEqual({ limit: 50, organisation_id: ACME.id, channel: "email" }));
    await waitFor(() => expect(screen.getAllByTestId("interaction-row").map((r) => r.dataset.id)).toEqual([EMAIL.id]));

    // Every topic is offered, the retired ones too, said to be.
    const topics = screen.getByTestId("interaction-filter-topic");
    expect(within(topics).getByRole("option", { name: "Old prices (retired)" })).toHaveValue(OLD_PRICES.id);
    await user.selectOptions(topics, OLD_PRICES.id);
    await waitFor(() => expect(core.callsOf("interactions.list").at(-1)).toMatchObject({ channel: "email", topic_id: OLD_PRICES.id }));

    // Days of the computer's calendar, both included: from its first moment to the next day's.
    await user.type(screen.getByTestId("interaction-filter-from"), "2026-11-01");
    await user.type(screen.getByTestId("interaction-filter-to"), "2026-11-30");
    await waitFor(() =>
      expect(core.callsOf("interactions.list").at(-1)).toMatchObject({
        from: new Date(2026, 10, 1).toISOString(),
        to: new Date(2026, 11, 1).toISOString(),
      }),
    );

    const calls = core.callsOf("interactions.list").length;
    await user.type(screen.getByTestId("interaction-filter-text"), "price list");
    await waitFor(() => expect(core.callsOf("interactions.list").at(-1)).toMatchObject({ text: "price list" }));
    // Looked for once, when typing paused: not at every key.
    expect(core.callsOf("interactions.list").slice(calls).map((c) => c.text)).toEqual(["price list"]);
    expect(core.callsOf("interactions.list").at(-1)).toEqual({
      limit: 50,
      organisation_id: ACME.id,
      channel: "email",
      topic_id: OLD_PRICES.id,
      from: new Date(2026, 10, 1).toISOString(),
      to: new Date(2026, 11, 1).toISOString(),
      text: "price list",
    });
    expect(screen.getAllByTestId("interaction-row").map((r) => r.dataset.id)).toEqual([EMAIL.id]);
  });

  it("shows the core's refusal of a period that ends before it starts under its end", async () => {
    const user = userEvent.setup();
    renderApp({ interactions: [CALL] });
    await openInteractionsTab(user);
    await user.type(screen.getByTestId("interaction-filter-from"), "2026-11-20");
    await user.type(screen.getByTestId("interaction-filter-to"), "2026-11-10");
    expect(await screen.findByTestId("interaction-filter-error-to")).toHaveTextContent("The period ends before it starts; swap the dates.");
  });

  it("reads older pages on request", async () => {
    const user = userEvent.setup();
    const many = Array.from({ length: 60 }, (_, i) =>
      interaction({ happened_at: new Date(Date.UTC(2026, 10, 1, 8) - i * 3600_000).toISOString(), summary: `Call ${i}` }),
    );
    const core = renderApp({ interactions: many });
    await openInteractionsTab(user);
    await waitFor(() => expect(screen.getAllByTestId("interaction-row")).toHaveLength(50));
    await user.click(screen.getByTestId("interactions-more"));
    await waitFor(() => expect(screen.getAllByTestId("interaction-row")).toHaveLength(60));
    expect(core.callsOf("interactions.list").at(-1)).toEqual({ limit: 50, organisation_id: ACME.id, after: "c-49" });
    expect(screen.getAllByTestId("interaction-row").at(-1)).toHaveTextContent("Call 59");
    expect(screen.queryByTestId("interactions-more")).toBeNull();
  });

  it("logs one with the organisation from the card, the focus on the topic, and shows it at once", async () => {
    const user = userEvent.setup();
    const core = renderApp({ interactions: [CALL] });
    await openInteractionsTab(user);
    await screen.findAllByTestId("interaction-row");
    await user.click(screen.getByTestId("log-interaction-open"));
    await screen.findByTestId("log-interaction-dialog");
    expect(screen.getByTestId("interaction-with")).toHaveValue("Acme Ltd");
    await waitFor(() => expect(screen.getByTestId("interaction-topic")).toHaveFocus());
    await user.keyboard("compl{Enter}Complained about the invoice.{Control>}{Enter}{/Control}");

    await waitFor(() => expect(core.callsOf("interactions.log")).toHaveLength(1));
    expect(core.callsOf("interactions.log")[0]).toEqual({
      topic_id: COMPLAINT.id,
      channel: "phone",
      summary: "Complained about the invoice.",
      organisation_id: ACME.id,
    });
    expect(await screen.findByTestId("interaction-saved")).toBeInTheDocument();
    // The history showing the customer is read again.
    await waitFor(() => expect(screen.getAllByTestId("interaction-row")).toHaveLength(2));
    // The focus is back where it was when the dialog opened.
    await waitFor(() => expect(screen.getByTestId("log-interaction-open")).toHaveFocus());
  });

  it("logs one with a contact from the contact's row, and shows the contact's interactions", async () => {
    const user = userEvent.setup();
    const core = renderApp({ interactions: [CALL, EMAIL] });
    await user.click(await screen.findByTestId("card-tab-contacts"));
    const anna = (await screen.findAllByTestId("contact-row")).find((r) => r.dataset.id === ANNA_C.id)!;
    await user.click(within(anna).getByTestId("contact-log-interaction"));
    await screen.findByTestId("log-interaction-dialog");
    expect(screen.getByTestId("interaction-with")).toHaveValue("Anna Ivanova");
    await waitFor(() => expect(screen.getByTestId("interaction-topic")).toHaveFocus());
    await user.keyboard("deli{Enter}Asked when it arrives.{Control>}{Enter}{/Control}");
    await waitFor(() => expect(core.callsOf("interactions.log")).toHaveLength(1));
    expect(core.callsOf("interactions.log")[0]).toEqual({ topic_id: DELIVERY.id, channel: "phone", summary: "Asked when it arrives.", contact_id: ANNA_C.id });

    const petr = screen.getAllByTestId("contact-row").find((r) => r.dataset.id === PETR_C.id)!;
    await user.click(within(petr).getByTestId("contact-interactions"));
    await screen.findByTestId("interaction-history");
    expect(screen.getByTestId("card-tab-interactions")).toHaveAttribute("aria-selected", "true");
    expect(screen.getByTestId("interaction-filter-contact")).toHaveValue(PETR_C.id);
    await waitFor(() => expect(core.callsOf("interactions.list").at(-1)).toEqual({ limit: 50, organisation_id: ACME.id, contact_id: PETR_C.id }));
    expect(await screen.findByTestId("interactions-empty")).toHaveTextContent("No interactions with Petr Smirnov have been logged yet.");
    // Back to everyone's.
    await user.selectOptions(screen.getByTestId("interaction-filter-contact"), "");
    await waitFor(() => expect(screen.getAllByTestId("interaction-row")).toHaveLength(3));
  });

  it("corrects an interaction, sending only what changed with the version it was read at", async () => {
    const user = userEvent.setup();
    const core = renderApp({ interactions: [{ ...CALL, version: 4 }] });
    await openInteractionsTab(user);
    const row = await screen.findByTestId("interaction-row");
    await user.click(within(row).getByTestId("interaction-edit"));
    const summary = await screen.findByTestId("interaction-summary");
    expect(summary).toHaveValue(CALL.summary);
    expect(screen.getByTestId("interaction-topic")).toHaveValue("Delivery");
    expect(screen.getByTestId("interaction-with")).toHaveValue("Acme Ltd");
    await user.clear(summary);
    await user.type(summary, "Called about the delivery; it left today.");
    await user.keyboard("{Control>}{Enter}{/Control}");
    await waitFor(() => expect(core.callsOf("interactions.update")).toHaveLength(1));
    expect(core.callsOf("interactions.update")[0]).toEqual({ id: CALL.id, version: 4, changes: { summary: "Called about the delivery; it left today." } });
    expect(await screen.findByTestId("interaction-saved")).toHaveTextContent("Interaction corrected: Acme Ltd.");
    await waitFor(() => expect(screen.getByTestId("interaction-row-summary")).toHaveTextContent("it left today"));
  });

  it("archives and restores interactions for who may, after asking", async () => {
    const user = userEvent.setup();
    const core = renderApp({ interactions: [CALL], permissions: [...DESK, "interactions.archive"] });
    await openInteractionsTab(user);
    const row = await screen.findByTestId("interaction-row");
    await user.click(within(row).getByTestId("interaction-archive"));
    await user.click(await screen.findByTestId("interaction-status-confirm"));
    await waitFor(() => expect(core.callsOf("interactions.archive")).toEqual([{ id: CALL.id, version: 1 }]));
    expect(await screen.findByTestId("interactions-empty")).toHaveTextContent("No interactions have been logged yet.");

    await user.click(screen.getByTestId("interactions-show-archived"));
    await waitFor(() => expect(core.callsOf("interactions.list").at(-1)).toEqual({ limit: 50, organisation_id: ACME.id, archived: true }));
    const archived = await screen.findByTestId("interaction-row");
    expect(within(archived).queryByTestId("interaction-edit")).toBeNull();
    await user.click(within(archived).getByTestId("interaction-restore"));
    await user.click(await screen.findByTestId("interaction-status-confirm"));
    await waitFor(() => expect(core.callsOf("interactions.restore")).toEqual([{ id: CALL.id, version: 2 }]));
    expect(await screen.findByTestId("interactions-empty")).toHaveTextContent("No archived interactions.");
  });

  it("offers no archiving to who may not archive", async () => {
    const user = userEvent.setup();
    renderApp({ interactions: [CALL] });
    await openInteractionsTab(user);
    const row = await screen.findByTestId("interaction-row");
    expect(within(row).queryByTestId("interaction-archive")).toBeNull();
  });

  it("shows an interaction's files under its row on request, to who may read them", async () => {
    const user = userEvent.setup();
    const MINUTES = attachment({ record_id: CALL.id, file_name: "Minutes.pdf", attached_by: BORIS.display_name });
    const OTHER = attachment({ record_id: EMAIL.id, file_name: "Price list.xlsx" });
    const core = renderApp({ interactions: [EMAIL, CALL], permissions: [...DESK, "attachments.read"], files: { attachments: [MINUTES, OTHER] } });
    await openInteractionsTab(user);
    const [call] = await screen.findAllByTestId("interaction-row");
    const toggle = within(call).getByTestId("interaction-files");
    expect(toggle).toHaveAccessibleName(`Files of the interaction of ${formatDateTime(CALL.happened_at, "en")}`);
    expect(toggle).toHaveAttribute("aria-expanded", "false");
    // Nothing is read until asked for.
    expect(core.callsOf("attachments.list")).toEqual([]);

    await user.click(toggle);
    expect(toggle).toHaveAttribute("aria-expanded", "true");
    const panel = within(call).getByTestId("attachments-panel");
    const [file] = await within(panel).findAllByTestId("attachment-row");
    expect(core.callsOf("attachments.list")).toEqual([{ table: "interactions", record_id: CALL.id }]);
    expect(file).toHaveTextContent("Minutes.pdf");
    expect(within(file).getByTestId("attachment-by")).toHaveTextContent(BORIS.display_name);
    // Who only reads them attaches and removes nothing.
    expect(within(panel).queryByTestId("attachments-add")).toBeNull();
    expect(within(panel).queryByTestId("attachment-remove")).toBeNull();

    await user.click(toggle);
    expect(within(call).queryByTestId("attachments-panel")).toBeNull();
  });

  it("offers no files to who may not read them", async () => {
    const user = userEvent.setup();
    renderApp({ interactions: [CALL] });
    await openInteractionsTab(user);
    const row = await screen.findByTestId("interaction-row");
    expect(within(row).queryByTestId("interaction-files")).toBeNull();
  });

  it("shows no interactions to who may not read them", async () => {
    const user = userEvent.setup();
    renderApp({ interactions: [CALL], permissions: ["customers.read", "search.query"] });
    await screen.findByTestId("org-card-name");
    expect(screen.queryByTestId("card-tab-interactions")).toBeNull();
    expect(screen.queryByTestId("nav-interactions")).toBeNull();
    await user.click(screen.getByTestId("card-tab-contacts"));
    const row = (await screen.findAllByTestId("contact-row"))[0];
    expect(within(row).queryByTestId("contact-log-interaction")).toBeNull();
    expect(within(row).queryByTestId("contact-interactions")).toBeNull();
  });
});

describe("my interactions", () => {
  it("lists one's own, then a colleague's, and opens a row's customer card on its interactions", async () => {
    const user = userEvent.setup();
    const core = renderApp({ interactions: [CALL, EMAIL] }, { screen: "customers", view: { kind: "list" } });
    await user.click(await screen.findByTestId("nav-interactions"));
    await screen.findByTestId("interactions-screen");
    await waitFor(() => expect(screen.getAllByTestId("interaction-row").map((r) => r.dataset.id)).toEqual([CALL.id]));
    expect(core.callsOf("interactions.list").at(-1)).toEqual({ limit: 50, responsible_id: ME.id });
    expect(screen.getByRole("heading", { level: 1 })).toHaveTextContent("My interactions");

    await user.selectOptions(screen.getByTestId("interactions-person"), BORIS.id);
    await waitFor(() => expect(screen.getAllByTestId("interaction-row").map((r) => r.dataset.id)).toEqual([EMAIL.id]));
    expect(core.callsOf("interactions.list").at(-1)).toEqual({ limit: 50, responsible_id: BORIS.id });
    expect(screen.getByRole("heading", { level: 1 })).toHaveTextContent("Interactions of Boris Ivanov");
    // The contact, at their organisation.
    expect(screen.getByTestId("interaction-row-with")).toHaveTextContent("Anna Ivanova (Acme Ltd)");

    await user.click(screen.getByTestId("interaction-open"));
    expect(await screen.findByTestId("org-card-name")).toHaveTextContent("Acme Ltd");
    expect(screen.getByTestId("card-tab-interactions")).toHaveAttribute("aria-selected", "true");
    await screen.findByTestId("interaction-history");
  });

  it("opens an interaction found by the command palette on its customer's card", async () => {
    const user = userEvent.setup();
    const core = interactionsCore({ interactions: [EMAIL] });
    const search = core.transport;
    const transport: typeof search = async (op, input) =>
      op === "search.query"
        ? { hits: [{ entity: "interaction", id: EMAIL.id, title: "Sent the old price list.", subtitle: "2026-11-20 08:00 UTC", archived: false }] }
        : search(op, input);
    render(<App transport={transport} />);
    await screen.findByTestId("nav-interactions");
    await user.keyboard("{Control>}k{/Control}");
    await user.type(screen.getByTestId("palette-input"), "price");
    const hit = await screen.findByTestId("palette-hit");
    expect(hit).toHaveTextContent("Interaction");
    expect(hit).toHaveTextContent(formatDateTime("2026-11-20T08:00:00Z", "en"));
    await user.keyboard("{Enter}");
    expect(await screen.findByTestId("org-card-name")).toHaveTextContent("Acme Ltd");
    expect(screen.getByTestId("card-tab-interactions")).toHaveAttribute("aria-selected", "true");
    expect(core.callsOf("interactions.get")).toEqual([{ id: EMAIL.id }]);
  });
});

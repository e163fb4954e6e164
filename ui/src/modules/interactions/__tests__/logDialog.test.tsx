import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { App } from "../../../app/App";
import type { Route } from "../../../app/navigation";
import { i18n } from "../../../i18n";
import { apiError } from "../../../test/fakeTransport";
import { attachment } from "../../../test/fakeAttachments";
import { ACME, ANNA_C, BORIS, COMPLAINT, DELIVERY, DESK, interaction, interactionsCore, ME } from "../../../test/fakeInteractions";

type Core = Parameters<typeof interactionsCore>[0];

function renderApp(options: Core = {}, route?: Route) {
  const core = interactionsCore(options);
  render(<App transport={core.transport} initialRoute={route} />);
  return core;
}

/** Opens the dialog the way an operator does: Ctrl+L from anywhere in the window. */
async function openWithKeyboard(user: ReturnType<typeof userEvent.setup>) {
  await screen.findByTestId("nav-interactions");
  await user.keyboard("{Control>}l{/Control}");
  return screen.findByTestId("log-interaction-dialog");
}

/** Types into the "With" box and picks the hit with Enter, as the keyboard does. */
async function chooseWith(user: ReturnType<typeof userEvent.setup>, text: string, title: string) {
  await user.keyboard(text);
  await waitFor(() => expect(screen.getAllByTestId("interaction-with-option")[0]).toHaveTextContent(title));
  await user.keyboard("{Enter}");
}

describe("logging an interaction from the keyboard", () => {
  it("opens with Ctrl+L, finds whom by typing, picks the topic by typing and saves with Ctrl+Enter", async () => {
    const user = userEvent.setup();
    const core = renderApp();
    await openWithKeyboard(user);
    // The search box has the focus; the hits are contacts and organisations.
    expect(screen.getByTestId("interaction-with")).toHaveFocus();
    await chooseWith(user, "acme", "Acme Ltd");
    expect(core.callsOf("search.query").at(-1)).toEqual({ text: "acme", limit: 8, entities: ["contact", "organisation"] });
    expect(screen.getByTestId("interaction-with")).toHaveValue("Acme Ltd");

    // Picked: on to the topic, whose list offers the active topics only, filtered as one types.
    await waitFor(() => expect(screen.getByTestId("interaction-topic")).toHaveFocus());
    expect(screen.getAllByTestId("interaction-topic-option").map((o) => o.textContent)).toEqual(["Complaint", "Delivery"]);
    await user.keyboard("deli");
    expect(screen.getAllByTestId("interaction-topic-option").map((o) => o.textContent)).toEqual(["Delivery"]);
    await user.keyboard("{Enter}");
    expect(screen.getByTestId("interaction-topic")).toHaveValue("Delivery");

    // Picked: on to the summary. The channel is the phone, its form oral, when now, who oneself.
    await waitFor(() => expect(screen.getByTestId("interaction-summary")).toHaveFocus());
    await user.keyboard("The lorry is late; promised Friday.");
    expect(screen.getByTestId("interaction-channel-phone")).toBeChecked();
    expect(screen.getByTestId("interaction-form-oral")).toBeChecked();
    expect(screen.getByTestId("interaction-responsible")).toHaveValue(ME.id);
    await user.keyboard("{Control>}{Enter}{/Control}");

    await waitFor(() => expect(core.callsOf("interactions.log")).toHaveLength(1));
    expect(core.callsOf("interactions.log")[0]).toEqual({
      topic_id: DELIVERY.id,
      channel: "phone",
      summary: "The lorry is late; promised Friday.",
      organisation_id: ACME.id,
    });
    expect(await screen.findByTestId("interaction-saved")).toHaveTextContent("Interaction logged: Acme Ltd.");
    expect(screen.queryByTestId("log-interaction-dialog")).toBeNull();
  });

  it("says which organisation a contact works at, and sends the contact alone", async () => {
    const user = userEvent.setup();
    const core = renderApp();
    await openWithKeyboard(user);
    await user.keyboard("anna");
    const option = await screen.findByTestId("interaction-with-option");
    await waitFor(() => expect(within(option).getByTestId("interaction-with-organisation")).toHaveTextContent("Acme Ltd"));
    expect(option).toHaveTextContent("Contact");
    await user.keyboard("{Enter}");
    await user.keyboard("compl{Enter}");
    await user.keyboard("Wants a refund.{Control>}{Enter}{/Control}");
    await waitFor(() => expect(core.callsOf("interactions.log")).toHaveLength(1));
    expect(core.callsOf("interactions.log")[0]).toEqual({ topic_id: COMPLAINT.id, channel: "phone", summary: "Wants a refund.", contact_id: ANNA_C.id });
  });

  it("takes the form from the channel until the person chooses one, and sends only what was set", async () => {
    const user = userEvent.setup();
    const core = renderApp();
    await openWithKeyboard(user);
    await chooseWith(user, "acme", "Acme Ltd");
    await user.keyboard("deli{Enter}");

    // The channel is reached by Tab (back from the summary) and changed with the arrow keys.
    await user.keyboard("{Shift>}{Tab}{/Shift}");
    expect(screen.getByTestId("interaction-channel-phone")).toHaveFocus();
    await user.keyboard("{ArrowRight}");
    expect(screen.getByTestId("interaction-channel-email")).toBeChecked();
    expect(screen.getByTestId("interaction-form-written")).toBeChecked();
    await user.keyboard("{ArrowRight}");
    expect(screen.getByTestId("interaction-channel-meeting")).toBeChecked();
    expect(screen.getByTestId("interaction-form-oral")).toBeChecked();

    // Chosen, the form stays when the channel changes.
    await user.click(screen.getByTestId("interaction-form-visual"));
    await user.click(screen.getByTestId("interaction-channel-letter"));
    expect(screen.getByTestId("interaction-form-visual")).toBeChecked();

    await user.selectOptions(screen.getByTestId("interaction-responsible"), BORIS.id);
    await user.type(screen.getByTestId("interaction-summary"), "Sent the drawings.");
    await user.click(screen.getByTestId("interaction-save"));
    await waitFor(() => expect(core.callsOf("interactions.log")).toHaveLength(1));
    expect(core.callsOf("interactions.log")[0]).toEqual({
      topic_id: DELIVERY.id,
      channel: "letter",
      form: "visual",
      summary: "Sent the drawings.",
      organisation_id: ACME.id,
      responsible_id: BORIS.id,
    });
  });

  it("sends the time typed as a UTC instant", async () => {
    const user = userEvent.setup();
    const core = renderApp();
    await openWithKeyboard(user);
    await chooseWith(user, "acme", "Acme Ltd");
    await user.keyboard("deli{Enter}Called back.");
    const when = screen.getByTestId("interaction-when");
    await user.clear(when);
    await user.type(when, "2026-11-20T15:30");
    await user.keyboard("{Control>}{Enter}{/Control}");
    await waitFor(() => expect(core.callsOf("interactions.log")).toHaveLength(1));
    expect(core.callsOf("interactions.log")[0].happened_at).toBe(new Date(2026, 10, 20, 15, 30).toISOString());
  });

  it("shows a refused save's field errors in Russian beside their fields and keeps what was typed", async () => {
    window.localStorage.setItem("accord.language", "ru");
    await i18n.changeLanguage("ru");
    const user = userEvent.setup();
    const core = renderApp({
      log: () => {
        throw apiError("invalid_input", { happened_at: { code: "invalid_value", message: "This time is in the future" } });
      },
    });
    await openWithKeyboard(user);
    await chooseWith(user, "acme", "Acme Ltd");
    await user.keyboard("deli{Enter}Позвонили по поводу доставки.");
    await user.keyboard("{Control>}{Enter}{/Control}");

    const error = await screen.findByTestId("interaction-error-happened_at");
    expect(error).toHaveTextContent(i18n.t("interactions.errors.future", { lng: "ru" }));
    expect(error.textContent).toMatch(/ещё не наступило/);
    expect(screen.getByTestId("interaction-when")).toHaveAttribute("aria-invalid", "true");
    // Nothing is lost: the dialog is open with everything typed.
    expect(screen.getByTestId("log-interaction-dialog")).toBeInTheDocument();
    expect(screen.getByTestId("interaction-summary")).toHaveValue("Позвонили по поводу доставки.");
    expect(screen.getByTestId("interaction-with")).toHaveValue("Acme Ltd");
    expect(screen.getByTestId("interaction-topic")).toHaveValue("Delivery");
    expect(core.callsOf("interactions.log")).toHaveLength(1);
    expect(screen.queryByTestId("interaction-saved")).toBeNull();
  });

  it("says what is missing before sending anything", async () => {
    const user = userEvent.setup();
    const core = renderApp();
    await openWithKeyboard(user);
    await user.keyboard("{Control>}{Enter}{/Control}");
    expect(await screen.findByTestId("interaction-error-contact_id")).toHaveTextContent("Choose whom it was with");
    expect(screen.getByTestId("interaction-error-topic_id")).toHaveTextContent("Choose a topic.");
    expect(screen.getByTestId("interaction-error-summary")).toHaveTextContent("This field is required.");
    expect(core.callsOf("interactions.log")).toHaveLength(0);
  });

  it("asks before Esc discards what was typed, and closes at once when nothing was", async () => {
    const user = userEvent.setup();
    renderApp();
    await openWithKeyboard(user);
    await user.keyboard("{Escape}");
    expect(screen.queryByTestId("log-interaction-dialog")).toBeNull();

    await user.keyboard("{Control>}l{/Control}");
    await screen.findByTestId("log-interaction-dialog");
    await chooseWith(user, "acme", "Acme Ltd");
    await user.keyboard("{Escape}");
    // The topic's list closes first, then Esc asks.
    await user.keyboard("{Escape}");
    expect(await screen.findByTestId("interaction-discard")).toBeInTheDocument();
    await user.click(screen.getByTestId("interaction-discard-cancel"));
    expect(screen.queryByTestId("interaction-discard")).toBeNull();
    expect(screen.getByTestId("interaction-with")).toHaveValue("Acme Ltd");
    // Back in the topic, whose list opens again: Esc closes it, the next one asks again.
    expect(screen.getByTestId("interaction-topic")).toHaveFocus();
    await user.keyboard("{Escape}{Escape}");
    await user.click(await screen.findByTestId("interaction-discard-confirm"));
    expect(screen.queryByTestId("log-interaction-dialog")).toBeNull();
  });

  it("is offered by the command palette", async () => {
    const user = userEvent.setup();
    renderApp();
    await screen.findByTestId("nav-interactions");
    await user.keyboard("{Control>}k{/Control}");
    await user.type(screen.getByTestId("palette-input"), "log an");
    await user.click(await screen.findByTestId("palette-command-logInteraction"));
    expect(await screen.findByTestId("log-interaction-dialog")).toBeInTheDocument();
    expect(screen.getByTestId("interaction-with")).toHaveFocus();
  });

  it("does not open for who only reads interactions", async () => {
    const user = userEvent.setup();
    renderApp({ permissions: DESK.filter((p) => p !== "interactions.write") });
    await screen.findByTestId("nav-interactions");
    await user.keyboard("{Control>}l{/Control}");
    await user.keyboard("{Alt>}l{/Alt}");
    expect(screen.queryByTestId("log-interaction-dialog")).toBeNull();
  });
});

describe("no topics yet", () => {
  it("says where an administrator adds them, without offering to add one", async () => {
    const user = userEvent.setup();
    renderApp({ topics: [] });
    await openWithKeyboard(user);
    const none = await screen.findByTestId("interaction-no-topics");
    expect(none).toHaveTextContent("No topics yet: an administrator adds them under Administration → Interaction topics.");
    expect(screen.queryByTestId("interaction-topic-add")).toBeNull();
    expect(screen.queryByTestId("interaction-topic")).toBeNull();
  });

  it("lets who keeps the topics add one inline, which is then chosen", async () => {
    const user = userEvent.setup();
    const core = renderApp({ topics: [], permissions: [...DESK, "interactions.manage_topics"] });
    await openWithKeyboard(user);
    await chooseWith(user, "acme", "Acme Ltd");
    await user.click(await screen.findByTestId("interaction-topic-add"));
    await user.keyboard("Delivery{Enter}");
    await waitFor(() => expect(core.callsOf("interactions.define_topic")).toEqual([{ name: "Delivery" }]));
    expect(await screen.findByTestId("interaction-topic")).toHaveValue("Delivery");
    await user.type(screen.getByTestId("interaction-summary"), "First call.");
    await user.keyboard("{Control>}{Enter}{/Control}");
    await waitFor(() => expect(core.callsOf("interactions.log")).toHaveLength(1));
    expect(core.callsOf("interactions.log")[0].topic_id).toBe(core.state.topics[0].id);
  });
});

describe("files chosen while logging", () => {
  const WITH_FILES = [...DESK, "attachments.read", "attachments.write"] as const;

  it("attaches the file chosen to the interaction once it is logged, without taking the keyboard's flow", async () => {
    const user = userEvent.setup();
    const core = renderApp({ permissions: [...WITH_FILES], files: { chosen: ["/home/anna/Minutes of the call.pdf"] } });
    await openWithKeyboard(user);
    // The search box still has the focus: the files wait their turn.
    expect(screen.getByTestId("interaction-with")).toHaveFocus();
    expect(screen.getByTestId("attach-file")).toBeInTheDocument();
    await chooseWith(user, "acme", "Acme Ltd");
    await user.keyboard("deli{Enter}");
    await waitFor(() => expect(screen.getByTestId("interaction-summary")).toHaveFocus());
    await user.keyboard("Sent the minutes.");

    await user.click(screen.getByTestId("attach-file"));
    const chosen = await screen.findByTestId("attachment-chosen");
    expect(chosen).toHaveTextContent("Minutes of the call.pdf");
    expect(core.callsOf("settings.choose_file")).toEqual([{ purpose: "attachment" }]);
    // Nothing is attached before the interaction exists.
    expect(core.callsOf("attachments.attach")).toEqual([]);

    await user.keyboard("{Control>}{Enter}{/Control}");
    await waitFor(() => expect(core.callsOf("attachments.attach")).toHaveLength(1));
    expect(core.callsOf("interactions.log")).toHaveLength(1);
    const logged = core.state.interactions[0];
    expect(core.callsOf("attachments.attach")[0]).toEqual({ table: "interactions", record_id: logged.id, path: "/home/anna/Minutes of the call.pdf" });
    const ops = core.calls.map((c) => c.op);
    expect(ops.indexOf("interactions.log")).toBeLessThan(ops.indexOf("attachments.attach"));
    expect(await screen.findByTestId("interaction-saved")).toHaveTextContent("Interaction logged: Acme Ltd.");
    expect(screen.queryByTestId("log-interaction-dialog")).toBeNull();
    expect(screen.queryByTestId("interaction-attach-failed")).toBeNull();
    // Ctrl+Enter on the focused "Attach files…" button saved: it did not open the dialog again.
    expect(core.callsOf("settings.choose_file")).toHaveLength(1);
  });

  it("attaches the files in the order chosen, leaves out those taken off, and says which one was refused and why", async () => {
    const user = userEvent.setup();
    const refusal = "Scan.tiff is 31.2 MB; files of up to 25 MB are attached.";
    const core = renderApp({
      permissions: [...WITH_FILES],
      files: {
        chosen: ["/home/anna/Offer.pdf", "/home/anna/Scan.tiff", "/home/anna/Notes.txt", null],
        attach: (input) => {
          if (input.path.endsWith("Scan.tiff")) throw apiError("invalid_input", { path: { code: "too_long", message: refusal } });
          return attachment({ record_id: input.record_id, file_name: input.path.split("/").pop() });
        },
      },
    });
    await openWithKeyboard(user);
    await chooseWith(user, "acme", "Acme Ltd");
    await user.keyboard("deli{Enter}Sent the offer and the scan.");

    const add = screen.getByTestId("attach-file");
    await user.click(add);
    await user.click(add);
    await user.click(add);
    await waitFor(() => expect(screen.getAllByTestId("attachment-chosen")).toHaveLength(3));
    // The dialog closed without a file: the list stays as it is.
    await user.click(add);
    await waitFor(() => expect(core.callsOf("settings.choose_file")).toHaveLength(4));
    expect(screen.getAllByTestId("attachment-chosen").map((f) => f.textContent)).toEqual(["Offer.pdf×", "Scan.tiff×", "Notes.txt×"]);

    const notes = screen.getAllByTestId("attachment-chosen")[2];
    await user.click(within(notes).getByTestId("attachment-chosen-remove"));
    expect(screen.getAllByTestId("attachment-chosen")).toHaveLength(2);
    expect(add).toHaveFocus();

    await user.click(screen.getByTestId("interaction-save"));
    await waitFor(() => expect(core.callsOf("attachments.attach")).toHaveLength(2));
    const logged = core.state.interactions[0];
    expect(core.callsOf("attachments.attach").map((c) => [c.record_id, c.path])).toEqual([
      [logged.id, "/home/anna/Offer.pdf"],
      [logged.id, "/home/anna/Scan.tiff"],
    ]);
    // The interaction stays logged; the refusal is said until dismissed.
    expect(await screen.findByTestId("interaction-saved")).toHaveTextContent("Interaction logged: Acme Ltd.");
    const failed = await screen.findByTestId("interaction-attach-failed");
    expect(failed).toHaveAttribute("role", "alert");
    expect(failed).toHaveTextContent("The interaction was logged, but 1 file was not attached:");
    expect(screen.getAllByTestId("interaction-attach-failed-file").map((f) => f.textContent)).toEqual([
      "Scan.tiff: The file is larger than Accord keeps (25 MB at most). Attach a smaller file: compress it or split it.",
    ]);
    await user.click(screen.getByTestId("interaction-attach-failed-dismiss"));
    expect(screen.queryByTestId("interaction-attach-failed")).toBeNull();
  });

  it("asks before Esc discards the files chosen", async () => {
    const user = userEvent.setup();
    renderApp({ permissions: [...WITH_FILES], files: { chosen: ["/home/anna/Offer.pdf"] } });
    await openWithKeyboard(user);
    await user.click(screen.getByTestId("attach-file"));
    await screen.findByTestId("attachment-chosen");
    await user.keyboard("{Escape}");
    expect(await screen.findByTestId("interaction-discard")).toBeInTheDocument();
  });

  it("offers no files to who may not attach them", async () => {
    const user = userEvent.setup();
    renderApp({ permissions: [...DESK, "attachments.read"] });
    await openWithKeyboard(user);
    expect(screen.queryByTestId("attach-file")).toBeNull();
  });

  it("lists the files of an interaction being corrected, to attach more or remove them", async () => {
    const user = userEvent.setup();
    const CALL = interaction({ id: "0198d000-0000-7000-8000-0000000000c1" });
    const MINUTES = attachment({ record_id: CALL.id, file_name: "Minutes.pdf" });
    const core = renderApp(
      { interactions: [CALL], permissions: [...WITH_FILES], files: { attachments: [MINUTES], chosen: ["/home/anna/Offer.pdf"] } },
      { screen: "customers", view: { kind: "card", id: ACME.id } },
    );
    await user.click(await screen.findByTestId("card-tab-interactions"));
    const row = await screen.findByTestId("interaction-row");
    await user.click(within(row).getByTestId("interaction-edit"));
    const dialog = await screen.findByTestId("log-interaction-dialog");
    // Correcting starts in the summary, as before.
    await waitFor(() => expect(screen.getByTestId("interaction-summary")).toHaveFocus());
    expect(within(dialog).queryByTestId("attach-file")).toBeNull();
    const panel = within(dialog).getByTestId("attachments-panel");
    await waitFor(() => expect(within(panel).getAllByTestId("attachment-row").map((r) => r.textContent)).toEqual([expect.stringContaining("Minutes.pdf")]));

    await user.click(within(panel).getByTestId("attachments-add"));
    await waitFor(() => expect(within(panel).getAllByTestId("attachment-row")).toHaveLength(2));
    expect(core.callsOf("attachments.attach")).toEqual([{ table: "interactions", record_id: CALL.id, path: "/home/anna/Offer.pdf" }]);
  });
});

import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { App } from "../../../app/App";
import { i18n } from "../../../i18n";
import { COMPLAINT, DELIVERY, interactionsCore, OLD_PRICES } from "../../../test/fakeInteractions";

const KEEPER = ["interactions.read", "interactions.manage_topics"] as const;

function renderTopics() {
  const core = interactionsCore({ permissions: [...KEEPER] });
  render(<App transport={core.transport} initialRoute={{ screen: "admin" }} />);
  return core;
}

const names = () => screen.getAllByTestId("topic-row").map((row) => within(row).getByTestId("topic-name").textContent);
const rowOf = (name: string) => screen.getAllByTestId("topic-row").find((row) => within(row).queryByTestId("topic-name")?.textContent === name)!;

describe("administration: interaction topics", () => {
  it("is a tab of its own for who keeps the topics, listing the active ones by name", async () => {
    renderTopics();
    // Who keeps the topics and nothing else sees this tab alone.
    expect(await screen.findByTestId("admin-tab-topics")).toHaveAttribute("aria-selected", "true");
    expect(screen.queryByTestId("admin-tab-users")).toBeNull();
    await screen.findByTestId("topics-list");
    expect(names()).toEqual(["Complaint", "Delivery"]);
  });

  it("adds a topic, and shows the core's refusal of a name already taken under the name", async () => {
    const user = userEvent.setup();
    const core = renderTopics();
    await screen.findByTestId("topics-list");
    await user.type(screen.getByTestId("topic-add-name"), "delivery");
    await user.keyboard("{Enter}");
    expect(await screen.findByTestId("topic-add-error")).toHaveTextContent("There already is a topic with this name.");
    expect(screen.getByTestId("topic-add-name")).toHaveValue("delivery");
    expect(screen.getByTestId("topic-add-name")).toHaveAttribute("aria-invalid", "true");

    await user.clear(screen.getByTestId("topic-add-name"));
    await user.type(screen.getByTestId("topic-add-name"), "Invoices");
    await user.click(screen.getByTestId("topic-add"));
    await waitFor(() => expect(names()).toEqual(["Complaint", "Delivery", "Invoices"]));
    expect(core.callsOf("interactions.define_topic")).toEqual([{ name: "delivery" }, { name: "Invoices" }]);
    expect(screen.getByTestId("topics-notice")).toHaveTextContent("“Invoices” added.");
    expect(screen.getByTestId("topic-add-name")).toHaveValue("");
    expect(screen.queryByTestId("topic-add-error")).toBeNull();
  });

  it("says the refusal in Russian", async () => {
    window.localStorage.setItem("accord.language", "ru");
    await i18n.changeLanguage("ru");
    const user = userEvent.setup();
    renderTopics();
    await screen.findByTestId("topics-list");
    await user.type(screen.getByTestId("topic-add-name"), "DELIVERY{Enter}");
    expect(await screen.findByTestId("topic-add-error")).toHaveTextContent("Тема с таким названием уже есть.");
  });

  it("renames a topic in its row, keeping what was typed when the name is refused", async () => {
    const user = userEvent.setup();
    const core = renderTopics();
    await screen.findByTestId("topics-list");
    await user.click(within(rowOf("Delivery")).getByTestId("topic-rename"));
    const input = screen.getByTestId("topic-rename-input");
    expect(input).toHaveFocus();
    await user.clear(input);
    await user.type(input, "Complaint{Enter}");
    expect(await screen.findByTestId("topic-rename-error")).toHaveTextContent("There already is a topic with this name.");
    expect(screen.getByTestId("topic-rename-input")).toHaveValue("Complaint");

    await user.clear(screen.getByTestId("topic-rename-input"));
    await user.type(screen.getByTestId("topic-rename-input"), "Deliveries{Enter}");
    await waitFor(() => expect(names()).toEqual(["Complaint", "Deliveries"]));
    expect(core.callsOf("interactions.rename_topic")).toEqual([
      { id: DELIVERY.id, version: 1, name: "Complaint" },
      { id: DELIVERY.id, version: 1, name: "Deliveries" },
    ]);

    // Esc leaves a rename without sending it.
    await user.click(within(rowOf("Complaint")).getByTestId("topic-rename"));
    await user.keyboard("{Escape}");
    expect(screen.queryByTestId("topic-rename-input")).toBeNull();
    expect(core.callsOf("interactions.rename_topic")).toHaveLength(2);
  });

  it("retires a topic, lists it with the retired ones, and restores it", async () => {
    const user = userEvent.setup();
    const core = renderTopics();
    await screen.findByTestId("topics-list");
    await user.click(within(rowOf("Complaint")).getByTestId("topic-retire"));
    await waitFor(() => expect(names()).toEqual(["Delivery"]));
    expect(core.callsOf("interactions.retire_topic")).toEqual([{ id: COMPLAINT.id, version: 1 }]);
    expect(screen.getByTestId("topics-notice")).toHaveTextContent("“Complaint” is retired");

    await user.click(screen.getByTestId("topics-show-retired"));
    expect(names()).toEqual(["Complaint", "Delivery", "Old prices"]);
    const complaint = rowOf("Complaint");
    expect(complaint).toHaveAttribute("data-retired", "true");
    expect(within(complaint).queryByTestId("topic-rename")).toBeNull();
    await user.click(within(complaint).getByTestId("topic-restore"));
    await waitFor(() => expect(rowOf("Complaint")).not.toHaveAttribute("data-retired"));
    expect(core.callsOf("interactions.restore_topic")).toEqual([{ id: COMPLAINT.id, version: 2 }]);
    expect(rowOf(OLD_PRICES.name)).toHaveAttribute("data-retired", "true");
  });
});

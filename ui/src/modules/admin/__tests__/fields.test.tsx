import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import type { CustomField, SessionStatus } from "../../../api/generated";
import { App } from "../../../app/App";
import { apiError, customField, fakeTransport, listFields, signedIn } from "../../../test/fakeTransport";

const ADMINISTRATOR = signedIn({ id: "user-anna", display_name: "Anna", all_permissions: true });

const INITIAL: CustomField[] = [
  customField({ key: "segment", label: "Segment", position: 0 }),
  customField({
    key: "tier",
    label: "Tier",
    kind: "choice",
    position: 1,
    choices: [
      { key: "gold", label: "Gold", retired: false },
      { key: "silver", label: "Silver", retired: false },
    ],
  }),
  customField({ key: "legacy", label: "Legacy code", position: 2, retired_at: "2026-11-21T09:00:00Z", version: 2 }),
  customField({ key: "birthday", label: "Birthday", kind: "date", record_table: "contacts", position: 0 }),
];

/** A fake core whose field operations really change its fields. */
function fieldsCore(session: SessionStatus = ADMINISTRATOR) {
  let fields = INITIAL.map((f) => ({ ...f }));
  const bump = (id: string, change: Partial<CustomField>) => {
    fields = fields.map((f) => (f.id === id ? { ...f, ...change, version: f.version + 1 } : f));
    return fields.find((f) => f.id === id)!;
  };
  const fake = fakeTransport({
    "session.get": () => session,
    "security.list_users": () => ({ users: [] }),
    "security.list_roles": () => ({ roles: [], permissions: [] }),
    "security.list_departments": () => ({ departments: [] }),
    "security.list_colleagues": () => ({ users: [], departments: [] }),
    "fields.list": listFields(() => [...fields].sort((a, b) => a.position - b.position)),
    "fields.define": (input) => {
      if (input.label.trim() === "") throw apiError("invalid_input", { label: { code: "required", message: "a label" } });
      const key = input.label.toLowerCase().replace(/\W+/g, "_");
      const added = customField({
        key,
        label: input.label,
        kind: input.kind,
        record_table: input.record_table,
        position: fields.filter((f) => f.record_table === input.record_table).length,
        choices: (input.choices ?? []).map((c, i) => ({ key: `c${i + 1}`, label: c.label, retired: false })),
        link_table: input.link_table ?? null,
      });
      fields = [...fields, added];
      return added;
    },
    "fields.reorder": ({ ids }) => {
      fields = fields.map((f) => (ids.includes(f.id) ? { ...f, position: ids.indexOf(f.id) } : f));
      return fields.filter((f) => ids.includes(f.id));
    },
    "fields.update": ({ id, label, choices }) =>
      bump(id, {
        ...(label !== undefined ? { label } : {}),
        ...(choices ? { choices: choices.map((c, i) => ({ key: c.key ?? `new${i}`, label: c.label, retired: c.retired ?? false })) } : {}),
      }),
    "fields.retire": ({ id }) => bump(id, { retired_at: "2026-11-23T09:00:00Z" }),
    "fields.restore": ({ id }) => bump(id, { retired_at: null }),
  });
  render(<App transport={fake.transport} initialRoute={{ screen: "admin" }} />);
  return fake;
}

async function openFieldsTab() {
  const user = userEvent.setup();
  await user.click(await screen.findByTestId("admin-tab-fields"));
  await screen.findByTestId("fields-tab");
  await screen.findByTestId("field-row-segment");
  return user;
}

const rowKeys = () => screen.getAllByTestId(/^field-row-/).map((row) => row.dataset.testid!.slice("field-row-".length));

describe("administration: custom fields", () => {
  it("is a tab for who may manage fields only", async () => {
    fieldsCore(signedIn({ permissions: ["users.manage", "fields.read", "session.use"] }));
    await screen.findByTestId("admin-tab-users");
    expect(screen.queryByTestId("admin-tab-fields")).toBeNull();
  });

  it("lists a kind's fields in their order, the retired ones muted and marked", async () => {
    fieldsCore();
    const user = await openFieldsTab();
    expect(screen.getByTestId("fields-kind-select")).toHaveDisplayValue("Organisations");
    expect(rowKeys()).toEqual(["segment", "tier", "legacy"]);
    const legacy = screen.getByTestId("field-row-legacy");
    expect(legacy).toHaveClass("field-retired");
    expect(legacy).toHaveTextContent("retired");
    expect(screen.getByTestId("field-row-tier")).toHaveTextContent(/Choice from a list\s*Gold\s*Silver/);
    expect(screen.getByTestId("field-restore-legacy")).toBeInTheDocument();
    expect(screen.queryByTestId("field-retire-legacy")).toBeNull();
    // The first cannot go up, the last cannot go down.
    expect(screen.getByTestId("field-up-segment")).toBeDisabled();
    expect(screen.getByTestId("field-down-legacy")).toBeDisabled();

    await user.selectOptions(screen.getByTestId("fields-kind-select"), "contacts");
    expect(rowKeys()).toEqual(["birthday"]);
  });

  it("adds a choice field with one choice per line, and a link field with the kind it points to", async () => {
    const fake = fieldsCore();
    const user = await openFieldsTab();
    await user.type(screen.getByTestId("field-add-label"), "Region");
    await user.selectOptions(screen.getByTestId("field-add-kind"), "multi_choice");
    expect(screen.queryByTestId("field-add-link-table")).toBeNull();
    await user.type(screen.getByTestId("field-add-choices"), "North{Enter}{Enter}  South  {Enter}East");
    await user.click(screen.getByTestId("field-add-submit"));

    expect(await screen.findByTestId("field-row-region")).toHaveTextContent(/Several choices\s*North\s*South\s*East/);
    expect(fake.callsOf("fields.define")).toEqual([
      { record_table: "organisations", label: "Region", kind: "multi_choice", choices: [{ label: "North" }, { label: "South" }, { label: "East" }] },
    ]);
    expect(screen.getByTestId("fields-notice")).toHaveTextContent("The field “Region” was added.");
    expect(screen.getByTestId("field-add-label")).toHaveValue("");

    await user.type(screen.getByTestId("field-add-label"), "Main contact");
    await user.selectOptions(screen.getByTestId("field-add-kind"), "link");
    expect(screen.queryByTestId("field-add-choices")).toBeNull();
    await user.selectOptions(screen.getByTestId("field-add-link-table"), "contacts");
    await user.click(screen.getByTestId("field-add-submit"));
    expect(await screen.findByTestId("field-row-main_contact")).toHaveTextContent("Links to: Contacts");
    expect(fake.callsOf("fields.define").at(-1)).toEqual({ record_table: "organisations", label: "Main contact", kind: "link", link_table: "contacts" });
  });

  it("shows the core's problem with the label beside it", async () => {
    const fake = fieldsCore();
    const user = await openFieldsTab();
    await user.click(screen.getByTestId("field-add-submit"));
    expect(await screen.findByTestId("field-add-label-error")).toHaveTextContent("This field is required.");
    expect(screen.getByTestId("field-add-label")).toHaveAttribute("aria-invalid", "true");
    expect(fake.callsOf("fields.define")).toEqual([{ record_table: "organisations", label: "", kind: "text" }]);
  });

  it("moves a field with every field of the kind, retired ones included, in the new order", async () => {
    const fake = fieldsCore();
    const user = await openFieldsTab();
    await user.click(screen.getByTestId("field-down-segment"));
    await waitFor(() => expect(rowKeys()).toEqual(["tier", "segment", "legacy"]));
    expect(fake.callsOf("fields.reorder")).toEqual([{ record_table: "organisations", ids: ["field-tier", "field-segment", "field-legacy"] }]);

    await user.click(screen.getByTestId("field-up-legacy"));
    await waitFor(() => expect(rowKeys()).toEqual(["tier", "legacy", "segment"]));
    expect(fake.callsOf("fields.reorder").at(-1)).toEqual({ record_table: "organisations", ids: ["field-tier", "field-legacy", "field-segment"] });
  });

  it("retires a field after a question that says its values and history are kept, and restores it", async () => {
    const fake = fieldsCore();
    const user = await openFieldsTab();
    await user.click(screen.getByTestId("field-retire-segment"));
    const dialog = screen.getByTestId("field-retire-dialog");
    expect(dialog).toHaveTextContent("Retire the field “Segment”?");
    expect(dialog).toHaveTextContent("The values records hold and their history are kept");
    await user.click(within(dialog).getByTestId("field-retire-confirm"));

    await waitFor(() => expect(screen.getByTestId("field-row-segment")).toHaveClass("field-retired"));
    expect(fake.callsOf("fields.retire")).toEqual([{ id: "field-segment", version: 1 }]);
    expect(screen.queryByTestId("field-retire-dialog")).toBeNull();

    await user.click(screen.getByTestId("field-restore-legacy"));
    await waitFor(() => expect(screen.getByTestId("field-row-legacy")).not.toHaveClass("field-retired"));
    expect(fake.callsOf("fields.restore")).toEqual([{ id: "field-legacy", version: 2 }]);
  });

  it("renames a field and edits its choices: every existing one kept by key, new ones after them", async () => {
    const fake = fieldsCore();
    const user = await openFieldsTab();
    await user.click(screen.getByTestId("field-edit-tier"));
    const label = screen.getByTestId("field-edit-label");
    expect(label).toHaveValue("Tier");
    await user.clear(label);
    await user.type(label, "Customer tier");
    await user.clear(screen.getByTestId("field-edit-choice-silver"));
    await user.type(screen.getByTestId("field-edit-choice-silver"), "Silver+");
    await user.click(screen.getByTestId("field-edit-choice-retired-gold"));
    await user.type(screen.getByTestId("field-edit-new-choices"), "Platinum");
    await user.click(screen.getByTestId("field-edit-save"));

    await waitFor(() => expect(screen.getByTestId("field-row-tier")).toHaveTextContent("Customer tier"));
    expect(fake.callsOf("fields.update")).toEqual([
      {
        id: "field-tier",
        version: 1,
        label: "Customer tier",
        choices: [
          { key: "gold", label: "Gold", retired: true },
          { key: "silver", label: "Silver+", retired: false },
          { label: "Platinum" },
        ],
      },
    ]);
    expect(screen.queryByTestId("field-edit-form")).toBeNull();
  });

  it("puts the choices in another order, which selects then offer", async () => {
    const fake = fieldsCore();
    const user = await openFieldsTab();
    await user.click(screen.getByTestId("field-edit-tier"));
    expect(screen.getByTestId("field-edit-choice-up-gold")).toBeDisabled();
    await user.click(screen.getByTestId("field-edit-choice-down-gold"));
    await user.click(screen.getByTestId("field-edit-save"));
    await waitFor(() => expect(fake.callsOf("fields.update")).toHaveLength(1));
    expect(fake.callsOf("fields.update")[0].choices).toEqual([
      { key: "silver", label: "Silver", retired: false },
      { key: "gold", label: "Gold", retired: false },
    ]);
  });

  it("sends nothing when the edit changed nothing", async () => {
    const fake = fieldsCore();
    const user = await openFieldsTab();
    await user.click(screen.getByTestId("field-edit-segment"));
    await user.click(screen.getByTestId("field-edit-save"));
    expect(await screen.findByText("Nothing has changed.")).toBeInTheDocument();
    expect(fake.callsOf("fields.update")).toEqual([]);
  });
});

import { cleanup, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CustomField, HistoryEntry, Organisation } from "../../../api/generated";
import { App } from "../../../app/App";
import { apiError, customField, emptyPage, fakeTransport, listFields, organisation, page, row } from "../../../test/fakeTransport";

const GLOBEX = "0192f3a4-7b1c-7def-8abc-000000000002";

const FIELDS: CustomField[] = [
  customField({ key: "segment", label: "Segment", position: 0 }),
  customField({ key: "employees", label: "Employees", kind: "number", position: 1 }),
  customField({
    key: "tier",
    label: "Tier",
    kind: "choice",
    position: 2,
    choices: [
      { key: "gold", label: "Gold", retired: false },
      { key: "silver", label: "Silver", retired: false },
    ],
  }),
  customField({ key: "parent", label: "Parent company", kind: "link", link_table: "organisations", position: 3 }),
  customField({ key: "legacy", label: "Legacy code", position: 4, retired_at: "2026-11-21T09:00:00Z" }),
  customField({ key: "birthday", label: "Birthday", kind: "date", record_table: "contacts", position: 0 }),
];

function titles({ ids }: { ids: string[] }) {
  return { hits: ids.filter((id) => id === GLOBEX).map((id) => ({ entity: "organisation" as const, id, title: "Globex", subtitle: null, archived: false })) };
}

describe("custom fields on the organisation form", () => {
  it("are offered after the built-in fields, and a new organisation is sent with the values filled in", async () => {
    const user = userEvent.setup();
    const fake = fakeTransport({
      "customers.list_organisations": () => emptyPage,
      "fields.list": listFields(FIELDS),
      "customers.create_organisation": (input) => ({ organisation: organisation({ id: "org-9", name: input.name, custom: input.custom ?? {} }), duplicates: [] }),
      "customers.get_organisation": () => ({ organisation: organisation({ id: "org-9" }), contacts: [], relations: [] }),
    });
    render(<App transport={fake.transport} initialRoute={{ screen: "customers", view: { kind: "new" } }} />);

    const employees = await screen.findByTestId("custom-input-employees");
    // After the last built-in field; the retired field and the contacts' field are not offered.
    const notes = screen.getByTestId("org-field-notes");
    expect(notes.compareDocumentPosition(employees) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    expect(screen.queryByTestId("custom-input-legacy")).toBeNull();
    expect(screen.queryByTestId("custom-input-birthday")).toBeNull();

    await user.type(screen.getByTestId("org-field-name"), "Acme Ltd");
    await user.type(employees, "۱۲۰");
    await user.selectOptions(screen.getByTestId("custom-input-tier"), "silver");
    await user.click(screen.getByTestId("org-save"));

    await screen.findByTestId("org-card");
    expect(fake.callsOf("customers.create_organisation")).toEqual([
      { name: "Acme Ltd", kind: "customer", custom: { employees: 120, tier: "silver" } },
    ]);
  });

  it("sends only the changed custom keys on update, a cleared one as null, and counts them as changes", async () => {
    const user = userEvent.setup();
    const org = organisation({ id: "org-7", version: 5, custom: { segment: "Retail", employees: 40, tier: "gold", legacy: "X-1" } });
    const fake = fakeTransport({
      "customers.list_organisations": () => emptyPage,
      "fields.list": listFields(FIELDS),
      "search.titles": titles,
      "customers.get_organisation": () => ({ organisation: org, contacts: [], relations: [] }),
      "customers.update_organisation": ({ changes }) => ({ organisation: { ...org, version: 6, custom: { ...org.custom, ...changes.custom } }, duplicates: [] }),
    });
    render(<App transport={fake.transport} initialRoute={{ screen: "customers", view: { kind: "edit", id: "org-7" } }} />);

    const employees = await screen.findByTestId("custom-input-employees");
    expect(employees).toHaveValue("40");
    expect(screen.getByTestId("custom-input-tier")).toHaveValue("gold");

    // Nothing edited: nothing is sent.
    await user.click(screen.getByTestId("org-save"));
    expect(await screen.findByText("Nothing has changed.")).toBeInTheDocument();
    expect(fake.callsOf("customers.update_organisation")).toEqual([]);

    await user.clear(employees);
    await user.type(employees, "41");
    await user.clear(screen.getByTestId("custom-input-segment"));
    // Chosen away and back: unchanged.
    await user.selectOptions(screen.getByTestId("custom-input-tier"), "silver");
    await user.selectOptions(screen.getByTestId("custom-input-tier"), "gold");
    await user.click(screen.getByTestId("org-save"));

    await screen.findByTestId("org-card");
    expect(fake.callsOf("customers.update_organisation")).toEqual([
      { id: "org-7", version: 5, changes: { custom: { segment: null, employees: 41 } } },
    ]);
  });

  it("shows a custom value's problem beside its editor, and one no editor shows in the banner by the field's label", async () => {
    const user = userEvent.setup();
    const fake = fakeTransport({
      "customers.list_organisations": () => emptyPage,
      "fields.list": listFields(FIELDS),
      "customers.create_organisation": () => {
        throw apiError("invalid_input", {
          "custom.employees": { code: "invalid_value", message: "not a whole number" },
          "custom.legacy": { code: "archived", message: "retired" },
          "custom.ghost": { code: "unknown_field", message: "no such field" },
        });
      },
    });
    render(<App transport={fake.transport} initialRoute={{ screen: "customers", view: { kind: "new" } }} />);
    await user.type(await screen.findByTestId("org-field-name"), "Acme Ltd");
    await user.type(await screen.findByTestId("custom-input-employees"), "12.5");
    await user.click(screen.getByTestId("org-save"));

    const problem = await screen.findByTestId("custom-error-employees");
    expect(problem).toHaveTextContent("Type a whole number, such as 120.");
    expect(screen.getByTestId("custom-input-employees").closest(".field")).toContainElement(problem);
    const banner = screen.getByTestId("form-error");
    expect(banner).toHaveTextContent("Legacy code: This field was retired in the meantime: its value can no longer be changed.");
    expect(banner).toHaveTextContent("custom.ghost: This field is not known.");
    expect(banner).not.toHaveTextContent("Employees");
    expect(fake.callsOf("customers.create_organisation")[0]).toMatchObject({ custom: { employees: "12.5" } });
  });
});

describe("custom fields on the card", () => {
  function renderCard(org: Organisation, history: HistoryEntry[] = []) {
    const fake = fakeTransport({
      "customers.list_organisations": () => emptyPage,
      "fields.list": listFields(FIELDS),
      "search.titles": titles,
      "customers.get_organisation": () => ({ organisation: org, contacts: [], relations: [] }),
      "history.record": () => ({ entries: history }),
    });
    render(<App transport={fake.transport} initialRoute={{ screen: "customers", view: { kind: "card", id: org.id } }} />);
    return fake;
  }

  it("shows the active fields' values and a retired field's value, marked", async () => {
    renderCard(organisation({ custom: { employees: 1250, tier: "gold", parent: GLOBEX, legacy: "X-1" } }));
    const block = await screen.findByTestId("custom-values");
    expect(within(block).getByRole("heading")).toHaveTextContent("Custom fields");
    expect(within(block).getByTestId("custom-value-segment")).toHaveTextContent("—");
    expect(within(block).getByTestId("custom-value-employees")).toHaveTextContent("1,250");
    expect(within(block).getByTestId("custom-value-tier")).toHaveTextContent("Gold");
    await waitFor(() => expect(within(block).getByTestId("custom-value-parent")).toHaveTextContent("Globex"));
    expect(within(block).getByTestId("custom-value-legacy")).toHaveTextContent(/Legacy code\s*retired\s*X-1/);
    expect(within(block).queryByTestId("custom-value-birthday")).toBeNull();
  });

  it("names custom values in history by their field's label, retired ones too, and shows them by kind", async () => {
    const user = userEvent.setup();
    renderCard(organisation(), [
      {
        stamp: "1",
        at: "2026-11-22T09:00:00Z",
        actor_id: "user-1",
        actor_name: "Anna",
        device_id: "d",
        operation: "customers.update_organisation",
        action: "update",
        fields: [
          { field: "custom.tier", old: "gold", new: "silver" },
          { field: "custom.legacy", old: "X-1", new: null },
          { field: "custom.parent", old: null, new: GLOBEX },
        ],
      },
    ]);
    await user.click(await screen.findByTestId("card-tab-history"));
    const entry = await screen.findByTestId("history-entry");
    await waitFor(() => expect(entry).toHaveTextContent(/Tier\s*Gold\s*→\s*Silver/));
    expect(entry).toHaveTextContent(/Legacy code\s*X-1\s*→\s*\(empty\)/);
    await waitFor(() => expect(entry).toHaveTextContent(/Parent company\s*\(empty\)\s*→\s*Globex/));
    expect(entry).not.toHaveTextContent("custom.");
  });
});

describe("custom fields on a contact", () => {
  it("are offered in the contact form and sent with a new contact", async () => {
    const user = userEvent.setup();
    const fake = fakeTransport({
      "customers.list_organisations": () => emptyPage,
      "fields.list": listFields(FIELDS),
      "customers.get_organisation": () => ({ organisation: organisation({ id: "org-1" }), contacts: [], relations: [] }),
      "customers.create_contact": (input) => {
        throw apiError("invalid_input", { "custom.birthday": { code: "invalid_value", message: `bad ${String(input.custom?.birthday)}` } });
      },
    });
    render(<App transport={fake.transport} initialRoute={{ screen: "customers", view: { kind: "card", id: "org-1" } }} />);
    await user.click(await screen.findByTestId("card-tab-contacts"));
    await user.click(await screen.findByTestId("add-contact"));
    const form = screen.getByTestId("contact-form");
    const birthday = await within(form).findByTestId("custom-input-birthday");
    expect(within(form).queryByTestId("custom-input-segment")).toBeNull();
    await user.type(within(form).getByTestId("contact-field-first_name"), "Anna");
    await user.type(birthday, "1990-04-01");
    await user.click(within(form).getByTestId("contact-save"));

    expect(await within(form).findByTestId("custom-error-birthday")).toHaveTextContent("Pick a date from the calendar.");
    expect(fake.callsOf("customers.create_contact")).toEqual([
      { first_name: "Anna", organisation_id: "org-1", custom: { birthday: "1990-04-01" } },
    ]);
  });
});

describe("custom fields as list columns", () => {
  // jsdom has no layout: give the scroll container a viewport of 20 rows.
  let restore: () => void;
  beforeAll(() => {
    const original = Object.getOwnPropertyDescriptor(HTMLElement.prototype, "clientHeight");
    Object.defineProperty(HTMLElement.prototype, "clientHeight", {
      configurable: true,
      get() {
        return (this as HTMLElement).dataset.testid === "customers-list" ? 640 : 0;
      },
    });
    restore = () => {
      if (original) Object.defineProperty(HTMLElement.prototype, "clientHeight", original);
    };
  });
  afterAll(() => restore());

  function renderList() {
    const rows = [
      row(0, { custom: { tier: "gold", employees: 1250, parent: GLOBEX } }),
      row(1, { custom: {} }),
    ];
    const fake = fakeTransport({
      "customers.list_organisations": () => page(rows),
      "fields.list": listFields(FIELDS),
      "search.titles": titles,
    });
    render(<App transport={fake.transport} />);
    return fake;
  }

  it("adds the chosen fields as columns, remembered on this computer", async () => {
    const user = userEvent.setup();
    const fake = renderList();
    await screen.findAllByTestId("org-row");
    expect(screen.queryByTestId("custom-cell-tier")).toBeNull();

    await user.click(await screen.findByTestId("columns-button"));
    // Only the organisations' active fields are offered.
    expect(screen.queryByTestId("column-toggle-legacy")).toBeNull();
    expect(screen.queryByTestId("column-toggle-birthday")).toBeNull();
    await user.click(screen.getByTestId("column-toggle-parent"));
    await user.click(screen.getByTestId("column-toggle-tier"));

    const [first, second] = screen.getAllByTestId("org-row");
    expect(within(first).getByTestId("custom-cell-tier")).toHaveTextContent("Gold");
    await waitFor(() => expect(within(first).getByTestId("custom-cell-parent")).toHaveTextContent("Globex"));
    expect(within(second).getByTestId("custom-cell-tier")).toHaveTextContent("");
    // Columns follow the fields' order, whatever order they were ticked in.
    expect(screen.getAllByTestId(/^custom-column-/).map((c) => c.textContent)).toEqual(["Tier", "Parent company"]);
    expect(JSON.parse(window.localStorage.getItem("accord.columns.organisations") ?? "null")).toEqual(["tier", "parent"]);
    // The linked names of the rows on screen are read together.
    expect(fake.callsOf("search.titles")).toEqual([{ ids: [GLOBEX] }]);

    await user.click(screen.getByTestId("column-toggle-parent"));
    expect(within(screen.getAllByTestId("org-row")[0]).queryByTestId("custom-cell-parent")).toBeNull();

    // A new window shows the same columns.
    cleanup();
    renderList();
    const [again] = await screen.findAllByTestId("org-row");
    expect(await within(again).findByTestId("custom-cell-tier")).toHaveTextContent("Gold");
    expect(within(again).queryByTestId("custom-cell-parent")).toBeNull();
  });
});

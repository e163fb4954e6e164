import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import type { ConfirmRecordInput, Contact, ContactRow, Organisation, SessionStatus, StaleRecordsInput } from "../../../api/generated";
import { App } from "../../../app/App";
import { formatDate } from "../../../shared/format";
import { apiError, emptyPage, fakeTransport, organisation, signedIn } from "../../../test/fakeTransport";

const DAY = 24 * 60 * 60 * 1000;
const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();
const NOW = new Date().toISOString();

const ANNA = { id: "user-anna", display_name: "Anna Petrova" };
const READ = ["customers.read", "search.query", "fields.read", "security.directory", "history.read"];
const SALES = signedIn({ ...ANNA, permissions: [...READ, "customers.write", "customers.archive"] });
const READER = signedIn({ ...ANNA, permissions: READ });

function contact(overrides: Partial<Contact> = {}): Contact {
  return {
    id: "c-1",
    organisation_id: "org-1",
    first_name: "Anna",
    last_name: "Ivanova",
    full_name: "Anna Ivanova",
    role: "Buyer",
    email: "anna@acme.example",
    phone: null,
    notes: null,
    custom: {},
    version: 4,
    created_at: ago(400),
    updated_at: ago(400),
    created_by: "user-anna",
    updated_by: "user-anna",
    archived_at: null,
    owner_id: "user-anna",
    department_id: null,
    confirmed_at: null,
    ...overrides,
  };
}

function contactRow(c: Contact): ContactRow {
  const { id, organisation_id, full_name, role, email, phone, custom } = c;
  return { id, organisation_id, full_name, role, email, phone, custom };
}

type Core = {
  session?: SessionStatus;
  org?: Partial<Organisation>;
  contacts?: Contact[];
  /** Organisations' months (12 unless told). */
  months?: number;
  /** Called before a confirmation is applied; may throw. */
  onConfirm?: (input: ConfirmRecordInput) => void;
};

/** A fake core over one organisation and its contacts whose confirmations really change them. */
function cardCore({ session = SALES, org: orgOverrides = {}, contacts = [], months = 12, onConfirm }: Core = {}) {
  const state = {
    org: organisation({ id: "org-1", name: "Acme Ltd", version: 3, created_at: ago(800), ...orgOverrides }),
    contacts: contacts.map((c) => ({ ...c })),
  };
  const fake = fakeTransport({
    "session.get": () => session,
    "customers.list_organisations": () => emptyPage,
    "security.list_colleagues": () => ({ users: [], departments: [] }),
    "fields.list": () => ({ targets: [], link_targets: [], fields: [] }),
    "history.record": () => ({ entries: [] }),
    "freshness.rules": () => ({
      rules: [
        { table: "organisations", months, set: months !== 12 },
        { table: "contacts", months: 12, set: false },
      ],
    }),
    // One's own contacts past their months: those never confirmed here.
    "freshness.stale": ({ table }: StaleRecordsInput) => {
      const records = state.contacts
        .filter((c) => c.confirmed_at === null && (!table || table === "contacts"))
        .map((c) => ({ table: "contacts", id: c.id, title: c.full_name, version: c.version, confirmed_at: null, created_at: c.created_at }));
      return { kinds: [{ table: "contacts", months: 12, count: records.length, records }], total: records.length };
    },
    "customers.get_organisation": () => ({
      organisation: state.org,
      contacts: state.contacts.filter((c) => c.archived_at === null).map(contactRow),
      relations: [],
    }),
    "customers.get_contact": ({ id }) => state.contacts.find((c) => c.id === id)!,
    "customers.update_contact": ({ id, version, changes }) => {
      const before = state.contacts.find((c) => c.id === id)!;
      if (before.version !== version) throw apiError("conflict");
      const after = { ...before, ...changes, version: version + 1 } as Contact;
      state.contacts = state.contacts.map((c) => (c.id === id ? after : c));
      return { contact: after, duplicates: [] };
    },
    "customers.archive_organisation": ({ version }) => {
      if (state.org.version !== version) throw apiError("conflict");
      state.org = { ...state.org, version: version + 1, archived_at: NOW };
      return state.org;
    },
    "freshness.confirm": (input) => {
      onConfirm?.(input);
      if (input.table === "organisations") {
        if (state.org.version !== input.version) throw apiError("conflict");
        state.org = { ...state.org, version: input.version + 1, confirmed_at: NOW };
      } else {
        const before = state.contacts.find((c) => c.id === input.id)!;
        if (before.version !== input.version) throw apiError("conflict");
        state.contacts = state.contacts.map((c) => (c.id === input.id ? { ...c, version: input.version + 1, confirmed_at: NOW } : c));
      }
      return { id: input.id, version: input.version + 1, confirmed_at: NOW };
    },
  });
  render(<App transport={fake.transport} initialRoute={{ screen: "customers", view: { kind: "card", id: "org-1" } }} />);
  return Object.assign(fake, { state });
}

describe("data freshness on the organisation card", () => {
  it("flags data never confirmed for longer than the kind allows, and confirms it with one click at the card's version", async () => {
    const user = userEvent.setup();
    const created = ago(800);
    const fake = cardCore({ org: { created_at: created } });
    const line = await screen.findByTestId("freshness-organisations-org-1");
    expect(line).toHaveTextContent(`Data never confirmed (added ${formatDate(created, "en")})`);
    await waitFor(() => expect(line).toHaveAttribute("data-stale", "true"));
    expect(line).toHaveTextContent("Needs confirmation");
    expect(line).toHaveTextContent("Confirmed every 12 months");

    await user.click(screen.getByTestId("confirm-data"));
    expect(await screen.findByTestId("confirm-data-done")).toHaveTextContent("Confirmed: the data is current.");
    expect(fake.callsOf("freshness.confirm")).toEqual([{ table: "organisations", id: "org-1", version: 3 }]);
    // The card is read again: the line says today, and nothing is flagged.
    await waitFor(() => expect(fake.callsOf("customers.get_organisation").length).toBe(2));
    await waitFor(() => expect(line).toHaveTextContent(`Data confirmed on ${formatDate(NOW, "en")}`));
    expect(line).not.toHaveAttribute("data-stale");
    // The rules were read once.
    expect(fake.callsOf("freshness.rules")).toHaveLength(1);

    // A later change goes with the version the confirmation left.
    await user.click(screen.getByTestId("org-archive"));
    await user.click(await screen.findByTestId("confirm-ok"));
    await waitFor(() => expect(fake.callsOf("customers.archive_organisation")).toEqual([{ id: "org-1", version: 4 }]));
  });

  it("says when the data was confirmed, unflagged while within the kind's months", async () => {
    const confirmed = ago(100);
    cardCore({ org: { confirmed_at: confirmed, created_at: ago(2000) }, months: 6 });
    const line = await screen.findByTestId("freshness-organisations-org-1");
    expect(line).toHaveTextContent(`Data confirmed on ${formatDate(confirmed, "en")}`);
    // The rules read, and still not flagged: 100 days are within 6 months.
    await waitFor(() => expect(line).toHaveAttribute("data-months", "6"));
    expect(line).not.toHaveAttribute("data-stale");
    expect(screen.getByTestId("confirm-data")).not.toHaveClass("button-primary");
    expect(line).not.toHaveTextContent("Needs confirmation");
  });

  it("flags a confirmation older than the months an administrator set", async () => {
    cardCore({ org: { confirmed_at: ago(250), created_at: ago(2000) }, months: 6 });
    const line = await screen.findByTestId("freshness-organisations-org-1");
    await waitFor(() => expect(line).toHaveAttribute("data-stale", "true"));
    expect(line).toHaveTextContent("Confirmed every 6 months");
  });

  it("reads the card again when it changed since it was read, and says so", async () => {
    const user = userEvent.setup();
    let first = true;
    const fake = cardCore({
      onConfirm: () => {
        if (first) {
          first = false;
          // Someone changed it meanwhile.
          fake.state.org = { ...fake.state.org, version: 9 };
        }
      },
    });
    await user.click(await screen.findByTestId("confirm-data"));
    expect(await screen.findByTestId("confirm-data-error")).toHaveTextContent("This record was changed meanwhile and has been read again.");
    await waitFor(() => expect(fake.callsOf("customers.get_organisation").length).toBe(2));
    await user.click(screen.getByTestId("confirm-data"));
    expect(await screen.findByTestId("confirm-data-done")).toBeInTheDocument();
    expect(fake.callsOf("freshness.confirm").map((c) => c.version)).toEqual([3, 9]);
  });

  it("shows the line but no button to who may not change customers", async () => {
    const fake = cardCore({ session: READER });
    const line = await screen.findByTestId("freshness-organisations-org-1");
    expect(line).toHaveTextContent("Data never confirmed");
    await waitFor(() => expect(line).toHaveAttribute("data-stale", "true"));
    expect(screen.queryByTestId("confirm-data")).toBeNull();

    await userEvent.click(screen.getByTestId("card-tab-contacts"));
    expect(await screen.findByText("No contacts yet.")).toBeInTheDocument();
    expect(fake.callsOf("freshness.confirm")).toEqual([]);
  });

  it("offers no confirmation on an archived organisation", async () => {
    cardCore({ org: { archived_at: ago(3) } });
    const line = await screen.findByTestId("freshness-organisations-org-1");
    expect(line).toHaveTextContent("Data never confirmed");
    await waitFor(() => expect(line).toHaveAttribute("data-months", "12"));
    expect(screen.queryByTestId("confirm-data")).toBeNull();
    expect(line).not.toHaveAttribute("data-stale");
  });
});

describe("data freshness of the contacts on the card", () => {
  it("flags one's own stale contacts and confirms one from its row at its stored version", async () => {
    const user = userEvent.setup();
    const fake = cardCore({ contacts: [contact(), contact({ id: "c-2", full_name: "Boris Orlov", first_name: "Boris", confirmed_at: ago(10) })] });
    await user.click(await screen.findByTestId("card-tab-contacts"));
    expect(await screen.findByTestId("contact-due-c-1")).toHaveTextContent("Needs confirmation");
    expect(screen.queryByTestId("contact-due-c-2")).toBeNull();

    await user.click(screen.getByTestId("confirm-contact-data-c-1"));
    expect(await screen.findByTestId("confirm-contact-data-done")).toHaveTextContent("The data of Anna Ivanova was confirmed as current.");
    expect(fake.callsOf("freshness.confirm")).toEqual([{ table: "contacts", id: "c-1", version: 4 }]);
    await waitFor(() => expect(screen.queryByTestId("contact-due-c-1")).toBeNull());
    expect(screen.getByTestId("confirm-contact-data-c-1")).toHaveAccessibleName("Confirm that the data of Anna Ivanova is current");
  });

  it("shows a contact's freshness in its editor, confirms it there, and saves the edit at the new version", async () => {
    const user = userEvent.setup();
    const created = ago(400);
    const fake = cardCore({ contacts: [contact({ created_at: created })] });
    await user.click(await screen.findByTestId("card-tab-contacts"));
    const row = await screen.findByTestId("contact-row");
    await user.click(within(row).getByTestId("contact-edit"));
    const email = await screen.findByTestId("contact-field-email");
    const line = screen.getByTestId("freshness-contacts-c-1");
    expect(line).toHaveTextContent(`Data never confirmed (added ${formatDate(created, "en")})`);
    await waitFor(() => expect(line).toHaveAttribute("data-stale", "true"));
    // The row does not offer it while the editor does: one button per contact.
    expect(screen.getAllByTestId("confirm-contact-data-c-1")).toHaveLength(1);
    expect(line).toContainElement(screen.getByTestId("confirm-contact-data-c-1"));

    await user.clear(email);
    await user.type(email, "anna@new.example");
    await user.click(screen.getByTestId("confirm-contact-data-c-1"));
    expect(await screen.findByTestId("confirm-contact-data-done")).toBeInTheDocument();
    expect(fake.callsOf("freshness.confirm")).toEqual([{ table: "contacts", id: "c-1", version: 4 }]);
    await waitFor(() => expect(line).toHaveTextContent(`Data confirmed on ${formatDate(NOW, "en")}`));
    // What was typed is kept, and saved against the version the confirmation left.
    expect(email).toHaveValue("anna@new.example");
    await user.click(screen.getByTestId("contact-save"));
    await waitFor(() => expect(fake.callsOf("customers.update_contact")).toEqual([{ id: "c-1", version: 5, changes: { email: "anna@new.example" } }]));
  });
});

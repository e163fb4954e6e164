import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { App } from "../../../app/App";
import type { Contact, ContactRow, OrganisationCard, RelationView, SearchHit } from "../../../api/generated";
import { apiError, emptyPage, fakeTransport, organisation, page } from "../../../test/fakeTransport";


function contact(overrides: Partial<Contact> = {}): Contact {
  return {
    id: "c-1",
    organisation_id: "org-1",
    first_name: "Anna",
    last_name: "Petrova",
    full_name: "Anna Petrova",
    role: "Chief accountant",
    email: "anna@acme.example",
    phone: "+74951234567",
    notes: null,
    custom: {},
    version: 4,
    created_at: "2026-11-20T09:00:00Z",
    updated_at: "2026-11-21T09:00:00Z",
    created_by: "user-1",
    updated_by: "user-1",
    archived_at: null,
    owner_id: "user-1",
    department_id: null,
    confirmed_at: null,
    ...overrides,
  };
}

function contactRow(c: Contact): ContactRow {
  const { id, organisation_id, full_name, role, email, phone, custom } = c;
  return { id, organisation_id, full_name, role, email, phone, custom };
}

function relation(overrides: Partial<RelationView> = {}): RelationView {
  return {
    id: "rel-1",
    version: 1,
    kind: "partner_of",
    direction: "outgoing",
    other_id: "org-3",
    other_name: "Globex",
    note: null,
    ...overrides,
  };
}

function hit(id: string, title: string): SearchHit {
  return { entity: "organisation", id, title, subtitle: "Moscow", archived: false };
}

/** A card whose contacts and relations the test changes between reads. */
function cardOf(state: { contacts: Contact[]; relations: RelationView[] }): () => OrganisationCard {
  return () => ({
    organisation: organisation({ id: "org-1", name: "Acme Ltd" }),
    contacts: state.contacts.filter((c) => c.archived_at === null).map(contactRow),
    relations: [...state.relations],
  });
}

function renderCard(fake: ReturnType<typeof fakeTransport>) {
  render(<App transport={fake.transport} initialRoute={{ screen: "customers", view: { kind: "card", id: "org-1" } }} />);
}

describe("contacts on the card", () => {
  it("shows phones in international format, left to right, in the details and the contacts table", async () => {
    const user = userEvent.setup();
    const fake = fakeTransport({
      "customers.list_organisations": () => emptyPage,
      "customers.get_organisation": () => ({
        organisation: organisation({ id: "org-1", phone: "+74951234567;ext=12" }),
        contacts: [contactRow(contact({ phone: "+442079460000" }))],
        relations: [],
      }),
    });
    renderCard(fake);

    const phone = (await screen.findByText("+7 495 123 45 67 ext. 12")).closest("bdi");
    expect(phone).toHaveAttribute("dir", "ltr");
    await user.click(screen.getByTestId("card-tab-contacts"));
    const row = await screen.findByTestId("contact-row");
    expect(within(row).getByText("+44 20 7946 0000").closest("bdi")).toHaveAttribute("dir", "ltr");
  });

  it("edits a contact: only the changed fields are sent, and the core's field error is shown beside its field", async () => {
    const user = userEvent.setup();
    const state = { contacts: [contact()], relations: [] };
    let attempts = 0;
    const fake = fakeTransport({
      "customers.list_organisations": () => emptyPage,
      "customers.get_organisation": cardOf(state),
      "customers.get_contact": ({ id }) => state.contacts.find((c) => c.id === id) ?? contact(),
      "customers.update_contact": ({ changes }) => {
        attempts += 1;
        if (attempts === 1) throw apiError("invalid_input", { "changes.email": { code: "invalid_email", message: "bad email" } });
        state.contacts = [contact({ ...changes, version: 5, full_name: "Anna Petrova" } as Partial<Contact>)];
        return { contact: state.contacts[0], duplicates: [] };
      },
    });
    renderCard(fake);

    await user.click(await screen.findByTestId("card-tab-contacts"));
    const row = await screen.findByTestId("contact-row");
    await user.click(within(row).getByTestId("contact-edit"));
    const email = await screen.findByTestId("contact-field-email");
    expect(email).toHaveValue("anna@acme.example");
    expect(screen.getByTestId("contact-field-first_name")).toHaveValue("Anna");
    expect(fake.callsOf("customers.get_contact")).toEqual([{ id: "c-1" }]);

    await user.clear(email);
    await user.type(email, "anna(at)acme");
    await user.clear(screen.getByTestId("contact-field-role"));
    await user.click(screen.getByTestId("contact-save"));

    const emailError = await screen.findByTestId("contact-field-error-email");
    expect(emailError).toHaveTextContent("This is not a valid email address.");
    expect(email.closest(".field")).toContainElement(emailError);
    expect(email).toHaveAttribute("aria-invalid", "true");
    expect(email.getAttribute("aria-describedby")).toBe(emailError.id);
    expect(screen.getByTestId("contact-field-phone")).not.toHaveAttribute("aria-invalid");
    expect(email).toHaveValue("anna(at)acme");
    expect(fake.callsOf("customers.update_contact")).toEqual([
      { id: "c-1", version: 4, changes: { email: "anna(at)acme", role: null } },
    ]);

    await user.clear(email);
    await user.type(email, "anna@acme.org");
    const cardReads = fake.callsOf("customers.get_organisation").length;
    await user.click(screen.getByTestId("contact-save"));

    await waitFor(() => expect(screen.queryByTestId("contact-form")).toBeNull());
    expect(fake.callsOf("customers.update_contact")[1]).toEqual({
      id: "c-1",
      version: 4,
      changes: { email: "anna@acme.org", role: null },
    });
    // The card is read again and shows the change.
    expect(fake.callsOf("customers.get_organisation").length).toBeGreaterThan(cardReads);
    expect(await screen.findByText("anna@acme.org")).toBeInTheDocument();
  });

  it("says so and sends nothing when no field was changed", async () => {
    const user = userEvent.setup();
    const state = { contacts: [contact()], relations: [] };
    const fake = fakeTransport({
      "customers.list_organisations": () => emptyPage,
      "customers.get_organisation": cardOf(state),
      "customers.get_contact": () => contact(),
    });
    renderCard(fake);
    await user.click(await screen.findByTestId("card-tab-contacts"));
    await user.click(await screen.findByTestId("contact-edit"));
    await screen.findByTestId("contact-field-email");
    await user.click(screen.getByTestId("contact-save"));
    expect(await screen.findByText("Nothing has changed.")).toBeInTheDocument();
    expect(fake.callsOf("customers.update_contact")).toEqual([]);
  });

  it("archives a contact only after confirmation, shows it among the archived ones and restores it", async () => {
    const user = userEvent.setup();
    const state = { contacts: [contact(), contact({ id: "c-2", first_name: "Boris", full_name: "Boris Orlov", version: 1 })], relations: [] };
    const other = contactRow(contact({ id: "c-9", organisation_id: "org-elsewhere", full_name: "Someone Else", archived_at: "2026-11-01T00:00:00Z" }));
    const setArchived = (id: string, archived: boolean) => {
      state.contacts = state.contacts.map((c) =>
        c.id === id ? { ...c, version: c.version + 1, archived_at: archived ? "2026-11-23T12:00:00Z" : null } : c,
      );
      return state.contacts.find((c) => c.id === id)!;
    };
    const fake = fakeTransport({
      "customers.list_organisations": () => emptyPage,
      "customers.get_organisation": cardOf(state),
      "customers.get_contact": ({ id }) => state.contacts.find((c) => c.id === id)!,
      "customers.archive_contact": ({ id }) => setArchived(id, true),
      "customers.restore_contact": ({ id }) => setArchived(id, false),
      // Like the core: archived contacts of the organisation asked for, one per page.
      "customers.list_contacts": ({ after, organisation_id }) => {
        const archived = [other, ...state.contacts.filter((c) => c.archived_at !== null).map(contactRow)];
        const theirs = archived.filter((c) => c.organisation_id === organisation_id);
        const at = after === undefined ? 0 : Number(after);
        const next = at + 1 < theirs.length ? String(at + 1) : null;
        return page(theirs.slice(at, at + 1), next, at > 0 ? String(at - 1) : null);
      },
    });
    renderCard(fake);

    await user.click(await screen.findByTestId("card-tab-contacts"));
    const annaRow = () => screen.getAllByTestId("contact-row").find((r) => r.dataset.id === "c-1");
    await waitFor(() => expect(annaRow()).toBeDefined());

    await user.click(within(annaRow()!).getByTestId("contact-archive"));
    const dialog = await screen.findByRole("alertdialog");
    expect(dialog).toHaveTextContent("Archive this contact?");
    expect(dialog).toHaveTextContent("“Anna Petrova” will be hidden");
    await user.click(screen.getByTestId("confirm-cancel"));
    expect(screen.queryByRole("alertdialog")).toBeNull();
    expect(fake.callsOf("customers.archive_contact")).toEqual([]);

    await user.click(within(annaRow()!).getByTestId("contact-archive"));
    await waitFor(() => expect(screen.getByTestId("confirm-ok")).toBeEnabled());
    await user.click(screen.getByTestId("confirm-ok"));
    await waitFor(() => expect(fake.callsOf("customers.archive_contact")).toEqual([{ id: "c-1", version: 4 }]));
    await waitFor(() => expect(annaRow()).toBeUndefined());
    expect(screen.getAllByTestId("contact-row")).toHaveLength(1);

    // The archived ones: only this organisation's are asked for, every page is read.
    await user.click(screen.getByTestId("contacts-show-archived"));
    await waitFor(() => expect(annaRow()).toBeDefined());
    expect(screen.getAllByTestId("contact-row")).toHaveLength(1);
    expect(fake.callsOf("customers.list_contacts")).toEqual([{ archived: true, organisation_id: "org-1", limit: 500 }]);
    expect(within(annaRow()!).queryByTestId("contact-edit")).toBeNull();

    await user.click(within(annaRow()!).getByTestId("contact-restore"));
    expect(await screen.findByRole("alertdialog")).toHaveTextContent("Restore this contact?");
    await waitFor(() => expect(screen.getByTestId("confirm-ok")).toBeEnabled());
    await user.click(screen.getByTestId("confirm-ok"));
    await waitFor(() => expect(fake.callsOf("customers.restore_contact")).toEqual([{ id: "c-1", version: 5 }]));
    // The archived list is read again: Anna is no longer there.
    await waitFor(() => expect(screen.getByText("No archived contacts.")).toBeInTheDocument());

    await user.click(screen.getByTestId("contacts-show-archived"));
    await waitFor(() => expect(annaRow()).toBeDefined());
    expect(screen.getAllByTestId("contact-row")).toHaveLength(2);
  });
});

describe("relations on the card", () => {
  it("adds a relation to an organisation picked by search, with the core's field error beside its field", async () => {
    const user = userEvent.setup();
    const state = { contacts: [], relations: [] as RelationView[] };
    let attempts = 0;
    const fake = fakeTransport({
      "customers.list_organisations": () => emptyPage,
      "customers.get_organisation": cardOf(state),
      "search.query": () => ({ hits: [hit("org-1", "Acme Ltd"), hit("org-2", "Acme Supplies"), hit("org-3", "Acme Trading")] }),
      "customers.create_relation": (input) => {
        attempts += 1;
        if (attempts === 1) throw apiError("invalid_input", { kind: { code: "invalid_value", message: "already related" } });
        state.relations.push(relation({ id: "rel-9", kind: input.kind, other_id: input.related_organisation_id, other_name: "Acme Supplies", note: input.note ?? null }));
        return {} as never;
      },
    });
    renderCard(fake);

    await user.click(await screen.findByTestId("card-tab-relations"));
    expect(await screen.findByText("No related organisations.")).toBeInTheDocument();
    await user.click(screen.getByTestId("add-relation"));

    // Nothing picked: said beside the picker, nothing sent.
    await user.click(screen.getByTestId("relation-save"));
    expect(await screen.findByTestId("relation-field-error-related_organisation_id")).toHaveTextContent("This field is required.");
    expect(fake.callsOf("customers.create_relation")).toEqual([]);

    const picker = screen.getByTestId("relation-field-organisation");
    await user.type(picker, "acme");
    const options = await screen.findAllByTestId("relation-field-organisation-option");
    expect(fake.callsOf("search.query").at(-1)).toEqual({ text: "acme", limit: 8, entities: ["organisation"] });
    // The organisation itself is not offered.
    expect(options.map((o) => o.dataset.id)).toEqual(["org-2", "org-3"]);
    await user.click(options[0]);
    expect(picker).toHaveValue("Acme Supplies");
    expect(screen.queryByTestId("relation-field-organisation-option")).toBeNull();
    expect(screen.queryByTestId("relation-field-error-related_organisation_id")).toBeNull();

    await user.selectOptions(screen.getByTestId("relation-field-kind"), "supplier_of");
    await user.type(screen.getByTestId("relation-field-note"), "Since 2024");
    await user.click(screen.getByTestId("relation-save"));

    const kindError = await screen.findByTestId("relation-field-error-kind");
    expect(kindError).toHaveTextContent("This value is not valid.");
    expect(screen.getByTestId("relation-field-kind").closest(".field")).toContainElement(kindError);
    expect(screen.getByTestId("relation-field-kind")).toHaveAttribute("aria-invalid", "true");

    await user.click(screen.getByTestId("relation-save"));
    await waitFor(() => expect(screen.queryByTestId("relation-form")).toBeNull());
    const sent = { organisation_id: "org-1", kind: "supplier_of", related_organisation_id: "org-2", note: "Since 2024" };
    expect(fake.callsOf("customers.create_relation")).toEqual([sent, sent]);
    const row = await screen.findByTestId("relation-row");
    expect(row).toHaveTextContent("Supplier of");
    expect(row).toHaveTextContent("Acme Supplies");
    expect(row).toHaveTextContent("Since 2024");
  });

  it("picks with the keyboard and leaves an empty note out", async () => {
    const user = userEvent.setup();
    const fake = fakeTransport({
      "customers.list_organisations": () => emptyPage,
      "customers.get_organisation": cardOf({ contacts: [], relations: [] }),
      "search.query": () => ({ hits: [hit("org-2", "Globex"), hit("org-3", "Initech")] }),
      "customers.create_relation": () => ({}) as never,
    });
    renderCard(fake);
    await user.click(await screen.findByTestId("card-tab-relations"));
    await user.click(screen.getByTestId("add-relation"));
    await user.type(screen.getByTestId("relation-field-organisation"), "in");
    await screen.findAllByTestId("relation-field-organisation-option");
    // Enter picks the active option; it does not submit the form.
    await user.keyboard("{ArrowDown}{Enter}");
    expect(screen.getByTestId("relation-field-organisation")).toHaveValue("Initech");
    expect(fake.callsOf("customers.create_relation")).toEqual([]);
    await user.click(screen.getByTestId("relation-save"));
    await waitFor(() =>
      expect(fake.callsOf("customers.create_relation")).toEqual([
        { organisation_id: "org-1", kind: "parent_of", related_organisation_id: "org-3" },
      ]),
    );
  });

  it("ends a relation after confirmation", async () => {
    const user = userEvent.setup();
    const state = { contacts: [], relations: [relation({ id: "rel-1", version: 3 }), relation({ id: "rel-2", other_id: "org-4", other_name: "Initech", direction: "incoming", kind: "supplier_of" })] };
    const fake = fakeTransport({
      "customers.list_organisations": () => emptyPage,
      "customers.get_organisation": cardOf(state),
      "customers.archive_relation": ({ id }) => {
        state.relations = state.relations.filter((r) => r.id !== id);
        return {} as never;
      },
    });
    renderCard(fake);
    await user.click(await screen.findByTestId("card-tab-relations"));
    const rows = await screen.findAllByTestId("relation-row");
    expect(rows).toHaveLength(2);

    await user.click(within(rows[0]).getByTestId("relation-end"));
    const dialog = await screen.findByRole("alertdialog");
    expect(dialog).toHaveTextContent("End this relation?");
    expect(dialog).toHaveTextContent("“Partner of Globex”");
    await user.click(screen.getByTestId("confirm-cancel"));
    expect(fake.callsOf("customers.archive_relation")).toEqual([]);

    await user.click(within(rows[0]).getByTestId("relation-end"));
    await user.click(await screen.findByTestId("confirm-ok"));
    await waitFor(() => expect(screen.getAllByTestId("relation-row")).toHaveLength(1));
    expect(fake.callsOf("customers.archive_relation")).toEqual([{ id: "rel-1", version: 3 }]);
    expect(screen.getByTestId("relation-row")).toHaveTextContent("Initech");
    expect(screen.queryByRole("alertdialog")).toBeNull();
  });
});

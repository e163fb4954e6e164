import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { App } from "../../../app/App";
import { apiError, emptyPage, fakeTransport, organisation } from "../../../test/fakeTransport";
import type { ContactRow } from "../../../api/generated";


describe("organisation form", () => {
  it("shows each field's error next to the field and keeps what the user typed", async () => {
    const user = userEvent.setup();
    const fake = fakeTransport({
      "customers.list_organisations": () => emptyPage,
      "customers.create_organisation": () => {
        throw apiError("invalid_input", {
          email: { code: "invalid_email", message: "core: email" },
          country: { code: "invalid_value", message: "core: country" },
        });
      },
    });
    render(<App transport={fake.transport} initialRoute={{ screen: "customers", view: { kind: "new" } }} />);

    await user.type(await screen.findByTestId("org-field-name"), "Acme Ltd");
    await user.selectOptions(screen.getByTestId("org-field-kind"), "supplier");
    await user.type(screen.getByTestId("org-field-email"), "not-an-email");
    await user.type(screen.getByTestId("org-field-country"), "zz");
    await user.click(screen.getByTestId("org-save"));

    expect(await screen.findByTestId("form-error")).toHaveTextContent("Some fields need attention.");
    const emailError = screen.getByTestId("org-field-error-email");
    expect(emailError).toHaveTextContent("This is not a valid email address.");
    const email = screen.getByTestId("org-field-email");
    expect(email).toHaveAttribute("aria-invalid", "true");
    expect(email.getAttribute("aria-describedby")).toBe(emailError.id);
    // The error sits in the same field as its input.
    expect(email.closest(".field")).toContainElement(emailError);
    expect(screen.getByTestId("org-field-error-country")).toHaveTextContent("This value is not valid.");
    expect(screen.queryByTestId("org-field-error-name")).toBeNull();
    expect(screen.getByTestId("org-field-name")).not.toHaveAttribute("aria-invalid");

    // Nothing the user typed is lost.
    expect(screen.getByTestId("org-field-name")).toHaveValue("Acme Ltd");
    expect(screen.getByTestId("org-field-kind")).toHaveValue("supplier");
    expect(email).toHaveValue("not-an-email");
    expect(screen.getByTestId("org-field-country")).toHaveValue("ZZ");

    expect(fake.callsOf("customers.create_organisation")).toEqual([
      { name: "Acme Ltd", kind: "supplier", email: "not-an-email", country: "ZZ" },
    ]);
  });

  it("shows the core's error in the chosen language", async () => {
    const user = userEvent.setup();
    const fake = fakeTransport({
      "customers.list_organisations": () => emptyPage,
      "customers.create_organisation": () => {
        throw apiError("invalid_input", { name: { code: "required", message: "name is required" } });
      },
    });
    const { i18n } = await import("../../../i18n");
    await i18n.changeLanguage("ru");
    render(<App transport={fake.transport} initialRoute={{ screen: "customers", view: { kind: "new" } }} />);
    await user.click(await screen.findByTestId("org-save"));
    expect(await screen.findByTestId("org-field-error-name")).toHaveTextContent("Обязательное поле.");
    expect(screen.getByTestId("form-error")).toHaveTextContent("Проверьте отмеченные поля.");
  });

  it("sends only the changed fields with the version on update, and asks to reload on a conflict", async () => {
    const user = userEvent.setup();
    const org = organisation({ id: "org-7", version: 5, city: "Moscow", phone: "+74951234567", notes: null });
    let updates = 0;
    const fake = fakeTransport({
      "customers.list_organisations": () => emptyPage,
      "customers.get_organisation": () => ({ organisation: org, contacts: [], relations: [] }),
      "customers.update_organisation": () => {
        updates += 1;
        if (updates === 1) throw apiError("conflict", { version: { code: "stale_version", message: "stale" } });
        return { organisation: { ...org, version: 6 }, duplicates: [] };
      },
      "history.record": () => ({ entries: [] }),
    });
    render(<App transport={fake.transport} initialRoute={{ screen: "customers", view: { kind: "edit", id: "org-7" } }} />);

    const city = await screen.findByTestId("org-field-city");
    expect(city).toHaveValue("Moscow");
    await user.clear(city);
    await user.type(screen.getByTestId("org-field-notes"), "Key account");
    await user.selectOptions(screen.getByTestId("org-field-kind"), "partner");
    // Ctrl+S saves.
    await user.keyboard("{Control>}s{/Control}");

    await waitFor(() => expect(fake.callsOf("customers.update_organisation")).toHaveLength(1));
    expect(fake.callsOf("customers.update_organisation")[0]).toEqual({
      id: "org-7",
      version: 5,
      changes: { city: null, notes: "Key account", kind: "partner" },
    });
    const formError = await screen.findByTestId("form-error");
    expect(formError).toHaveTextContent(/changed this organisation after you opened it/);
    expect(within(formError).getByRole("button", { name: "Reload" })).toBeInTheDocument();
    expect(screen.getByTestId("org-field-notes")).toHaveValue("Key account");

    await user.click(screen.getByTestId("org-save"));
    await waitFor(() => expect(fake.callsOf("customers.update_organisation")).toHaveLength(2));
    expect(await screen.findByTestId("org-card")).toBeInTheDocument();
  });
});

describe("duplicate warning", () => {
  it("shows after save with a link that opens the existing record's card", async () => {
    const user = userEvent.setup();
    const created = organisation({ id: "org-new", name: "Acme Limited", email: "info@acme.example" });
    const existing = organisation({ id: "org-old", name: "Acme Ltd" });
    const fake = fakeTransport({
      "customers.list_organisations": () => emptyPage,
      "customers.create_organisation": () => ({
        organisation: created,
        duplicates: [{ field: "email", existing_id: "org-old", existing_name: "Acme Ltd", message: "same email" }],
      }),
      "customers.get_organisation": ({ id }) => ({
        organisation: id === "org-old" ? existing : created,
        contacts: [],
        relations: [],
      }),
    });
    render(<App transport={fake.transport} />);

    await user.click(await screen.findByTestId("new-organisation"));
    await user.type(screen.getByTestId("org-field-name"), "Acme Limited");
    await user.type(screen.getByTestId("org-field-email"), "info@acme.example");
    await user.click(screen.getByTestId("org-save"));

    const warning = await screen.findByTestId("duplicate-warning");
    expect(await screen.findByTestId("org-card-name")).toHaveTextContent("Acme Limited");
    expect(warning).toHaveTextContent("“Acme Ltd” has the same Email.");
    await user.click(within(warning).getByRole("button", { name: "Open “Acme Ltd”" }));

    await waitFor(() => expect(screen.getByTestId("org-card-name")).toHaveTextContent("Acme Ltd"));
    expect(fake.callsOf("customers.get_organisation").at(-1)).toEqual({ id: "org-old" });
    expect(screen.queryByTestId("duplicate-warning")).toBeNull();
  });
});

describe("organisation card", () => {
  it("adds a contact with field errors next to the fields, and archives after confirmation", async () => {
    const user = userEvent.setup();
    let org = organisation({ id: "org-1", version: 2 });
    const contacts: ContactRow[] = [];
    let attempts = 0;
    const fake = fakeTransport({
      "customers.list_organisations": () => emptyPage,
      "customers.get_organisation": () => ({ organisation: org, contacts: [...contacts], relations: [] }),
      "customers.create_contact": (input) => {
        attempts += 1;
        if (attempts === 1) throw apiError("invalid_input", { phone: { code: "invalid_phone", message: "bad phone" } });
        contacts.push({ id: "c-1", organisation_id: "org-1", full_name: `${input.first_name} ${input.last_name}`, role: input.role ?? null, email: null, phone: null, custom: {} });
        return { contact: {} as never, duplicates: [] };
      },
      "customers.archive_organisation": ({ id, version }) => {
        org = { ...org, id, version: version + 1, archived_at: "2026-11-23T12:00:00Z" };
        return org;
      },
      "history.record": () => ({
        entries: [
          {
            stamp: "2",
            at: "2026-11-22T09:00:00Z",
            actor_id: "user-1",
            device_id: "d",
            operation: "customers.update_organisation",
            action: "update",
            fields: [{ field: "kind", old: "prospect", new: "customer" }],
          },
          { stamp: "1", at: "2026-11-20T09:00:00Z", actor_id: "user-1", device_id: "d", operation: "customers.create_organisation", action: "insert", fields: [] },
        ],
      }),
    });
    render(<App transport={fake.transport} initialRoute={{ screen: "customers", view: { kind: "card", id: "org-1" } }} />);

    await user.click(await screen.findByTestId("card-tab-contacts"));
    await user.click(screen.getByTestId("add-contact"));
    await user.type(screen.getByTestId("contact-field-first_name"), "Anna");
    await user.type(screen.getByTestId("contact-field-last_name"), "Petrova");
    await user.type(screen.getByTestId("contact-field-phone"), "12");
    await user.click(screen.getByTestId("contact-save"));
    expect(await screen.findByText("This is not a valid phone number.")).toBeInTheDocument();
    expect(screen.getByTestId("contact-field-phone")).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByTestId("contact-field-first_name")).toHaveValue("Anna");
    expect(fake.callsOf("customers.create_contact")[0]).toEqual({
      first_name: "Anna",
      last_name: "Petrova",
      phone: "12",
      organisation_id: "org-1",
    });
    await user.clear(screen.getByTestId("contact-field-phone"));
    await user.click(screen.getByTestId("contact-save"));
    expect(await screen.findByTestId("contact-row")).toHaveTextContent("Anna Petrova");

    await user.click(screen.getByTestId("card-tab-history"));
    const entries = await screen.findAllByTestId("history-entry");
    expect(entries).toHaveLength(2);
    expect(entries[0]).toHaveTextContent("Changed");
    expect(entries[0]).toHaveTextContent(/Kind\s*Prospect\s*→\s*Customer/);
    expect(entries[1]).toHaveTextContent("Created");

    await user.click(screen.getByTestId("org-archive"));
    await user.click(screen.getByTestId("confirm-cancel"));
    expect(fake.callsOf("customers.archive_organisation")).toHaveLength(0);
    await user.click(screen.getByTestId("org-archive"));
    await user.click(screen.getByTestId("confirm-ok"));
    expect(await screen.findByTestId("archived-badge")).toBeInTheDocument();
    expect(fake.callsOf("customers.archive_organisation")).toEqual([{ id: "org-1", version: 2 }]);
    expect(screen.getByTestId("org-restore")).toBeInTheDocument();
  });
});

import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import type { Contact, ContactRow, MergeView, Organisation, RecordMerge, SessionStatus } from "../../../api/generated";
import { App } from "../../../app/App";
import { formatDate } from "../../../shared/format";
import { emptyPage, fakeTransport, organisation, page, signedIn } from "../../../test/fakeTransport";

const READ = ["customers.read", "customers.write", "customers.archive", "history.read"];
const MANAGER = signedIn({ permissions: [...READ, "duplicates.find", "duplicates.merge"] });
const FINDER = signedIn({ permissions: [...READ, "duplicates.find"] });
const NO_DUPLICATES = signedIn({ permissions: READ });

const MERGED_AT = "2026-12-01T10:30:00Z";

function recordMerge(overrides: Partial<RecordMerge> = {}): RecordMerge {
  return {
    id: "merge-1",
    record_table: "organisations",
    survivor_id: "org-1",
    merged_id: "org-2",
    fields: [],
    moved: [],
    archived: [],
    undone_at: null,
    undone_by: null,
    version: 1,
    created_at: MERGED_AT,
    updated_at: MERGED_AT,
    created_by: "user-1",
    updated_by: "user-1",
    archived_at: null,
    owner_id: null,
    department_id: null,
    ...overrides,
  };
}

/** ACME Limited (org-2) was merged into Acme Ltd (org-1) and archived. */
const ACME_MERGE: MergeView = { merge: recordMerge(), survivor_title: "Acme Ltd", merged_title: "ACME Limited" };

type Options = { session?: SessionStatus; merges?: MergeView[]; id?: string; contacts?: Contact[] };

function cardCore({ session = MANAGER, merges = [ACME_MERGE], id = "org-2", contacts = [] }: Options = {}) {
  let undone = false;
  const organisations: Record<string, Organisation> = {
    "org-1": organisation({ id: "org-1", name: "Acme Ltd" }),
    "org-2": organisation({ id: "org-2", name: "ACME Limited", archived_at: MERGED_AT }),
  };
  const fake = fakeTransport({
    "session.get": () => session,
    "settings.set_language": ({ language }) => ({ language }),
    "customers.list_organisations": () => emptyPage,
    "customers.get_organisation": ({ id }) => ({
      organisation: id === "org-2" && undone ? { ...organisations[id], archived_at: null } : organisations[id],
      contacts: [],
      relations: [],
    }),
    "customers.list_contacts": () => page(contacts.map(contactRow)),
    "customers.get_contact": ({ id }) => contacts.find((c) => c.id === id) ?? contact({ id, organisation_id: "org-1" }),
    "fields.list": () => ({ targets: [], link_targets: [], fields: [] }),
    "history.record": () => ({ entries: [] }),
    "duplicates.list_merges": ({ row_id }) => ({
      merges: merges
        .filter((m) => m.merge.survivor_id === row_id || m.merge.merged_id === row_id)
        .map((m) => (undone ? { ...m, merge: { ...m.merge, undone_at: "2026-12-02T08:00:00Z" } } : m)),
    }),
    "duplicates.undo_merge": ({ id: mergeId }) => {
      undone = true;
      const merge = merges.find((m) => m.merge.id === mergeId)!.merge;
      return { merge: { ...merge, version: 2, undone_at: "2026-12-02T08:00:00Z" }, kept_fields: ["email"], moved_back: 0, left_in_place: 0 };
    },
  });
  render(<App transport={fake.transport} initialRoute={{ screen: "customers", view: { kind: "card", id } }} />);
  return fake;
}

function contact(overrides: Partial<Contact> = {}): Contact {
  return {
    id: "c-1",
    organisation_id: "org-1",
    first_name: "Anna",
    last_name: "Petrova",
    full_name: "Anna Petrova",
    role: null,
    email: "anna@acme.example",
    phone: null,
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

describe("a merged record on its card", () => {
  it("says an archived organisation was merged into another, and opens that one", async () => {
    const fake = cardCore();
    const notice = await screen.findByTestId("merged-into");
    expect(notice).toHaveTextContent(`Merged into Acme Ltd on ${formatDate(MERGED_AT, "en")}.`);
    expect(fake.callsOf("duplicates.list_merges")).toEqual([{ table: "organisations", row_id: "org-2" }]);

    const link = within(notice).getByTestId("merged-into-open");
    expect(within(link).getByText("Acme Ltd").tagName).toBe("BDI");
    await userEvent.click(link);
    await waitFor(() => expect(screen.getByTestId("org-card")).toHaveAttribute("data-id", "org-1"));
    expect(screen.getByTestId("org-card-name")).toHaveTextContent("Acme Ltd");
  });

  it("undoes the merge from the card after asking, then reads the card again", async () => {
    const fake = cardCore();
    const notice = await screen.findByTestId("merged-into");
    await userEvent.click(within(notice).getByTestId("merged-into-undo"));
    const dialog = await screen.findByTestId("undo-merge-dialog");
    expect(dialog).toHaveTextContent("“ACME Limited” will be restored, and what moved from it to “Acme Ltd” goes back to it.");
    await userEvent.click(within(dialog).getByTestId("confirm-ok"));

    const outcome = await screen.findByTestId("merge-undone");
    expect(fake.callsOf("duplicates.undo_merge")).toEqual([{ id: "merge-1", version: 1 }]);
    expect(outcome).toHaveTextContent("The merge was undone: “ACME Limited” is back.");
    expect(outcome).toHaveTextContent("These fields were changed since the merge and were kept as they are now: Email.");
    // Restored: no longer archived, no longer said to be merged.
    await waitFor(() => expect(screen.queryByTestId("archived-badge")).toBeNull());
    expect(screen.queryByTestId("merged-into")).toBeNull();
    expect(fake.callsOf("customers.get_organisation").filter((c) => c.id === "org-2").length).toBeGreaterThan(1);
  });

  it("offers no Undo to who may find duplicates but not merge them", async () => {
    const fake = cardCore({ session: FINDER });
    expect(await screen.findByTestId("merged-into")).toHaveTextContent("Merged into Acme Ltd");
    expect(screen.queryByTestId("merged-into-undo")).toBeNull();
    expect(fake.callsOf("duplicates.undo_merge")).toEqual([]);
  });

  it("asks nothing about merges for who may not find duplicates, and shows no error", async () => {
    const fake = cardCore({ session: NO_DUPLICATES });
    await screen.findByTestId("org-card-name");
    await screen.findByTestId("archived-badge");
    expect(fake.callsOf("duplicates.list_merges")).toEqual([]);
    expect(screen.queryByTestId("merged-into")).toBeNull();
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("says on the kept record what was merged into it", async () => {
    cardCore({ id: "org-1" });
    const from = await screen.findByTestId("merged-from");
    expect(from).toHaveTextContent(`Merged from ACME Limited on ${formatDate(MERGED_AT, "en")}.`);
    expect(screen.queryByTestId("merged-into")).toBeNull();
  });

  it("says an archived contact was merged into another, and opens it among the active contacts", async () => {
    const kept = contact({ id: "c-1" });
    const gone = contact({ id: "c-2", full_name: "Anna Petrova (old)", archived_at: MERGED_AT });
    const merge: MergeView = {
      merge: recordMerge({ id: "merge-c", record_table: "contacts", survivor_id: "c-1", merged_id: "c-2" }),
      survivor_title: "Anna Petrova",
      merged_title: "Anna Petrova (old)",
    };
    const fake = cardCore({ id: "org-1", merges: [merge], contacts: [kept, gone] });
    await userEvent.click(await screen.findByTestId("card-tab-contacts"));
    await userEvent.click(screen.getByTestId("contacts-show-archived"));
    const notice = await screen.findByTestId("merged-into");
    expect(notice).toHaveTextContent(`Merged into Anna Petrova on ${formatDate(MERGED_AT, "en")}.`);
    expect(fake.callsOf("duplicates.list_merges")).toContainEqual({ table: "contacts", row_id: "c-2" });

    await userEvent.click(within(notice).getByTestId("merged-into-open"));
    await waitFor(() => expect(screen.getByTestId("contacts-show-archived")).not.toBeChecked());
    expect(fake.callsOf("customers.get_contact")).toContainEqual({ id: "c-1" });
  });
});

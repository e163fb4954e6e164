import { act, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import type {
  ApiError,
  Colleagues,
  CompareRecordsInput,
  DuplicateDismissal,
  DuplicatePair,
  DuplicateScan,
  FindDuplicatesInput,
  MergeOutcome,
  MergeRecordsInput,
  MergeView,
  RecordComparison,
  RecordMerge,
  SessionStatus,
  UndoneMerge,
  VersionedIdInput,
} from "../../../api/generated";
import { App } from "../../../app/App";
import type { Route } from "../../../app/navigation";
import { i18n } from "../../../i18n";
import { formatDate, formatDateTime, formatNumber } from "../../../shared/format";
import { apiError, customField, deferred, emptyPage, fakeTransport, listFields, signedIn } from "../../../test/fakeTransport";

// Ids are UUIDs, as the core's are: record names are read by id only for what looks like one.
const ACME = "0198a000-0000-7000-8000-000000000001";
const ACME_TWIN = "0198a000-0000-7000-8000-000000000002";
const GLOBEX = "0198a000-0000-7000-8000-000000000003";
const GLOBEX_TWIN = "0198a000-0000-7000-8000-000000000004";
const MERGE_ID = "0198b000-0000-7000-8000-0000000000aa";
const DISMISSAL_ID = "0198d000-0000-7000-8000-0000000000d1";

const ANNA = { id: "user-anna", display_name: "Anna Petrova" };
const READ = ["customers.read", "search.query", "fields.read", "security.directory"];
const MANAGER = signedIn({ ...ANNA, permissions: [...READ, "customers.write", "customers.archive", "duplicates.find", "duplicates.merge"] });
const AUDITOR = signedIn({ ...ANNA, permissions: [...READ, "duplicates.find"] });
const SALES_WITHOUT_DUPLICATES = signedIn({ ...ANNA, permissions: [...READ, "customers.write"] });

const DIRECTORY: Colleagues = { users: [{ id: "user-anna", display_name: "Anna Petrova", department_id: null, active: true }], departments: [] };

const REGION = customField({ key: "region", label: "Sales region" });

function pair(overrides: Partial<DuplicatePair> = {}): DuplicatePair {
  return {
    first: ACME,
    second: ACME_TWIN,
    score: 130,
    reasons: [
      { field: "tax_id", similar: false },
      { field: "name", similar: true },
    ],
    first_title: "Acme Ltd",
    second_title: "ACME Limited",
    ...overrides,
  };
}

const ORGANISATION_SCAN: DuplicateScan = {
  pairs: [
    pair(),
    pair({
      first: GLOBEX,
      second: GLOBEX_TWIN,
      score: 55,
      reasons: [
        { field: "website", similar: false },
        { field: "phone", similar: false },
      ],
      first_title: "Globex",
      second_title: "Globex Corp",
    }),
  ],
  scanned: 4210,
  found: 3,
  common_values: 2,
};

const CONTACT_SCAN: DuplicateScan = {
  pairs: [
    {
      first: "0198c000-0000-7000-8000-000000000001",
      second: "0198c000-0000-7000-8000-000000000002",
      score: 80,
      reasons: [
        { field: "email", similar: false },
        { field: "name", similar: true },
        { field: "organisation_id", similar: false },
      ],
      first_title: "Ivan Petrov",
      second_title: "Иван Петров",
    },
  ],
  scanned: 1,
  found: 1,
  common_values: 0,
};

/** Acme (older) and its twin: some values differ, one is the same, each lacks one the other has. */
function comparison(): RecordComparison {
  const common = { archived_at: null, owner_id: null, department_id: null, created_by: "user-anna", updated_by: "user-anna" };
  return {
    table: "organisations",
    fields: ["kind", "name", "legal_name", "tax_id", "email", "phone", "custom.region"],
    first: {
      ...common,
      id: ACME,
      version: 3,
      created_at: "2025-03-01T09:00:00Z",
      kind: "customer",
      name: "Acme Ltd",
      legal_name: null,
      tax_id: "7701234567",
      email: "info@acme.example",
      phone: "+74951234567",
      "custom.region": "North",
    },
    second: {
      ...common,
      id: ACME_TWIN,
      version: 5,
      created_at: "2026-10-01T09:00:00Z",
      kind: "prospect",
      name: "ACME Limited",
      legal_name: "Acme Limited LLC",
      tax_id: "7701234567",
      email: "sales@acme.example",
      phone: null,
      "custom.region": "South",
    },
    first_references: [
      { table: "contacts", label: "contact", field: "organisation_id", count: 2 },
      { table: "organisation_relations", label: "relation", field: "organisation_id", count: 1 },
    ],
    second_references: [{ table: "contacts", label: "contact", field: "organisation_id", count: 1 }],
  };
}

function recordMerge(overrides: Partial<RecordMerge> = {}): RecordMerge {
  return {
    id: MERGE_ID,
    record_table: "organisations",
    survivor_id: ACME,
    merged_id: ACME_TWIN,
    fields: [],
    moved: [],
    archived: [],
    undone_at: null,
    undone_by: null,
    version: 1,
    created_at: "2026-12-01T10:30:00Z",
    updated_at: "2026-12-01T10:30:00Z",
    created_by: "user-anna",
    updated_by: "user-anna",
    archived_at: null,
    owner_id: null,
    department_id: null,
    ...overrides,
  };
}

function recordDismissal(overrides: Partial<DuplicateDismissal> = {}): DuplicateDismissal {
  return {
    id: DISMISSAL_ID,
    record_table: "organisations",
    first_id: ACME,
    second_id: ACME_TWIN,
    // Not 1: the version sent back is the one the core answered with, never a guess.
    version: 2,
    created_at: "2026-12-01T10:30:00Z",
    updated_at: "2026-12-01T10:30:00Z",
    created_by: "user-anna",
    updated_by: "user-anna",
    archived_at: null,
    owner_id: null,
    department_id: null,
    ...overrides,
  };
}

type Options = {
  session?: SessionStatus;
  route?: Route;
  merges?: MergeView[];
  find?: (input: FindDuplicatesInput) => DuplicateScan | Promise<DuplicateScan>;
  undone?: Partial<UndoneMerge>;
  /** Refuses merges with this error. */
  refuseMerge?: ApiError;
  /** Refuses "Not duplicates" with this error. */
  refuseDismiss?: ApiError;
  /** Refuses taking "Not duplicates" back with this error. */
  refuseReconsider?: ApiError;
};

/**
 * A fake core with likely duplicates: merging drops the merged record's pairs from later scans,
 * and so does judging a pair different, until the judgement is taken back.
 */
function duplicatesCore({
  session = MANAGER,
  route = { screen: "duplicates" },
  merges = [],
  find,
  undone = {},
  refuseMerge,
  refuseDismiss,
  refuseReconsider,
}: Options = {}) {
  let archived: string[] = [];
  let dismissed: DuplicateDismissal[] = [];
  const isDismissed = (p: DuplicatePair) =>
    dismissed.some((d) => (d.first_id === p.first && d.second_id === p.second) || (d.first_id === p.second && d.second_id === p.first));
  let merged: MergeView[] = [...merges];
  const fake = fakeTransport({
    "session.get": () => session,
    "settings.set_language": ({ language }) => ({ language }),
    "customers.list_organisations": () => emptyPage,
    "security.list_colleagues": () => DIRECTORY,
    "fields.list": listFields([REGION]),
    "search.titles": () => ({ hits: [] }),
    "duplicates.find":
      find ??
      (({ table }) => {
        const scan = table === "contacts" ? CONTACT_SCAN : ORGANISATION_SCAN;
        const pairs = scan.pairs.filter((p) => !archived.includes(p.first) && !archived.includes(p.second) && !isDismissed(p));
        return { ...scan, pairs, found: scan.found - (scan.pairs.length - pairs.length) };
      }),
    "duplicates.compare": () => comparison(),
    "duplicates.merge": (input): MergeOutcome => {
      if (refuseMerge) throw refuseMerge;
      archived = [...archived, input.merged.id];
      const merge = recordMerge({ survivor_id: input.survivor.id, merged_id: input.merged.id });
      merged = [{ merge, survivor_title: "Acme Ltd", merged_title: "ACME Limited" }, ...merged];
      return { merge, moved: [{ table: "contacts", label: "contact", field: "organisation_id", count: 1 }] };
    },
    "duplicates.undo_merge": ({ id }): UndoneMerge => {
      const view = merged.find((m) => m.merge.id === id)!;
      archived = archived.filter((a) => a !== view.merge.merged_id);
      const merge = { ...view.merge, version: view.merge.version + 1, undone_at: "2026-12-02T08:00:00Z", undone_by: "user-anna" };
      merged = merged.map((m) => (m.merge.id === id ? { ...m, merge } : m));
      return { merge, kept_fields: [], moved_back: 1, left_in_place: 0, ...undone };
    },
    "duplicates.list_merges": ({ table }) => ({ merges: merged.filter((m) => m.merge.record_table === table) }),
    "duplicates.dismiss": ({ table, first, second }): DuplicateDismissal => {
      if (refuseDismiss) throw refuseDismiss;
      // The core keeps the pair in its own order: the lesser id first.
      const [first_id, second_id] = first < second ? [first, second] : [second, first];
      const dismissal = recordDismissal({ record_table: table, first_id, second_id });
      dismissed = [...dismissed, dismissal];
      return dismissal;
    },
    "duplicates.reconsider_pair": ({ id, version }): DuplicateDismissal => {
      if (refuseReconsider) throw refuseReconsider;
      const found = dismissed.find((d) => d.id === id && d.version === version);
      if (!found) throw apiError("conflict");
      dismissed = dismissed.filter((d) => d.id !== id);
      return { ...found, version: version + 1, archived_at: "2026-12-02T08:00:00Z" };
    },
  });
  render(<App transport={fake.transport} initialRoute={route} />);
  return fake;
}

async function findPairs() {
  await userEvent.click(await screen.findByTestId("duplicates-find"));
  return screen.findAllByTestId("duplicate-pair");
}

/** Opens the first pair side by side. */
async function openAcme() {
  const [acme] = await findPairs();
  await userEvent.click(acme);
  await screen.findByTestId("merge-choice-kind-first");
}

function choice(field: string, side: "first" | "second") {
  return screen.getByTestId(`merge-choice-${field}-${side}`);
}

async function mergeNow() {
  await userEvent.click(screen.getByTestId("merge-confirm"));
  const dialog = await screen.findByTestId("merge-dialog");
  await userEvent.click(within(dialog).getByTestId("confirm-ok"));
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("the way to the duplicates", () => {
  it("is offered in the navigation to who may find duplicates, and opens the screen", async () => {
    const fake = duplicatesCore({ route: { screen: "customers", view: { kind: "list" } } });
    await userEvent.click(await screen.findByTestId("nav-duplicates"));
    expect(await screen.findByTestId("duplicates-screen")).toHaveTextContent("Duplicates");
    expect(screen.getByTestId("nav-duplicates")).toHaveAttribute("aria-current", "page");
    // Nothing is scanned before it is asked for: it can take seconds.
    expect(fake.callsOf("duplicates.find")).toEqual([]);
    expect(screen.getByTestId("duplicates-not-yet")).toHaveTextContent("press “Find duplicates”");
  });

  it("is not offered to who may not find duplicates, and nothing of it is asked for", async () => {
    const fake = duplicatesCore({ session: SALES_WITHOUT_DUPLICATES, route: { screen: "duplicates" } });
    // The screen left open falls back to the customers.
    await waitFor(() => expect(fake.callsOf("customers.list_organisations").length).toBeGreaterThan(0));
    expect(screen.queryByTestId("nav-duplicates")).toBeNull();
    expect(screen.queryByTestId("duplicates-screen")).toBeNull();
    expect(fake.calls.filter((c) => c.op.startsWith("duplicates."))).toEqual([]);
  });
});

describe("likely pairs", () => {
  it("are found when asked, with a busy state, a summary, the likelihood and the reasons in words", async () => {
    const answer = deferred<DuplicateScan>();
    const fake = duplicatesCore({ find: () => answer.promise });
    const find = await screen.findByTestId("duplicates-find");
    await userEvent.click(find);
    expect(find).toHaveAttribute("aria-disabled", "true");
    expect(find).toHaveTextContent("Looking for duplicates…");
    // Pressed again while busy: nothing more is asked, and the button keeps the focus.
    await userEvent.click(find);
    expect(find).toHaveFocus();
    expect(fake.callsOf("duplicates.find")).toEqual([{ table: "organisations" }]);

    await act(async () => answer.resolve(ORGANISATION_SCAN));
    const [acme, globex] = await screen.findAllByTestId("duplicate-pair");
    expect(find).not.toHaveAttribute("aria-disabled");
    expect(screen.getByTestId("duplicates-summary")).toHaveTextContent(
      "3 likely pairs among 4,210 organisations. The 2 likeliest are listed. 2 values shared by too many records to tell them apart (a business centre's phone, say) were not used.",
    );

    expect(within(acme).getByTestId("pair-first")).toHaveTextContent("Acme Ltd");
    expect(within(acme).getByTestId("pair-second")).toHaveTextContent("ACME Limited");
    expect(within(acme).getByTestId("pair-likelihood")).toHaveTextContent("Near certain");
    expect(within(acme).getAllByTestId("pair-reason").map((r) => r.textContent)).toEqual(["Same tax ID", "Similar name"]);
    expect(within(globex).getByTestId("pair-likelihood")).toHaveTextContent("Likely");
    expect(within(globex).getAllByTestId("pair-reason").map((r) => r.textContent)).toEqual(["Same website", "Same phone"]);
  });

  it("are found per kind: contacts share an organisation, and a person's name is similar", async () => {
    const fake = duplicatesCore();
    await userEvent.click(await screen.findByTestId("duplicates-kind-contacts"));
    expect(screen.getByTestId("duplicates-kind-contacts")).toHaveAttribute("aria-pressed", "true");
    expect(screen.getByTestId("duplicates-kind-organisations")).toHaveAttribute("aria-pressed", "false");
    const [ivan] = await findPairs();
    expect(fake.callsOf("duplicates.find")).toEqual([{ table: "contacts" }]);
    expect(within(ivan).getByTestId("pair-likelihood")).toHaveTextContent("Very likely");
    expect(within(ivan).getAllByTestId("pair-reason").map((r) => r.textContent)).toEqual(["Same email", "Similar name", "Same organisation"]);
    expect(screen.getByTestId("duplicates-summary")).toHaveTextContent(/^1 likely pair among 1 contact\.$/);
  });
});

describe("comparing and merging a pair", () => {
  it("shows both records' values as their cards do, with a choice only where they differ", async () => {
    duplicatesCore();
    await openAcme();
    const row = (field: string) => screen.getAllByTestId("compare-row").find((r) => r.dataset.field === field)!;

    expect(row("kind")).toHaveAttribute("role", "radiogroup");
    expect(row("kind")).toHaveTextContent("Kind");
    expect(within(row("kind")).getByTestId("compare-value-first")).toHaveTextContent("Customer");
    expect(within(row("kind")).getByTestId("compare-value-second")).toHaveTextContent("Prospect");
    expect(within(row("phone")).getByTestId("compare-value-first")).toHaveTextContent("+7 495 123 45 67");
    expect(within(row("phone")).getByTestId("compare-value-second")).toHaveTextContent("Not set");
    // A custom value is named by its field's label.
    await waitFor(() => expect(row("custom.region")).toHaveTextContent("Sales region"));
    // The same tax id on both: nothing to choose.
    expect(row("tax_id")).toHaveTextContent("Same");
    expect(screen.queryByTestId("merge-choice-tax_id-first")).toBeNull();
    expect(screen.queryByTestId("merge-choice-tax_id-second")).toBeNull();

    // Defaults: the kept (older) record's values, except where it has none and the other has one.
    expect(choice("kind", "first")).toBeChecked();
    expect(choice("email", "first")).toBeChecked();
    expect(choice("legal_name", "second")).toBeChecked();
    expect(choice("phone", "first")).toBeChecked();
    expect(screen.getByTestId("merge-survivor-first")).toBeChecked();
    // What refers to the record merged away moves.
    expect(screen.getByTestId("merge-moves")).toHaveTextContent("1 contact will move to the kept record.");
  });

  it("takes from the merged record exactly the values chosen, a custom value too", async () => {
    const fake = duplicatesCore();
    await openAcme();
    await userEvent.click(choice("email", "second"));
    await userEvent.click(choice("custom.region", "second"));
    // Changed one's mind: the kept record's name after all.
    await userEvent.click(choice("name", "second"));
    await userEvent.click(choice("name", "first"));
    await mergeNow();

    await screen.findByTestId("merge-done");
    expect(fake.callsOf("duplicates.merge")).toEqual<MergeRecordsInput[]>([
      {
        table: "organisations",
        survivor: { id: ACME, version: 3 },
        merged: { id: ACME_TWIN, version: 5 },
        take: ["legal_name", "email", "custom.region"],
      },
    ]);
  });

  it("keeps the values chosen when the other record is kept, and takes what that one lacks", async () => {
    const fake = duplicatesCore();
    await openAcme();
    await userEvent.click(choice("email", "second"));
    await userEvent.click(screen.getByTestId("merge-survivor-second"));

    // The newer record is kept now: its own values by default, the older one's phone (it has none).
    expect(choice("kind", "second")).toBeChecked();
    expect(choice("phone", "first")).toBeChecked();
    expect(choice("email", "second")).toBeChecked();
    expect(within(screen.getByTestId("compare-head-second")).getByText("Kept")).toBeInTheDocument();
    expect(within(screen.getByTestId("compare-head-first")).getByText("Archived by the merge")).toBeInTheDocument();
    // The older record's contacts and relation move now.
    expect(screen.getByTestId("merge-moves")).toHaveTextContent("2 contacts and 1 relation will move to the kept record.");

    await userEvent.click(choice("custom.region", "first"));
    await mergeNow();

    await screen.findByTestId("merge-done");
    expect(fake.callsOf("duplicates.merge")).toEqual<MergeRecordsInput[]>([
      {
        table: "organisations",
        survivor: { id: ACME_TWIN, version: 5 },
        merged: { id: ACME, version: 3 },
        take: ["phone", "custom.region"],
      },
    ]);
  });

  it("is read-only without the permission to merge: no choices, no Merge, no Undo", async () => {
    const fake = duplicatesCore({ session: AUDITOR, merges: [{ merge: recordMerge(), survivor_title: "Acme Ltd", merged_title: "ACME Limited" }] });
    const [acme] = await findPairs();
    await userEvent.click(acme);
    const grid = await screen.findByTestId("compare-grid");
    await waitFor(() => expect(within(grid).getAllByTestId("compare-row")).toHaveLength(7));

    expect(screen.getByTestId("merge-read-only")).toHaveTextContent("you can compare these records, not merge them");
    expect(within(grid).queryAllByRole("radio")).toEqual([]);
    expect(screen.queryByTestId("merge-survivor-first")).toBeNull();
    expect(screen.queryByTestId("merge-confirm")).toBeNull();
    // The values are still there to compare.
    expect(within(grid).getAllByTestId("compare-row")[0]).toHaveTextContent("CustomerProspect");

    expect(await screen.findByTestId("recent-merge")).toHaveTextContent("ACME Limited merged into Acme Ltd");
    expect(screen.queryByTestId("recent-merge-undo")).toBeNull();
    expect(fake.callsOf("duplicates.merge")).toEqual([]);
  });

  it("says what the merge moved, drops the pair, and undoes it with Undo", async () => {
    const fake = duplicatesCore({ undone: { kept_fields: ["email", "custom.region"], left_in_place: 2 } });
    await openAcme();
    await mergeNow();

    const done = await screen.findByTestId("merge-done");
    expect(done).toHaveTextContent("Merged “ACME Limited” into “Acme Ltd”. 1 contact moved.");
    expect(done).toHaveFocus();
    expect(screen.queryByTestId("merge-dialog")).toBeNull();
    expect(screen.queryByTestId("comparison")).toBeNull();
    // The pair goes, and the kind is scanned again.
    await waitFor(() => expect(screen.getAllByTestId("duplicate-pair")).toHaveLength(1));
    expect(screen.getByTestId("duplicate-pair")).toHaveTextContent("Globex");
    await waitFor(() => expect(fake.callsOf("duplicates.find")).toHaveLength(2));
    // The merge is listed among the recent ones.
    expect(await screen.findByTestId("recent-merge")).toHaveTextContent("ACME Limited merged into Acme Ltd");

    await userEvent.click(within(done).getByTestId("merge-undo"));
    await waitFor(() => expect(done).toHaveTextContent("The merge was undone: “ACME Limited” is back. 1 record moved back to it."));
    expect(fake.callsOf("duplicates.undo_merge")).toEqual([{ id: MERGE_ID, version: 1 }]);
    expect(done).toHaveTextContent("2 records had been moved elsewhere since, or are out of your reach, and were left as they are.");
    await waitFor(() =>
      expect(within(done).getByTestId("undo-kept-fields")).toHaveTextContent(
        "These fields were changed since the merge and were kept as they are now: Email and Sales region.",
      ),
    );
    // The record is back, and so is its pair.
    await waitFor(() => expect(screen.getAllByTestId("duplicate-pair")).toHaveLength(2));
    await waitFor(() => expect(screen.getByTestId("recent-merge")).toHaveAttribute("data-undone", "true"));
  });

  it("shows a refused merge in the dialog, in words, and reads both records again after a conflict", async () => {
    const fake = duplicatesCore({ refuseMerge: apiError("conflict", { "merged.version": { code: "stale_version", message: "changed" } }) });
    await openAcme();
    await userEvent.click(choice("email", "second"));
    await mergeNow();

    const dialog = screen.getByTestId("merge-dialog");
    expect(await within(dialog).findByRole("alert")).toHaveTextContent("Someone else changed this record in the meantime.");
    await waitFor(() => expect(fake.callsOf("duplicates.compare")).toHaveLength(2));
    // The choices made stay; nothing was merged.
    expect(choice("email", "second")).toBeChecked();
    expect(screen.queryByTestId("merge-done")).toBeNull();
    await userEvent.click(within(dialog).getByTestId("confirm-cancel"));
    expect(screen.getByTestId("merge-confirm")).toHaveFocus();
  });
});

describe("judging a pair not duplicates", () => {
  it("sends exactly the pair, asks nothing first, drops the pair, says so, and takes it back with Undo", async () => {
    const fake = duplicatesCore();
    await openAcme();
    const button = screen.getByTestId("merge-dismiss");
    expect(button).toHaveTextContent("Not duplicates");
    expect(button).toHaveAccessibleDescription("Marks the two as different records: no scan will offer them again, for anyone.");
    await userEvent.click(button);

    const done = await screen.findByTestId("dismiss-done");
    expect(fake.callsOf("duplicates.dismiss")).toEqual<CompareRecordsInput[]>([{ table: "organisations", first: ACME, second: ACME_TWIN }]);
    // No confirmation was asked for, and nothing was merged.
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(fake.callsOf("duplicates.merge")).toEqual([]);
    expect(done).toHaveTextContent("Marked “Acme Ltd” and “ACME Limited” as different records. They will not be offered again.");
    expect(done).toHaveFocus();
    expect(screen.queryByTestId("comparison")).toBeNull();
    // The pair goes, and the kind is scanned again (which no longer offers it).
    await waitFor(() => expect(screen.getAllByTestId("duplicate-pair")).toHaveLength(1));
    expect(screen.getByTestId("duplicate-pair")).toHaveTextContent("Globex");
    await waitFor(() => expect(fake.callsOf("duplicates.find")).toHaveLength(2));
    await waitFor(() => expect(screen.getByTestId("duplicates-summary")).toHaveTextContent(/^2 likely pairs among 4,210 organisations\./));

    await userEvent.click(within(done).getByTestId("dismiss-undo"));
    await waitFor(() =>
      expect(done).toHaveTextContent("Taken back: “Acme Ltd” and “ACME Limited” may be offered as likely duplicates again."),
    );
    // The dismissal's own id and version, as the core answered them.
    expect(fake.callsOf("duplicates.reconsider_pair")).toEqual<VersionedIdInput[]>([{ id: DISMISSAL_ID, version: 2 }]);
    expect(within(done).queryByTestId("dismiss-undo")).toBeNull();
    expect(done).toHaveFocus();
    // Scanned again: the pair is offered once more.
    await waitFor(() => expect(fake.callsOf("duplicates.find")).toHaveLength(3));
    await waitFor(() => expect(screen.getAllByTestId("duplicate-pair")).toHaveLength(2));
  });

  it("is not offered without the permission to merge", async () => {
    const fake = duplicatesCore({ session: AUDITOR });
    const [acme] = await findPairs();
    await userEvent.click(acme);
    await screen.findByTestId("merge-read-only");
    await waitFor(() => expect(within(screen.getByTestId("compare-grid")).getAllByTestId("compare-row")).toHaveLength(7));
    expect(screen.queryByTestId("merge-dismiss")).toBeNull();
    expect(screen.queryByText("Not duplicates")).toBeNull();
    expect(fake.callsOf("duplicates.dismiss")).toEqual([]);
  });

  it("shows a refusal in words and keeps the pair and the comparison", async () => {
    const fake = duplicatesCore({ refuseDismiss: apiError("not_found") });
    await openAcme();
    await userEvent.click(screen.getByTestId("merge-dismiss"));

    expect(await screen.findByTestId("merge-dismiss-error")).toHaveTextContent(i18n.t("errors.code.not_found"));
    expect(screen.getByTestId("comparison")).toBeInTheDocument();
    expect(screen.getByTestId("merge-dismiss")).toHaveFocus();
    expect(screen.queryByTestId("dismiss-done")).toBeNull();
    expect(screen.getAllByTestId("duplicate-pair")).toHaveLength(2);
    expect(fake.callsOf("duplicates.find")).toHaveLength(1);
  });

  it("shows a refused Undo in words, and offers it again", async () => {
    const fake = duplicatesCore({ refuseReconsider: apiError("permission_denied") });
    await openAcme();
    await userEvent.click(screen.getByTestId("merge-dismiss"));
    const done = await screen.findByTestId("dismiss-done");
    await waitFor(() => expect(fake.callsOf("duplicates.find")).toHaveLength(2));

    await userEvent.click(within(done).getByTestId("dismiss-undo"));
    expect(await within(done).findByTestId("dismiss-undo-error")).toHaveTextContent(i18n.t("errors.code.permission_denied"));
    expect(done).toHaveTextContent("Marked “Acme Ltd” and “ACME Limited” as different records.");
    expect(within(done).getByTestId("dismiss-undo")).toBeEnabled();
    // Nothing was taken back: the kind is not scanned again.
    expect(fake.callsOf("duplicates.find")).toHaveLength(2);
  });
});

describe("recent merges", () => {
  it("say which into which, who and when, whether undone, and undo one after asking", async () => {
    const older = recordMerge({ id: "0198b000-0000-7000-8000-0000000000bb", created_at: "2026-11-20T08:00:00Z", undone_at: "2026-11-21T09:00:00Z" });
    const fake = duplicatesCore({
      merges: [
        { merge: recordMerge(), survivor_title: "Acme Ltd", merged_title: "ACME Limited" },
        { merge: older, survivor_title: "Globex", merged_title: "Globex Corp" },
      ],
      undone: { kept_fields: ["name"] },
    });
    const [latest, undone] = await screen.findAllByTestId("recent-merge");
    expect(latest).toHaveTextContent("ACME Limited merged into Acme Ltd");
    await waitFor(() => expect(within(latest).getByTestId("recent-merge-who")).toHaveTextContent("Anna Petrova"));
    expect(latest).toHaveTextContent(formatDateTime("2026-12-01T10:30:00Z", "en"));
    expect(undone).toHaveTextContent("Globex Corp merged into Globex");
    expect(within(undone).getByTestId("recent-merge-undone-at")).toHaveTextContent(`Undone ${formatDateTime("2026-11-21T09:00:00Z", "en")}`);
    expect(within(undone).queryByTestId("recent-merge-undo")).toBeNull();

    const undo = within(latest).getByTestId("recent-merge-undo");
    expect(undo).toHaveAccessibleName("Undo the merge of ACME Limited into Acme Ltd");
    await userEvent.click(undo);
    const dialog = await screen.findByTestId("undo-merge-dialog");
    expect(dialog).toHaveTextContent("“ACME Limited” will be restored");
    expect(fake.callsOf("duplicates.undo_merge")).toEqual([]);
    await userEvent.click(within(dialog).getByTestId("confirm-ok"));

    const outcome = await screen.findByTestId("recent-merge-undone");
    expect(fake.callsOf("duplicates.undo_merge")).toEqual([{ id: MERGE_ID, version: 1 }]);
    expect(outcome).toHaveTextContent("These fields were changed since the merge and were kept as they are now: Name.");
    await waitFor(() => expect(within(screen.getAllByTestId("recent-merge")[0]).queryByTestId("recent-merge-undo")).toBeNull());
  });
});

describe("in Persian", () => {
  it("reads right to left, with Persian words and digits, and without errors", async () => {
    const errors = vi.spyOn(console, "error");
    window.localStorage.setItem("accord.language", "fa");
    await i18n.changeLanguage("fa");
    duplicatesCore({ merges: [{ merge: recordMerge(), survivor_title: "آکمه", merged_title: "آکمه لیمیتد" }] });
    expect(document.documentElement).toHaveAttribute("dir", "rtl");

    await userEvent.click(await screen.findByTestId("duplicates-find"));
    const [acme] = await screen.findAllByTestId("duplicate-pair");
    expect(screen.getByTestId("duplicates-summary")).toHaveTextContent(`${formatNumber(3, "fa")} جفت محتمل در میان ${formatNumber(4210, "fa")} سازمان.`);
    expect(screen.getByTestId("duplicates-summary").textContent).toMatch(/۴٬۲۱۰/);
    expect(within(acme).getByTestId("pair-likelihood")).toHaveTextContent("تقریباً قطعی");
    expect(within(acme).getAllByTestId("pair-reason").map((r) => r.textContent)).toEqual(["شناسه مالیاتی یکسان", "نام مشابه"]);

    await userEvent.click(acme);
    await screen.findByTestId("merge-choice-kind-first");
    expect(screen.getByTestId("compare-head-first")).toHaveTextContent(`ایجاد: ${formatDate("2025-03-01T09:00:00Z", "fa")}`);
    expect(screen.getByTestId("merge-moves")).toHaveTextContent(`${formatNumber(1, "fa")} مخاطب به رکوردی که می‌ماند منتقل می‌شود.`);
    const [merge] = await screen.findAllByTestId("recent-merge");
    expect(merge).toHaveTextContent("آکمه لیمیتد در آکمه ادغام شد");

    const dismiss = screen.getByTestId("merge-dismiss");
    expect(dismiss).toHaveTextContent("تکراری نیستند");
    await userEvent.click(dismiss);
    expect(await screen.findByTestId("dismiss-done")).toHaveTextContent(
      "«Acme Ltd» و «ACME Limited» به‌عنوان رکوردهای متفاوت علامت خوردند. دیگر پیشنهاد نمی‌شوند.",
    );
    expect(screen.getByTestId("dismiss-undo")).toHaveTextContent("لغو");
    expect(errors).not.toHaveBeenCalled();
  });
});

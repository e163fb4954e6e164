import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import type {
  ApiError,
  ChooseSaveFileInput,
  ChosenFile,
  Colleagues,
  CustomField,
  ExportRecordsInput,
  ExportSummary,
  PreviewSegmentInput,
  SaveSegmentInput,
  Segment,
  SegmentField,
  SegmentFilter,
  SegmentMemberPage,
  SessionStatus,
  UpdateSegmentInput,
} from "../../../api/generated";
import { App } from "../../../app/App";
import type { Route } from "../../../app/navigation";
import { i18n } from "../../../i18n";
import { formatNumber } from "../../../shared/format";
import { captureDownloads } from "../../../test/downloads";
import {
  EMPLOYEES,
  EXPORTS_FOLDER,
  FINISHED,
  KIND_WORDS,
  REGION,
  fakeExports,
  runningExport,
  savedAs,
  type FakeExportsOptions,
  type FakeExportsState,
  type RequestedFile,
} from "../../../test/fakeExports";
import { apiError, customField, deferred, emptyPage, fakeTransport, listFields, organisation, signedIn } from "../../../test/fakeTransport";

// Ids are UUIDs, as the core's are.
const KEY_ACCOUNTS = "0198e000-0000-7000-8000-000000000001";
const SUPPLIERS = "0198e000-0000-7000-8000-000000000002";
const NEW_SEGMENT = "0198e000-0000-7000-8000-0000000000ff";
const ACME = "0198a000-0000-7000-8000-000000000001";
const GLOBEX = "0198a000-0000-7000-8000-000000000002";
const INITECH = "0198a000-0000-7000-8000-000000000003";

const ANNA = { id: "user-anna", display_name: "Anna Petrova" };
const READ = ["customers.read", "search.query", "fields.read", "security.directory"];
const MANAGER = signedIn({ ...ANNA, permissions: [...READ, "customers.write", "segments.read", "segments.manage"] });
const AUDITOR = signedIn({ ...ANNA, permissions: [...READ, "segments.read"] });
const WITHOUT_SEGMENTS = signedIn({ ...ANNA, permissions: [...READ, "customers.write"] });

const DIRECTORY: Colleagues = {
  users: [
    { id: "user-anna", display_name: "Anna Petrova", department_id: null, active: true },
    { id: "user-boris", display_name: "Boris Ivanov", department_id: null, active: true },
  ],
  departments: [],
};

const ORGANISATION_FIELDS: SegmentField[] = [
  { field: "kind", label: null, type: "choice", values: ["customer", "prospect", "supplier", "partner"] },
  { field: "industry", label: null, type: "text" },
  { field: "city", label: null, type: "text" },
  { field: "email", label: null, type: "text" },
  { field: "owner_id", label: null, type: "reference", table: "users" },
  { field: "created_at", label: null, type: "date" },
  { field: "custom.region", label: "Sales region", type: "choice", values: ["north", "south"] },
  { field: "custom.employees", label: "Employees", type: "number" },
];
const CONTACT_FIELDS: SegmentField[] = [
  { field: "organisation_id", label: null, type: "reference", table: "organisations" },
  { field: "role", label: null, type: "text" },
];

const KEY_FILTER: SegmentFilter = {
  type: "all",
  of: [
    { type: "condition", field: "kind", op: "any_of", value: ["customer", "partner"] },
    { type: "condition", field: "custom.region", op: "is", value: "north" },
  ],
};

function segment(overrides: Partial<Segment> = {}): Segment {
  return {
    id: KEY_ACCOUNTS,
    name: "Key accounts",
    record_table: "organisations",
    filter: KEY_FILTER,
    notes: "For the quarterly review",
    version: 3,
    created_at: "2026-11-20T09:00:00Z",
    updated_at: "2026-11-22T09:00:00Z",
    created_by: "user-anna",
    updated_by: "user-anna",
    archived_at: null,
    owner_id: null,
    department_id: null,
    ...overrides,
  };
}

const MEMBER_PAGES: Record<string, SegmentMemberPage> = {
  first: {
    count: 127,
    members: [
      { id: ACME, title: "Acme Ltd", subtitle: "Moscow" },
      { id: GLOBEX, title: "Globex", subtitle: null },
    ],
    next_cursor: "cursor-1",
  },
  "cursor-1": { count: 127, members: [{ id: INITECH, title: "Initech", subtitle: "Kazan" }], next_cursor: null },
};

type Options = {
  session?: SessionStatus;
  route?: Route;
  segments?: Segment[];
  refuseSave?: ApiError;
  preview?: (input: PreviewSegmentInput) => SegmentMemberPage;
  /** Every kind's custom fields (organisations': Sales region, Employees, unless told otherwise). */
  fields?: CustomField[];
  /** How the core answers `segments.export` (by default: a running export of the segment). */
  startExport?: (input: ExportRecordsInput) => ExportSummary | Promise<ExportSummary>;
} & FakeExportsOptions;

/** An export as the core reports it: of Key accounts to a workbook, running, nothing written yet. */
function exportSummary(overrides: Partial<ExportSummary> = {}): ExportSummary {
  return runningExport({ id: "0198f000-0000-7000-8000-000000000001", segment_id: KEY_ACCOUNTS, name: "Key accounts", ...overrides });
}

/** A fake core with saved segments: saving, changing, archiving and restoring change what it lists. */
function segmentsCore({
  session = MANAGER,
  route = { screen: "segments" },
  segments = [segment()],
  refuseSave,
  preview,
  fields = [REGION, EMPLOYEES],
  startExport,
  ...exportOptions
}: Options = {}) {
  let saved = [...segments];
  const replace = (next: Segment) => {
    saved = saved.map((s) => (s.id === next.id ? next : s));
    return next;
  };
  /** A running export of the segment asked for, of its kind, numbered after those the core knows. */
  const startSegmentExport = (file: RequestedFile, input: ExportRecordsInput, { exports }: FakeExportsState) =>
    exportSummary({
      id: `0198f000-0000-7000-8000-00000000000${exports.size + 1}`,
      table: saved.find((s) => s.id === input.segment_id)?.record_table === "contacts" ? "contacts" : "organisations",
      segment_id: input.segment_id ?? null,
      ...file,
    });
  const fake = fakeTransport({
    "session.get": () => session,
    "settings.set_language": ({ language }) => ({ language }),
    "customers.list_organisations": () => emptyPage,
    "customers.get_organisation": ({ id }) => ({ organisation: organisation({ id, name: "Acme Ltd" }), contacts: [], relations: [] }),
    "history.record": () => ({ entries: [] }),
    "security.list_colleagues": () => DIRECTORY,
    "fields.list": listFields(fields),
    "search.titles": () => ({ hits: [] }),
    "segments.fields": ({ table }) => ({
      targets: [
        { table: "organisations", label: "organisation" },
        { table: "contacts", label: "contact" },
      ],
      fields: table === "contacts" ? CONTACT_FIELDS : ORGANISATION_FIELDS,
    }),
    "segments.field_values": ({ field }) => ({
      values:
        field === "city"
          ? [
              { value: "Moscow", count: 12 },
              { value: "Kazan", count: 3 },
            ]
          : [],
    }),
    "segments.preview":
      preview ??
      (() => ({
        count: 27,
        members: [
          { id: ACME, title: "Acme Ltd", subtitle: "Moscow" },
          { id: GLOBEX, title: "Globex", subtitle: null },
        ],
        next_cursor: "p-1",
      })),
    "segments.save": (input) => {
      if (refuseSave) throw refuseSave;
      const made = segment({ id: NEW_SEGMENT, name: input.name, record_table: input.table, filter: input.filter, notes: input.notes ?? null, version: 1 });
      saved = [...saved, made].sort((a, b) => a.name.localeCompare(b.name));
      return made;
    },
    "segments.update": ({ id, version, name, filter, notes }) => {
      const before = saved.find((s) => s.id === id)!;
      if (before.version !== version) throw apiError("conflict", { version: { code: "stale_version", message: "changed" } });
      return replace({
        ...before,
        version: version + 1,
        name: name ?? before.name,
        filter: filter ?? before.filter,
        notes: notes === undefined ? before.notes : notes === "" ? null : notes,
      });
    },
    "segments.list": ({ table, archived }) => ({
      segments: saved.filter((s) => s.record_table === table && (s.archived_at !== null) === (archived ?? false)),
    }),
    "segments.members": ({ after }) => MEMBER_PAGES[after ?? "first"],
    "segments.archive": ({ id, version }) => {
      const before = saved.find((s) => s.id === id)!;
      return replace({ ...before, version: version + 1, archived_at: "2026-12-01T10:00:00Z" });
    },
    "segments.restore": ({ id, version }) => {
      const before = saved.find((s) => s.id === id)!;
      return replace({ ...before, version: version + 1, archived_at: null });
    },
    ...fakeExports({ ...exportOptions, start: startExport ? (_file, input) => startExport(input) : startSegmentExport }).handlers,
  });
  render(<App transport={fake.transport} initialRoute={route} />);
  return fake;
}

/** The "Add condition" or "Add group" button of the group at `path` ("" for the top one). */
function groupButton(testId: "segment-add-condition" | "segment-add-group" | "segment-group-mode", path: string): HTMLElement {
  const found = screen.getAllByTestId(testId).find((b) => b.dataset.path === path);
  if (!found) throw new Error(`no ${testId} for group "${path}"`);
  return found;
}

async function chooseField(path: string, field: string) {
  await userEvent.selectOptions(screen.getByTestId(`segment-field-${path}`), field);
}

async function chooseOp(path: string, op: string) {
  await userEvent.selectOptions(screen.getByTestId(`segment-op-${path}`), op);
}

async function openNewSegment() {
  await userEvent.click(await screen.findByTestId("segment-new"));
  await screen.findByTestId("segment-field-0");
}

const names = (elements: HTMLElement[]) => elements.map((e) => e.textContent);

afterEach(() => {
  vi.restoreAllMocks();
});

describe("the way to segments", () => {
  it("is offered in the navigation and the command palette to who may read segments", async () => {
    const fake = segmentsCore({ route: { screen: "customers", view: { kind: "list" } } });
    await userEvent.click(await screen.findByTestId("nav-segments"));
    expect(await screen.findByTestId("segments-screen")).toHaveTextContent("Segments");
    expect(screen.getByTestId("nav-segments")).toHaveAttribute("aria-current", "page");
    expect(fake.callsOf("segments.list")).toEqual([{ table: "organisations", archived: false }]);

    await userEvent.click(screen.getByTestId("nav-customers"));
    await userEvent.click(screen.getByTestId("global-search"));
    await userEvent.type(screen.getByTestId("palette-input"), "segm");
    await userEvent.click(await screen.findByTestId("palette-command-segments"));
    expect(await screen.findByTestId("segments-screen")).toBeInTheDocument();
  });

  it("is not offered to who may not read segments, and nothing of it is asked for", async () => {
    const fake = segmentsCore({ session: WITHOUT_SEGMENTS });
    // The screen left open falls back to the customers.
    await waitFor(() => expect(fake.callsOf("customers.list_organisations").length).toBeGreaterThan(0));
    expect(screen.queryByTestId("nav-segments")).toBeNull();
    expect(screen.queryByTestId("segments-screen")).toBeNull();
    await userEvent.click(screen.getByTestId("global-search"));
    await userEvent.type(screen.getByTestId("palette-input"), "segm");
    expect(screen.queryByTestId("palette-command-segments")).toBeNull();
    expect(fake.calls.filter((c) => c.op.startsWith("segments."))).toEqual([]);
  });
});

describe("the filter builder", () => {
  it("sends exactly the filter built: nested all/any groups, a custom choice, any of, a number in Persian digits, is empty", async () => {
    const fake = segmentsCore();
    await openNewSegment();
    await userEvent.type(screen.getByTestId("segment-name"), "Northern customers");
    await userEvent.type(screen.getByTestId("segment-notes"), "For the spring mailing");

    // 0: the kind is a customer or a partner (checkboxes labelled as the kinds are).
    await chooseField("0", "kind");
    await chooseOp("0", "any_of");
    const kinds = screen.getByTestId("segment-value-0");
    expect(within(kinds).getAllByRole("checkbox").map((c) => c.closest("label")?.textContent)).toEqual(["Customer", "Prospect", "Supplier", "Partner"]);
    await userEvent.click(screen.getByTestId("segment-value-0-partner"));
    await userEvent.click(screen.getByTestId("segment-value-0-customer"));

    // 1: a custom choice, offered by its choices' labels.
    await userEvent.click(groupButton("segment-add-condition", ""));
    expect(screen.getByTestId("segment-field-1")).toHaveFocus();
    await chooseField("1", "custom.region");
    expect(within(screen.getByTestId("segment-value-1")).getByRole("option", { name: "North" })).toHaveValue("north");
    await userEvent.selectOptions(screen.getByTestId("segment-value-1"), "north");

    // 2: a group of which any one must hold.
    await userEvent.click(groupButton("segment-add-group", ""));
    expect(groupButton("segment-group-mode", "2")).toHaveValue("any");
    expect(screen.getByTestId("segment-field-2-0")).toHaveFocus();
    await chooseField("2-0", "custom.employees");
    await chooseOp("2-0", "at_least");
    await userEvent.type(screen.getByTestId("segment-value-2-0"), "۱۲۰");
    await userEvent.click(groupButton("segment-add-condition", "2"));
    await chooseField("2-1", "email");
    await chooseOp("2-1", "empty");
    expect(screen.queryByTestId("segment-value-2-1")).toBeNull();

    await userEvent.click(screen.getByTestId("segment-save"));
    await screen.findByTestId("segments-notice");
    const sent = fake.callsOf("segments.save");
    // Strictly: no `value` at all for "is empty".
    expect(sent).toStrictEqual<SaveSegmentInput[]>([
      {
        name: "Northern customers",
        table: "organisations",
        notes: "For the spring mailing",
        filter: {
          type: "all",
          of: [
            { type: "condition", field: "kind", op: "any_of", value: ["customer", "partner"] },
            { type: "condition", field: "custom.region", op: "is", value: "north" },
            {
              type: "any",
              of: [
                { type: "condition", field: "custom.employees", op: "at_least", value: 120 },
                { type: "condition", field: "email", op: "empty" },
              ],
            },
          ],
        },
      },
    ]);

    // Saved: said so, listed, and shown with its conditions in words.
    expect(screen.getByTestId("segments-notice")).toHaveTextContent("Saved “Northern customers”.");
    expect(screen.getByTestId("segments-notice")).toHaveFocus();
    await waitFor(() => expect(names(screen.getAllByTestId("segment-row").map((r) => r.querySelector("bdi")!))).toEqual(["Key accounts", "Northern customers"]));
    const summary = within(screen.getByTestId("segment-detail")).getByTestId("segment-summary");
    await waitFor(() =>
      expect(names(within(summary).getAllByTestId("segment-summary-condition"))).toEqual([
        "Kind is any of Customer or Partner",
        "Sales region is North",
        "Employees is at least 120",
        "Email is empty",
      ]),
    );
  });

  it("offers the values records hold for a text field, with how many hold each, and takes several for any of", async () => {
    const fake = segmentsCore();
    await openNewSegment();
    await chooseField("0", "city");
    const city = screen.getByTestId("segment-value-0");
    await userEvent.click(city);
    const options = await screen.findAllByTestId("segment-value-0-option");
    expect(options.map((o) => o.textContent)).toEqual(["Moscow12 records", "Kazan3 records"]);
    expect(fake.callsOf("segments.field_values")).toEqual([{ table: "organisations", field: "city" }]);
    await userEvent.type(city, "Ka");
    expect(screen.getAllByTestId("segment-value-0-option").map((o) => o.dataset.value)).toEqual(["Kazan"]);
    await userEvent.keyboard("{Enter}");
    expect(city).toHaveValue("Kazan");

    // Any of: chips, one picked from the list and one typed.
    await chooseOp("0", "any_of");
    const box = screen.getByTestId("segment-value-0");
    await userEvent.clear(box);
    await userEvent.type(box, "Mos");
    const moscow = (await screen.findAllByTestId("segment-value-0-option")).find((o) => o.dataset.value === "Moscow")!;
    await userEvent.click(moscow);
    await userEvent.type(box, "Sochi{Enter}");
    expect(screen.getAllByTestId("segment-value-0-chip").map((c) => c.dataset.value)).toEqual(["Kazan", "Moscow", "Sochi"]);
    await userEvent.click(screen.getByRole("button", { name: "Remove Moscow" }));
    await userEvent.type(screen.getByTestId("segment-name"), "Two cities");
    await userEvent.click(screen.getByTestId("segment-save"));
    await screen.findByTestId("segments-notice");
    expect(fake.callsOf("segments.save")[0].filter).toStrictEqual<SegmentFilter>({
      type: "all",
      of: [{ type: "condition", field: "city", op: "any_of", value: ["Kazan", "Sochi"] }],
    });
  });

  it("shows each problem the core reports beside the row or box it belongs to", async () => {
    const fake = segmentsCore({
      refuseSave: apiError("invalid_input", {
        name: { code: "required", message: "Give the segment a name." },
        "filter.of.1.value": { code: "invalid_value", message: "Type a number, such as 120 or 12.5." },
        "filter.of.2.of.0.field": { code: "invalid_value", message: "There is no field \"\" to select by." },
      }),
    });
    await openNewSegment();
    await chooseField("0", "kind");
    await userEvent.selectOptions(screen.getByTestId("segment-value-0"), "customer");
    await userEvent.click(groupButton("segment-add-condition", ""));
    await chooseField("1", "custom.employees");
    await userEvent.type(screen.getByTestId("segment-value-1"), "lots");
    await userEvent.click(groupButton("segment-add-group", ""));
    await userEvent.click(screen.getByTestId("segment-save"));

    // What is shown is sent, incomplete rows too: the core says what is wrong with each.
    await waitFor(() => expect(fake.callsOf("segments.save")).toHaveLength(1));
    expect(fake.callsOf("segments.save")[0]).toStrictEqual<SaveSegmentInput>({
      name: "",
      table: "organisations",
      filter: {
        type: "all",
        of: [
          { type: "condition", field: "kind", op: "is", value: "customer" },
          { type: "condition", field: "custom.employees", op: "is", value: "lots" },
          { type: "any", of: [{ type: "condition", field: "", op: "is" }] },
        ],
      },
    });

    const rowError = await within(screen.getByTestId("segment-condition-1")).findByTestId("segment-error-1");
    expect(rowError).toHaveTextContent("Type a number, such as 120 or 12.5.");
    expect(screen.getByTestId("segment-value-1")).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByTestId("segment-value-1")).toHaveAccessibleDescription("Type a number, such as 120 or 12.5.");
    expect(screen.queryByTestId("segment-error-0")).toBeNull();
    expect(screen.getByTestId("segment-value-0")).not.toHaveAttribute("aria-invalid");
    // A nested row's problem, beside that row.
    expect(within(screen.getByTestId("segment-condition-2-0")).getByTestId("segment-error-2-0")).toHaveTextContent("Choose one of the fields offered.");
    expect(screen.getByTestId("segment-field-2-0")).toHaveAttribute("aria-invalid", "true");
    // The name's, beside the name box.
    expect(screen.getByTestId("segment-name-error")).toHaveTextContent(i18n.t("errors.field.required"));
    expect(screen.getByTestId("segment-name")).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByTestId("segment-form-error")).toHaveTextContent(i18n.t("errors.code.invalid_input"));

    // A problem stays with its row when a row before it is removed.
    await userEvent.click(screen.getByTestId("segment-remove-0"));
    expect(within(screen.getByTestId("segment-condition-0")).getByTestId("segment-error-0")).toHaveTextContent("Type a number");
    expect(screen.getByTestId("segment-value-0")).toHaveValue("lots");
  });
});

describe("the live preview", () => {
  it("counts and names who match, sending only complete conditions", async () => {
    const fake = segmentsCore();
    await openNewSegment();
    const count = screen.getByTestId("segment-preview-count");
    // Nothing complete yet: every record.
    await waitFor(() => expect(count).toHaveTextContent("27 organisations match"));
    expect(fake.callsOf("segments.preview").at(-1)).toEqual<PreviewSegmentInput>({ table: "organisations", filter: { type: "all", of: [] }, limit: 20 });
    expect(names(within(screen.getByTestId("segment-preview")).getAllByTestId("segment-member"))).toEqual(["Acme Ltd", "Globex"]);

    await chooseField("0", "kind");
    await userEvent.selectOptions(screen.getByTestId("segment-value-0"), "prospect");
    // A text row without a value, and a group whose row has no field: left out until complete.
    await userEvent.click(groupButton("segment-add-condition", ""));
    await chooseField("1", "city");
    await userEvent.click(groupButton("segment-add-group", ""));
    await chooseField("2-0", "custom.employees");
    await userEvent.type(screen.getByTestId("segment-value-2-0"), "many");

    const onlyKind: SegmentFilter = { type: "all", of: [{ type: "condition", field: "kind", op: "is", value: "prospect" }] };
    await waitFor(() => expect(fake.callsOf("segments.preview").at(-1)?.filter).toStrictEqual(onlyKind));
    expect(screen.getByTestId("segment-preview-skipped")).toHaveTextContent("2 conditions not complete yet are left out.");
    // Never an incomplete row, at any moment.
    for (const call of fake.callsOf("segments.preview")) {
      expect(JSON.stringify(call.filter)).not.toMatch(/"city"|"custom\.employees"|"field":""/);
    }

    // Completed, the row joins the preview.
    await userEvent.clear(screen.getByTestId("segment-value-2-0"));
    await userEvent.type(screen.getByTestId("segment-value-2-0"), "50");
    await waitFor(() =>
      expect(fake.callsOf("segments.preview").at(-1)?.filter).toStrictEqual({
        type: "all",
        of: [
          { type: "condition", field: "kind", op: "is", value: "prospect" },
          { type: "any", of: [{ type: "condition", field: "custom.employees", op: "is", value: 50 }] },
        ],
      }),
    );
    expect(screen.getByTestId("segment-preview-skipped")).toHaveTextContent("1 condition not complete yet is left out.");
  });
});

describe("saved segments", () => {
  it("list the kind's segments and show one's members now, with the count, page by page", async () => {
    const fake = segmentsCore({ segments: [segment(), segment({ id: SUPPLIERS, name: "Suppliers", record_table: "contacts" })] });
    const rows = await screen.findAllByTestId("segment-row");
    expect(names(rows.map((r) => r.querySelector("bdi")!))).toEqual(["Key accounts"]);
    await userEvent.click(rows[0]);

    const members = await screen.findByTestId("segment-members");
    expect(await within(members).findByTestId("segment-members-count")).toHaveTextContent("127 organisations in this segment now");
    expect(names(within(members).getAllByTestId("segment-member"))).toEqual(["Acme Ltd", "Globex"]);
    expect(within(members).getByTestId("segment-members-shown")).toHaveTextContent("2 of 127 shown");
    expect(screen.getByTestId("segment-detail-notes")).toHaveTextContent("For the quarterly review");

    await userEvent.click(within(members).getByTestId("segment-members-more"));
    await waitFor(() => expect(names(within(members).getAllByTestId("segment-member"))).toEqual(["Acme Ltd", "Globex", "Initech"]));
    expect(fake.callsOf("segments.members")).toEqual([
      { id: KEY_ACCOUNTS, limit: 50 },
      { id: KEY_ACCOUNTS, limit: 50, after: "cursor-1" },
    ]);
    expect(within(members).queryByTestId("segment-members-more")).toBeNull();

    // A member opens its card.
    await userEvent.click(within(members).getAllByTestId("segment-member")[0]);
    await waitFor(() => expect(screen.getByTestId("org-card-name")).toHaveTextContent("Acme Ltd"));
    expect(fake.callsOf("customers.get_organisation")[0]).toEqual({ id: ACME });
  });

  it("are listed per kind", async () => {
    const fake = segmentsCore({ segments: [segment(), segment({ id: SUPPLIERS, name: "Buyers", record_table: "contacts", filter: { type: "all", of: [] } })] });
    await screen.findAllByTestId("segment-row");
    await userEvent.click(screen.getByTestId("segments-kind-contacts"));
    expect(screen.getByTestId("segments-kind-contacts")).toHaveAttribute("aria-pressed", "true");
    await waitFor(() => expect(names(screen.getAllByTestId("segment-row").map((r) => r.querySelector("bdi")!))).toEqual(["Buyers"]));
    expect(fake.callsOf("segments.list").at(-1)).toEqual({ table: "contacts", archived: false });
  });

  it("are changed in the builder and saved at the version shown", async () => {
    const fake = segmentsCore();
    await userEvent.click(await screen.findByTestId("segment-row"));
    await userEvent.click(await screen.findByTestId("segment-edit"));

    // The saved filter, in the builder.
    expect(await screen.findByTestId("segment-name")).toHaveValue("Key accounts");
    expect(screen.getByTestId("segment-field-0")).toHaveValue("kind");
    expect(screen.getByTestId("segment-op-0")).toHaveValue("any_of");
    expect(screen.getByTestId("segment-value-0-customer")).toBeChecked();
    expect(screen.getByTestId("segment-value-0-prospect")).not.toBeChecked();
    expect(screen.getByTestId("segment-value-1")).toHaveValue("north");

    await userEvent.clear(screen.getByTestId("segment-name"));
    await userEvent.type(screen.getByTestId("segment-name"), "Key accounts (north)");
    await userEvent.click(screen.getByTestId("segment-remove-0"));
    await waitFor(() => expect(groupButton("segment-add-condition", "")).toHaveFocus());
    await userEvent.click(screen.getByTestId("segment-save"));

    await screen.findByTestId("segments-notice");
    expect(fake.callsOf("segments.update")).toStrictEqual<UpdateSegmentInput[]>([
      {
        id: KEY_ACCOUNTS,
        version: 3,
        name: "Key accounts (north)",
        notes: "For the quarterly review",
        filter: { type: "all", of: [{ type: "condition", field: "custom.region", op: "is", value: "north" }] },
      },
    ]);
    expect(await screen.findByTestId("segment-detail-name")).toHaveTextContent("Key accounts (north)");
  });

  it("are archived after asking, and restored from the archived ones", async () => {
    const fake = segmentsCore();
    await userEvent.click(await screen.findByTestId("segment-row"));
    await userEvent.click(await screen.findByTestId("segment-archive"));
    const dialog = await screen.findByTestId("segment-archive-dialog");
    expect(dialog).toHaveTextContent("“Key accounts” will no longer be listed with the active segments.");
    expect(fake.callsOf("segments.archive")).toEqual([]);
    await userEvent.click(within(dialog).getByTestId("confirm-ok"));

    expect(await screen.findByTestId("segments-notice")).toHaveTextContent("Archived “Key accounts”.");
    expect(fake.callsOf("segments.archive")).toEqual([{ id: KEY_ACCOUNTS, version: 3 }]);
    await screen.findByTestId("segments-empty");
    expect(screen.queryByTestId("segment-row")).toBeNull();

    await userEvent.click(screen.getByTestId("segments-show-archived"));
    await userEvent.click(await screen.findByTestId("segment-row"));
    // An archived segment: its conditions, no members read, Restore.
    expect(await screen.findByTestId("segment-archived-at")).toBeInTheDocument();
    expect(screen.queryByTestId("segment-members")).toBeNull();
    await userEvent.click(screen.getByTestId("segment-restore"));
    expect(await screen.findByTestId("segments-notice")).toHaveTextContent("Restored “Key accounts”.");
    expect(fake.callsOf("segments.restore")).toEqual([{ id: KEY_ACCOUNTS, version: 4 }]);
    expect(screen.getByTestId("segments-show-archived")).not.toBeChecked();
    expect(await screen.findByTestId("segment-members")).toBeInTheDocument();
  });

  it("offer nothing to change to who may only read them", async () => {
    const fake = segmentsCore({ session: AUDITOR, segments: [segment(), segment({ id: SUPPLIERS, name: "Old", archived_at: "2026-11-01T00:00:00Z" })] });
    await userEvent.click(await screen.findByTestId("segment-row"));
    expect(await within(await screen.findByTestId("segment-members")).findByTestId("segment-members-count")).toHaveTextContent("127 organisations");
    expect(screen.queryByTestId("segment-new")).toBeNull();
    expect(screen.queryByTestId("segment-edit")).toBeNull();
    expect(screen.queryByTestId("segment-archive")).toBeNull();

    await userEvent.click(screen.getByTestId("segments-show-archived"));
    await userEvent.click(await screen.findByTestId("segment-row"));
    await screen.findByTestId("segment-archived-at");
    expect(screen.queryByTestId("segment-restore")).toBeNull();
    expect(fake.calls.filter((c) => ["segments.save", "segments.update", "segments.archive", "segments.restore", "segments.preview"].includes(c.op))).toEqual([]);
  });
});

const NEWSLETTER = customField({ key: "newsletter", label: "Newsletter", kind: "yes_no", record_table: "contacts" });
const TOPICS = customField({
  key: "topics",
  label: "Topics",
  kind: "multi_choice",
  record_table: "contacts",
  choices: [
    { key: "pricing", label: "Pricing", retired: false },
    { key: "events", label: "Events", retired: true },
  ],
});
const RETIRED_NOTE = customField({ key: "old_note", label: "Old note", retired_at: "2026-11-21T09:00:00Z" });

/** Opens the first saved segment and waits until it can be exported (its members counted, the custom fields read). */
async function openSegmentForExport() {
  await userEvent.click(await screen.findByTestId("segment-row"));
  await screen.findByTestId("segment-members-count");
  await waitFor(() => expect(screen.getByTestId("segment-export-xlsx")).toBeEnabled());
}

/** Opens the saved segment called `name` and waits until it shows. */
async function openSegmentNamed(name: string) {
  const row = (await screen.findAllByTestId("segment-row")).find((r) => r.textContent?.includes(name));
  if (!row) throw new Error(`no segment row for ${name}`);
  await userEvent.click(row);
  await waitFor(() => expect(screen.getByTestId("segment-detail-name")).toHaveTextContent(name));
}

/** Lets the answers the fake core has given reach the screen (for what must not show up). */
async function settle() {
  await new Promise((resolve) => setTimeout(resolve, 100));
}

const SUPPLIERS_SEGMENT = segment({ id: SUPPLIERS, name: "Suppliers", notes: null });
const OLD_EXPORT = "0198f000-0000-7000-8000-0000000000aa";
const MINUTE = 60 * 1000;
/** A moment `ms` before now, as the core writes it. */
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

/** The core refuses to write where the Save dialog said. */
function refusePath(): never {
  throw apiError("invalid_input", { path: { code: "invalid_value", message: "The folder /x does not exist. Choose another." } });
}

/** Waits until the export buttons are free again. */
async function exportButtonsFree() {
  await waitFor(() => {
    for (const id of ["segment-export-csv", "segment-export-xlsx"]) expect(screen.getByTestId(id)).not.toHaveAttribute("aria-disabled");
  });
}

describe("exporting a saved segment", () => {
  it("asks where to save under the segment's name, then has the core write the organisations' columns, named in the window's language, with words for the kind and a custom choice, there", async () => {
    const downloads = captureDownloads();
    // Who may only read segments may export them; a retired field and the contacts' fields are not columns.
    const fake = segmentsCore({ session: AUDITOR, fields: [REGION, RETIRED_NOTE, EMPLOYEES, NEWSLETTER] });
    await openSegmentForExport();
    expect(screen.getByTestId("segment-export-csv")).toHaveTextContent("Export CSV");
    expect(screen.getByTestId("segment-export-xlsx")).toHaveTextContent("Export Excel (XLSX)");
    await userEvent.click(screen.getByTestId("segment-export-xlsx"));

    const done = await screen.findByTestId("segment-export-done");
    expect(fake.callsOf("settings.choose_save_file")).toStrictEqual<ChooseSaveFileInput[]>([{ name: "Key accounts", format: "xlsx" }]);
    expect(fake.callsOf("segments.export")).toStrictEqual<ExportRecordsInput[]>([
      {
        segment_id: KEY_ACCOUNTS,
        format: "xlsx",
        name: "Key accounts",
        columns: [
          { field: "name", label: "Name" },
          { field: "kind", label: "Kind" },
          { field: "industry", label: "Industry" },
          { field: "country", label: "Country" },
          { field: "city", label: "City" },
          { field: "email", label: "Email" },
          { field: "phone", label: "Phone" },
          { field: "custom.region", label: "Sales region" },
          { field: "custom.employees", label: "Employees" },
        ],
        value_labels: {
          kind: KIND_WORDS,
          "custom.region": { north: "North", south: "South" },
        },
        path: `${EXPORTS_FOLDER}/Key accounts.xlsx`,
      },
    ]);
    expect(done).toHaveTextContent("Exported 127 organisations to Key accounts.xlsx.");
    expect(screen.getByTestId("segment-export-path")).toHaveTextContent(`Saved as ${EXPORTS_FOLDER}/Key accounts.xlsx`);
    // The core wrote the file where the person said: the window downloads nothing.
    expect(downloads).toEqual([]);
    expect(screen.queryByTestId("segment-export-error")).toBeNull();
  });

  it("sends a contacts segment's columns, the organisation by its name, with words for several choices and yes/no", async () => {
    const buyers = segment({ id: SUPPLIERS, name: "Buyers", record_table: "contacts", filter: { type: "all", of: [] } });
    const fake = segmentsCore({ segments: [segment(), buyers], fields: [REGION, TOPICS, NEWSLETTER] });
    await screen.findAllByTestId("segment-row");
    await userEvent.click(screen.getByTestId("segments-kind-contacts"));
    await waitFor(() => expect(names(screen.getAllByTestId("segment-row").map((r) => r.querySelector("bdi")!))).toEqual(["Buyers"]));
    await openSegmentForExport();
    await userEvent.click(screen.getByTestId("segment-export-csv"));

    expect(await screen.findByTestId("segment-export-done")).toHaveTextContent("Exported 127 contacts to Buyers.csv.");
    expect(fake.callsOf("settings.choose_save_file")).toStrictEqual<ChooseSaveFileInput[]>([{ name: "Buyers", format: "csv" }]);
    expect(fake.callsOf("segments.export")).toStrictEqual<ExportRecordsInput[]>([
      {
        segment_id: SUPPLIERS,
        format: "csv",
        name: "Buyers",
        columns: [
          { field: "full_name", label: "Full name" },
          { field: "organisation_id", label: "Organisation" },
          { field: "role", label: "Role" },
          { field: "email", label: "Email" },
          { field: "phone", label: "Phone" },
          { field: "custom.topics", label: "Topics" },
          { field: "custom.newsletter", label: "Newsletter" },
        ],
        value_labels: {
          // A retired choice too: records may still hold it.
          "custom.topics": { pricing: "Pricing", events: "Events" },
          "custom.newsletter": { true: "Yes", false: "No" },
        },
        path: `${EXPORTS_FOLDER}/Buyers.csv`,
      },
    ]);
  });

  it("starts nothing and says nothing when the Save dialog is closed", async () => {
    const fake = segmentsCore({ chooseFile: () => ({ path: null, name: null }) });
    await openSegmentForExport();
    await userEvent.click(screen.getByTestId("segment-export-xlsx"));

    await waitFor(() => expect(fake.callsOf("settings.choose_save_file")).toHaveLength(1));
    await exportButtonsFree();
    expect(screen.getByTestId("segment-export-xlsx")).toHaveTextContent("Export Excel (XLSX)");
    expect(screen.getByTestId("segment-export-xlsx")).not.toHaveAttribute("aria-busy");
    expect(fake.callsOf("segments.export")).toEqual([]);
    expect(fake.callsOf("segments.get_export")).toEqual([]);
    for (const id of ["progress", "done", "cancelled", "error"]) expect(screen.queryByTestId(`segment-export-${id}`)).toBeNull();
  });

  it("shows how far the core got while it writes, then the file and where it is, and reads no more", async () => {
    const running = { total: 300000, written: 12000 };
    const fake = segmentsCore({
      startExport: () => exportSummary({ total: 300000 }),
      progress: [running, running, { ...FINISHED, total: 300000, written: 300000 }],
    });
    await openSegmentForExport();
    await userEvent.click(screen.getByTestId("segment-export-xlsx"));

    await waitFor(() => expect(screen.getByTestId("segment-export-progress")).toHaveTextContent("Exporting 12,000 of 300,000 rows…"));
    const bar = screen.getByRole("progressbar", { name: "Progress of the export" });
    expect(bar).toHaveAttribute("max", "300000");
    expect(bar).toHaveAttribute("value", "12000");
    expect(bar).toHaveAttribute("aria-valuetext", "Exporting 12,000 of 300,000 rows…");
    expect(screen.getByTestId("segment-export-cancel")).toHaveTextContent("Cancel");
    expect(screen.getByTestId("segment-export-xlsx")).toHaveTextContent("Exporting…");
    expect(screen.getByTestId("segment-export-xlsx")).toHaveAttribute("aria-disabled", "true");
    expect(screen.getByTestId("segment-export-csv")).toHaveAttribute("aria-disabled", "true");

    const done = await screen.findByTestId("segment-export-done");
    expect(done).toHaveTextContent("Exported 300,000 organisations to Key accounts.xlsx.");
    expect(done).toHaveAttribute("role", "status");
    expect(screen.getByTestId("segment-export-path")).toHaveTextContent(`${EXPORTS_FOLDER}/Key accounts.xlsx`);
    expect(screen.queryByTestId("segment-export-progress")).toBeNull();
    expect(screen.queryByTestId("segment-export-cancel")).toBeNull();
    expect(fake.callsOf("segments.get_export")).toContainEqual({ id: exportSummary().id });
    await exportButtonsFree();
    expect(screen.getByTestId("segment-export-xlsx")).toHaveTextContent("Export Excel (XLSX)");

    // Finished: it is read no more.
    const reads = fake.callsOf("segments.get_export").length;
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(fake.callsOf("segments.get_export")).toHaveLength(reads);
  });

  it("is stopped with Cancel, asked once, and says no file was saved", async () => {
    const fake = segmentsCore({ progress: [{ written: 40 }] });
    await openSegmentForExport();
    await userEvent.click(screen.getByTestId("segment-export-xlsx"));
    const cancel = await screen.findByTestId("segment-export-cancel");
    await userEvent.click(cancel);

    expect(cancel).toHaveTextContent("Stopping…");
    expect(cancel).toHaveAttribute("aria-disabled", "true");
    // Pressed again while it stops: nothing more is asked (and the button keeps the focus).
    await userEvent.click(cancel);
    expect(cancel).toHaveFocus();
    expect(fake.callsOf("segments.cancel_export")).toEqual([{ id: exportSummary().id }]);

    expect(await screen.findByTestId("segment-export-cancelled")).toHaveTextContent("Export cancelled; no file was saved.");
    expect(fake.callsOf("segments.cancel_export")).toHaveLength(1);
    expect(screen.queryByTestId("segment-export-done")).toBeNull();
    expect(screen.queryByTestId("segment-export-progress")).toBeNull();
    await exportButtonsFree();
  });

  it("says why the core stopped it, in its own words", async () => {
    segmentsCore({ progress: [{ written: 40 }, { status: "failed", written: 40, message: "The disk is full (os error 28)." }] });
    await openSegmentForExport();
    await userEvent.click(screen.getByTestId("segment-export-xlsx"));

    const error = await screen.findByTestId("segment-export-error");
    expect(error).toHaveTextContent("The export stopped: The disk is full (os error 28).");
    expect(error).toHaveAttribute("role", "alert");
    expect(screen.queryByTestId("segment-export-done")).toBeNull();
    await exportButtonsFree();
  });

  it("says an export Accord was closed during left no file", async () => {
    segmentsCore({ progress: [{ status: "interrupted", written: 40 }] });
    await openSegmentForExport();
    await userEvent.click(screen.getByTestId("segment-export-csv"));

    expect(await screen.findByTestId("segment-export-error")).toHaveTextContent(
      "The export stopped when Accord was closed; no file was saved. Export again.",
    );
    expect(screen.queryByTestId("segment-export-done")).toBeNull();
  });

  it("says why the core refused to start, in its own words for where the file would go, and writes nothing", async () => {
    const fake = segmentsCore({ startExport: refusePath });
    await openSegmentForExport();
    await userEvent.click(screen.getByTestId("segment-export-xlsx"));

    const error = await screen.findByTestId("segment-export-error");
    expect(error).toHaveTextContent("The folder /x does not exist. Choose another.");
    expect(error).not.toHaveTextContent(i18n.t("errors.code.invalid_input"));
    expect(error).toHaveAttribute("role", "alert");
    expect(fake.callsOf("segments.export")).toHaveLength(1);
    expect(fake.callsOf("segments.get_export")).toEqual([]);
    expect(screen.queryByTestId("segment-export-done")).toBeNull();
    expect(screen.queryByTestId("segment-export-progress")).toBeNull();
    await exportButtonsFree();
  });

  it("starts no second export while the Save dialog is open or one runs", async () => {
    const dialog = deferred<ChosenFile>();
    const fake = segmentsCore({
      chooseFile: () => dialog.promise,
      progress: [{ written: 50 }, { written: 90 }, { written: 120 }, FINISHED],
    });
    await openSegmentForExport();
    const csv = screen.getByTestId("segment-export-csv");
    const xlsx = screen.getByTestId("segment-export-xlsx");
    await userEvent.click(csv);

    // The dialog open: the pressed button busy, both doing nothing (and keeping the focus).
    await waitFor(() => expect(csv).toHaveAttribute("aria-busy", "true"));
    expect(csv).toHaveTextContent("Exporting…");
    expect(xlsx).toHaveAttribute("aria-disabled", "true");
    expect(xlsx).toHaveTextContent("Export Excel (XLSX)");
    await userEvent.click(csv);
    expect(csv).toHaveFocus();
    await userEvent.click(xlsx);
    expect(fake.callsOf("settings.choose_save_file")).toHaveLength(1);

    // The export running: still one.
    dialog.resolve(savedAs({ name: "Key accounts", format: "csv" }));
    await screen.findByTestId("segment-export-progress");
    await userEvent.click(csv);
    await userEvent.click(xlsx);
    expect(csv).toHaveAttribute("aria-busy", "true");
    expect(fake.callsOf("settings.choose_save_file")).toHaveLength(1);
    expect(fake.callsOf("segments.export")).toHaveLength(1);

    // Done: another export may start.
    expect(await screen.findByTestId("segment-export-done")).toHaveTextContent("Key accounts.csv");
    await exportButtonsFree();
    expect(csv).not.toHaveAttribute("aria-busy");
    await userEvent.click(xlsx);
    await waitFor(() => expect(fake.callsOf("settings.choose_save_file").map((i) => i.format)).toEqual(["csv", "xlsx"]));
  });

  it("says the same in Persian, right to left, in Persian words rather than the core's English", async () => {
    window.localStorage.setItem("accord.language", "fa");
    await i18n.changeLanguage("fa");
    segmentsCore({ startExport: refusePath });
    await openSegmentForExport();
    expect(document.documentElement).toHaveAttribute("dir", "rtl");
    await userEvent.click(screen.getByTestId("segment-export-xlsx"));

    const error = await screen.findByTestId("segment-export-error");
    expect(error).toHaveTextContent("آکورد نمی‌تواند فایل را آنجا ذخیره کند. پوشه یا نام دیگری انتخاب کنید.");
    expect(error).not.toHaveTextContent("The folder /x does not exist");
    expect(error).not.toHaveTextContent(i18n.t("errors.code.invalid_input"));
    await exportButtonsFree();
  });

  it("follows the person back to its segment while it runs: how far it got and Cancel, and no second export", async () => {
    const fake = segmentsCore({ segments: [segment(), SUPPLIERS_SEGMENT], progress: [{ written: 50 }] });
    await openSegmentNamed("Key accounts");
    await waitFor(() => expect(screen.getByTestId("segment-export-xlsx")).toBeEnabled());
    await userEvent.click(screen.getByTestId("segment-export-xlsx"));
    await waitFor(() => expect(screen.getByTestId("segment-export-progress")).toHaveTextContent("Exporting 50 of 127 rows…"));

    // Another segment: the export of Key accounts is not its own.
    await openSegmentNamed("Suppliers");
    await waitFor(() => expect(fake.callsOf("segments.list_exports")).toHaveLength(2));
    await settle();
    for (const id of ["progress", "cancel", "done", "error"]) expect(screen.queryByTestId(`segment-export-${id}`)).toBeNull();

    // Back on Key accounts, without pressing Export: the export as it goes on.
    await openSegmentNamed("Key accounts");
    await waitFor(() => expect(screen.getByTestId("segment-export-progress")).toHaveTextContent("Exporting 50 of 127 rows…"));
    expect(fake.callsOf("segments.list_exports")).toEqual([{}, {}, {}]);
    const csv = screen.getByTestId("segment-export-csv");
    const xlsx = screen.getByTestId("segment-export-xlsx");
    expect(xlsx).toHaveTextContent("Exporting…");
    expect(xlsx).toHaveAttribute("aria-busy", "true");
    expect(csv).toHaveAttribute("aria-disabled", "true");

    // Export pressed while it runs: nothing more is started.
    await userEvent.click(csv);
    await userEvent.click(xlsx);
    expect(fake.callsOf("settings.choose_save_file")).toHaveLength(1);
    expect(fake.callsOf("segments.export")).toHaveLength(1);

    await userEvent.click(screen.getByTestId("segment-export-cancel"));
    expect(await screen.findByTestId("segment-export-cancelled")).toHaveTextContent("Export cancelled; no file was saved.");
    expect(fake.callsOf("segments.cancel_export")).toEqual([{ id: exportSummary().id }]);
    await exportButtonsFree();
  });

  it("follows the person back to a segment whose export is running, started before the screen opened", async () => {
    const fake = segmentsCore({ earlier: [exportSummary({ written: 30 })], progress: [{ written: 60 }] });
    await userEvent.click(await screen.findByTestId("segment-row"));
    await waitFor(() => expect(screen.getByTestId("segment-export-progress")).toHaveTextContent("Exporting 60 of 127 rows…"));
    expect(screen.getByTestId("segment-export-xlsx")).toHaveAttribute("aria-busy", "true");
    await waitFor(() => expect(screen.getByTestId("segment-export-csv")).toBeEnabled());
    await userEvent.click(screen.getByTestId("segment-export-csv"));
    await settle();
    expect(fake.callsOf("settings.choose_save_file")).toEqual([]);
    expect(fake.callsOf("segments.export")).toEqual([]);

    await userEvent.click(screen.getByTestId("segment-export-cancel"));
    expect(await screen.findByTestId("segment-export-cancelled")).toBeInTheDocument();
    expect(fake.callsOf("segments.cancel_export")).toEqual([{ id: exportSummary().id }]);
    expect(fake.callsOf("segments.list_exports")).toHaveLength(1);
  });

  it("shows, back on its segment, the file an export finished a minute ago; not another segment's, nor one finished an hour ago", async () => {
    const fake = segmentsCore({
      segments: [segment(), SUPPLIERS_SEGMENT],
      earlier: [
        exportSummary({ ...FINISHED, finished_at: ago(MINUTE) }),
        exportSummary({
          ...FINISHED,
          id: OLD_EXPORT,
          segment_id: SUPPLIERS,
          name: "Suppliers",
          file_name: "Suppliers.csv",
          path: `${EXPORTS_FOLDER}/Suppliers.csv`,
          format: "csv",
          finished_at: ago(60 * MINUTE),
        }),
      ],
      progress: [{}],
    });
    await openSegmentNamed("Key accounts");
    expect(await screen.findByTestId("segment-export-done")).toHaveTextContent("Exported 127 organisations to Key accounts.xlsx.");
    expect(screen.getByTestId("segment-export-path")).toHaveTextContent(`Saved as ${EXPORTS_FOLDER}/Key accounts.xlsx`);
    expect(screen.queryByTestId("segment-export-progress")).toBeNull();
    await exportButtonsFree();

    await openSegmentNamed("Suppliers");
    await waitFor(() => expect(fake.callsOf("segments.list_exports")).toHaveLength(2));
    await settle();
    for (const id of ["progress", "done", "cancelled", "error"]) expect(screen.queryByTestId(`segment-export-${id}`)).toBeNull();
    expect(fake.callsOf("segments.get_export")).not.toContainEqual({ id: OLD_EXPORT });
  });

  it("is started as usual when the person's latest exports cannot be read, and says nothing of them", async () => {
    const fake = segmentsCore({
      listExports: () => {
        throw apiError("internal");
      },
    });
    await openSegmentForExport();
    await waitFor(() => expect(fake.callsOf("segments.list_exports")).toHaveLength(1));
    await settle();
    expect(screen.queryByTestId("segment-export-error")).toBeNull();
    await exportButtonsFree();

    await userEvent.click(screen.getByTestId("segment-export-xlsx"));
    expect(await screen.findByTestId("segment-export-done")).toHaveTextContent("Exported 127 organisations to Key accounts.xlsx.");
    expect(fake.callsOf("segments.export")).toHaveLength(1);
    expect(screen.queryByTestId("segment-export-error")).toBeNull();
  });

  it("is not offered for an archived segment", async () => {
    const fake = segmentsCore({ segments: [segment({ archived_at: "2026-11-01T00:00:00Z" })] });
    await userEvent.click(await screen.findByTestId("segments-show-archived"));
    await userEvent.click(await screen.findByTestId("segment-row"));
    await screen.findByTestId("segment-archived-at");
    expect(screen.queryByTestId("segment-export-csv")).toBeNull();
    expect(screen.queryByTestId("segment-export-xlsx")).toBeNull();
    expect(fake.callsOf("settings.choose_save_file")).toEqual([]);
    expect(fake.callsOf("segments.export")).toEqual([]);
  });

  it("names the columns and the kinds, follows the export and names the file in Persian, right to left with Persian digits", async () => {
    const errors = vi.spyOn(console, "error");
    window.localStorage.setItem("accord.language", "fa");
    await i18n.changeLanguage("fa");
    const running = { total: 300000, written: 12000 };
    const fake = segmentsCore({
      startExport: () => exportSummary({ total: 300000 }),
      progress: [running, running, { ...FINISHED, total: 300000, written: 300000 }],
    });
    await openSegmentForExport();
    expect(document.documentElement).toHaveAttribute("dir", "rtl");
    expect(screen.getByTestId("segment-export-xlsx")).toHaveTextContent("خروجی اکسل (XLSX)");
    await userEvent.click(screen.getByTestId("segment-export-xlsx"));

    await waitFor(() =>
      expect(screen.getByTestId("segment-export-progress")).toHaveTextContent(
        `در حال خروجی گرفتن: ${formatNumber(12000, "fa")} از ${formatNumber(300000, "fa")} ردیف…`,
      ),
    );
    expect(screen.getByTestId("segment-export-progress").textContent).toMatch(/۱۲٬۰۰۰/);
    expect(screen.getByTestId("segment-export-cancel")).toHaveTextContent("لغو");

    const done = await screen.findByTestId("segment-export-done");
    expect(done).toHaveTextContent(`${formatNumber(300000, "fa")} سازمان در «Key accounts.xlsx» خروجی گرفته شد.`);
    // The path reads left to right inside the right-to-left sentence.
    const path = within(screen.getByTestId("segment-export-path")).getByText(`${EXPORTS_FOLDER}/Key accounts.xlsx`);
    expect(path.tagName).toBe("BDI");
    expect(path).toHaveAttribute("dir", "ltr");
    expect(screen.getByTestId("segment-export-path")).toHaveTextContent("ذخیره‌شده در");

    const [sent] = fake.callsOf("segments.export");
    expect(sent.columns).toStrictEqual([
      { field: "name", label: "نام" },
      { field: "kind", label: "نوع" },
      { field: "industry", label: "صنعت" },
      { field: "country", label: "کشور" },
      { field: "city", label: "شهر" },
      { field: "email", label: "ایمیل" },
      { field: "phone", label: "تلفن" },
      // A custom field is called what its administrator named it.
      { field: "custom.region", label: "Sales region" },
      { field: "custom.employees", label: "Employees" },
    ]);
    expect(sent.value_labels?.kind).toStrictEqual({ customer: "مشتری", prospect: "مشتری بالقوه", supplier: "تأمین‌کننده", partner: "شریک" });
    expect(errors).not.toHaveBeenCalled();
  });
});

describe("in Persian", () => {
  it("reads right to left, with Persian words and digits, and without errors", async () => {
    const errors = vi.spyOn(console, "error");
    window.localStorage.setItem("accord.language", "fa");
    await i18n.changeLanguage("fa");
    const fake = segmentsCore();
    expect(document.documentElement).toHaveAttribute("dir", "rtl");
    expect(await screen.findByTestId("nav-segments")).toHaveTextContent("بخش‌ها");

    await userEvent.click(await screen.findByTestId("segment-row"));
    expect(await screen.findByTestId("segment-members-count")).toHaveTextContent(`اکنون در این بخش: ${formatNumber(127, "fa")} سازمان`);
    expect(screen.getByTestId("segment-members-count").textContent).toMatch(/۱۲۷/);
    await waitFor(() => expect(screen.getAllByTestId("segment-summary-condition")[0]).toHaveTextContent("نوع یکی از مشتری یا شریک"));

    await userEvent.click(screen.getByTestId("segment-new"));
    expect(within(screen.getByTestId("segment-field-0")).getByRole("option", { name: "شهر" })).toHaveValue("city");
    await chooseField("0", "custom.employees");
    await chooseOp("0", "at_least");
    expect(screen.getByTestId("segment-op-0")).toHaveDisplayValue("دست‌کم");
    await userEvent.type(screen.getByTestId("segment-value-0"), "۱۲۰");
    await waitFor(() =>
      expect(fake.callsOf("segments.preview").at(-1)?.filter).toStrictEqual({
        type: "all",
        of: [{ type: "condition", field: "custom.employees", op: "at_least", value: 120 }],
      }),
    );
    expect(screen.getByTestId("segment-preview-count")).toHaveTextContent(`${formatNumber(27, "fa")} سازمان با این شرط‌ها مطابقت دارند`);
    expect(groupButton("segment-add-condition", "")).toHaveTextContent("افزودن شرط");
    expect(errors).not.toHaveBeenCalled();
  });
});

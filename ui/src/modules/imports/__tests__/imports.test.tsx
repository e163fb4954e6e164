import { act, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import type {
  ApiError,
  ChosenFile,
  Colleagues,
  CreatedHeldRows,
  ImportInput,
  ImportReportInput,
  ImportRow,
  ImportRowsInput,
  ImportSummary,
  InspectedFile,
  RecordComparison,
  SessionStatus,
  StartImportInput,
} from "../../../api/generated";
import { App } from "../../../app/App";
import type { Route } from "../../../app/navigation";
import { i18n } from "../../../i18n";
import { downloadBase64File } from "../../../shared/download";
import { formatCalendarDate, formatNumber } from "../../../shared/format";
import { captureDownloads } from "../../../test/downloads";
import type { UndoneImport } from "../hooks/useImports";
import { apiError, emptyPage, fakeTransport, listFields, signedIn } from "../../../test/fakeTransport";

// The real download, watched: what the window hands it is what the core sent.
vi.mock(import("../../../shared/download"), async (importOriginal) => {
  const actual = await importOriginal();
  return { ...actual, downloadBase64File: vi.fn(actual.downloadBase64File) };
});

// Ids are UUIDs, as the core's are.
const IMPORT_ID = "0198f000-0000-7000-8000-000000000001";
const DRY_RUN_ID = "0198f000-0000-7000-8000-000000000002";
const OLDER_ID = "0198f000-0000-7000-8000-000000000003";
const ROMASHKA = "0198a000-0000-7000-8000-000000000001";
const ROMASHKA_TWIN = "0198a000-0000-7000-8000-000000000002";
const PATH = "/home/anna/Clients 2026.csv";

const ANNA = { id: "user-anna", display_name: "Anna Petrova" };
const READ = ["customers.read", "search.query", "fields.read", "security.directory"];
const SALES = signedIn({ ...ANNA, permissions: [...READ, "customers.write", "imports.run", "duplicates.find", "duplicates.merge"] });
const WITHOUT_IMPORTS = signedIn({ ...ANNA, permissions: [...READ, "customers.write"] });

const DIRECTORY: Colleagues = { users: [{ id: "user-anna", display_name: "Anna Petrova", department_id: null, active: true }], departments: [] };

/** A semicolon-separated file of organisations: a name, an email, a phone, a contract date, a comment. */
function inspectedFile(overrides: Partial<InspectedFile> = {}): InspectedFile {
  return {
    file_name: "Clients 2026.csv",
    format: { format: "csv", encoding: "windows1251", delimiter: ";" } as unknown as InspectedFile["format"],
    headers: ["Company", "E-mail", "Phone", "Contract date", "Comment"],
    sample: [
      ["Ромашка", "info@romashka.ru", "8 495 123-45-67", "03/04/2026", "VIP"],
      ["Acme", "sales-at-acme", "", "05/06/2026", ""],
      ["Globex", "", "+98 21 1234 5678", "07/08/2026", "new"],
    ],
    estimated_rows: 1200,
    targets: [
      { field: "name", label: null, required: true, kind: "text" },
      { field: "email", label: null, required: false, kind: "text" },
      { field: "phone", label: null, required: false, kind: "phone" },
      { field: "notes", label: null, required: false, kind: "text" },
      { field: "custom.contract", label: "Contract date", required: false, kind: "date" },
    ],
    mapping: [
      { column: 0, field: "name" },
      { column: 1, field: "email" },
      { column: 2, field: "phone" },
    ],
    remembered: false,
    date_order: null,
    date_columns: [{ column: 3, reading: { reading: "ambiguous" } }],
    ...overrides,
  };
}

function importRow(overrides: Partial<ImportRow> & Pick<ImportRow, "row">): ImportRow {
  return {
    outcome: "imported",
    problems: [],
    notices: [],
    cells: [],
    existing_id: null,
    existing_title: null,
    reasons: [],
    created_id: null,
    ...overrides,
  };
}

const PREVIEW_ROWS: ImportRow[] = [
  importRow({
    row: 2,
    cells: ["Ромашка", "info@romashka.ru", "8 495 123-45-67", "03/04/2026", "VIP"],
    notices: [{ field: "phone", message: "The phone number has no country code; it was read as a number in IR, the import's default country." }],
  }),
  importRow({
    row: 3,
    outcome: "failed",
    cells: ["Acme", "sales-at-acme", "", "05/06/2026", ""],
    problems: [{ column: 1, header: "E-mail", value: "sales-at-acme", field: "email", code: "invalid_email", message: "not an email" }],
  }),
];

function summary(overrides: Partial<ImportSummary> = {}): ImportSummary {
  return {
    id: IMPORT_ID,
    table: "organisations",
    file_name: "Clients 2026.csv",
    dry_run: false,
    status: "running",
    message: null,
    estimated_rows: 120,
    rows_read: 0,
    imported: 0,
    failed: 0,
    held: 0,
    noticed: 0,
    cancel_requested: false,
    started_at: "2026-12-07T09:00:00Z",
    finished_at: null,
    undone_at: null,
    undo: null,
    ...overrides,
  };
}

const FINISHED = summary({ status: "finished", rows_read: 120, imported: 117, failed: 2, held: 1, noticed: 1, finished_at: "2026-12-07T09:01:00Z" });

const FAILED_ROWS: ImportRow[] = [
  importRow({
    row: 3,
    outcome: "failed",
    cells: ["Acme", "sales-at-acme"],
    problems: [
      { column: 1, header: "E-mail", value: "sales-at-acme", field: "email", code: "invalid_email", message: "not an email" },
      { column: 2, header: "Phone", value: "12", field: "phone", code: "invalid_phone", message: "not a phone" },
    ],
  }),
  importRow({
    row: 9,
    outcome: "failed",
    cells: ["", "a@b.example"],
    problems: [{ column: 0, header: "Company", value: "", field: "name", code: "required", message: "empty" }],
  }),
];

const HELD_ROW = importRow({
  row: 5,
  outcome: "held",
  cells: ["Romashka LLC", "info@romashka.ru"],
  existing_id: ROMASHKA,
  existing_title: "Ромашка",
  reasons: ["email", "name"],
});

function comparison(): RecordComparison {
  const common = { archived_at: null, owner_id: null, department_id: null, created_by: "user-anna", updated_by: "user-anna" };
  return {
    table: "organisations",
    fields: ["name", "email"],
    first: { ...common, id: ROMASHKA, version: 4, created_at: "2025-03-01T09:00:00Z", name: "Ромашка", email: "info@romashka.ru" },
    second: { ...common, id: ROMASHKA_TWIN, version: 1, created_at: "2026-12-07T09:02:00Z", name: "Romashka LLC", email: "info@romashka.ru" },
    first_references: [],
    second_references: [],
  };
}

type Options = {
  session?: SessionStatus;
  route?: Route;
  file?: InspectedFile;
  /** What the file dialog answers. */
  chosen?: ChosenFile;
  inspect?: (input: { path: string; table: string }) => InspectedFile;
  preview?: (input: ImportInput) => { rows: ImportRow[] };
  start?: (input: StartImportInput) => ImportSummary;
  /** The summaries `imports.get` answers in turn; the last one is repeated. */
  progress?: ImportSummary[];
  list?: ImportSummary[];
  rows?: (input: ImportRowsInput) => ImportRow[];
  undone?: UndoneImport;
};

/** A fake core with a file to import: it previews, starts, runs through `progress`, lists rows, reports, creates held rows, undoes. */
function importsCore({
  session = SALES,
  route = { screen: "imports" },
  file = inspectedFile(),
  chosen = { path: PATH, name: "Clients 2026.csv" },
  inspect,
  preview,
  start,
  progress = [summary({ rows_read: 40 }), summary({ rows_read: 80, imported: 78, failed: 1, held: 1 }), FINISHED],
  list = [],
  rows,
  undone = { archived: 116, kept_changed: 1, already_archived: 0 },
}: Options = {}) {
  const polls = new Map<string, number>();
  const undoReads = new Map<string, number>();
  let cancelRequested = false;
  let held = [HELD_ROW];
  let created: ImportRow[] = [];
  const fake = fakeTransport({
    "session.get": () => session,
    "settings.set_language": ({ language }) => ({ language }),
    "customers.list_organisations": () => emptyPage,
    "security.list_colleagues": () => DIRECTORY,
    "fields.list": listFields([]),
    "search.titles": () => ({ hits: [] }),
    "settings.choose_file": () => chosen,
    "imports.inspect": inspect ?? (() => file),
    "imports.preview": preview ?? (() => ({ rows: PREVIEW_ROWS })),
    "imports.start": start ?? ((input) => summary({ id: input.dry_run ? DRY_RUN_ID : IMPORT_ID, dry_run: input.dry_run })),
    "imports.get": ({ id }) => {
      // An undo runs in the background: the first read after it began says it is still running.
      const undoing = undoReads.get(id);
      if (undoing !== undefined) {
        undoReads.set(id, undoing + 1);
        const base = list.find((s) => s.id === id) ?? FINISHED;
        const status = undoing === 0 ? ("running" as const) : ("finished" as const);
        const counts = status === "running" ? { archived: 0, kept_changed: 0, already_archived: 0 } : undone;
        return { ...base, id, undo: { status, ...counts }, undone_at: status === "finished" ? "2026-12-07T09:05:00Z" : null };
      }
      const listed = list.find((s) => s.id === id);
      if (listed && id !== IMPORT_ID) return listed;
      const n = polls.get(id) ?? 0;
      polls.set(id, n + 1);
      const answer = progress[Math.min(n, progress.length - 1)];
      if (cancelRequested && answer.status === "running") return { ...answer, id, status: "cancelled" as const, finished_at: "2026-12-07T09:00:30Z" };
      return { ...answer, id, dry_run: id === DRY_RUN_ID };
    },
    "imports.cancel": ({ id }) => {
      cancelRequested = true;
      return summary({ id, rows_read: 40, imported: 38, cancel_requested: true });
    },
    "imports.list": () => list,
    "imports.rows": (input) => {
      const all = rows ? rows(input) : input.outcome === "failed" ? FAILED_ROWS : input.outcome === "held" ? held : input.outcome === "created" ? created : input.outcome === "imported" ? [PREVIEW_ROWS[0]] : [];
      return { rows: all, next_after: null };
    },
    "imports.report": ({ format }) => ({
      file_name: `Clients 2026 — problems.${format}`,
      media_type: format === "csv" ? "text/csv" : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      content_base64: btoa("Row;Problems\n3;bad"),
    }),
    "imports.create_held": ({ rows: wanted }): CreatedHeldRows => {
      const making = held.filter((r) => !wanted || wanted.includes(r.row));
      held = held.filter((r) => !making.includes(r));
      created = [...created, ...making.map((r) => ({ ...r, outcome: "created" as const, created_id: ROMASHKA_TWIN }))];
      return { created: making.map((r) => ({ row: r.row, created_id: ROMASHKA_TWIN, existing_id: r.existing_id! })), failed: 0 };
    },
    "imports.undo": ({ id }) => {
      undoReads.set(id, 0);
      const base = list.find((s) => s.id === id) ?? FINISHED;
      return { ...base, id, undo: { status: "running" as const, archived: 0, kept_changed: 0, already_archived: 0 } };
    },
    "duplicates.compare": () => comparison(),
  });
  render(<App transport={fake.transport} initialRoute={route} />);
  return fake;
}

/** Chooses the file and waits for its columns. */
async function chooseFile() {
  await userEvent.click(await screen.findByTestId("import-choose-file"));
  await screen.findByTestId("import-map-0");
}

/** Chooses the file, previews it with the columns as proposed, and waits for the rows. */
async function previewFile() {
  await chooseFile();
  await userEvent.click(screen.getByTestId("import-preview-button"));
  await screen.findByTestId("import-preview-row-2");
}

/** Chooses, previews and imports the file, then waits for the import to finish. */
async function importFile() {
  await previewFile();
  await userEvent.click(screen.getByTestId("import-start"));
  await waitFor(() => expect(screen.getByTestId("import-progress")).toHaveAttribute("data-status", "finished"));
}

afterEach(() => {
  vi.restoreAllMocks();
  vi.mocked(downloadBase64File).mockClear();
});

describe("the way to imports", () => {
  it("is offered in the navigation to who may run imports, and opens the screen with the recent imports", async () => {
    const fake = importsCore({ route: { screen: "customers", view: { kind: "list" } }, list: [FINISHED] });
    await userEvent.click(await screen.findByTestId("nav-imports"));
    expect(await screen.findByTestId("imports-screen")).toHaveTextContent("Import");
    expect(screen.getByTestId("nav-imports")).toHaveAttribute("aria-current", "page");
    const entry = await screen.findByTestId(`import-history-${IMPORT_ID}`);
    expect(entry).toHaveTextContent("Clients 2026.csv");
    expect(entry).toHaveTextContent("117 imported · 2 with problems · 1 held");
    // No file dialog opens before it is asked for.
    expect(fake.callsOf("settings.choose_file")).toEqual([]);
  });

  it("is not offered to who may not run imports, and nothing of it is asked for", async () => {
    const fake = importsCore({ session: WITHOUT_IMPORTS });
    await waitFor(() => expect(fake.callsOf("customers.list_organisations").length).toBeGreaterThan(0));
    expect(screen.queryByTestId("nav-imports")).toBeNull();
    expect(screen.queryByTestId("imports-screen")).toBeNull();
    expect(fake.calls.filter((c) => c.op.startsWith("imports."))).toEqual([]);
  });
});

describe("choosing a file", () => {
  it("opens the shell's dialog, reads the file as the kind chosen, and says what it is", async () => {
    const fake = importsCore();
    await userEvent.selectOptions(await screen.findByTestId("import-kind"), "contacts");
    await chooseFile();
    expect(fake.callsOf("settings.choose_file")).toEqual([{ purpose: "import" }]);
    expect(fake.callsOf("imports.inspect")).toEqual([{ path: PATH, table: "contacts" }]);
    expect(screen.getByTestId("import-file-name")).toHaveTextContent("Clients 2026.csv");
    expect(screen.getByTestId("import-file-facts")).toHaveTextContent("CSV, Windows-1251, separated by semicolons · about 1,200 rows · 5 columns");
    expect(screen.getByTestId("import-mapping-source")).toHaveTextContent("matched by the headings Accord recognised");
    // The kind changed with a file chosen: it is read again for the new kind's fields.
    await userEvent.selectOptions(screen.getByTestId("import-kind"), "organisations");
    await waitFor(() => expect(fake.callsOf("imports.inspect")).toEqual([{ path: PATH, table: "contacts" }, { path: PATH, table: "organisations" }]));
  });

  it("does nothing when the dialog is closed without a file", async () => {
    const fake = importsCore({ chosen: { path: null, name: null } });
    await userEvent.click(await screen.findByTestId("import-choose-file"));
    await waitFor(() => expect(fake.callsOf("settings.choose_file")).toHaveLength(1));
    expect(fake.callsOf("imports.inspect")).toEqual([]);
    expect(screen.queryByTestId("import-file-name")).toBeNull();
    expect(screen.queryByTestId("import-error")).toBeNull();
  });

  it("shows each column's heading, first values and field, marks the required ones, and says when the mapping was remembered", async () => {
    importsCore({ file: inspectedFile({ remembered: true }) });
    await chooseFile();
    expect(screen.getByTestId("import-mapping-source")).toHaveTextContent("as in your last import of a file with the same columns");
    const row = screen.getByTestId("import-column-0");
    expect(row).toHaveTextContent("Company");
    expect(row).toHaveTextContent("РомашкаAcmeGlobex");
    const select = screen.getByTestId("import-map-0");
    expect(select).toHaveValue("name");
    expect(select).toHaveAccessibleName("Company");
    expect(within(select).getByRole("option", { name: "Name (required)" })).toHaveValue("name");
    expect(within(select).getByRole("option", { name: "Do not import" })).toHaveValue("");
    // A custom field by its label.
    expect(within(select).getByRole("option", { name: "Contract date" })).toHaveValue("custom.contract");
    expect(screen.getByTestId("import-map-3")).toHaveValue("");
    // The dates are not mapped to a date field: nothing to ask yet.
    expect(screen.queryByTestId("import-date-order")).toBeNull();
    // English: no default country is assumed.
    expect(screen.getByTestId("import-default-country")).toHaveValue("");
  });
});

describe("matching columns and previewing", () => {
  it("sends the mapping as chosen, and shows the rows OK or with their problems at their cells, and their notices", async () => {
    const fake = importsCore();
    await chooseFile();
    await userEvent.selectOptions(screen.getByTestId("import-map-2"), "");
    await userEvent.selectOptions(screen.getByTestId("import-map-4"), "notes");
    await userEvent.type(screen.getByTestId("import-default-country"), "ir");
    await userEvent.click(screen.getByTestId("import-preview-button"));

    const ok = await screen.findByTestId("import-preview-row-2");
    expect(fake.callsOf("imports.preview")).toEqual<ImportInput[]>([
      {
        path: PATH,
        table: "organisations",
        mapping: [
          { column: 0, field: "name" },
          { column: 1, field: "email" },
          { column: 4, field: "notes" },
        ],
        defaults: { country: "IR" },
      },
    ]);
    expect(ok).toHaveAttribute("data-outcome", "imported");
    expect(ok).toHaveTextContent("OK");
    expect(within(ok).getByTestId("import-preview-notice")).toHaveTextContent(
      "Phone had no country code and was read as a number in the default country, Iran (IR).",
    );
    const failed = screen.getByTestId("import-preview-row-3");
    expect(failed).toHaveAttribute("data-outcome", "failed");
    expect(failed).toHaveTextContent("1 problem");
    const cell = within(failed).getByTestId("import-preview-problem-3-1");
    expect(cell).toHaveClass("import-cell-problem");
    expect(cell).toHaveTextContent("sales-at-acme");
    expect(cell).toHaveAttribute("title", "This is not a valid email address.");
    expect(screen.getByTestId("import-preview-summary")).toHaveTextContent("The first 2 rows: 1 ready, 1 with problems.");

    // A change after the preview: it is said to be out of date.
    await userEvent.selectOptions(screen.getByTestId("import-map-4"), "");
    expect(screen.getByTestId("import-preview-outdated")).toBeInTheDocument();
  });

  it("warns of a required field no column fills, and shows the core's mapping problems beside the columns", async () => {
    const fake = importsCore({
      preview: () => {
        throw apiError("invalid_input", {
          mapping: { code: "required", message: "Choose the column that holds \"name\"" },
          "mapping.1.field": { code: "invalid_value", message: "Two columns fill \"email\"" },
        });
      },
    });
    await chooseFile();
    await userEvent.selectOptions(screen.getByTestId("import-map-0"), "");
    expect(screen.getByTestId("import-mapping-missing")).toHaveTextContent("No column is chosen for a required field: Name.");
    await userEvent.selectOptions(screen.getByTestId("import-map-4"), "email");
    // Two columns for one field: said at once.
    expect(screen.getByTestId("import-map-error-4")).toHaveTextContent("The column “E-mail” imports into this field too");
    await userEvent.click(screen.getByTestId("import-preview-button"));

    expect(await screen.findByTestId("import-mapping-error")).toHaveTextContent("Choose the column for a required field: Name.");
    // mapping.1 is the second column sent — the file's fifth (E-mail is the first sent after Company was dropped).
    expect(fake.callsOf("imports.preview")[0].mapping).toEqual([
      { column: 1, field: "email" },
      { column: 2, field: "phone" },
      { column: 4, field: "email" },
    ]);
    expect(screen.getByTestId("import-map-error-2")).toHaveTextContent("Another column imports into this field too");
    expect(screen.getByTestId("import-error")).toHaveTextContent("Some fields need attention.");
    expect(screen.queryByTestId("import-preview-row-2")).toBeNull();
  });

  it("asks the order of day and month for an ambiguous date column, with how the first date reads each way, and sends the order chosen", async () => {
    const fake = importsCore();
    await chooseFile();
    await userEvent.selectOptions(screen.getByTestId("import-map-3"), "custom.contract");
    const order = screen.getByTestId("import-date-order");
    expect(order).toHaveValue("");
    expect(within(order).getByRole("option", { name: `Day, month, year — 03/04/2026 is ${formatCalendarDate("2026-04-03", "en")}` })).toHaveValue(
      "day_month_year",
    );
    expect(within(order).getByRole("option", { name: `Month, day, year — 03/04/2026 is ${formatCalendarDate("2026-03-04", "en")}` })).toHaveValue(
      "month_day_year",
    );
    await userEvent.selectOptions(order, "day_month_year");
    await userEvent.click(screen.getByTestId("import-preview-button"));
    await screen.findByTestId("import-preview-row-2");
    expect(fake.callsOf("imports.preview")[0]).toMatchObject({ date_order: "day_month_year" });
  });
});

describe("the date order the core asks for", () => {
  it("makes the wizard ask, never guess, and the order chosen is sent with the import", async () => {
    let asked = false;
    const fake = importsCore({
      // The dates do not show their order in the first rows the window saw.
      file: inspectedFile({ date_columns: [] }),
      start: (input) => {
        if (!input.date_order) {
          asked = true;
          throw apiError("invalid_input", { date_order: { code: "required", message: "The dates in the column \"Contract date\" can be read two ways" } });
        }
        return summary();
      },
    });
    await previewFile();
    expect(screen.queryByTestId("import-date-order")).toBeNull();
    await userEvent.click(screen.getByTestId("import-start"));

    const order = await screen.findByTestId("import-date-order");
    expect(asked).toBe(true);
    expect(screen.getByTestId("import-error")).toHaveTextContent("The file's dates can be read two ways (03/04/2026 is 3 April or 4 March).");
    expect(screen.getByTestId("import-date-order-error")).toHaveTextContent("Choose how the dates are written");
    expect(order).toHaveValue("");
    await waitFor(() => expect(order).toHaveFocus());
    // Nothing was started, and nothing is started before the order is chosen.
    expect(screen.queryByTestId("import-progress")).toBeNull();

    await userEvent.selectOptions(order, "month_day_year");
    expect(screen.queryByTestId("import-error")).toBeNull();
    await userEvent.click(screen.getByTestId("import-start"));
    await screen.findByTestId("import-progress");
    expect(fake.callsOf("imports.start").map((input) => input.date_order)).toEqual([undefined, "month_day_year"]);
    expect(fake.callsOf("imports.start")[1]).toMatchObject({ path: PATH, table: "organisations", dry_run: false });
  });
});

describe("an import running", () => {
  it("is followed: a progress bar and the counts so far, read until it has finished, then no more", async () => {
    const fake = importsCore();
    await previewFile();
    await userEvent.click(screen.getByTestId("import-start"));

    const progress = await screen.findByTestId("import-progress");
    expect(fake.callsOf("imports.start")).toEqual<StartImportInput[]>([
      {
        path: PATH,
        table: "organisations",
        mapping: [
          { column: 0, field: "name" },
          { column: 1, field: "email" },
          { column: 2, field: "phone" },
        ],
        dry_run: false,
      },
    ]);
    expect(progress).toHaveAttribute("data-status", "running");
    await waitFor(() => expect(screen.getByTestId("import-count-imported")).toHaveTextContent("78"));
    expect(screen.getByTestId("import-rows-read")).toHaveTextContent("80 of about 120 rows read");
    expect(screen.getByTestId("import-count-failed")).toHaveTextContent("1");
    expect(screen.getByTestId("import-cancel")).toBeInTheDocument();

    await waitFor(() => expect(progress).toHaveAttribute("data-status", "finished"));
    expect(screen.getByTestId("import-count-imported")).toHaveTextContent("117");
    expect(screen.getByTestId("import-count-failed")).toHaveTextContent("2");
    expect(screen.getByTestId("import-count-held")).toHaveTextContent("1");
    expect(screen.queryByTestId("import-cancel")).toBeNull();
    expect(screen.getByTestId("import-summary")).toHaveTextContent("Import finished. The rows not imported are listed below");

    // Finished: it is read no more.
    const reads = fake.callsOf("imports.get").length;
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect(fake.callsOf("imports.get")).toHaveLength(reads);
  });

  it("is cancelled with Cancel, which asks the core to stop it", async () => {
    const fake = importsCore({ progress: [summary({ rows_read: 40, imported: 38 })] });
    await previewFile();
    await userEvent.click(screen.getByTestId("import-start"));
    await userEvent.click(await screen.findByTestId("import-cancel"));

    expect(fake.callsOf("imports.cancel")).toEqual([{ id: IMPORT_ID }]);
    await waitFor(() => expect(screen.getByTestId("import-progress")).toHaveAttribute("data-status", "cancelled"));
    expect(screen.getByTestId("import-summary")).toHaveTextContent("Import cancelled. What was imported before it stopped is kept, and can be undone.");
    expect(screen.getByTestId("import-undo")).toBeInTheDocument();
  });

  it("after a dry run, is imported for real with the same settings", async () => {
    const fake = importsCore({ progress: [summary({ status: "finished", rows_read: 120, imported: 118, failed: 2 })] });
    await previewFile();
    await userEvent.type(screen.getByTestId("import-default-country"), "RU");
    await userEvent.click(screen.getByTestId("import-dry-run"));

    await waitFor(() => expect(screen.getByTestId("import-progress")).toHaveAttribute("data-status", "finished"));
    expect(screen.getByTestId("import-summary")).toHaveTextContent("Dry run finished: every row was checked and nothing was stored.");
    expect(screen.getByTestId("import-count-imported").previousSibling).toHaveTextContent("Would import");
    // A dry run stored nothing: nothing to undo or create.
    expect(screen.queryByTestId("import-undo")).toBeNull();
    await userEvent.click(screen.getByTestId("import-start"));

    await waitFor(() => expect(fake.callsOf("imports.start")).toHaveLength(2));
    const [dry, real] = fake.callsOf("imports.start");
    expect(dry.dry_run).toBe(true);
    expect(real).toEqual({ ...dry, dry_run: false });
    expect(real.defaults).toEqual({ country: "RU" });
  });
});

describe("an import finished", () => {
  it("lists the failed rows: row number, column, value and the reason in words", async () => {
    importsCore();
    await importFile();
    const acme = await screen.findByTestId("import-problem-row-3");
    const lines = within(acme).getAllByRole("row").map((r) => r.textContent);
    expect(lines).toEqual(["3E-mailsales-at-acmeThis is not a valid email address.", "Phone12This is not a valid phone number."]);
    expect(screen.getByTestId("import-problem-row-9")).toHaveTextContent("9Company(empty)This cell is empty, and every record needs it.");
  });

  it("downloads the report with its headings in the window's language", async () => {
    const saved = captureDownloads();
    const fake = importsCore();
    await importFile();
    await userEvent.click(screen.getByTestId("import-report-csv"));
    expect(await screen.findByTestId("import-report-done")).toHaveTextContent("Saved Clients 2026 — problems.csv.");
    expect(fake.callsOf("imports.report")).toEqual<ImportReportInput[]>([{ id: IMPORT_ID, format: "csv", headings: ["Row", "Problems"] }]);
    expect(saved.map((file) => file.name)).toEqual(["Clients 2026 — problems.csv"]);

    await act(async () => i18n.changeLanguage("ru"));
    await userEvent.click(screen.getByTestId("import-report-xlsx"));
    await waitFor(() => expect(fake.callsOf("imports.report")).toHaveLength(2));
    expect(fake.callsOf("imports.report")[1]).toEqual({ id: IMPORT_ID, format: "xlsx", headings: ["Строка", "Ошибки"] });
    expect(vi.mocked(downloadBase64File)).toHaveBeenLastCalledWith(
      "Clients 2026 — problems.xlsx",
      btoa("Row;Problems\n3;bad"),
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    );
  });

  it("creates a held row with “Create and merge” and opens it side by side with the record it duplicates", async () => {
    const fake = importsCore();
    await importFile();
    const held = await screen.findByTestId("import-held-row-5");
    expect(held).toHaveTextContent("Row 5 looks like “Ромашка”");
    expect(within(held).getAllByTestId("import-held-reason").map((r) => r.textContent)).toEqual(["Same email", "Same name"]);
    const button = within(held).getByTestId("import-held-merge-5");
    expect(button).toHaveTextContent("Create and merge…");
    expect(button).toHaveAccessibleName("Create row 5 and merge it with “Ромашка”");
    await userEvent.click(button);

    const compare = await screen.findByTestId("import-compare");
    expect(fake.callsOf("imports.create_held")).toEqual([{ id: IMPORT_ID, rows: [5] }]);
    await waitFor(() => expect(fake.callsOf("duplicates.compare")).toEqual([{ table: "organisations", first: ROMASHKA, second: ROMASHKA_TWIN }]));
    // The Duplicates screen's own comparison, ready to merge.
    expect(await within(compare).findByTestId("merge-confirm")).toBeInTheDocument();
    expect(within(compare).getByTestId("compare-head-first")).toHaveTextContent("Ромашка");
    // The row is created now: listed as such, to compare again.
    expect(await screen.findByTestId("import-created-row-5")).toHaveTextContent("Row 5, created next to “Ромашка”");
    await waitFor(() => expect(screen.queryByTestId("import-held-row-5")).toBeNull());
  });

  it("creates all held rows at once, and points to the Duplicates screen", async () => {
    const fake = importsCore();
    await importFile();
    await userEvent.click(await screen.findByTestId("import-create-held-all"));
    expect(await screen.findByTestId("import-held-created")).toHaveTextContent(
      "Created 1 row next to the record it duplicates. Merge it on the Duplicates screen.",
    );
    expect(fake.callsOf("imports.create_held")).toEqual([{ id: IMPORT_ID }]);
    await userEvent.click(screen.getByTestId("import-open-duplicates"));
    expect(await screen.findByTestId("duplicates-screen")).toBeInTheDocument();
  });

  it("is undone after asking, and says what was archived and what was kept", async () => {
    const fake = importsCore();
    await importFile();
    await userEvent.click(screen.getByTestId("import-undo"));
    const dialog = await screen.findByTestId("import-undo-dialog");
    expect(dialog).toHaveTextContent("The 117 organisations this import of Clients 2026.csv created will be archived");
    expect(fake.callsOf("imports.undo")).toEqual([]);
    await userEvent.click(within(dialog).getByTestId("import-undo-confirm"));

    const done = await screen.findByTestId("import-undone");
    expect(fake.callsOf("imports.undo")).toEqual([{ id: IMPORT_ID }]);
    expect(done).toHaveTextContent("Import undone: 116 organisations archived. 1 organisation kept: changed since the import.");
    expect(done).toHaveFocus();
    expect(screen.queryByTestId("import-undo-dialog")).toBeNull();
  });

  it("is not undone when the question is cancelled", async () => {
    const fake = importsCore();
    await importFile();
    await userEvent.click(screen.getByTestId("import-undo"));
    await userEvent.click(within(await screen.findByTestId("import-undo-dialog")).getByTestId("confirm-cancel"));
    expect(screen.queryByTestId("import-undo-dialog")).toBeNull();
    expect(screen.getByTestId("import-undo")).toHaveFocus();
    expect(fake.callsOf("imports.undo")).toEqual([]);
  });
});

describe("recent imports", () => {
  it("open an earlier import's outcome, and undo one from the list after asking", async () => {
    const older = summary({ ...FINISHED, id: OLDER_ID, file_name: "Old.xlsx", failed: 0, held: 0, noticed: 0 });
    const fake = importsCore({ list: [FINISHED, older] });
    const entry = await screen.findByTestId(`import-history-${OLDER_ID}`);
    expect(within(entry).queryByTestId(`import-history-report-${OLDER_ID}`)).toBeNull();
    await userEvent.click(within(entry).getByTestId(`import-history-open-${OLDER_ID}`));
    expect(await screen.findByTestId("import-result")).toHaveTextContent("Old.xlsx");
    expect(screen.getByTestId("import-progress")).toHaveAttribute("data-status", "finished");

    await userEvent.click(within(entry).getByTestId(`import-history-undo-${OLDER_ID}`));
    await userEvent.click(await screen.findByTestId(`import-history-undo-confirm-${OLDER_ID}`));
    expect(await screen.findByTestId(`import-history-undone-${OLDER_ID}`)).toHaveTextContent("Import undone: 116 organisations archived.");
    expect(fake.callsOf("imports.undo")).toEqual([{ id: OLDER_ID }]);
  });
});

describe("in the user's language", () => {
  it("says in Russian why the file cannot be read, prefills Russia, and shows mapping and country problems in Russian", async () => {
    window.localStorage.setItem("accord.language", "ru");
    await i18n.changeLanguage("ru");
    let firstTry = true;
    const fake = importsCore({
      inspect: () => {
        if (firstTry) {
          firstTry = false;
          throw apiError("invalid_input", { path: { code: "invalid_value", message: "This is an old Excel file (.xls)" } });
        }
        return inspectedFile();
      },
      preview: () => {
        throw apiError("invalid_input", {
          mapping: { code: "required", message: "Choose the column" },
          "defaults.country": { code: "invalid_value", message: "Not a country" },
        });
      },
    });
    await userEvent.click(await screen.findByTestId("import-choose-file"));
    expect(await screen.findByTestId("import-path-error")).toHaveTextContent("Accord не может прочитать этот файл.");
    expect(screen.getByTestId("import-error")).toHaveTextContent(i18n.t("errors.code.invalid_input", { lng: "ru" }));
    expect(screen.queryByTestId("import-map-0")).toBeNull();

    await chooseFile();
    expect(screen.queryByTestId("import-path-error")).toBeNull();
    expect(screen.getByTestId("import-file-facts")).toHaveTextContent(`CSV, Windows-1251, разделитель — точка с запятой · около ${formatNumber(1200, "ru").replace(/\s/g, " ")} строк · 5 столбцов`);
    expect(screen.getByTestId("import-default-country")).toHaveValue("RU");
    await userEvent.selectOptions(screen.getByTestId("import-map-0"), "");
    await userEvent.click(screen.getByTestId("import-preview-button"));

    expect(await screen.findByTestId("import-mapping-error")).toHaveTextContent("Выберите столбец для обязательного поля: Название.");
    expect(screen.getByTestId("import-country-error")).toHaveTextContent("Укажите страну двумя латинскими буквами");
    expect(fake.callsOf("imports.preview")[0].defaults).toEqual({ country: "RU" });
  });

  it("reads right to left in Persian, with Persian words and digits, Iran as the default country, and without errors", async () => {
    const errors = vi.spyOn(console, "error");
    window.localStorage.setItem("accord.language", "fa");
    await i18n.changeLanguage("fa");
    const fake = importsCore();
    expect(document.documentElement).toHaveAttribute("dir", "rtl");
    await previewFile();
    expect(screen.getByTestId("import-default-country")).toHaveValue("IR");
    expect(screen.getByTestId("import-preview-row-3")).toHaveTextContent(`${formatNumber(1, "fa")} مشکل`);
    expect(screen.getByTestId("import-preview-notice")).toHaveTextContent("تلفن کد کشور نداشت و با کشور پیش‌فرض خوانده شد: ایران (IR).");
    await userEvent.click(screen.getByTestId("import-start"));
    await waitFor(() => expect(screen.getByTestId("import-progress")).toHaveAttribute("data-status", "finished"));
    expect(screen.getByTestId("import-count-imported")).toHaveTextContent("۱۱۷");
    expect(screen.getByTestId("import-summary")).toHaveTextContent("درون‌ریزی تمام شد.");
    expect(fake.callsOf("imports.start")[0].defaults).toEqual({ country: "IR" });
    expect(errors).not.toHaveBeenCalled();
  });
});

describe("an import refused", () => {
  it("says why in words, starting nothing", async () => {
    const refused: ApiError = apiError("permission_denied");
    const fake = importsCore({
      start: () => {
        throw refused;
      },
    });
    await previewFile();
    await userEvent.click(screen.getByTestId("import-start"));
    expect(await screen.findByTestId("import-error")).toHaveTextContent(i18n.t("errors.code.permission_denied"));
    expect(screen.queryByTestId("import-progress")).toBeNull();
    expect(fake.callsOf("imports.get")).toEqual([]);
  });
});

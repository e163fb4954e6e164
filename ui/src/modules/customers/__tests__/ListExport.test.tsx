import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { ChooseSaveFileInput, ChosenFile, ExportRecordsInput, ExportSummary, SessionStatus } from "../../../api/generated";
import { App } from "../../../app/App";
import { i18n } from "../../../i18n";
import { formatNumber } from "../../../shared/format";
import { EMPLOYEES, EXPORTS_FOLDER, FINISHED, KIND_WORDS, REGION, fakeExports, runningExport, type FakeExportsOptions } from "../../../test/fakeExports";
import { deferred, fakeTransport, listCore, listFields, page, row, signedIn } from "../../../test/fakeTransport";

const LIST_EXPORT = "0198f000-0000-7000-8000-0000000000b1";

/** An export of the organisation list as the core reports it: to a workbook, running, nothing written yet. */
function listExport(overrides: Partial<ExportSummary> = {}): ExportSummary {
  return runningExport({ id: LIST_EXPORT, segment_id: null, name: "Organisations", ...overrides });
}

type Options = FakeExportsOptions & { session?: SessionStatus };

/** A fake core with 600 organisations, two custom fields and the segments' exports. */
function listCoreWithExports({ session, ...exports }: Options = {}) {
  const organisations = listCore(600);
  const fake = fakeTransport({
    ...(session ? { "session.get": () => session } : {}),
    "customers.list_organisations": (input) => (input.text === undefined ? organisations(input) : page([row(7, { name: "Acme Ltd" })])),
    "fields.list": listFields([REGION, EMPLOYEES]),
    "search.titles": () => ({ hits: [] }),
    // Every export started here is of the list, whatever file it writes.
    ...fakeExports({ ...exports, start: listExport }).handlers,
  });
  render(<App transport={fake.transport} />);
  return fake;
}

/** Waits for the list, and for its export buttons to be usable (the custom fields read). */
async function readyToExport() {
  const list = await screen.findByTestId("customers-list");
  await waitFor(() => expect(list).toHaveAttribute("data-ready", "true"));
  await waitFor(() => expect(screen.getByTestId("list-export-xlsx")).toBeEnabled());
  return list;
}

async function exportButtonsFree() {
  await waitFor(() => {
    for (const id of ["list-export-csv", "list-export-xlsx"]) expect(screen.getByTestId(id)).not.toHaveAttribute("aria-disabled");
  });
}

describe("exporting the organisation list", () => {
  it("asks where to save under the list's name with the kind chosen, then has the core write that kind's active organisations in the columns shown", async () => {
    // Sales region is shown as a column; Employees is not.
    window.localStorage.setItem("accord.columns.organisations", JSON.stringify(["region"]));
    const user = userEvent.setup();
    const fake = listCoreWithExports();
    await readyToExport();
    expect(screen.getByTestId("list-export-csv")).toHaveTextContent("Export CSV");
    expect(screen.getByTestId("list-export-xlsx")).toHaveTextContent("Export Excel (XLSX)");

    await user.selectOptions(screen.getByRole("combobox", { name: "Kind" }), "supplier");
    await user.click(screen.getByTestId("list-export-xlsx"));

    await waitFor(() => expect(screen.getByTestId("list-export-progress")).toHaveTextContent("Exporting 50 of 127 rows…"));
    expect(screen.getByRole("progressbar", { name: "Progress of the export" })).toHaveAttribute("value", "50");
    expect(screen.getByTestId("list-export-xlsx")).toHaveTextContent("Exporting…");
    expect(screen.getByTestId("list-export-csv")).toHaveAttribute("aria-disabled", "true");

    const done = await screen.findByTestId("list-export-done");
    expect(fake.callsOf("settings.choose_save_file")).toStrictEqual<ChooseSaveFileInput[]>([{ name: "Organisations – Suppliers", format: "xlsx" }]);
    expect(fake.callsOf("segments.export")).toStrictEqual<ExportRecordsInput[]>([
      {
        table: "organisations",
        filter: { type: "all", of: [{ type: "condition", field: "kind", op: "is", value: "supplier" }] },
        format: "xlsx",
        name: "Organisations – Suppliers",
        columns: [
          { field: "name", label: "Name" },
          { field: "kind", label: "Kind" },
          { field: "tax_id", label: "Tax ID" },
          { field: "email", label: "Email" },
          { field: "phone", label: "Phone" },
          { field: "city", label: "City" },
          { field: "custom.region", label: "Sales region" },
        ],
        value_labels: { kind: KIND_WORDS, "custom.region": { north: "North", south: "South" } },
        path: `${EXPORTS_FOLDER}/Organisations – Suppliers.xlsx`,
      },
    ]);
    // The columns sent are those the list's head shows, in its order.
    const heads = [...document.querySelector(".table-head")!.children].map((h) => h.textContent);
    expect(fake.callsOf("segments.export")[0].columns.map((c) => c.label)).toEqual(heads);
    expect(done).toHaveTextContent("Exported 127 organisations to Organisations – Suppliers.xlsx.");
    expect(screen.getByTestId("list-export-path")).toHaveTextContent(`Saved as ${EXPORTS_FOLDER}/Organisations – Suppliers.xlsx`);
    expect(screen.queryByTestId("list-export-progress")).toBeNull();
    expect(screen.queryByTestId("list-export-error")).toBeNull();
    await exportButtonsFree();
  });

  it("sends no filter for every kind, and the list's own columns alone when it shows no custom field", async () => {
    const user = userEvent.setup();
    const fake = listCoreWithExports();
    await readyToExport();
    await user.click(screen.getByTestId("list-export-csv"));

    expect(await screen.findByTestId("list-export-done")).toHaveTextContent("Exported 127 organisations to Organisations.csv.");
    expect(fake.callsOf("settings.choose_save_file")).toStrictEqual<ChooseSaveFileInput[]>([{ name: "Organisations", format: "csv" }]);
    const [sent] = fake.callsOf("segments.export");
    expect(sent).not.toHaveProperty("filter");
    expect(sent).not.toHaveProperty("segment_id");
    expect(sent).toMatchObject({ table: "organisations", format: "csv", name: "Organisations", path: `${EXPORTS_FOLDER}/Organisations.csv` });
    expect(sent.columns.map((c) => c.field)).toEqual(["name", "kind", "tax_id", "email", "phone", "city"]);
    expect(sent.value_labels).toStrictEqual({ kind: KIND_WORDS });
  });

  it("starts nothing when the Save dialog is closed", async () => {
    const user = userEvent.setup();
    const fake = listCoreWithExports({ chooseFile: () => ({ path: null, name: null }) });
    await readyToExport();
    await user.click(screen.getByTestId("list-export-xlsx"));

    await waitFor(() => expect(fake.callsOf("settings.choose_save_file")).toHaveLength(1));
    await exportButtonsFree();
    expect(fake.callsOf("segments.export")).toEqual([]);
    for (const id of ["progress", "done", "cancelled", "error"]) expect(screen.queryByTestId(`list-export-${id}`)).toBeNull();
  });

  it("waits for the search to be cleared: while hits are shown, the buttons are disabled and say why", async () => {
    const user = userEvent.setup();
    const fake = listCoreWithExports();
    const list = await readyToExport();
    expect(screen.queryByTestId("list-export-hint")).toBeNull();

    await user.type(screen.getByTestId("customers-search"), "acme");
    await waitFor(() => expect(list).toHaveAttribute("data-results-for", "acme"));
    const hint = screen.getByTestId("list-export-hint");
    expect(hint).toHaveTextContent("Clear the search to export the list.");
    for (const id of ["list-export-csv", "list-export-xlsx"]) {
      expect(screen.getByTestId(id)).toBeDisabled();
      expect(screen.getByTestId(id)).toHaveAccessibleDescription("Clear the search to export the list.");
    }
    await user.click(screen.getByTestId("list-export-xlsx"));
    expect(fake.callsOf("settings.choose_save_file")).toEqual([]);

    await user.clear(screen.getByTestId("customers-search"));
    await waitFor(() => expect(screen.getByTestId("list-export-xlsx")).toBeEnabled());
    expect(screen.queryByTestId("list-export-hint")).toBeNull();
    await user.click(screen.getByTestId("list-export-xlsx"));
    expect(await screen.findByTestId("list-export-done")).toBeInTheDocument();
    expect(fake.callsOf("segments.export")).toHaveLength(1);
  });

  it("is not offered for the archived organisations, and says why", async () => {
    const user = userEvent.setup();
    const fake = listCoreWithExports();
    await readyToExport();
    await user.click(screen.getByRole("checkbox", { name: "Show archived" }));

    expect(await screen.findByTestId("list-export-archived")).toHaveTextContent("Archived organisations cannot be exported.");
    expect(screen.queryByTestId("list-export-csv")).toBeNull();
    expect(screen.queryByTestId("list-export-xlsx")).toBeNull();
    expect(fake.callsOf("settings.choose_save_file")).toEqual([]);

    await user.click(screen.getByRole("checkbox", { name: "Show archived" }));
    await waitFor(() => expect(screen.getByTestId("list-export-xlsx")).toBeEnabled());
    expect(screen.queryByTestId("list-export-archived")).toBeNull();
  });

  it("cancels a running export, after which no file is said to be saved", async () => {
    const user = userEvent.setup();
    const fake = listCoreWithExports({ progress: [{ written: 50 }] });
    await readyToExport();
    await user.click(screen.getByTestId("list-export-csv"));
    await waitFor(() => expect(screen.getByTestId("list-export-progress")).toHaveTextContent("Exporting 50 of 127 rows…"));

    await user.click(screen.getByTestId("list-export-cancel"));
    expect(await screen.findByTestId("list-export-cancelled")).toHaveTextContent("Export cancelled; no file was saved.");
    expect(fake.callsOf("segments.cancel_export")).toEqual([{ id: LIST_EXPORT }]);
    expect(screen.queryByTestId("list-export-done")).toBeNull();
    await exportButtonsFree();
  });

  it("follows a list export left running when the window opens again, and not a segment's", async () => {
    const segmentExport = listExport({ id: "0198f000-0000-7000-8000-0000000000c1", segment_id: "0198e000-0000-7000-8000-000000000001", written: 90 });
    const fake = listCoreWithExports({ earlier: [segmentExport, listExport({ written: 30 })], progress: [{ written: 60 }] });
    await waitFor(() => expect(screen.getByTestId("list-export-progress")).toHaveTextContent("Exporting 60 of 127 rows…"));
    expect(fake.callsOf("segments.get_export")).toContainEqual({ id: LIST_EXPORT });
    expect(fake.callsOf("segments.get_export")).not.toContainEqual({ id: segmentExport.id });
    expect(screen.getByTestId("list-export-xlsx")).toHaveAttribute("aria-busy", "true");

    // Export pressed while it runs: nothing more is started.
    await waitFor(() => expect(screen.getByTestId("list-export-csv")).toBeEnabled());
    await userEvent.click(screen.getByTestId("list-export-csv"));
    expect(fake.callsOf("settings.choose_save_file")).toEqual([]);
    expect(fake.callsOf("segments.export")).toEqual([]);
  });

  it("is not offered to who may not read segments, and nothing of the exports is asked for", async () => {
    const fake = listCoreWithExports({ session: signedIn({ permissions: ["customers.read"] }) });
    const list = await screen.findByTestId("customers-list");
    await waitFor(() => expect(list).toHaveAttribute("data-ready", "true"));
    expect(screen.queryByTestId("list-export-csv")).toBeNull();
    expect(screen.queryByTestId("list-export-xlsx")).toBeNull();
    expect(fake.calls.filter((c) => c.op.startsWith("segments."))).toEqual([]);
  });

  it("is offered to who may read segments", async () => {
    listCoreWithExports({ session: signedIn({ permissions: ["customers.read", "segments.read"] }) });
    await readyToExport();
  });
});

describe("exporting the organisation list in Persian", () => {
  it("reads right to left, names the file, the columns and the kinds in Persian, and follows the export in Persian digits without errors", async () => {
    const errors = vi.spyOn(console, "error");
    window.localStorage.setItem("accord.language", "fa");
    await i18n.changeLanguage("fa");
    const user = userEvent.setup();
    const running = { total: 300000, written: 12000 };
    const fake = listCoreWithExports({ progress: [running, running, { ...FINISHED, total: 300000, written: 300000 }] });
    await readyToExport();
    expect(document.documentElement).toHaveAttribute("dir", "rtl");
    expect(screen.getByTestId("list-export-csv")).toHaveTextContent("خروجی CSV");
    expect(screen.getByTestId("list-export-xlsx")).toHaveTextContent("خروجی اکسل (XLSX)");

    await user.selectOptions(screen.getByRole("combobox", { name: "نوع" }), "supplier");
    await user.click(screen.getByTestId("list-export-xlsx"));
    await waitFor(() =>
      expect(screen.getByTestId("list-export-progress")).toHaveTextContent(
        `در حال خروجی گرفتن: ${formatNumber(12000, "fa")} از ${formatNumber(300000, "fa")} ردیف…`,
      ),
    );
    expect(screen.getByTestId("list-export-cancel")).toHaveTextContent("لغو");

    const done = await screen.findByTestId("list-export-done");
    expect(done).toHaveTextContent(`${formatNumber(300000, "fa")} سازمان در «سازمان‌ها – تأمین‌کنندگان.xlsx» خروجی گرفته شد.`);
    const path = within(screen.getByTestId("list-export-path")).getByText(`${EXPORTS_FOLDER}/سازمان‌ها – تأمین‌کنندگان.xlsx`);
    expect(path).toHaveAttribute("dir", "ltr");

    expect(fake.callsOf("settings.choose_save_file")).toStrictEqual([{ name: "سازمان‌ها – تأمین‌کنندگان", format: "xlsx" }]);
    const [sent] = fake.callsOf("segments.export");
    expect(sent.name).toBe("سازمان‌ها – تأمین‌کنندگان");
    expect(sent.columns).toStrictEqual([
      { field: "name", label: "نام" },
      { field: "kind", label: "نوع" },
      { field: "tax_id", label: "شناسه مالیاتی" },
      { field: "email", label: "ایمیل" },
      { field: "phone", label: "تلفن" },
      { field: "city", label: "شهر" },
    ]);
    expect(sent.value_labels?.kind).toStrictEqual({ customer: "مشتری", prospect: "مشتری بالقوه", supplier: "تأمین‌کننده", partner: "شریک" });

    // The hint for a search, in Persian too.
    await user.type(screen.getByTestId("customers-search"), "acme");
    expect(await screen.findByTestId("list-export-hint")).toHaveTextContent("برای خروجی گرفتن از فهرست، جستجو را پاک کنید.");
    expect(errors).not.toHaveBeenCalled();
  });

  it("says in Russian why the archived organisations are not exported, and names the file in Russian", async () => {
    window.localStorage.setItem("accord.language", "ru");
    await i18n.changeLanguage("ru");
    const user = userEvent.setup();
    const dialog = deferred<ChosenFile>();
    const fake = listCoreWithExports({ chooseFile: () => dialog.promise });
    await readyToExport();
    expect(screen.getByTestId("list-export-xlsx")).toHaveTextContent("Выгрузить в Excel (XLSX)");
    await user.selectOptions(screen.getByRole("combobox", { name: "Тип" }), "prospect");
    await user.click(screen.getByTestId("list-export-xlsx"));
    await waitFor(() => expect(fake.callsOf("settings.choose_save_file")).toStrictEqual([{ name: "Организации – Лиды", format: "xlsx" }]));
    dialog.resolve({ path: null, name: null });
    await exportButtonsFree();

    await user.click(screen.getByRole("checkbox", { name: "Показать архив" }));
    expect(await screen.findByTestId("list-export-archived")).toHaveTextContent("Архивные организации выгрузить нельзя.");
  });
});

import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type {
  Colleagues,
  EfficiencyInput,
  EfficiencyReport,
  ExportEfficiencyInput,
  ExportedFile,
  PersonActivity,
  SessionStatus,
} from "../../../api/generated";
import { App } from "../../../app/App";
import { i18n, LANGUAGES } from "../../../i18n";
import { captureDownloads, readBytes } from "../../../test/downloads";
import { apiError, emptyPage, fakeTransport, signedIn } from "../../../test/fakeTransport";
import { sheetLabels } from "../efficiency";

// Periods are days of the computer's time zone: Tehran (UTC+3:30, no daylight saving) makes a
// local midnight an instant no UTC reading could produce by accident.
const ZONE = "Asia/Tehran";
/** 4 December 2026, 10:00 in Tehran: a Friday, 13 Azar 1405. */
const NOW = new Date("2026-12-04T06:30:00Z");

const ANNA_ID = "0190f3a2-7c1e-7000-8000-00000000a001";
const BORIS_ID = "0190f3a2-7c1e-7000-8000-00000000b002";
/** Failed sign-ins under a login nobody has. */
const STRANGER_ID = "7f3c9e01-aaaa-7000-8000-00000000c003";

const AUDITOR = signedIn({ id: "user-olga", display_name: "Olga", permissions: ["audit.read", "security.directory", "session.use"] });

const DIRECTORY: Colleagues = {
  users: [
    { id: ANNA_ID, display_name: "Anna", department_id: null, active: true },
    { id: BORIS_ID, display_name: "Boris", department_id: null, active: false },
  ],
  departments: [],
};

function person(overrides: Partial<PersonActivity> = {}): PersonActivity {
  return {
    user_id: ANNA_ID,
    display_name: "Anna",
    sign_ins: 0,
    failed_sign_ins: 0,
    actions: 0,
    records_changed: 0,
    last_activity_at: null,
    operations: [],
    ...overrides,
  };
}

const ANNA = person({
  sign_ins: 12,
  actions: 34,
  records_changed: 1234,
  last_activity_at: "2026-12-03T14:05:00Z",
  operations: [
    { operation: "customers.update_organisation", actions: 0, records_changed: 1200 },
    { operation: "customers.archive_contact", actions: 30, records_changed: 30 },
    { operation: "security.create_user", actions: 4, records_changed: 4 },
  ],
});
const BORIS = person({
  user_id: BORIS_ID,
  display_name: "Boris",
  sign_ins: 1,
  failed_sign_ins: 3,
  actions: 2,
  last_activity_at: "2026-11-30T08:00:00Z",
  operations: [{ operation: "customers.restore_organisation", actions: 2, records_changed: 0 }],
});
const STRANGER = person({ user_id: STRANGER_ID, display_name: null, failed_sign_ins: 5, last_activity_at: "2026-12-01T23:10:00Z" });

/** The bytes of a workbook (a ZIP's signature, then bytes no text encoding would survive). */
const WORKBOOK_BYTES = [0x50, 0x4b, 0x03, 0x04, 0x00, 0xff, 0x80, 0x7f, 0xc3, 0x28];
const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

function workbook(): ExportedFile {
  return {
    file_name: "accord-efficiency-2026-11-28.xlsx",
    media_type: XLSX,
    content_base64: btoa(String.fromCharCode(...WORKBOOK_BYTES)),
  };
}

/** The core's answer: these people, filtered to one when one is asked for. */
function reportOf(people: PersonActivity[]) {
  return (input: EfficiencyInput): EfficiencyReport => ({
    from: input.from,
    to: input.to,
    people: people.filter((p) => input.user_id === undefined || p.user_id === input.user_id),
  });
}

type Core = {
  session?: SessionStatus;
  report?: (input: EfficiencyInput) => EfficiencyReport;
  exportFile?: (input: ExportEfficiencyInput) => ExportedFile;
};

/** A fake core signed in as an auditor, the window on administration. */
function efficiencyCore({ session = AUDITOR, report = reportOf([ANNA, BORIS, STRANGER]), exportFile = workbook }: Core = {}) {
  const fake = fakeTransport({
    "session.get": () => session,
    "security.list_colleagues": () => DIRECTORY,
    "audit.list": () => ({ entries: [], next_before_seq: null }),
    "audit.efficiency": report,
    "audit.export_efficiency": exportFile,
    "customers.list_organisations": () => emptyPage,
    "security.list_users": () => ({ users: [] }),
    "security.list_roles": () => ({ roles: [], permissions: [] }),
    "security.list_departments": () => ({ departments: [] }),
  });
  render(<App transport={fake.transport} initialRoute={{ screen: "admin" }} />);
  return fake;
}

async function openEfficiency(user: ReturnType<typeof userEvent.setup>) {
  await user.click(await screen.findByTestId("admin-tab-efficiency"));
  return screen.findByTestId("admin-efficiency");
}

async function switchTo(language: "ru" | "fa") {
  window.localStorage.setItem("accord.language", language);
  await i18n.changeLanguage(language);
}

function rowOf(userId: string): HTMLElement {
  const row = screen.getAllByTestId("efficiency-row").find((r) => r.dataset.userId === userId);
  if (!row) throw new Error(`no row for ${userId}`);
  return row;
}

/** A row's cells as read: person, sign-ins, failed, actions, records changed, last activity, operations. */
function cellsOf(row: HTMLElement): string[] {
  return within(row)
    .getAllByRole("cell")
    .map((cell) => cell.textContent ?? "");
}

beforeAll(() => {
  vi.stubEnv("TZ", ZONE);
});
afterAll(() => {
  vi.unstubAllEnvs();
});
beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(NOW);
});
afterEach(() => {
  vi.useRealTimers();
});

describe("efficiency report: who sees it", () => {
  it("is a tab beside the audit log for who may read the log, and only for them", async () => {
    const user = userEvent.setup();
    const fake = efficiencyCore();
    await screen.findByTestId("admin-tab-audit");
    expect(screen.getAllByRole("tab").map((tab) => tab.dataset.testid)).toEqual(["admin-tab-audit", "admin-tab-efficiency"]);
    expect(screen.getByTestId("admin-tab-efficiency")).toHaveTextContent("Efficiency");
    // Not asked for until the tab is opened.
    expect(fake.callsOf("audit.efficiency")).toEqual([]);

    const panel = await openEfficiency(user);
    expect(screen.getByTestId("admin-tab-efficiency")).toHaveAttribute("aria-selected", "true");
    expect(panel).toHaveTextContent("Accord does not record who reads what, so opening and viewing records is not counted.");
  });

  it("is not offered to who manages users without reading the log", async () => {
    efficiencyCore({ session: signedIn({ id: "user-m", display_name: "Maria", permissions: ["users.manage", "session.use"] }) });
    await screen.findByTestId("admin-tab-users");
    expect(screen.queryByTestId("admin-tab-efficiency")).toBeNull();
  });
});

describe("efficiency report: the table", () => {
  it("shows each person with the report's counts, in the core's order, and the last activity", async () => {
    const user = userEvent.setup();
    efficiencyCore();
    await openEfficiency(user);
    const table = await screen.findByTestId("efficiency-table");
    const rows = within(table).getAllByTestId("efficiency-row");
    expect(rows.map((row) => row.dataset.userId)).toEqual([ANNA_ID, BORIS_ID, STRANGER_ID]);

    const [anna, boris] = rows;
    expect(cellsOf(anna).slice(0, 5)).toEqual(["Anna", "12", "0", "34", "1,234"]);
    expect(anna.querySelector("time")).toHaveAttribute("dateTime", "2026-12-03T14:05:00Z");
    // 14:05 UTC is 17:35 in Tehran: shown in the computer's time zone.
    expect(anna.querySelector("time")).toHaveTextContent("3 Dec 2026, 17:35");
    expect(cellsOf(anna)[6]).toBe("3 operations");

    expect(cellsOf(boris).slice(0, 5)).toEqual(["Boris", "1", "3", "2", "0"]);
    expect(within(boris).getAllByRole("cell")[2]).toHaveClass("efficiency-failed");
    expect(within(anna).getAllByRole("cell")[2]).not.toHaveClass("efficiency-failed");
    expect(cellsOf(boris)[6]).toBe("1 operation");
  });

  it("says who is not a user, with nothing to expand when they did nothing", async () => {
    const user = userEvent.setup();
    efficiencyCore();
    await openEfficiency(user);
    await screen.findByTestId("efficiency-table");
    const stranger = rowOf(STRANGER_ID);
    expect(cellsOf(stranger).slice(0, 5)).toEqual(["Not a user (unknown login or the database owner)", "0", "5", "0", "0"]);
    expect(within(stranger).getByText("Not a user (unknown login or the database owner)")).toHaveAttribute("title", STRANGER_ID);
    expect(within(stranger).queryByTestId("efficiency-expand")).toBeNull();
  });

  it("opens a person onto their operations, named as the audit log names them", async () => {
    const user = userEvent.setup();
    efficiencyCore();
    await openEfficiency(user);
    await screen.findByTestId("efficiency-table");
    expect(screen.queryByTestId("efficiency-operation")).toBeNull();

    const expand = within(rowOf(ANNA_ID)).getByTestId("efficiency-expand");
    expect(expand).toHaveAttribute("aria-expanded", "false");
    await user.click(expand);
    expect(expand).toHaveAttribute("aria-expanded", "true");
    const operations = screen.getAllByTestId("efficiency-operation");
    expect(operations.map((row) => row.dataset.operation)).toEqual(["customers.update_organisation", "customers.archive_contact", "security.create_user"]);
    expect(operations.map((row) => cellsOf(row))).toEqual([
      // No words for this one in the audit log: the core's name for it.
      ["customers.update_organisation", "0", "1,200"],
      ["Archived a contact", "30", "30"],
      ["Created a user", "4", "4"],
    ]);
    expect(within(operations[0]).getByText("customers.update_organisation").tagName).toBe("CODE");

    await user.click(expand);
    expect(screen.queryByTestId("efficiency-operation")).toBeNull();
  });

  it("writes numbers, dates and words in Persian", async () => {
    await switchTo("fa");
    const user = userEvent.setup();
    efficiencyCore();
    await openEfficiency(user);
    await screen.findByTestId("efficiency-table");
    const anna = cellsOf(rowOf(ANNA_ID));
    expect(anna.slice(1, 4)).toEqual(["۱۲", "۰", "۳۴"]);
    expect(anna[4]).toMatch(/^۱.۲۳۴$/);
    expect(anna[5]).toMatch(/۱۴۰۵/);
    expect(cellsOf(rowOf(STRANGER_ID))[0]).toBe("کاربر نیست (نام کاربری ناشناخته یا مالک پایگاه داده)");

    await user.click(within(rowOf(BORIS_ID)).getByTestId("efficiency-expand"));
    expect(cellsOf(screen.getByTestId("efficiency-operation"))).toEqual(["بازگردانی سازمان", "۲", "۰"]);
  });

  it("says so when nobody did anything in the period, and has nothing to export", async () => {
    const user = userEvent.setup();
    efficiencyCore({ report: reportOf([]) });
    await openEfficiency(user);
    expect(await screen.findByTestId("efficiency-empty")).toHaveTextContent("No sign-ins or actions in this period.");
    expect(screen.queryByTestId("efficiency-table")).toBeNull();
    expect(screen.getByTestId("efficiency-export")).toBeDisabled();
  });
});

describe("efficiency report: the period and the person", () => {
  it("asks for the last 7 days by default, then today, the last 30 days and this month, in local days", async () => {
    const user = userEvent.setup();
    const fake = efficiencyCore();
    await openEfficiency(user);
    await screen.findByTestId("efficiency-table");
    const period = screen.getByTestId("efficiency-period");
    expect(period).toHaveValue("last7");
    // From 28 November to 4 December, both included: midnight in Tehran is 20:30 UTC the day before.
    expect(fake.callsOf("audit.efficiency")).toEqual([{ from: "2026-11-27T20:30:00.000Z", to: "2026-12-04T20:30:00.000Z" }]);

    const cases: [string, EfficiencyInput][] = [
      ["today", { from: "2026-12-03T20:30:00.000Z", to: "2026-12-04T20:30:00.000Z" }],
      ["last30", { from: "2026-11-04T20:30:00.000Z", to: "2026-12-04T20:30:00.000Z" }],
      ["thisMonth", { from: "2026-11-30T20:30:00.000Z", to: "2026-12-31T20:30:00.000Z" }],
    ];
    for (const [preset, input] of cases) {
      await user.selectOptions(period, preset);
      await waitFor(() => expect(fake.callsOf("audit.efficiency").at(-1)).toEqual(input));
    }
  });

  it("takes this month of the Persian calendar in Persian", async () => {
    await switchTo("fa");
    const user = userEvent.setup();
    const fake = efficiencyCore();
    await openEfficiency(user);
    await user.selectOptions(screen.getByTestId("efficiency-period"), "thisMonth");
    // 1 Azar 1405 (22 November 2026) to 1 Dey (22 December), at Tehran's midnight.
    await waitFor(() => expect(fake.callsOf("audit.efficiency").at(-1)).toEqual({ from: "2026-11-21T20:30:00.000Z", to: "2026-12-21T20:30:00.000Z" }));
  });

  it("sends a custom range from the first day's local midnight to the midnight after the last day", async () => {
    const user = userEvent.setup();
    const fake = efficiencyCore();
    await openEfficiency(user);
    await screen.findByTestId("efficiency-table");
    await user.selectOptions(screen.getByTestId("efficiency-period"), "custom");
    // It starts as the last 7 days, for the person to change.
    expect(screen.getByTestId("efficiency-from")).toHaveValue("2026-11-28");
    expect(screen.getByTestId("efficiency-to")).toHaveValue("2026-12-04");

    fireEvent.change(screen.getByTestId("efficiency-from"), { target: { value: "2026-11-01" } });
    fireEvent.change(screen.getByTestId("efficiency-to"), { target: { value: "2026-11-15" } });
    await waitFor(() => expect(fake.callsOf("audit.efficiency").at(-1)).toEqual({ from: "2026-10-31T20:30:00.000Z", to: "2026-11-15T20:30:00.000Z" }));
    expect(await screen.findByTestId("efficiency-table")).toBeInTheDocument();
  });

  it("asks about one person when one is picked, and about everyone again", async () => {
    const user = userEvent.setup();
    const fake = efficiencyCore();
    await openEfficiency(user);
    await screen.findByTestId("efficiency-table");
    const picker = screen.getByTestId("efficiency-person");
    await waitFor(() => expect(within(picker).getAllByRole("option").map((o) => o.textContent)).toEqual(["Everyone", "Anna", "Boris (deactivated)"]));

    await user.selectOptions(picker, BORIS_ID);
    await waitFor(() => expect(screen.getAllByTestId("efficiency-row").map((r) => r.dataset.userId)).toEqual([BORIS_ID]));
    expect(fake.callsOf("audit.efficiency").at(-1)).toEqual({ from: "2026-11-27T20:30:00.000Z", to: "2026-12-04T20:30:00.000Z", user_id: BORIS_ID });

    await user.selectOptions(picker, "");
    await waitFor(() => expect(screen.getAllByTestId("efficiency-row")).toHaveLength(3));
    expect(fake.callsOf("audit.efficiency").at(-1)).toEqual({ from: "2026-11-27T20:30:00.000Z", to: "2026-12-04T20:30:00.000Z" });
  });

  it("shows the core's refusal of a period, and the report again once the period is right", async () => {
    const user = userEvent.setup();
    const report = reportOf([ANNA]);
    efficiencyCore({
      report: (input) => {
        if (input.to <= input.from) throw apiError("invalid_input", { to: { code: "invalid_value", message: "the period ends before it starts" } });
        return report(input);
      },
    });
    await openEfficiency(user);
    await user.selectOptions(screen.getByTestId("efficiency-period"), "custom");
    fireEvent.change(screen.getByTestId("efficiency-from"), { target: { value: "2026-11-20" } });
    fireEvent.change(screen.getByTestId("efficiency-to"), { target: { value: "2026-11-10" } });

    const error = await screen.findByTestId("efficiency-error");
    expect(error).toHaveRole("alert");
    expect(error).toHaveTextContent("The period must end after it starts and last no more than 400 days.");
    expect(screen.queryByTestId("efficiency-table")).toBeNull();
    expect(screen.getByTestId("efficiency-export")).toBeDisabled();

    fireEvent.change(screen.getByTestId("efficiency-to"), { target: { value: "2026-11-25" } });
    expect(await screen.findByTestId("efficiency-table")).toBeInTheDocument();
    expect(screen.queryByTestId("efficiency-error")).toBeNull();
  });
});

describe("efficiency report: export", () => {
  const ENGLISH_LABELS = {
    people_sheet: "People",
    operations_sheet: "Operations",
    person: "Person",
    sign_ins: "Sign-ins",
    failed_sign_ins: "Failed sign-ins",
    actions: "Actions",
    records_changed: "Records changed",
    last_activity: "Last activity",
    operation: "Operation",
    unknown_person: "Not a user (unknown login or the database owner)",
  };

  it("exports the report on screen in the window's words and saves the workbook's bytes", async () => {
    const user = userEvent.setup();
    const saved = captureDownloads();
    const fake = efficiencyCore();
    await openEfficiency(user);
    await user.selectOptions(screen.getByTestId("efficiency-person"), ANNA_ID);
    await waitFor(() => expect(screen.getAllByTestId("efficiency-row")).toHaveLength(1));

    await user.click(screen.getByTestId("efficiency-export"));
    expect(await screen.findByTestId("efficiency-exported")).toHaveTextContent("Saved “accord-efficiency-2026-11-28.xlsx”.");
    expect(fake.callsOf("audit.export_efficiency")).toEqual([
      {
        report: { from: "2026-11-27T20:30:00.000Z", to: "2026-12-04T20:30:00.000Z", user_id: ANNA_ID },
        labels: ENGLISH_LABELS,
        right_to_left: false,
        utc_offset_minutes: 210,
      },
    ]);
    expect(saved.map((file) => file.name)).toEqual(["accord-efficiency-2026-11-28.xlsx"]);
    expect(saved[0].blob.type).toBe(XLSX);
    expect(saved[0].blob.size).toBe(WORKBOOK_BYTES.length);
    expect([...(await readBytes(saved[0].blob))]).toEqual(WORKBOOK_BYTES);
  });

  it("lays the workbook out right to left, in Persian words, for a Persian window", async () => {
    await switchTo("fa");
    const user = userEvent.setup();
    captureDownloads();
    const fake = efficiencyCore();
    await openEfficiency(user);
    await screen.findByTestId("efficiency-table");
    await user.click(screen.getByTestId("efficiency-export"));
    await screen.findByTestId("efficiency-exported");

    const [sent] = fake.callsOf("audit.export_efficiency");
    expect(sent.right_to_left).toBe(true);
    expect(sent.labels).toMatchObject({
      people_sheet: "افراد",
      operations_sheet: "عملیات",
      person: "شخص",
      sign_ins: "ورودها",
      unknown_person: "کاربر نیست (نام کاربری ناشناخته یا مالک پایگاه داده)",
    });
  });

  it("names the sheets as a spreadsheet allows, in every language", () => {
    for (const language of LANGUAGES) {
      const labels = sheetLabels(i18n.getFixedT(language));
      for (const sheet of [labels.people_sheet, labels.operations_sheet]) {
        expect(sheet.length, `${language}: ${sheet}`).toBeGreaterThan(0);
        expect(sheet.length, `${language}: ${sheet}`).toBeLessThanOrEqual(31);
        expect(sheet, language).not.toMatch(/[[\]:*?/\\]/);
      }
      expect(labels.people_sheet, language).not.toBe(labels.operations_sheet);
    }
  });

  it("shows why an export failed, and saves nothing", async () => {
    const user = userEvent.setup();
    const saved = captureDownloads();
    efficiencyCore({
      exportFile: () => {
        throw apiError("permission_denied");
      },
    });
    await openEfficiency(user);
    await screen.findByTestId("efficiency-table");
    await user.click(screen.getByTestId("efficiency-export"));
    expect(await screen.findByTestId("efficiency-error")).toHaveTextContent("You do not have permission to do this.");
    expect(screen.queryByTestId("efficiency-exported")).toBeNull();
    expect(saved).toEqual([]);
    // The report itself is still there.
    expect(screen.getByTestId("efficiency-table")).toBeInTheDocument();
  });
});

import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import type {
  AuditEntry,
  AuditPage,
  AuditVerification,
  ChangeByActor,
  ChangesByPersonInput,
  ChangesByPersonPage,
  Colleagues,
  ListAuditInput,
  SessionStatus,
} from "../../../api/generated";
import { App } from "../../../app/App";
import { i18n } from "../../../i18n";
import { captureDownloads, readBytes } from "../../../test/downloads";
import { apiError, emptyPage, fakeTransport, signedIn } from "../../../test/fakeTransport";
import generatedSource from "../../../api/generated.ts?raw";
import { AUDIT_TABLES, AUDITED_OPERATIONS, auditCsv, auditFileName, personChangesCsv, personChangesFileName, verificationAlarms } from "../audit";

const ANNA_ID = "0190f3a2-7c1e-7000-8000-00000000a001";
const BORIS_ID = "0190f3a2-7c1e-7000-8000-00000000b002";
/** An actor this database has no name for (a user of another database, say). */
const STRANGER_ID = "7f3c9e01-aaaa-7000-8000-00000000c003";

const AUDITOR = signedIn({ id: "user-olga", display_name: "Olga", permissions: ["audit.read", "security.directory", "session.use"] });
const SALES = signedIn({ id: "user-s", display_name: "Sam", permissions: ["customers.read", "customers.write", "security.directory", "session.use"] });
const USER_MANAGER = signedIn({ id: "user-m", display_name: "Maria", permissions: ["users.manage", "session.use"] });

const DIRECTORY: Colleagues = {
  users: [
    { id: ANNA_ID, display_name: "Anna", department_id: null, active: true },
    { id: BORIS_ID, display_name: "Boris", department_id: null, active: false },
  ],
  departments: [],
};

function entry(seq: number, overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    seq,
    at: "2026-11-23T10:15:00Z",
    actor_id: ANNA_ID,
    actor_name: "Anna",
    device_id: "device-1",
    operation: "security.sign_in",
    target_table: "users",
    target_id: ANNA_ID,
    detail: null,
    ...overrides,
  };
}

/** `count` entries, newest (highest seq) first, as the core keeps them. */
function history(count: number): AuditEntry[] {
  return Array.from({ length: count }, (_, i) => entry(count - i));
}

/** The core's paging: newest first, older than `before_seq`, by person and operation. */
function auditList(entries: AuditEntry[]) {
  return (input: ListAuditInput): AuditPage => {
    const matching = entries.filter(
      (e) =>
        (input.before_seq === undefined || e.seq < input.before_seq) &&
        (input.actor_id === undefined || e.actor_id === input.actor_id) &&
        (input.operation === undefined || e.operation === input.operation),
    );
    const limit = input.limit ?? 100;
    const page = matching.slice(0, limit);
    return { entries: page, next_before_seq: page.length === limit ? page[page.length - 1].seq : null };
  };
}

function change(seq: number, overrides: Partial<ChangeByActor> = {}): ChangeByActor {
  return {
    seq,
    at: "2026-11-23T10:15:00Z",
    operation: "customers.update_organisation",
    table: "organisations",
    row_id: `0190f3a2-7c1e-7000-8000-0000000${String(seq).padStart(5, "0")}`,
    title: `Organisation ${seq}`,
    action: "update",
    fields: ["name"],
    ...overrides,
  };
}

/** The core's paging of each person's changes (newest first as given): older than `before_seq`. */
function changesByPerson(byActor: Record<string, ChangeByActor[]>) {
  return (input: ChangesByPersonInput): ChangesByPersonPage => {
    const matching = (byActor[input.actor_id] ?? []).filter((c) => input.before_seq === undefined || c.seq < input.before_seq);
    const limit = input.limit ?? 100;
    const page = matching.slice(0, limit);
    return { entries: page, next_before_seq: page.length === limit ? page[page.length - 1].seq : null };
  };
}

function verification(overrides: Partial<AuditVerification> = {}): AuditVerification {
  return { entries: 12, intact: true, first_broken_seq: null, truncated: false, rewritten: false, checkpoints_compared: 2, ...overrides };
}

type AuditCore = {
  session?: SessionStatus;
  entries?: AuditEntry[];
  verify?: () => AuditVerification;
  /** The records each person changed, newest first. */
  changes?: Record<string, ChangeByActor[]>;
  changesByPerson?: (input: ChangesByPersonInput) => ChangesByPersonPage;
};

/** A fake core with an audit log, signed in as an auditor unless told otherwise, on administration. */
function auditCore({ session = AUDITOR, entries = [], verify = () => verification(), changes = {}, ...fakes }: AuditCore = {}) {
  const fake = fakeTransport({
    "session.get": () => session,
    "security.list_colleagues": () => DIRECTORY,
    "audit.list": auditList(entries),
    "audit.verify": verify,
    "audit.changes_by_person": fakes.changesByPerson ?? changesByPerson(changes),
    "customers.list_organisations": () => emptyPage,
    "security.list_users": () => ({ users: [] }),
    "security.list_roles": () => ({ roles: [], permissions: [] }),
    "security.list_departments": () => ({ departments: [] }),
  });
  render(<App transport={fake.transport} initialRoute={{ screen: "admin" }} />);
  return fake;
}

/** The audit log alone, for an auditor, rendered afresh (to show it in another language). */
function renderAudit(entries: AuditEntry[]) {
  const fake = fakeTransport({
    "session.get": () => AUDITOR,
    "security.list_colleagues": () => DIRECTORY,
    "audit.list": auditList(entries),
  });
  return render(<App transport={fake.transport} initialRoute={{ screen: "admin" }} />);
}

describe("audit log: who sees it", () => {
  it("is the whole of administration for an auditor, reached from the sidebar", async () => {
    const user = userEvent.setup();
    const fake = auditCore({ entries: [entry(1)] });
    await user.click(await screen.findByTestId("nav-admin"));
    expect(await screen.findByTestId("admin-audit")).toBeInTheDocument();
    expect(screen.getAllByRole("tab").map((tab) => tab.dataset.testid)).toEqual(["admin-tab-audit", "admin-tab-efficiency"]);
    expect(screen.getByTestId("admin-tab-audit")).toHaveAttribute("aria-selected", "true");
    expect(screen.getByTestId("admin-tab-audit")).toHaveTextContent("Audit log");
    // What an auditor may not read is not even asked for.
    expect(fake.callsOf("security.list_users")).toEqual([]);
  });

  it("is not offered to a sales user, who has no administration at all", async () => {
    const fake = auditCore({ session: SALES });
    expect(await screen.findByTestId("sidebar-user")).toHaveTextContent("Sam");
    expect(screen.queryByTestId("nav-admin")).toBeNull();
    expect(screen.queryByTestId("admin-tab-audit")).toBeNull();
    expect(fake.callsOf("audit.list")).toEqual([]);
  });

  it("is not a tab for who may manage users but not read the log", async () => {
    auditCore({ session: USER_MANAGER });
    await screen.findByTestId("admin-tab-users");
    expect(screen.getAllByRole("tab").map((tab) => tab.dataset.testid)).toEqual(["admin-tab-users", "admin-tab-roles", "admin-tab-departments"]);
  });

  it("comes after the other tabs for an administrator", async () => {
    const user = userEvent.setup();
    auditCore({ session: signedIn({ all_permissions: true }), entries: [entry(1)] });
    const tabs = await screen.findAllByRole("tab");
    expect(tabs.map((tab) => tab.dataset.testid)).toEqual(["admin-tab-users", "admin-tab-roles", "admin-tab-departments", "admin-tab-fields", "admin-tab-topics", "admin-tab-freshness", "admin-tab-workflow", "admin-tab-audit", "admin-tab-efficiency"]);
    await user.click(screen.getByTestId("admin-tab-audit"));
    expect(await screen.findByTestId("audit-entries")).toBeInTheDocument();
  });
});

describe("audit log: verification", () => {
  it("says the log is intact, with how many entries and checkpoints were checked", async () => {
    const user = userEvent.setup();
    const fake = auditCore();
    await user.click(await screen.findByTestId("audit-verify"));
    const result = await screen.findByTestId("audit-verification");
    expect(result).toHaveAttribute("data-intact", "true");
    expect(result).toHaveClass("banner-success");
    expect(result).toHaveTextContent("Intact: 12 entries checked (2 checkpoints of this computer compared).");
    expect(fake.callsOf("audit.verify")).toEqual([{}]);
  });

  it("raises the alarm for a broken chain, a rewritten log with where it may start, and removed newest entries", async () => {
    const user = userEvent.setup();
    let found = verification();
    auditCore({ verify: () => found });
    const cases: [Partial<AuditVerification>, string][] = [
      [{ intact: false, first_broken_seq: 7 }, "Entry #7 does not follow from the one before: the log was edited outside Accord."],
      [
        { intact: false, rewritten: true, first_broken_seq: 5 },
        "The log no longer holds what this computer saw; entries from #5 on may have been rewritten or removed, or the database was replaced by an older copy.",
      ],
      [{ intact: false, truncated: true }, "The newest entries were removed."],
    ];
    for (const [change, alarm] of cases) {
      found = verification(change);
      await user.click(await screen.findByTestId("audit-verify"));
      const result = await screen.findByTestId("audit-verification");
      expect(result).toHaveAttribute("data-intact", "false");
      expect(result).toHaveRole("alert");
      expect(result).toHaveClass("banner-error");
      expect(result).toHaveTextContent("The audit log failed verification.");
      expect(result).toHaveTextContent(alarm);
    }
  });

  it("words the alarm in the user's language", async () => {
    const user = userEvent.setup();
    window.localStorage.setItem("accord.language", "ru");
    await i18n.changeLanguage("ru");
    auditCore({ verify: () => verification({ intact: false, rewritten: true, first_broken_seq: 5 }) });
    await user.click(await screen.findByTestId("audit-verify"));
    expect(await screen.findByTestId("audit-verification")).toHaveTextContent("записи начиная с №5 могли быть переписаны или удалены");
  });

  it("never shows a failed check as a success, even for a reason this build cannot name", () => {
    expect(verificationAlarms(verification({ intact: false }))).toEqual([{ kind: "failed" }]);
    expect(verificationAlarms(verification({ intact: false, rewritten: true }))).toEqual([{ kind: "rewrittenSomewhere" }]);
    expect(verificationAlarms(verification({ intact: false, first_broken_seq: 3, truncated: true }))).toEqual([
      { kind: "broken", seq: 3 },
      { kind: "truncated" },
    ]);
    expect(verificationAlarms(verification())).toEqual([]);
  });

  it("shows the core's refusal in the user's language", async () => {
    const user = userEvent.setup();
    auditCore({
      verify: () => {
        throw apiError("permission_denied");
      },
    });
    await user.click(await screen.findByTestId("audit-verify"));
    const error = await screen.findByTestId("audit-verify-error");
    expect(error).toHaveTextContent(i18n.t("errors.code.permission_denied"));
    expect(screen.queryByTestId("audit-verification")).toBeNull();
  });
});

describe("audit log: entries", () => {
  it("lists the entries newest first: who by name, what in words, the record and the detail", async () => {
    auditCore({
      entries: [
        entry(3, { operation: "security.sign_in_failed", actor_id: STRANGER_ID, actor_name: undefined, target_table: null, target_id: null, detail: "boris" }),
        entry(2, { operation: "security.set_user_role", target_id: BORIS_ID, detail: "role: sales → manager" }),
        entry(1, { operation: "reports.export_everything", target_table: "reports", target_id: "r-1" }),
      ],
    });
    const rows = await within(await screen.findByTestId("audit-entries")).findAllByTestId("audit-entry");
    expect(rows.map((row) => row.dataset.seq)).toEqual(["3", "2", "1"]);

    const [failed, roleChange, unknown] = rows;
    expect(failed).toHaveTextContent("#3");
    expect(within(failed).getByTestId("audit-actor")).toHaveTextContent(new RegExp(`^${STRANGER_ID.slice(-8)}$`));
    expect(within(failed).getByTestId("audit-actor")).toHaveAttribute("title", STRANGER_ID);
    expect(failed).toHaveTextContent("Failed sign-in");
    expect(within(failed).getByText("boris")).toHaveAttribute("dir", "auto");
    expect(failed.querySelector("time")).toHaveAttribute("dateTime", "2026-11-23T10:15:00Z");
    expect(failed.querySelector("time")).toHaveTextContent("2026");

    const anna = within(roleChange).getByTestId("audit-actor");
    expect(anna).toHaveTextContent("Anna");
    expect(anna.tagName).toBe("BDI");
    expect(roleChange).toHaveTextContent("Changed a user's role");
    expect(roleChange).toHaveTextContent(`User ${BORIS_ID.slice(-8)}`);

    // An operation or table this build has no words for is shown by the core's name.
    expect(within(unknown).getByText("reports.export_everything").tagName).toBe("CODE");
    expect(within(unknown).getByText("reports").tagName).toBe("CODE");
  });

  it("shows dates and operations in the user's language", async () => {
    window.localStorage.setItem("accord.language", "fa");
    await i18n.changeLanguage("fa");
    auditCore({ entries: [entry(42, { operation: "customers.archive_contact", target_table: "contacts" })] });
    const row = await screen.findByTestId("audit-entry");
    expect(row).toHaveTextContent("بایگانی مخاطب");
    expect(row).toHaveTextContent("#۴۲");
    expect(row.querySelector("time")?.textContent).toMatch(/۱۴۰۵/);
  });

  it("says so when the log is empty", async () => {
    auditCore();
    expect(await screen.findByText("The audit log has no entries yet.")).toBeInTheDocument();
    expect(screen.getByTestId("audit-export")).toBeDisabled();
    expect(screen.queryByTestId("audit-more")).toBeNull();
  });

  it("filters by person and by operation, asking the core again", async () => {
    const user = userEvent.setup();
    const fake = auditCore({
      entries: [entry(3, { actor_id: BORIS_ID, actor_name: "Boris", operation: "security.sign_out" }), entry(2, { actor_id: BORIS_ID, actor_name: "Boris" }), entry(1)],
    });
    await screen.findByTestId("audit-entries");

    const person = screen.getByTestId("audit-filter-person");
    await waitFor(() => expect(within(person).getAllByRole("option")).toHaveLength(3));
    expect(within(person).getAllByRole("option").map((o) => o.textContent)).toEqual(["Everyone", "Anna", "Boris (deactivated)"]);
    const operation = screen.getByTestId("audit-filter-operation");
    expect(within(operation).getAllByRole("option")[0]).toHaveTextContent("All actions");
    expect(within(operation).getByRole("option", { name: "Failed sign-in" })).toHaveValue("security.sign_in_failed");

    await user.selectOptions(person, BORIS_ID);
    await waitFor(() => expect(screen.getAllByTestId("audit-entry").map((r) => r.dataset.seq)).toEqual(["3", "2"]));
    expect(fake.callsOf("audit.list").at(-1)).toEqual({ limit: 100, actor_id: BORIS_ID });

    await user.selectOptions(operation, "security.sign_out");
    await waitFor(() => expect(screen.getAllByTestId("audit-entry").map((r) => r.dataset.seq)).toEqual(["3"]));
    expect(fake.callsOf("audit.list").at(-1)).toEqual({ limit: 100, actor_id: BORIS_ID, operation: "security.sign_out" });

    await user.selectOptions(person, "");
    await user.selectOptions(operation, "security.create_user");
    expect(await screen.findByText("No entries match these filters.")).toBeInTheDocument();
    expect(fake.callsOf("audit.list").at(-1)).toEqual({ limit: 100, operation: "security.create_user" });
  });

  it("loads older entries below the ones shown, from where the last page ended", async () => {
    const user = userEvent.setup();
    const fake = auditCore({ entries: history(150) });
    await waitFor(() => expect(screen.getAllByTestId("audit-entry")).toHaveLength(100));
    expect(fake.callsOf("audit.list")).toEqual([{ limit: 100 }]);

    await user.click(screen.getByTestId("audit-more"));
    await waitFor(() => expect(screen.getAllByTestId("audit-entry")).toHaveLength(150));
    expect(fake.callsOf("audit.list").at(-1)).toEqual({ limit: 100, before_seq: 51 });
    const seqs = screen.getAllByTestId("audit-entry").map((r) => Number(r.dataset.seq));
    expect(seqs[0]).toBe(150);
    expect(seqs.at(-1)).toBe(1);
    // The last page was short: there is nothing older.
    expect(screen.queryByTestId("audit-more")).toBeNull();
  });

  it("tells why the log could not be read, in the user's language", async () => {
    window.localStorage.setItem("accord.language", "ru");
    await i18n.changeLanguage("ru");
    const fake = fakeTransport({
      "session.get": () => AUDITOR,
      "security.list_colleagues": () => DIRECTORY,
      "audit.list": () => {
        throw apiError("database_unavailable");
      },
    });
    render(<App transport={fake.transport} initialRoute={{ screen: "admin" }} />);
    expect(await screen.findByTestId("audit-error")).toHaveTextContent(i18n.t("errors.code.database_unavailable", { lng: "ru" }));
  });
});

describe("audit log: words for operations and tables", () => {
  /** The operations the core marks "Audited." in the generated operation map. */
  function auditedByTheCore(): string[] {
    const documented = /\/\*\*((?:[^*]|\*(?!\/))*)\*\/\s*"([a-z_]+\.[a-z_]+)": \{ input/g;
    return [...generatedSource.matchAll(documented)].filter(([, doc]) => doc.includes("Audited.")).map(([, , op]) => op);
  }

  it("has a label, in every language, for every audited operation of the core and every table listed", () => {
    const audited = auditedByTheCore();
    // The merge, its undo and taking back "not duplicates" among them: the parse finds what it should.
    expect(audited).toEqual(expect.arrayContaining(["duplicates.merge", "duplicates.undo_merge", "duplicates.reconsider_pair", "fields.define"]));
    expect(audited).not.toContain("duplicates.dismiss");
    // An operation the core audits is named in words here (else the log would show its code).
    expect(audited.filter((op) => !(AUDITED_OPERATIONS as readonly string[]).includes(op))).toEqual([]);

    const keys = [...AUDITED_OPERATIONS.map((op) => `admin.audit.operations.${op}`), ...AUDIT_TABLES.map((table) => `admin.audit.tables.${table}`)];
    for (const lng of ["en", "ru", "fa"]) {
      for (const key of keys) {
        const label: unknown = i18n.getResource(lng, "translation", key);
        expect(typeof label, `${lng}:${key}`).toBe("string");
      }
    }
    expect(AUDIT_TABLES).toEqual(expect.arrayContaining(["duplicate_dismissals", "record_merges"]));
  });

  it("names merges, their undo and taking back “not duplicates” in words, in each language", async () => {
    const DISMISSAL_ID = "0198d000-0000-7000-8000-0000000000d1";
    const entries = [
      entry(3, { operation: "duplicates.reconsider_pair", target_table: "duplicate_dismissals", target_id: DISMISSAL_ID }),
      entry(2, { operation: "duplicates.undo_merge", target_table: "contacts", target_id: BORIS_ID }),
      entry(1, { operation: "duplicates.merge", target_table: "organisations", target_id: ANNA_ID, detail: "ACME Limited merged into Acme Ltd; 1 records moved" }),
    ];
    const user = userEvent.setup();
    const fake = auditCore({ entries });
    const [reconsidered, undone, merged] = await within(await screen.findByTestId("audit-entries")).findAllByTestId("audit-entry");
    expect(reconsidered).toHaveTextContent("Took back “not duplicates” for a pair");
    expect(reconsidered).toHaveTextContent(`Pair judged different ${DISMISSAL_ID.slice(-8)}`);
    expect(undone).toHaveTextContent("Undid a merge");
    expect(undone).toHaveTextContent(`Contact ${BORIS_ID.slice(-8)}`);
    expect(merged).toHaveTextContent("Merged two records");
    expect(merged).toHaveTextContent(`Organisation ${ANNA_ID.slice(-8)}`);
    for (const row of [reconsidered, undone, merged]) expect(row.querySelector("code")).toBeNull();

    // And they can be looked for by operation.
    const operation = screen.getByTestId("audit-filter-operation");
    expect(within(operation).getByRole("option", { name: "Merged two records" })).toHaveValue("duplicates.merge");
    expect(within(operation).getByRole("option", { name: "Undid a merge" })).toHaveValue("duplicates.undo_merge");
    await user.selectOptions(operation, "duplicates.reconsider_pair");
    await waitFor(() => expect(screen.getAllByTestId("audit-entry").map((r) => r.dataset.seq)).toEqual(["3"]));
    expect(fake.callsOf("audit.list").at(-1)).toEqual({ limit: 100, operation: "duplicates.reconsider_pair" });
  });

  it("says them in Russian and Persian too", async () => {
    const entries = [
      entry(2, { operation: "duplicates.reconsider_pair", target_table: "duplicate_dismissals", target_id: ANNA_ID }),
      entry(1, { operation: "duplicates.merge", target_table: "organisations", target_id: ANNA_ID }),
    ];
    window.localStorage.setItem("accord.language", "ru");
    await i18n.changeLanguage("ru");
    const { unmount } = renderAudit(entries);
    let [reconsidered, merged] = await screen.findAllByTestId("audit-entry");
    expect(reconsidered).toHaveTextContent("Снятие отметки «не дубликаты» с пары");
    expect(reconsidered).toHaveTextContent("Пара, признанная разными записями");
    expect(merged).toHaveTextContent("Объединение записей");
    unmount();

    window.localStorage.setItem("accord.language", "fa");
    await i18n.changeLanguage("fa");
    renderAudit(entries);
    [reconsidered, merged] = await screen.findAllByTestId("audit-entry");
    expect(reconsidered).toHaveTextContent("پس گرفتن «تکراری نیستند» برای یک جفت");
    expect(reconsidered).toHaveTextContent("جفتِ متفاوت‌شناخته‌شده");
    expect(merged).toHaveTextContent("ادغام دو رکورد");
  });

  it("names a merge and a “not duplicates” among the records a person changed", async () => {
    const user = userEvent.setup();
    auditCore({
      changes: {
        [BORIS_ID]: [
          change(2, { operation: "duplicates.dismiss", table: "duplicate_dismissals", title: null, action: "insert", fields: [] }),
          change(1, { operation: "duplicates.merge", table: "record_merges", title: null, action: "insert", fields: [] }),
        ],
      },
    });
    const person = await screen.findByTestId("audit-filter-person");
    await waitFor(() => expect(within(person).getAllByRole("option")).toHaveLength(3));
    await user.selectOptions(person, BORIS_ID);
    const [dismissal, merge] = await within(await screen.findByTestId("person-changes")).findAllByTestId("person-change-row");
    expect(within(dismissal).getAllByRole("cell")[2]).toHaveTextContent(/^Pair judged different$/);
    expect(within(merge).getAllByRole("cell")[2]).toHaveTextContent(/^Merge$/);
  });
});

describe("audit log: export", () => {
  it("downloads the entries loaded under the current filter as a dated CSV file", async () => {
    const user = userEvent.setup();
    const saved = captureDownloads();
    auditCore({
      entries: [entry(2, { actor_id: BORIS_ID, actor_name: "Boris", operation: "security.sign_out" }), entry(1, { detail: "=cmd|' /C calc'!A0" })],
    });
    await screen.findByTestId("audit-entries");
    await user.selectOptions(screen.getByTestId("audit-filter-operation"), "security.sign_in");
    await waitFor(() => expect(screen.getAllByTestId("audit-entry").map((r) => r.dataset.seq)).toEqual(["1"]));

    await user.click(screen.getByTestId("audit-export"));
    expect(saved).toHaveLength(1);
    expect(saved[0].name).toMatch(/^accord-audit-\d{4}-\d{2}-\d{2}\.csv$/);
    expect(saved[0].blob.type).toBe("text/csv;charset=utf-8");
    const bytes = await readBytes(saved[0].blob);
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder().decode(bytes).split("\r\n");
    expect(lines).toEqual([
      "seq,at,actor_name,actor_id,operation,target_table,target_id,detail",
      `1,2026-11-23T10:15:00Z,Anna,${ANNA_ID},security.sign_in,users,${ANNA_ID},'=cmd|' /C calc'!A0`,
      "",
    ]);
  });

  it("builds the file from the entries as the core keeps them, Persian names intact", () => {
    const csv = auditCsv([entry(9, { actor_name: "مریم احمدی", detail: 'login "x", again' })]);
    expect(csv.startsWith("\uFEFF")).toBe(true);
    expect(csv).toContain(`9,2026-11-23T10:15:00Z,مریم احمدی,${ANNA_ID},security.sign_in,users,${ANNA_ID},"login ""x"", again"\r\n`);
    expect(auditFileName(new Date(2026, 0, 5, 23, 59))).toBe("accord-audit-2026-01-05.csv");
  });
});

describe("audit log: the records a person changed", () => {
  /** Boris's changes: a contact created, a relation archived (no title), an organisation changed. */
  const ARCHIVED_RELATION_ID = "5a6b7c8d-0000-7000-8000-000000000011";
  const BORIS_CHANGES = [
    change(12, { operation: "customers.create_contact", table: "contacts", title: "مریم احمدی", action: "insert", fields: ["name", "phone"] }),
    change(11, {
      operation: "customers.archive_relation",
      table: "organisation_relations",
      row_id: ARCHIVED_RELATION_ID,
      title: null,
      action: "archive",
      fields: [],
    }),
    change(10, { title: "ООО «Ромашка»", fields: ["name", "tax_id"] }),
  ];

  /** Chooses `personId` in the person filter once the directory is read. */
  async function choosePerson(user: ReturnType<typeof userEvent.setup>, personId: string) {
    const person = await screen.findByTestId("audit-filter-person");
    await waitFor(() => expect(within(person).getAllByRole("option")).toHaveLength(3));
    await user.selectOptions(person, personId);
  }

  const cells = (row: HTMLElement) => within(row).getAllByRole("cell").map((cell) => cell.textContent);

  it("appears once a person is chosen, listing their records newest first with what happened and the kind in words", async () => {
    const user = userEvent.setup();
    const fake = auditCore({ entries: [entry(5, { actor_id: BORIS_ID, actor_name: "Boris" }), entry(4)], changes: { [BORIS_ID]: BORIS_CHANGES } });
    await screen.findByTestId("audit-entries");
    // Everyone's log: no section, and nothing asked of the core.
    expect(screen.queryByTestId("person-changes")).toBeNull();
    expect(fake.callsOf("audit.changes_by_person")).toEqual([]);

    await choosePerson(user, BORIS_ID);
    const section = await screen.findByTestId("person-changes");
    expect(within(section).getByRole("heading", { name: "Records they changed" })).toBeInTheDocument();
    // Below the person's audited actions.
    expect(screen.getByTestId("audit-entries").compareDocumentPosition(section) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    const rows = await within(section).findAllByTestId("person-change-row");
    expect(rows.map((row) => row.dataset.seq)).toEqual(["12", "11", "10"]);
    expect(fake.callsOf("audit.changes_by_person")).toEqual([{ actor_id: BORIS_ID, limit: 100 }]);

    const [created, archived, changed] = rows;
    expect(cells(created).slice(1)).toEqual(["مریم احمدی", "Contact", "Created", "name, phone"]);
    expect(cells(archived).slice(1)).toEqual([ARCHIVED_RELATION_ID.slice(-8), "Relation", "Archived", "—"]);
    expect(cells(changed).slice(1)).toEqual(["ООО «Ромашка»", "Organisation", "Changed", "name, tax_id"]);
    // Names take their own direction; a record without a title is named by its id, read left to right.
    const persian = within(created).getByText("مریم احمدی");
    expect(persian.tagName).toBe("BDI");
    expect(persian).toHaveAttribute("dir", "auto");
    expect(within(archived).getByText(ARCHIVED_RELATION_ID.slice(-8))).toHaveAttribute("title", ARCHIVED_RELATION_ID);
    expect(within(archived).getByText(ARCHIVED_RELATION_ID.slice(-8))).toHaveAttribute("dir", "ltr");
    expect(created.querySelector("time")).toHaveAttribute("dateTime", "2026-11-23T10:15:00Z");
    expect(created.querySelector("time")).toHaveTextContent("2026");

    await user.selectOptions(screen.getByTestId("audit-filter-person"), "");
    await waitFor(() => expect(screen.queryByTestId("person-changes")).toBeNull());
  });

  it("words the section, the kinds and what happened in the user's language", async () => {
    const user = userEvent.setup();
    window.localStorage.setItem("accord.language", "fa");
    await i18n.changeLanguage("fa");
    auditCore({ changes: { [BORIS_ID]: BORIS_CHANGES } });
    await choosePerson(user, BORIS_ID);
    const section = await screen.findByTestId("person-changes");
    expect(within(section).getByRole("heading")).toHaveTextContent("سوابق تغییرداده‌شده به دست این شخص");
    const [created, archived] = await within(section).findAllByTestId("person-change-row");
    expect(cells(created).slice(1, 4)).toEqual(["مریم احمدی", "مخاطب", "ایجاد"]);
    expect(cells(archived).slice(2, 4)).toEqual(["ارتباط", "بایگانی"]);
    expect(created.querySelector("time")?.textContent).toMatch(/۱۴۰۵/);
  });

  it("loads older changes below the ones shown, from where the last page ended", async () => {
    const user = userEvent.setup();
    const many = Array.from({ length: 150 }, (_, i) => change(150 - i));
    const fake = auditCore({ changes: { [BORIS_ID]: many } });
    await choosePerson(user, BORIS_ID);
    await waitFor(() => expect(screen.getAllByTestId("person-change-row")).toHaveLength(100));
    expect(fake.callsOf("audit.changes_by_person")).toEqual([{ actor_id: BORIS_ID, limit: 100 }]);

    await user.click(screen.getByTestId("person-changes-more"));
    await waitFor(() => expect(screen.getAllByTestId("person-change-row")).toHaveLength(150));
    expect(fake.callsOf("audit.changes_by_person").at(-1)).toEqual({ actor_id: BORIS_ID, limit: 100, before_seq: 51 });
    const seqs = screen.getAllByTestId("person-change-row").map((row) => Number(row.dataset.seq));
    expect(seqs[0]).toBe(150);
    expect(seqs.at(-1)).toBe(1);
    // The last page was short: there is nothing older.
    expect(screen.queryByTestId("person-changes-more")).toBeNull();
  });

  it("says so when the person changed no records", async () => {
    const user = userEvent.setup();
    auditCore({ changes: { [BORIS_ID]: BORIS_CHANGES } });
    await choosePerson(user, ANNA_ID);
    expect(await screen.findByTestId("person-changes-empty")).toHaveTextContent("This person has not changed any records.");
    expect(screen.queryByTestId("person-change-row")).toBeNull();
    expect(screen.getByTestId("person-changes-export")).toBeDisabled();
    expect(screen.queryByTestId("person-changes-more")).toBeNull();
  });

  it("tells why the changes could not be read, and reads them again on request", async () => {
    const user = userEvent.setup();
    let refuse = true;
    const read = changesByPerson({ [BORIS_ID]: BORIS_CHANGES });
    auditCore({
      changesByPerson: (input) => {
        if (refuse) throw apiError("database_unavailable");
        return read(input);
      },
    });
    await choosePerson(user, BORIS_ID);
    const error = await screen.findByTestId("person-changes-error");
    expect(error).toHaveTextContent(i18n.t("errors.code.database_unavailable"));
    expect(screen.queryByTestId("person-changes-empty")).toBeNull();

    refuse = false;
    await user.click(within(error).getByRole("button", { name: "Try again" }));
    await waitFor(() => expect(screen.getAllByTestId("person-change-row")).toHaveLength(3));
    expect(screen.queryByTestId("person-changes-error")).toBeNull();
  });

  it("exports the changes loaded as a dated CSV named after the person, formulas neutralised", async () => {
    const user = userEvent.setup();
    const saved = captureDownloads();
    const rowId = "0190f3a2-7c1e-7000-8000-000000000e01";
    auditCore({
      changes: {
        [BORIS_ID]: [
          change(2, { row_id: rowId, title: '=HYPERLINK("http://evil.example","Open")', fields: ["name", "phone"] }),
          change(1, { row_id: rowId, title: null, action: "insert", operation: "customers.create_organisation", fields: ["name"] }),
        ],
      },
    });
    await choosePerson(user, BORIS_ID);
    await waitFor(() => expect(screen.getAllByTestId("person-change-row")).toHaveLength(2));

    await user.click(screen.getByTestId("person-changes-export"));
    expect(saved).toHaveLength(1);
    expect(saved[0].name).toMatch(new RegExp(`^accord-changes-${BORIS_ID}-\\d{4}-\\d{2}-\\d{2}\\.csv$`));
    expect(saved[0].blob.type).toBe("text/csv;charset=utf-8");
    const bytes = await readBytes(saved[0].blob);
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder().decode(bytes).split("\r\n")).toEqual([
      "seq,at,operation,table,row_id,title,action,fields",
      `2,2026-11-23T10:15:00Z,customers.update_organisation,organisations,${rowId},"'=HYPERLINK(""http://evil.example"",""Open"")",update,"name, phone"`,
      `1,2026-11-23T10:15:00Z,customers.create_organisation,organisations,${rowId},,insert,name`,
      "",
    ]);
  });

  it("builds the file from the changes as the core sends them, names in any script intact", () => {
    const csv = personChangesCsv([change(7, { title: "+98 21 555", fields: [] }), change(6, { title: "شرکت «آکورد»، تهران" })]);
    expect(csv.startsWith("\uFEFF")).toBe(true);
    const [, first, second] = csv.slice(1).split("\r\n");
    expect(first).toBe(`7,2026-11-23T10:15:00Z,customers.update_organisation,organisations,${change(7).row_id},'+98 21 555,update,`);
    expect(second).toContain(",شرکت «آکورد»، تهران,update,name");
    expect(personChangesFileName(BORIS_ID, new Date(2026, 0, 5, 23, 59))).toBe(`accord-changes-${BORIS_ID}-2026-01-05.csv`);
  });
});

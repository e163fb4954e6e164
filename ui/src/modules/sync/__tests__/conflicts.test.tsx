import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import type {
  ApiError,
  ArchivedReference,
  Colleagues,
  ConflictSide,
  ConflictView,
  ResolveConflictInput,
  SessionStatus,
} from "../../../api/generated";
import { App } from "../../../app/App";
import type { Route } from "../../../app/navigation";
import { i18n } from "../../../i18n";
import { formatDateTime } from "../../../shared/format";
import {
  apiError,
  customField,
  emptyPage,
  fakeTransport,
  listFields,
  organisation,
  signedIn,
} from "../../../test/fakeTransport";
import { BADGE_REFRESH_MS } from "../hooks/useConflictReview";

const ANNA = { id: "user-anna", display_name: "Anna" };
const RESOLVER = signedIn({ ...ANNA, permissions: ["customers.read", "customers.write", "sync.resolve"] });
const NO_RESOLVE = signedIn({ ...ANNA, permissions: ["customers.read", "customers.write"] });

const DIRECTORY: Colleagues = {
  users: [
    { id: "user-anna", display_name: "Anna", department_id: null, active: true },
    { id: "user-boris", display_name: "Boris", department_id: null, active: true },
  ],
  departments: [],
};

const KEPT_AT = "2026-12-01T09:15:00Z";
const OTHER_AT = "2026-12-02T16:40:00Z";
const ANNA_DEVICE = "0198aaaa-1111-7000-8000-00000000000a";
const BORIS_DEVICE = "0198bbbb-2222-7000-8000-00000000000b";

function side(overrides: Partial<ConflictSide> = {}): ConflictSide {
  return {
    value: "prospect",
    actor_id: "user-anna",
    actor_name: "Anna",
    at: KEPT_AT,
    device_id: ANNA_DEVICE,
    ...overrides,
  };
}

/** Acme's kind: Anna made it a prospect on her laptop, Boris a partner at the office. */
function kindConflict(overrides: Partial<ConflictView> = {}): ConflictView {
  return {
    table: "organisations",
    row_id: "org-1",
    label: "organisation",
    title: "Acme Ltd",
    field: "kind",
    kept: side(),
    other: side({ value: "partner", actor_id: "user-boris", actor_name: "Boris", at: OTHER_AT, device_id: BORIS_DEVICE }),
    ...overrides,
  };
}

/** Globex's tax id: set by Anna and by someone this database does not know. */
function taxIdConflict(overrides: Partial<ConflictView> = {}): ConflictView {
  return {
    table: "organisations",
    row_id: "org-2",
    label: "organisation",
    title: "Globex",
    field: "tax_id",
    kept: side({ value: "7701234567" }),
    other: side({ value: "7709876543", actor_id: "user-gone", actor_name: null, at: OTHER_AT, device_id: "0198cccc-3333-7000-8000-00000000000c" }),
    ...overrides,
  };
}

type Options = {
  session?: SessionStatus;
  route?: Route;
  /** Answers `sync.resolve_conflict` instead of the fake core (to fail it, say). */
  resolve?: (input: ResolveConflictInput) => { remaining: number };
  /** Records naming an archived record. */
  archived?: ArchivedReference[];
};

/**
 * A fake core holding open conflicts: listing filters by record, resolving a field closes all its
 * conflicts; every organisation is at version 7.
 */
function conflictCore(
  initial: ConflictView[],
  { session = RESOLVER, route = { screen: "conflicts", record: null }, resolve, archived = [] }: Options = {},
) {
  let conflicts = [...initial];
  const fake = fakeTransport({
    "session.get": () => session,
    "settings.set_language": ({ language }) => ({ language }),
    "customers.list_organisations": () => emptyPage,
    "customers.get_organisation": ({ id }) => ({ organisation: organisation({ id, version: 7 }), contacts: [], relations: [] }),
    "security.list_colleagues": () => DIRECTORY,
    "sync.list_conflicts": ({ table, row_id }) => ({
      conflicts: conflicts.filter((c) => table === null || (c.table === table && c.row_id === row_id)),
    }),
    "sync.list_archived_references": () => ({ references: archived }),
    "fields.list": listFields([customField({ key: "region", label: "Sales region", retired_at: "2026-12-03T10:00:00Z" })]),
    "customers.get_contact": ({ id }) => ({ ...contactOf(id), organisation_id: "org-archived" }) as never,
    "sync.resolve_conflict": (input) => {
      if (resolve) return resolve(input);
      conflicts = conflicts.filter((c) => !(c.table === input.table && c.row_id === input.row_id && c.field === input.field));
      return { remaining: conflicts.filter((c) => c.row_id === input.row_id).length };
    },
  });
  render(<App transport={fake.transport} initialRoute={route} />);
  return {
    ...fake,
    /** Conflicts that reach this database with a sync the window does not see. */
    arrive: (more: ConflictView[]) => {
      conflicts = [...conflicts, ...more];
    },
  };
}

function rows() {
  return screen.findAllByTestId("conflict-row");
}

function resolveInput(field: string, choice: ResolveConflictInput["choice"], row_id = "org-1"): ResolveConflictInput {
  return { table: "organisations", row_id, field, version: 7, choice };
}

/** A contact of this test: only what opening its card needs. */
function contactOf(id: string) {
  return { id, version: 1 };
}

/** Ирина, a contact made offline for Vektor, which the office archived meanwhile. */
const IRINA_NAMES_ARCHIVED_VEKTOR: ArchivedReference = {
  table: "contacts",
  row_id: "contact-irina",
  label: "contact",
  title: "Ирина Петрова",
  field: "organisation_id",
  target_table: "organisations",
  target_id: "org-archived",
  target_label: "organisation",
  target_title: "Vektor",
  archived_at: OTHER_AT,
};

describe("the conflicts screen", () => {
  it("lists records kept although what they name was archived meanwhile, and opens their card", async () => {
    const core = conflictCore([], { archived: [IRINA_NAMES_ARCHIVED_VEKTOR] });
    const [item] = await screen.findAllByTestId("archived-reference");
    expect(screen.getByTestId("archived-references")).toHaveTextContent("Records naming an archived record");
    expect(item).toHaveTextContent("Contact");
    expect(within(item).getByTestId("archived-reference-link")).toHaveTextContent("Ирина Петрова");
    expect(item).toHaveTextContent(`Organisation “Vektor” was archived ${formatDateTime(OTHER_AT, "en")}.`);
    await userEvent.click(within(item).getByTestId("archived-reference-link"));
    await waitFor(() => expect(core.callsOf("customers.get_organisation")).toContainEqual({ id: "org-archived" }));
  });

  it("shows no such list when nothing names an archived record", async () => {
    conflictCore([kindConflict()]);
    await rows();
    expect(screen.queryByTestId("archived-references")).toBeNull();
  });

  it("lists each conflict with both values side by side: who set them, when and on which device", async () => {
    conflictCore([kindConflict(), taxIdConflict()]);
    const [acme, globex] = await rows();

    expect(acme).toHaveAttribute("data-field", "kind");
    expect(within(acme).getByTestId("conflict-record-link")).toHaveTextContent("Acme Ltd");
    expect(acme).toHaveTextContent("Organisation");
    expect(within(acme).getByTestId("conflict-field")).toHaveTextContent("Kind");

    const kept = within(acme).getByTestId("conflict-side-kept");
    expect(within(kept).getByTestId("conflict-value")).toHaveTextContent("Prospect");
    expect(within(kept).getByTestId("conflict-who")).toHaveTextContent("You");
    expect(within(kept).getByTestId("conflict-when")).toHaveTextContent(formatDateTime(KEPT_AT, "en"));
    const device = within(within(kept).getByTestId("conflict-device")).getByText(ANNA_DEVICE.slice(-8));
    expect(device).toHaveAttribute("dir", "ltr");
    expect(device).toHaveAttribute("title", ANNA_DEVICE);

    const other = within(acme).getByTestId("conflict-side-other");
    expect(within(other).getByTestId("conflict-value")).toHaveTextContent("Partner");
    expect(within(other).getByTestId("conflict-who")).toHaveTextContent("Boris");
    expect(within(other).getByTestId("conflict-when")).toHaveTextContent(formatDateTime(OTHER_AT, "en"));
    expect(within(other).getByTestId("conflict-device")).toHaveTextContent(BORIS_DEVICE.slice(-8));

    // A tax id reads left to right; someone this database does not know is "someone".
    expect(within(within(globex).getByTestId("conflict-side-kept")).getByText("7701234567")).toHaveAttribute("dir", "ltr");
    expect(within(globex).getByTestId("conflict-field")).toHaveTextContent("Tax ID");
    const stranger = within(within(globex).getByTestId("conflict-side-other")).getByTestId("conflict-who");
    expect(stranger).toHaveTextContent("Someone");
    expect(within(stranger).getByText("Someone")).toHaveAttribute("title", "user-gone");

    for (const row of [acme, globex]) {
      expect(within(row).getByTestId("conflict-keep-kept")).toHaveTextContent("Keep this value");
      expect(within(row).getByTestId("conflict-keep-other")).toHaveTextContent("Keep this value");
      expect(within(row).getByTestId("conflict-enter-value")).toHaveTextContent("Enter another value");
    }
  });

  it("names a custom field by its label, also once it is retired", async () => {
    conflictCore([kindConflict({ field: "custom.region", kept: side({ value: "North" }), other: side({ value: "South" }) })]);
    const [acme] = await rows();
    await waitFor(() => expect(within(acme).getByTestId("conflict-field")).toHaveTextContent("Sales region"));
  });

  it("says in Persian who and when, with Persian digits and the Solar Hijri calendar", async () => {
    await act(() => i18n.changeLanguage("fa"));
    conflictCore([kindConflict()]);
    const [acme] = await rows();
    const kept = within(acme).getByTestId("conflict-side-kept");
    expect(within(kept).getByTestId("conflict-who")).toHaveTextContent("شما");
    expect(within(kept).getByTestId("conflict-when")).toHaveTextContent(formatDateTime(KEPT_AT, "fa"));
    expect(within(kept).getByTestId("conflict-when").textContent).toMatch(/۱۴۰۵/);
    expect(within(kept).getByTestId("conflict-value")).toHaveTextContent("مشتری بالقوه");
    expect(within(acme).getByTestId("conflict-field")).toHaveTextContent("نوع");
  });

  it("shows that nothing awaits a decision", async () => {
    conflictCore([]);
    expect(await screen.findByTestId("conflicts-empty")).toHaveTextContent("No conflicts to resolve");
    expect(screen.queryByTestId("conflict-row")).toBeNull();
  });

  it("keeps the current value at the record's version, then reads the list again", async () => {
    const user = userEvent.setup();
    const fake = conflictCore([kindConflict()]);
    const [acme] = await rows();
    await user.click(within(acme).getByTestId("conflict-keep-kept"));

    expect(await screen.findByTestId("conflicts-empty")).toBeInTheDocument();
    expect(fake.callsOf("customers.get_organisation")).toEqual([{ id: "org-1" }]);
    expect(fake.callsOf("sync.resolve_conflict")).toEqual([resolveInput("kind", "kept")]);
    expect(screen.getByTestId("conflicts-resolved")).toHaveTextContent("Resolved: Kind of Acme Ltd.");
  });

  it("keeps the other value", async () => {
    const user = userEvent.setup();
    const fake = conflictCore([kindConflict(), taxIdConflict()]);
    const [, globex] = await rows();
    await user.click(within(globex).getByTestId("conflict-keep-other"));

    await waitFor(() => expect(screen.getAllByTestId("conflict-row")).toHaveLength(1));
    expect(fake.callsOf("sync.resolve_conflict")).toEqual([resolveInput("tax_id", "other", "org-2")]);
  });

  it("offers the kinds for a value of one's own, and sends the chosen code", async () => {
    const user = userEvent.setup();
    const fake = conflictCore([kindConflict()]);
    const [acme] = await rows();
    await user.click(within(acme).getByTestId("conflict-enter-value"));

    const input = within(acme).getByTestId("conflict-value-input");
    expect(input.tagName).toBe("SELECT");
    expect(input).toHaveDisplayValue("Prospect");
    expect(within(input).getAllByRole("option").map((o) => o.textContent)).toEqual(["Customer", "Prospect", "Supplier", "Partner"]);
    await user.selectOptions(input, "Supplier");
    await user.click(within(acme).getByTestId("conflict-value-save"));

    expect(await screen.findByTestId("conflicts-empty")).toBeInTheDocument();
    expect(fake.callsOf("sync.resolve_conflict")).toEqual([resolveInput("kind", { value: "supplier" })]);
  });

  it("keeps a typed value's JSON type: text stays text, a number (in any digits) a number, empty is none", async () => {
    const user = userEvent.setup();
    const limit = kindConflict({ field: "credit_limit", kept: side({ value: 1000 }), other: side({ value: 2500, at: OTHER_AT }) });
    const fake = conflictCore([taxIdConflict(), limit, taxIdConflict({ row_id: "org-3", title: "Initech", kept: side({ value: null }) })]);
    const [globex, acme, initech] = await rows();

    await user.click(within(globex).getByTestId("conflict-enter-value"));
    const text = within(globex).getByTestId("conflict-value-input");
    expect(text).toHaveValue("7701234567");
    await user.clear(text);
    await user.type(text, "7700000001");
    await user.click(within(globex).getByTestId("conflict-value-save"));
    await waitFor(() => expect(fake.callsOf("sync.resolve_conflict")).toHaveLength(1));

    await user.click(within(acme).getByTestId("conflict-enter-value"));
    const number = within(acme).getByTestId("conflict-value-input");
    await user.clear(number);
    await user.type(number, "abc");
    await user.click(within(acme).getByTestId("conflict-value-save"));
    expect(within(acme).getByTestId("conflict-value-error")).toHaveTextContent("Enter a number.");
    await user.clear(number);
    await user.type(number, "۱۲۵۰");
    await user.click(within(acme).getByTestId("conflict-value-save"));
    await waitFor(() => expect(fake.callsOf("sync.resolve_conflict")).toHaveLength(2));

    await user.click(within(initech).getByTestId("conflict-enter-value"));
    await user.clear(within(initech).getByTestId("conflict-value-input"));
    await user.click(within(initech).getByTestId("conflict-value-save"));
    await waitFor(() => expect(fake.callsOf("sync.resolve_conflict")).toHaveLength(3));

    expect(fake.callsOf("sync.resolve_conflict")).toEqual([
      resolveInput("tax_id", { value: "7700000001" }, "org-2"),
      resolveInput("credit_limit", { value: 1250 }),
      resolveInput("tax_id", { value: null }, "org-3"),
    ]);
  });

  it("shows a value that does not fit under the input, and keeps the conflict listed", async () => {
    const user = userEvent.setup();
    conflictCore([taxIdConflict()], {
      resolve: () => {
        throw apiError("invalid_input", { value: { code: "invalid_value", message: "does not fit" } });
      },
    });
    const [globex] = await rows();
    await user.click(within(globex).getByTestId("conflict-enter-value"));
    await user.type(within(globex).getByTestId("conflict-value-input"), "x");
    await user.click(within(globex).getByTestId("conflict-value-save"));

    expect(await within(globex).findByTestId("conflict-value-error")).toHaveTextContent("This value is not valid.");
    expect(within(globex).getByTestId("conflict-value-input")).toHaveAttribute("aria-invalid", "true");
    expect(within(globex).queryByTestId("conflict-error")).toBeNull();
    expect(screen.getAllByTestId("conflict-row")).toHaveLength(1);
  });

  it("says a conflict resolved elsewhere was resolved already, and reads the list again", async () => {
    const user = userEvent.setup();
    let elsewhere: ConflictView[] = [kindConflict(), taxIdConflict()];
    const fake = fakeTransport({
      "session.get": () => RESOLVER,
      "customers.get_organisation": ({ id }) => ({ organisation: organisation({ id, version: 7 }), contacts: [], relations: [] }),
      "sync.list_conflicts": () => ({ conflicts: elsewhere }),
      "sync.resolve_conflict": () => {
        // Resolved on another computer meanwhile; this sync brought the news.
        elsewhere = [taxIdConflict()];
        const error: ApiError = apiError("conflict", {}, "This conflict was resolved already.");
        throw error;
      },
    });
    render(<App transport={fake.transport} initialRoute={{ screen: "conflicts", record: null }} />);
    const [acme] = await rows();
    await user.click(within(acme).getByTestId("conflict-keep-other"));

    expect(await screen.findByTestId("conflicts-resolved-elsewhere")).toHaveTextContent("already resolved, here or on another computer");
    await waitFor(() => expect(screen.getAllByTestId("conflict-row")).toHaveLength(1));
    expect(screen.getByTestId("conflict-row")).toHaveAttribute("data-field", "tax_id");
  });

  it("keeps an older value of a third device as a value, since the core's “other” is the newest", async () => {
    const user = userEvent.setup();
    const older = kindConflict({ other: side({ value: "supplier", actor_id: "user-boris", actor_name: "Boris", at: KEPT_AT }) });
    const fake = conflictCore([kindConflict(), older]);
    const [acme] = await rows();
    const others = within(acme).getAllByTestId("conflict-side-other");
    expect(others.map((o) => within(o).getByTestId("conflict-value").textContent)).toEqual(["Partner", "Supplier"]);

    await user.click(within(others[1]).getByTestId("conflict-keep-other"));
    await screen.findByTestId("conflicts-empty");
    expect(fake.callsOf("sync.resolve_conflict")).toEqual([resolveInput("kind", { value: "supplier" })]);
  });

  it("opens the organisation's card from its title", async () => {
    const user = userEvent.setup();
    conflictCore([kindConflict()]);
    const [acme] = await rows();
    await user.click(within(acme).getByTestId("conflict-record-link"));
    expect(await screen.findByTestId("org-card-name")).toHaveTextContent("Acme Ltd");
    expect(screen.getByTestId("org-card")).toHaveAttribute("data-id", "org-1");
  });
});

describe("the conflicts badge", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("counts the fields awaiting a decision on the navigation item, and goes when they are decided", async () => {
    const user = userEvent.setup();
    const older = kindConflict({ other: side({ value: "supplier", at: KEPT_AT }) });
    conflictCore([kindConflict(), older, taxIdConflict()], { route: { screen: "customers", view: { kind: "list" } } });

    const badge = await screen.findByTestId("nav-conflicts-badge");
    // Two values not applied to Acme's kind are one decision.
    expect(badge).toHaveTextContent("2");
    expect(badge).toHaveAttribute("title", "2 conflicts to resolve");

    await user.click(screen.getByTestId("nav-conflicts"));
    expect(screen.getByTestId("nav-conflicts")).toHaveAttribute("aria-current", "page");
    const [acme] = await rows();
    await user.click(within(acme).getByTestId("conflict-keep-kept"));
    await waitFor(() => expect(screen.getByTestId("nav-conflicts-badge")).toHaveTextContent("1"));
    await user.click(within(screen.getByTestId("conflict-row")).getByTestId("conflict-keep-kept"));
    await screen.findByTestId("conflicts-empty");
    expect(screen.queryByTestId("nav-conflicts-badge")).toBeNull();
  });

  it("is hidden, as is the screen, for someone without sync.resolve, who is never refused a list", async () => {
    const fake = conflictCore([kindConflict()], { session: NO_RESOLVE });
    // The conflicts screen left open shows the list instead.
    expect(await screen.findByTestId("customers-list")).toBeInTheDocument();
    expect(screen.queryByTestId("nav-conflicts")).toBeNull();
    expect(screen.queryByTestId("conflicts-screen")).toBeNull();
    expect(fake.callsOf("sync.list_conflicts")).toEqual([]);
  });

  it("shows nothing while there are no conflicts, then the ones a sync brought, on focus and every 30 s", async () => {
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    const fake = conflictCore([], { route: { screen: "customers", view: { kind: "list" } } });
    await screen.findByTestId("nav-conflicts");
    await waitFor(() => expect(fake.callsOf("sync.list_conflicts")).toHaveLength(1));
    expect(screen.queryByTestId("nav-conflicts-badge")).toBeNull();

    fake.arrive([kindConflict()]);
    fireEvent.focus(window);
    expect(await screen.findByTestId("nav-conflicts-badge")).toHaveTextContent("1");

    fake.arrive([taxIdConflict()]);
    await act(() => vi.advanceTimersByTime(BADGE_REFRESH_MS));
    await waitFor(() => expect(screen.getByTestId("nav-conflicts-badge")).toHaveTextContent("2"));
    expect(fake.callsOf("sync.list_conflicts")).toHaveLength(3);
  });
});

describe("conflicts on the organisation card", () => {
  const CARD: Route = { screen: "customers", view: { kind: "card", id: "org-1" } };

  it("tells of the record's open conflicts and leads to them alone", async () => {
    const user = userEvent.setup();
    const fake = conflictCore([kindConflict(), taxIdConflict()], { route: CARD });
    const notice = await screen.findByTestId("record-conflicts-notice");
    expect(notice).toHaveTextContent("1 field of this record has conflicting offline changes");
    expect(fake.callsOf("sync.list_conflicts")).toContainEqual({ table: "organisations", row_id: "org-1" });

    await user.click(within(notice).getByTestId("record-conflicts-resolve"));
    expect(await screen.findByTestId("conflicts-screen")).toBeInTheDocument();
    const [acme] = await rows();
    expect(acme).toHaveAttribute("data-row-id", "org-1");
    expect(screen.getAllByTestId("conflict-row")).toHaveLength(1);

    await user.click(screen.getByTestId("conflicts-show-all"));
    await waitFor(() => expect(screen.getAllByTestId("conflict-row")).toHaveLength(2));
  });

  it("shows no notice for a record without conflicts", async () => {
    const fake = conflictCore([taxIdConflict()], { route: CARD });
    await screen.findByTestId("org-card-name");
    await waitFor(() => expect(fake.callsOf("sync.list_conflicts")).toContainEqual({ table: "organisations", row_id: "org-1" }));
    await waitFor(() => expect(screen.getByTestId("nav-conflicts-badge")).toHaveTextContent("1"));
    expect(screen.queryByTestId("record-conflicts-notice")).toBeNull();
  });

  it("does not ask for the card's conflicts without sync.resolve", async () => {
    const fake = conflictCore([kindConflict()], { route: CARD, session: NO_RESOLVE });
    await screen.findByTestId("org-card-name");
    expect(screen.queryByTestId("record-conflicts-notice")).toBeNull();
    expect(fake.callsOf("sync.list_conflicts")).toEqual([]);
  });
});

describe("the command palette", () => {
  it("opens the conflicts screen for who may resolve them", async () => {
    const user = userEvent.setup();
    conflictCore([kindConflict()], { route: { screen: "customers", view: { kind: "list" } } });
    await user.click(await screen.findByTestId("global-search"));
    await user.click(await screen.findByTestId("palette-command-conflicts"));
    expect(await screen.findByTestId("conflicts-screen")).toBeInTheDocument();
  });
});

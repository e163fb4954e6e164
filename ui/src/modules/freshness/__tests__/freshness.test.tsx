import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { ConfirmRecordInput, SessionStatus, StaleKind, StaleList, StaleRecord, StaleRecordsInput } from "../../../api/generated";
import { App } from "../../../app/App";
import type { Route } from "../../../app/navigation";
import { i18n } from "../../../i18n";
import { formatDate, formatNumber } from "../../../shared/format";
import { apiError, emptyPage, fakeTransport, organisation, signedIn } from "../../../test/fakeTransport";

// Ids are UUIDs, as the core's are.
const ROMASHKA = "0198a000-0000-7000-8000-000000000001";
const GLOBEX = "0198a000-0000-7000-8000-000000000002";
const INITECH = "0198a000-0000-7000-8000-000000000003";
const ANNA_C = "0198c000-0000-7000-8000-000000000001";
const ORG_OF_ANNA = "0198a000-0000-7000-8000-0000000000aa";

const ANNA = { id: "user-anna", display_name: "Anna Petrova" };
const READ = ["customers.read", "search.query", "fields.read", "security.directory"];
const SALES = signedIn({ ...ANNA, permissions: [...READ, "customers.write"] });
const READER = signedIn({ ...ANNA, permissions: READ });
const WITHOUT_CUSTOMERS = signedIn({ ...ANNA, permissions: ["session.use", "preferences.own"] });

function stale(overrides: Partial<StaleRecord> & Pick<StaleRecord, "id" | "title">): StaleRecord {
  return { table: "organisations", version: 3, confirmed_at: null, created_at: "2024-03-01T09:00:00Z", ...overrides };
}

/** Oldest first, as the core lists them: never confirmed and added long ago, then confirmed long ago. */
const ORGANISATIONS: StaleRecord[] = [
  stale({ id: ROMASHKA, title: "Ромашка", created_at: "2023-01-10T09:00:00Z" }),
  stale({ id: GLOBEX, title: "Globex", version: 7, confirmed_at: "2024-02-01T09:00:00Z", created_at: "2022-05-01T09:00:00Z" }),
  stale({ id: INITECH, title: "Initech", created_at: "2024-06-15T09:00:00Z" }),
];
const CONTACTS: StaleRecord[] = [stale({ table: "contacts", id: ANNA_C, title: "Anna Ivanova", version: 2, created_at: "2024-09-01T09:00:00Z" })];

type Core = {
  session?: SessionStatus;
  organisations?: StaleRecord[];
  contacts?: StaleRecord[];
  /** Stale organisations beyond those the core lists (it lists the oldest `limit`). */
  moreOrganisations?: number;
  route?: Route;
  confirm?: (input: ConfirmRecordInput) => void;
};

/** A fake core whose confirmations really take records off its list of stale ones. */
function freshnessCore({ session = SALES, organisations = ORGANISATIONS, contacts = CONTACTS, moreOrganisations = 0, route, confirm }: Core = {}) {
  const state = { organisations: [...organisations], contacts: [...contacts], more: moreOrganisations };
  const kind = (table: "organisations" | "contacts", limit: number): StaleKind => {
    const records = state[table];
    const months = table === "organisations" ? 12 : 6;
    return { table, months, count: records.length + (table === "organisations" ? state.more : 0), records: records.slice(0, limit) };
  };
  const fake = fakeTransport({
    "session.get": () => session,
    "customers.list_organisations": () => emptyPage,
    "security.list_colleagues": () => ({ users: [], departments: [] }),
    "fields.list": () => ({ targets: [], link_targets: [], fields: [] }),
    "history.record": () => ({ entries: [] }),
    "freshness.rules": () => ({
      rules: [
        { table: "organisations", months: 12, set: false },
        { table: "contacts", months: 6, set: true },
      ],
    }),
    "freshness.stale": ({ table, limit = 100 }: StaleRecordsInput): StaleList => {
      const kinds = (["organisations", "contacts"] as const).filter((t) => !table || t === table).map((t) => kind(t, limit));
      return { kinds, total: kinds.reduce((sum, k) => sum + k.count, 0) };
    },
    "freshness.confirm": (input) => {
      confirm?.(input);
      const table = input.table as "organisations" | "contacts";
      const record = state[table].find((r) => r.id === input.id);
      if (!record) throw apiError("not_found");
      if (record.version !== input.version) throw apiError("conflict");
      state[table] = state[table].filter((r) => r.id !== input.id);
      return { id: input.id, version: input.version + 1, confirmed_at: "2026-12-10T09:00:00Z" };
    },
    "customers.get_organisation": ({ id }) => ({ organisation: organisation({ id, name: id === ORG_OF_ANNA ? "Anna's employer" : "Ромашка" }), contacts: [], relations: [] }),
    "customers.get_contact": ({ id }) => ({
      id,
      organisation_id: ORG_OF_ANNA,
      first_name: "Anna",
      last_name: "Ivanova",
      full_name: "Anna Ivanova",
      role: null,
      email: null,
      phone: null,
      notes: null,
      custom: {},
      version: 2,
      created_at: "2024-09-01T09:00:00Z",
      updated_at: "2024-09-01T09:00:00Z",
      created_by: "user-anna",
      updated_by: "user-anna",
      archived_at: null,
      owner_id: "user-anna",
      department_id: null,
      confirmed_at: null,
    }),
  });
  render(<App transport={fake.transport} initialRoute={route} />);
  return Object.assign(fake, { state });
}

async function openScreen() {
  const user = userEvent.setup();
  await user.click(await screen.findByTestId("nav-freshness"));
  await screen.findByTestId("freshness-screen");
  await screen.findByTestId("stale-kind-organisations");
  return user;
}

const rowIds = (table: string) =>
  within(screen.getByTestId(`stale-kind-${table}`))
    .queryAllByTestId(/^stale-row-/)
    .map((row) => row.dataset.id);

describe("needs confirmation: the screen", () => {
  it("lists one's stale records per kind, oldest first, with when each was confirmed, the kind's months and the count", async () => {
    freshnessCore({ moreOrganisations: 337 });
    await openScreen();
    expect(screen.getByTestId("nav-freshness")).toHaveAttribute("aria-current", "page");

    expect(rowIds("organisations")).toEqual([ROMASHKA, GLOBEX, INITECH]);
    expect(rowIds("contacts")).toEqual([ANNA_C]);
    // Not all are listed: how many there are in all.
    expect(screen.getByTestId("stale-count-organisations")).toHaveTextContent("Showing 3 of 340");
    expect(screen.getByTestId("stale-count-contacts")).toHaveTextContent("1 contact");
    expect(screen.getByTestId("stale-rule-organisations")).toHaveTextContent("Confirmed every 12 months");
    expect(screen.getByTestId("stale-rule-contacts")).toHaveTextContent("Confirmed every 6 months");

    const romashka = screen.getByTestId(`stale-row-${ROMASHKA}`);
    expect(romashka).toHaveTextContent("Ромашка");
    expect(romashka).toHaveTextContent(`Never (added ${formatDate("2023-01-10T09:00:00Z", "en")})`);
    const globex = screen.getByTestId(`stale-row-${GLOBEX}`);
    expect(globex).toHaveTextContent(formatDate("2024-02-01T09:00:00Z", "en"));
    expect(globex).not.toHaveTextContent("Never");
  });

  it("confirms a record with one click at the version listed: it leaves the list, and the counts and the badge go down", async () => {
    const fake = freshnessCore({ moreOrganisations: 337 });
    const user = await openScreen();
    expect(await screen.findByTestId("nav-freshness-count")).toHaveTextContent("341");

    await user.click(screen.getByTestId(`stale-confirm-${GLOBEX}`));
    expect(fake.callsOf("freshness.confirm")).toEqual([{ table: "organisations", id: GLOBEX, version: 7 }]);
    await waitFor(() => expect(screen.queryByTestId(`stale-row-${GLOBEX}`)).toBeNull());
    expect(rowIds("organisations")).toEqual([ROMASHKA, INITECH]);
    expect(screen.getByTestId("stale-confirmed")).toHaveTextContent("The data of Globex was confirmed as current.");
    await waitFor(() => expect(screen.getByTestId("stale-count-organisations")).toHaveTextContent("Showing 2 of 339"));
    await waitFor(() => expect(screen.getByTestId("nav-freshness-count")).toHaveTextContent("340"));
    // The focus moves on to the next row's Confirm.
    await waitFor(() => expect(screen.getByTestId(`stale-confirm-${INITECH}`)).toHaveFocus());
  });

  it("says when all of one's customer data is current, and the badge says nothing", async () => {
    const fake = freshnessCore({ organisations: [], contacts: [] });
    await userEvent.click(await screen.findByTestId("nav-freshness"));
    expect(await screen.findByTestId("freshness-empty")).toHaveTextContent("All your customer data is current.");
    expect(screen.queryByTestId("stale-kind-organisations")).toBeNull();
    await waitFor(() => expect(fake.callsOf("freshness.stale").length).toBeGreaterThanOrEqual(2));
    expect(screen.queryByTestId("nav-freshness-count")).toBeNull();
  });

  it("empties the list as the last records are confirmed", async () => {
    const fake = freshnessCore({ organisations: [ORGANISATIONS[0]], contacts: [] });
    const user = await openScreen();
    await user.click(screen.getByTestId(`stale-confirm-${ROMASHKA}`));
    expect(await screen.findByTestId("freshness-empty")).toBeInTheDocument();
    expect(fake.callsOf("freshness.confirm")).toEqual([{ table: "organisations", id: ROMASHKA, version: 3 }]);
    await waitFor(() => expect(screen.queryByTestId("nav-freshness-count")).toBeNull());
  });

  it("reads the list again when a record changed since it was listed, and says so", async () => {
    let first = true;
    const fake = freshnessCore({
      confirm: (input) => {
        if (first) {
          first = false;
          // Someone changed Globex after the list was read.
          fake.state.organisations = fake.state.organisations.map((r) => (r.id === input.id ? { ...r, version: 8 } : r));
        }
      },
    });
    const user = await openScreen();
    const reads = fake.callsOf("freshness.stale").length;
    await user.click(screen.getByTestId(`stale-confirm-${GLOBEX}`));
    expect(await screen.findByTestId("stale-error")).toHaveTextContent("Globex was changed meanwhile; the list has been read again.");
    await waitFor(() => expect(fake.callsOf("freshness.stale").length).toBeGreaterThan(reads));
    expect(screen.getByTestId(`stale-row-${GLOBEX}`)).toBeInTheDocument();

    // Confirmed again, at the version read now.
    await user.click(screen.getByTestId(`stale-confirm-${GLOBEX}`));
    await waitFor(() => expect(screen.queryByTestId(`stale-row-${GLOBEX}`)).toBeNull());
    expect(fake.callsOf("freshness.confirm").map((c) => c.version)).toEqual([7, 8]);
  });

  it("opens the card that shows a record: an organisation's own, a contact's organisation's", async () => {
    const fake = freshnessCore();
    const user = await openScreen();
    await user.click(screen.getByTestId(`stale-open-${ROMASHKA}`));
    expect(await screen.findByTestId("org-card")).toBeInTheDocument();
    expect(fake.callsOf("customers.get_organisation")).toEqual([{ id: ROMASHKA }]);

    await user.click(screen.getByTestId("nav-freshness"));
    await user.click(await screen.findByTestId(`stale-open-${ANNA_C}`));
    expect(await screen.findByTestId("org-card-name")).toHaveTextContent("Anna's employer");
    expect(fake.callsOf("customers.get_contact")).toEqual([{ id: ANNA_C }]);
  });
});

describe("needs confirmation: who may", () => {
  it("lists but offers no Confirm to who may read customers but not change them", async () => {
    const fake = freshnessCore({ session: READER });
    await openScreen();
    expect(rowIds("organisations")).toEqual([ROMASHKA, GLOBEX, INITECH]);
    expect(screen.queryByTestId(`stale-confirm-${ROMASHKA}`)).toBeNull();
    expect(fake.callsOf("freshness.confirm")).toEqual([]);
  });

  it("is not offered to who may not read customers, and nothing of it is asked for", async () => {
    const fake = freshnessCore({ session: WITHOUT_CUSTOMERS });
    await waitFor(() => expect(fake.callsOf("customers.list_organisations").length).toBeGreaterThan(0));
    expect(screen.queryByTestId("nav-freshness")).toBeNull();
    expect(fake.callsOf("freshness.stale")).toEqual([]);
  });

  it("falls back to the list for the next person when the screen was left open", async () => {
    freshnessCore({ session: WITHOUT_CUSTOMERS, route: { screen: "freshness" } });
    expect(await screen.findByTestId("customers-list")).toBeInTheDocument();
    expect(screen.queryByTestId("freshness-screen")).toBeNull();
  });

  it("is a command of the palette", async () => {
    const user = userEvent.setup();
    freshnessCore();
    await screen.findByTestId("nav-freshness");
    await user.click(screen.getByTestId("global-search"));
    await user.type(await screen.findByTestId("palette-input"), "confirm");
    await user.click(await screen.findByTestId("palette-command-freshness"));
    expect(await screen.findByTestId("freshness-screen")).toBeInTheDocument();
  });
});

describe("needs confirmation: the badge", () => {
  it("shows how many of one's records await confirmation, asking for one record per kind", async () => {
    const fake = freshnessCore({ moreOrganisations: 1200 });
    const badge = await screen.findByTestId("nav-freshness-count");
    expect(badge).toHaveTextContent(formatNumber(1204, "en"));
    expect(badge).toHaveAttribute("title", `${formatNumber(1204, "en")} of your records need their data confirmed`);
    expect(fake.callsOf("freshness.stale")).toEqual([{ limit: 1 }]);
  });
});

describe("needs confirmation: in Persian", () => {
  it("reads right to left, with Persian words, digits and Solar Hijri dates, and without errors", async () => {
    const errors = vi.spyOn(console, "error");
    window.localStorage.setItem("accord.language", "fa");
    await i18n.changeLanguage("fa");
    freshnessCore({ moreOrganisations: 337 });
    expect(document.documentElement).toHaveAttribute("dir", "rtl");
    expect(await screen.findByTestId("nav-freshness")).toHaveTextContent("نیازمند تأیید");
    expect(await screen.findByTestId("nav-freshness-count")).toHaveTextContent("۳۴۱");
    await openScreen();
    expect(screen.getByTestId("stale-count-organisations")).toHaveTextContent("نمایش ۳ از ۳۴۰");
    expect(screen.getByTestId(`stale-row-${ROMASHKA}`)).toHaveTextContent(`هرگز (افزوده‌شده در ${formatDate("2023-01-10T09:00:00Z", "fa")})`);
    expect(formatDate("2023-01-10T09:00:00Z", "fa")).toMatch(/۱۴۰۱/);
    expect(screen.getByTestId(`stale-confirm-${ROMASHKA}`)).toHaveTextContent("تأیید");
    expect(errors).not.toHaveBeenCalled();
    errors.mockRestore();
  });
});

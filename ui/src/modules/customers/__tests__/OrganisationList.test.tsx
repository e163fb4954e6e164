import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { App } from "../../../app/App";
import type { OrganisationPage } from "../../../api/generated";
import { i18n } from "../../../i18n";
import { formatNumber } from "../../../shared/format";
import { deferred, fakeTransport, listCore, organisation, page, row } from "../../../test/fakeTransport";
import { ROW_HEIGHT } from "../components/OrganisationList";

// jsdom has no layout: give the scroll container a viewport of 20 rows.
const VIEWPORT = 640;
let restore: () => void;
beforeAll(() => {
  const original = Object.getOwnPropertyDescriptor(HTMLElement.prototype, "clientHeight");
  Object.defineProperty(HTMLElement.prototype, "clientHeight", {
    configurable: true,
    get() {
      return (this as HTMLElement).dataset.testid === "customers-list" ? VIEWPORT : 0;
    },
  });
  restore = () => {
    if (original) Object.defineProperty(HTMLElement.prototype, "clientHeight", original);
  };
});
afterAll(() => restore());

function pagedTransport() {
  return fakeTransport({ "customers.list_organisations": listCore(600) });
}

/** An attribute that must be an epoch time in milliseconds, taken about now. */
function expectEpochMs(value: string | null) {
  const ms = Number(value);
  expect(Number.isFinite(ms)).toBe(true);
  expect(Math.abs(ms - Date.now())).toBeLessThan(60_000);
}

function scrollTo(list: HTMLElement, top: number) {
  Object.defineProperty(list, "scrollTop", { configurable: true, value: top, writable: true });
  fireEvent.scroll(list);
}

/** The height the virtualiser gives the list: its count of rows, read or not. */
function rowsSized(list: HTMLElement) {
  return parseFloat((list.firstElementChild as HTMLElement).style.height) / ROW_HEIGHT;
}

async function readyList() {
  const list = await screen.findByTestId("customers-list");
  await waitFor(() => expect(list).toHaveAttribute("data-ready", "true"));
  return list;
}

describe("customers list", () => {
  it("renders the first page, then asks for the next page with the cursor when scrolled near the end", async () => {
    const fake = pagedTransport();
    render(<App transport={fake.transport} />);

    const list = await screen.findByTestId("customers-list");
    await waitFor(() => expect(list).toHaveAttribute("data-ready", "true"));
    expectEpochMs(list.getAttribute("data-ready-at"));
    const readyAt = list.getAttribute("data-ready-at");
    const rows = within(list).getAllByTestId("org-row");
    expect(rows.length).toBeGreaterThan(15);
    expect(rows.length).toBeLessThan(60); // virtualised: only what is visible plus overscan
    expect(rows[0]).toHaveTextContent("Organisation 0000");
    expect(rows[0]).toHaveAttribute("data-id", "org-0");

    expect(fake.callsOf("customers.list_organisations")).toEqual([
      { sort: "name", direction: "asc", limit: 200, archived: false },
    ]);

    // Half way down the first page: still far from the end.
    scrollTo(list, 80 * 32);
    await act(async () => {});
    expect(fake.callsOf("customers.list_organisations")).toHaveLength(1);

    // Within two screens of the end: the next page is requested with `after`.
    scrollTo(list, 170 * 32);
    await waitFor(() => expect(fake.callsOf("customers.list_organisations")).toHaveLength(2));
    expect(fake.callsOf("customers.list_organisations")[1]).toMatchObject({ after: "c-199", limit: 200 });
    await waitFor(() => expect(within(list).getByText("Organisation 0185")).toBeInTheDocument());
    expect(screen.getByText("About 600 organisations")).toBeInTheDocument();
    // Set once, when the list first became ready.
    expect(list).toHaveAttribute("data-ready-at", readyAt);
  });

  it("drops far pages while scrolling down and reads them again with `before` when scrolling back up", async () => {
    const fake = fakeTransport({ "customers.list_organisations": listCore(3000) });
    const calls = () => fake.callsOf("customers.list_organisations");
    render(<App transport={fake.transport} />);
    const list = await screen.findByTestId("customers-list");
    await waitFor(() => expect(list).toHaveAttribute("data-ready", "true"));

    // Down to row 1,790 (nine pages read): only six pages' rows stay loaded.
    for (let page = 1; page < 9; page++) {
      scrollTo(list, (page * 200 - 10) * 32);
      await waitFor(() => expect(calls()).toHaveLength(page + 1));
      await waitFor(() => expect(within(list).getByText(`Organisation ${String(page * 200 - 10).padStart(4, "0")}`)).toBeInTheDocument());
    }
    expect(calls().every((c) => c.before === undefined)).toBe(true);
    const rendered = within(list).getAllByTestId("org-row");
    expect(rendered.length).toBeLessThan(60);

    // Back up to the top: the dropped pages come back one by one, by cursor, and nothing else is read.
    const down = calls().length;
    scrollTo(list, 0);
    await waitFor(() => expect(within(list).getAllByTestId("org-row")[0]).toHaveTextContent("Organisation 0000"));
    const up = calls().slice(down);
    expect(up.map((c) => c.before)).toEqual(["c-600", "c-400", "c-200"]);
    expect(within(list).queryAllByTestId("org-row-placeholder")).toHaveLength(0);
  });

  it("shows search hits while text is typed, and ignores a stale answer", async () => {
    const user = userEvent.setup();
    const answers: Record<string, ReturnType<typeof deferred<OrganisationPage>>> = {};
    const core = listCore(600);
    const fake = fakeTransport({
      "customers.list_organisations": (input) => {
        if (input.text === undefined) return core(input);
        answers[input.text] = deferred<OrganisationPage>();
        return answers[input.text].promise;
      },
    });
    const searches = () => fake.callsOf("customers.list_organisations").filter((i) => i.text !== undefined);
    render(<App transport={fake.transport} />);
    const list = await screen.findByTestId("customers-list");
    await waitFor(() => expect(list).toHaveAttribute("data-ready", "true"));

    const search = screen.getByTestId("customers-search");
    await user.type(search, "ac");
    await waitFor(() => expect(answers.ac).toBeDefined());
    await user.type(search, "me");
    await waitFor(() => expect(answers.acme).toBeDefined());
    expect(searches().at(-1)).toEqual({ sort: "name", direction: "asc", archived: false, limit: 100, text: "acme" });
    // Debounced: no request for "acm".
    expect(searches().map((i) => i.text)).toEqual(["ac", "acme"]);

    await act(async () => answers.acme.resolve(page([row(1, { name: "Acme Ltd" }), row(2, { name: "Acme Trading" })])));
    await act(async () => answers.ac.resolve(page([row(9, { name: "Stale result" })])));

    await waitFor(() => expect(list).toHaveAttribute("data-results-for", "acme"));
    expectEpochMs(list.getAttribute("data-results-at"));
    const rows = within(list).getAllByTestId("org-row");
    expect(rows.map((r) => r.textContent)).toEqual([expect.stringContaining("Acme Ltd"), expect.stringContaining("Acme Trading")]);
    expect(within(list).queryByText("Stale result")).toBeNull();
    expect(screen.getByText("Results: 2")).toBeInTheDocument();

    // Keyboard: ArrowDown selects the second hit.
    await user.keyboard("{ArrowDown}");
    expect(rows[1]).toHaveAttribute("aria-selected", "true");

    // Clearing the text brings the list back.
    await user.clear(search);
    await waitFor(() => expect(within(list).getAllByTestId("org-row")[0]).toHaveTextContent("Organisation 0000"));
    expect(list).not.toHaveAttribute("data-results-for");
    expect(list).not.toHaveAttribute("data-results-at");
  });

  it("shows each hit's fields in the list's own columns, under the same filter as the list", async () => {
    const user = userEvent.setup();
    const acme = row(1, { name: "Acme Ltd", kind: "supplier", tax_id: "7701234567", email: "info@acme.example", phone: "+74951234567", city: "Kazan" });
    const old = row(2, { name: "Acme Old", kind: "partner", tax_id: null, email: null, phone: "+74957654321", city: null });
    const fake = fakeTransport({
      "customers.list_organisations": (input) =>
        input.text === undefined ? page([row(0, { tax_id: "7700000000" })]) : page(input.archived ? [old] : [acme]),
    });
    render(<App transport={fake.transport} />);
    const list = await screen.findByTestId("customers-list");
    await waitFor(() => expect(list).toHaveAttribute("data-ready", "true"));

    await user.type(screen.getByTestId("customers-search"), "acme");
    await waitFor(() => expect(list).toHaveAttribute("data-results-for", "acme"));
    const first = within(list).getByTestId("org-row");
    expect(first).toHaveAttribute("data-id", "org-1");
    // Name, kind, tax id, email, phone, city: the phone is under Phone, not under Kind.
    const cells = [...first.children];
    expect(cells.map((c) => c.textContent)).toEqual(["Acme Ltd", "Supplier", "7701234567", "info@acme.example", "+7 495 123 45 67", "Kazan"]);
    const heads = [...document.querySelector(".table-head")!.children].map((h) => h.textContent);
    expect(heads).toEqual(["Name", "Kind", "Tax ID", "Email", "Phone", "City"]);

    // "Show archived" searches the archived ones, as it lists them.
    await user.click(screen.getByRole("checkbox", { name: "Show archived" }));
    await waitFor(() => expect(within(list).getByTestId("org-row")).toHaveAttribute("data-id", "org-2"));
    expect(fake.callsOf("customers.list_organisations").at(-1)).toEqual({
      sort: "name",
      direction: "asc",
      archived: true,
      limit: 100,
      text: "acme",
    });
    const oldCells = [...within(list).getByTestId("org-row").children].map((c) => c.textContent);
    expect(oldCells).toEqual(["Acme Old", "Partner", "", "", "+7 495 765 43 21", ""]);

    // Hit rows keep keyboard navigation: Enter opens the selected one.
    await user.click(screen.getByTestId("customers-search"));
    await user.keyboard("{Enter}");
    await waitFor(() => expect(fake.callsOf("customers.get_organisation")).toEqual([{ id: "org-2" }]));
  });

  it("keeps its place and the selected row after a save, reading the loaded pages again in place", async () => {
    const user = userEvent.setup();
    const core = listCore(600);
    const renamed = new Map<string, string>();
    const fake = fakeTransport({
      "customers.list_organisations": (input) => {
        const p = core(input);
        return { ...p, items: p.items.map((r) => (renamed.has(r.id) ? { ...r, name: renamed.get(r.id)! } : r)) };
      },
      "customers.get_organisation": ({ id }) => ({
        organisation: organisation({ id, name: renamed.get(id) ?? "Organisation 0185", version: 2 }),
        contacts: [],
        relations: [],
      }),
      "customers.update_organisation": ({ id, changes }) => {
        renamed.set(id, changes.name!);
        return { organisation: organisation({ id, name: changes.name!, version: 3 }), duplicates: [] };
      },
    });
    render(<App transport={fake.transport} />);
    const list = await screen.findByTestId("customers-list");
    await waitFor(() => expect(list).toHaveAttribute("data-ready", "true"));
    scrollTo(list, 170 * 32);
    await waitFor(() => expect(fake.callsOf("customers.list_organisations")).toHaveLength(2));
    await user.click(await within(list).findByText("Organisation 0185"));

    // Edit and save the organisation from its card.
    await user.click(await screen.findByTestId("org-edit"));
    const name = await screen.findByTestId("org-field-name");
    await user.clear(name);
    await user.type(name, "Organisation 0185 Renamed");
    const before = fake.callsOf("customers.list_organisations").length;
    await user.click(screen.getByTestId("org-save"));
    await screen.findByTestId("org-card");

    // Both loaded pages are read again, from the same first page: not a reset to the top.
    await waitFor(() => expect(fake.callsOf("customers.list_organisations").length).toBe(before + 2));
    expect(fake.callsOf("customers.list_organisations").slice(before)).toEqual([
      { sort: "name", direction: "asc", archived: false, limit: 200 },
      { sort: "name", direction: "asc", archived: false, limit: 200, after: "c-199" },
    ]);

    await user.click(screen.getByRole("button", { name: /Back to the list/ }));
    const selected = await within(list).findByRole("option", { selected: true });
    expect(selected).toHaveAttribute("data-id", "org-185");
    expect(selected).toHaveTextContent("Organisation 0185 Renamed");
    expect(list.scrollTop).toBe(170 * 32);
    expect(screen.getByText("About 600 organisations")).toBeInTheDocument();
  });

  it("goes back to where the list was when the search box is cleared", async () => {
    const user = userEvent.setup();
    const core = listCore(600);
    const fake = fakeTransport({
      "customers.list_organisations": (input) => (input.text === undefined ? core(input) : page([row(7, { name: "Acme Ltd" })])),
    });
    render(<App transport={fake.transport} />);
    const list = await screen.findByTestId("customers-list");
    await waitFor(() => expect(list).toHaveAttribute("data-ready", "true"));
    scrollTo(list, 170 * 32);
    await user.click(await within(list).findByText("Organisation 0180"));
    await user.click(screen.getByRole("button", { name: /Back to the list/ }));

    const search = screen.getByTestId("customers-search");
    await user.type(search, "acme");
    await waitFor(() => expect(list).toHaveAttribute("data-results-for", "acme"));
    expect(within(list).getByRole("option", { selected: true })).toHaveAttribute("data-id", "org-7");
    list.scrollTop = 0;

    await user.clear(search);
    await waitFor(() => expect(within(list).getByRole("option", { selected: true })).toHaveAttribute("data-id", "org-180"));
    expect(list.scrollTop).toBe(170 * 32);
  });

  it("is as long as the core's estimate, shows placeholders past the rows read until their page comes, and takes the real count at the end", async () => {
    const core = listCore(450, { estimate: 1000 });
    const held: (() => void)[] = [];
    const fake = fakeTransport({
      "customers.list_organisations": (input) =>
        input.after === undefined ? core(input) : new Promise<OrganisationPage>((resolve) => held.push(() => resolve(core(input)))),
    });
    render(<App transport={fake.transport} />);
    const list = await readyList();
    expect(rowsSized(list)).toBe(1000);
    expect(screen.getByText("About 1,000 organisations")).toBeInTheDocument();

    // Scrolled past the 200 rows read: placeholders at once, and the next page is asked for.
    scrollTo(list, 250 * ROW_HEIGHT);
    await waitFor(() => expect(held).toHaveLength(1));
    expect(within(list).queryAllByTestId("org-row")).toHaveLength(0);
    expect(within(list).getAllByTestId("org-row-placeholder").length).toBeGreaterThan(15);
    await act(async () => held.shift()!());
    await waitFor(() => expect(within(list).getAllByTestId("org-row")[0]).toHaveTextContent("Organisation 0238"));
    expect(within(list).queryAllByTestId("org-row-placeholder")).toHaveLength(0);
    expect(rowsSized(list)).toBe(1000);

    // The last page: its real count replaces the estimate.
    scrollTo(list, 430 * ROW_HEIGHT);
    await waitFor(() => expect(held).toHaveLength(1));
    await act(async () => held.shift()!());
    await waitFor(() => expect(rowsSized(list)).toBe(450));
    expect(screen.getByText("450 organisations")).toBeInTheDocument();
    expect(within(list).getAllByTestId("org-row").at(-1)).toHaveTextContent("Organisation 0449");
    expect(within(list).queryAllByTestId("org-row-placeholder")).toHaveLength(0);
    expect(fake.callsOf("customers.list_organisations").map((c) => c.after)).toEqual([undefined, "c-199", "c-399"]);
  });

  it("reads nothing for a jump far past the rows read (placeholders only), follows the viewport within reach, and reads the top again when dragged back there", async () => {
    const fake = fakeTransport({ "customers.list_organisations": listCore(20_000) });
    const calls = () => fake.callsOf("customers.list_organisations");
    render(<App transport={fake.transport} />);
    const list = await readyList();
    expect(rowsSized(list)).toBe(20_000);

    // The middle of the list: no cursor leads there, so only placeholders show and nothing is read.
    scrollTo(list, 10_000 * ROW_HEIGHT);
    await waitFor(() => expect(within(list).getAllByTestId("org-row-placeholder").length).toBeGreaterThan(15));
    await act(async () => {});
    expect(within(list).queryAllByTestId("org-row")).toHaveLength(0);
    expect(calls()).toHaveLength(1);

    // Within reach of the rows read: the pages up to the viewport are read, one after another.
    scrollTo(list, 1000 * ROW_HEIGHT);
    await waitFor(() => expect(within(list).getAllByTestId("org-row")[0]).toHaveTextContent("Organisation 0988"));
    expect(calls().slice(1).map((c) => c.after)).toEqual(["c-199", "c-399", "c-599", "c-799", "c-999"]);
    for (const at of [2000, 3000]) {
      scrollTo(list, at * ROW_HEIGHT);
      await waitFor(() => expect(within(list).getByText(`Organisation ${at}`)).toBeInTheDocument());
    }
    expect(calls().every((c) => c.before === undefined)).toBe(true);

    // Dragged back to the top, far from the window: the first page is read again, without a cursor.
    const before = calls().length;
    scrollTo(list, 0);
    await waitFor(() => expect(within(list).getAllByTestId("org-row")[0]).toHaveTextContent("Organisation 0000"));
    expect(calls().slice(before)).toEqual([{ sort: "name", direction: "asc", limit: 200, archived: false }]);
    expect(rowsSized(list)).toBe(20_000);
  });

  it("shows a row's phone in international format with the language's extension word, left to right, and counts in Persian digits", async () => {
    await act(() => i18n.changeLanguage("fa"));
    const fake = fakeTransport({ "customers.list_organisations": () => page([row(0, { phone: "+982112345678;ext=7" })]) });
    render(<App transport={fake.transport} />);
    const list = await readyList();
    const phone = within(list).getByTestId("org-row").children[4].firstElementChild!;
    expect(phone.tagName).toBe("BDI");
    expect(phone).toHaveAttribute("dir", "ltr");
    expect(phone.textContent).toBe("+98 21 1234 5678 \u2068داخلی\u2069 7");
    expect(screen.getByText("۱ سازمان")).toBeInTheDocument();
  });

  it("says about how many there are in Russian, rounded, with the plural form of the number shown", async () => {
    await act(() => i18n.changeLanguage("ru"));
    const fake = fakeTransport({ "customers.list_organisations": listCore(450, { estimate: 123_456 }) });
    render(<App transport={fake.transport} />);
    await readyList();
    // The exact text: the Russian group separator is a no-break space, which getByText would fold.
    expect(screen.getByText(/^Примерно/).textContent).toBe(`Примерно ${formatNumber(120_000, "ru")} организаций`);
  });

  it("opens the selected organisation with Enter and starts a new one with Ctrl+N", async () => {
    const user = userEvent.setup();
    const fake = pagedTransport();
    render(<App transport={fake.transport} />);
    const list = await screen.findByTestId("customers-list");
    await waitFor(() => expect(list).toHaveAttribute("data-ready", "true"));

    list.focus();
    await user.keyboard("{ArrowDown}{ArrowDown}");
    expect(within(list).getAllByTestId("org-row")[2]).toHaveAttribute("aria-selected", "true");
    await user.keyboard("{Enter}");
    expect(await screen.findByTestId("org-card")).toBeInTheDocument();
    expect(fake.calls.at(-1)).toEqual({ op: "customers.get_organisation", input: { id: "org-2" } });

    await user.keyboard("{Control>}n{/Control}");
    expect(await screen.findByTestId("org-field-name")).toBeInTheDocument();
  });
});

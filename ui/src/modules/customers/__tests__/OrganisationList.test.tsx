import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { App } from "../../../app/App";
import type { SearchHit, SearchOutput } from "../../../api/generated";
import { deferred, fakeTransport, row } from "../../../test/fakeTransport";

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
  const pages: Record<string, { from: number; next: string | null }> = {
    "": { from: 0, next: "cursor-1" },
    "cursor-1": { from: 200, next: "cursor-2" },
    "cursor-2": { from: 400, next: null },
  };
  return fakeTransport({
    "customers.list_organisations": (input) => {
      const page = pages[input.after ?? ""];
      const items = Array.from({ length: input.limit ?? 50 }, (_, i) => row(page.from + i));
      return { items, next_cursor: page.next };
    },
  });
}

function hit(id: string, title: string, overrides: Partial<SearchHit> = {}): SearchHit {
  return { entity: "organisation", id, title, subtitle: "Moscow", archived: false, ...overrides };
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
    expect(fake.callsOf("customers.list_organisations")[1]).toMatchObject({ after: "cursor-1", limit: 200 });
    await waitFor(() => expect(within(list).getByText("Organisation 0185")).toBeInTheDocument());
    expect(screen.getByText(/Loaded: 400/)).toBeInTheDocument();
    // Set once, when the list first became ready.
    expect(list).toHaveAttribute("data-ready-at", readyAt);
  });

  it("shows search hits while text is typed, and ignores a stale answer", async () => {
    const user = userEvent.setup();
    const answers: Record<string, ReturnType<typeof deferred<SearchOutput>>> = {};
    const fake = pagedTransport();
    const withSearch = fakeTransport({
      "customers.list_organisations": (input) => fake.transport("customers.list_organisations", input) as never,
      "search.query": (input) => {
        answers[input.text] = deferred<SearchOutput>();
        return answers[input.text].promise;
      },
    });
    render(<App transport={withSearch.transport} />);
    const list = await screen.findByTestId("customers-list");
    await waitFor(() => expect(list).toHaveAttribute("data-ready", "true"));

    const search = screen.getByTestId("customers-search");
    await user.type(search, "ac");
    await waitFor(() => expect(answers.ac).toBeDefined());
    await user.type(search, "me");
    await waitFor(() => expect(answers.acme).toBeDefined());
    expect(withSearch.callsOf("search.query").at(-1)).toEqual({ text: "acme", limit: 50, entities: ["organisation"] });
    // Debounced: no request for "acm".
    expect(withSearch.callsOf("search.query").map((i) => i.text)).toEqual(["ac", "acme"]);

    await act(async () => answers.acme.resolve({ hits: [hit("o-1", "Acme Ltd"), hit("o-2", "Acme Trading")] }));
    await act(async () => answers.ac.resolve({ hits: [hit("o-9", "Stale result")] }));

    await waitFor(() => expect(list).toHaveAttribute("data-results-for", "acme"));
    expectEpochMs(list.getAttribute("data-results-at"));
    const rows = within(list).getAllByTestId("org-row");
    expect(rows.map((r) => r.textContent)).toEqual([expect.stringContaining("Acme Ltd"), expect.stringContaining("Acme Trading")]);
    expect(within(list).queryByText("Stale result")).toBeNull();

    // Keyboard: ArrowDown selects the second hit, Enter opens its card.
    await user.keyboard("{ArrowDown}");
    expect(rows[1]).toHaveAttribute("aria-selected", "true");

    // Clearing the text brings the list back.
    await user.clear(search);
    await waitFor(() => expect(within(list).getAllByTestId("org-row")[0]).toHaveTextContent("Organisation 0000"));
    expect(list).not.toHaveAttribute("data-results-for");
    expect(list).not.toHaveAttribute("data-results-at");
  });

  it("shows a hit's title under Name and its subtitle in one muted cell over the other columns", async () => {
    const user = userEvent.setup();
    const fake = fakeTransport({
      "customers.list_organisations": () => ({ items: [row(0, { tax_id: "7701234567" })], next_cursor: null }),
      "search.query": () => ({
        hits: [
          hit("o-1", "Acme Ltd", { subtitle: "+7 495 123-45-67" }),
          hit("o-2", "Acme Old", { subtitle: null, archived: true }),
        ],
      }),
    });
    render(<App transport={fake.transport} />);
    const list = await screen.findByTestId("customers-list");
    await waitFor(() => expect(list).toHaveAttribute("data-ready", "true"));

    // A list row fills every column: name, kind, tax id, email, phone, city.
    const listCells = [...within(list).getByTestId("org-row").children];
    expect(listCells).toHaveLength(6);
    expect(listCells[2]).toHaveTextContent("7701234567");

    await user.type(screen.getByTestId("customers-search"), "acme");
    await waitFor(() => expect(list).toHaveAttribute("data-results-for", "acme"));
    const [first, second] = within(list).getAllByTestId("org-row");
    expect(first).toHaveAttribute("data-id", "o-1");

    // Two cells only: the title, then the subtitle spanning Kind..City — nothing lands in a
    // column of its own such as Tax ID.
    const cells = [...first.children];
    expect(cells).toHaveLength(2);
    expect(cells[0]).toHaveTextContent(/^Acme Ltd$/);
    expect(cells[1]).toHaveClass("cell-span");
    expect(cells[1]).toHaveTextContent(/^\+7 495 123-45-67$/);
    expect(within(first).queryByTestId("hit-archived")).toBeNull();

    const secondCells = [...second.children];
    expect(secondCells).toHaveLength(2);
    expect(secondCells[0]).toHaveTextContent(/^Acme Old$/);
    expect(within(secondCells[1] as HTMLElement).getByTestId("hit-archived")).toHaveTextContent("Archived");

    // Hit rows keep keyboard navigation.
    await user.keyboard("{ArrowDown}");
    expect(second).toHaveAttribute("aria-selected", "true");
    await user.keyboard("{Enter}");
    await waitFor(() => expect(fake.callsOf("customers.get_organisation")).toEqual([{ id: "o-2" }]));
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

import { act, renderHook, waitFor } from "@testing-library/react";
import type { ReactNode } from "react";
import { describe, expect, it } from "vitest";
import { ApiProvider } from "../../../api/ApiProvider";
import { fakeTransport, listCore } from "../../../test/fakeTransport";
import { MAX_PAGES, PAGE_SIZE, pageToRead, READ_REACH, useOrganisationList, type ListFilter, type OrganisationList } from "../hooks/useOrganisationList";

const TOTAL = 2000;

function renderList(core = listCore(TOTAL), filter: ListFilter = { kind: null, archived: false }) {
  const fake = fakeTransport({ "customers.list_organisations": core });
  const wrapper = ({ children }: { children: ReactNode }) => <ApiProvider transport={fake.transport}>{children}</ApiProvider>;
  const hook = renderHook(() => useOrganisationList(filter), { wrapper });
  return { fake, hook, calls: () => fake.callsOf("customers.list_organisations") };
}

/** Runs one page load and waits until it has arrived. */
async function load(list: () => OrganisationList, step: (l: OrganisationList) => void) {
  await waitFor(() => expect(list().fetching).toBe(false));
  act(() => step(list()));
  await waitFor(() => expect(list().fetching).toBe(false));
}

const ids = (list: OrganisationList, from: number, to: number) =>
  Array.from({ length: to - from }, (_, i) => list.rowAt(from + i)?.id);

describe("useOrganisationList: a bounded window of pages", () => {
  it("keeps at most MAX_PAGES pages, dropping the far end, and reads a dropped page again with `before` on the way back", async () => {
    const { hook, calls } = renderList();
    const list = () => hook.result.current;
    await waitFor(() => expect(list().ready).toBe(true));
    expect(list()).toMatchObject({ offset: 0, count: PAGE_SIZE, hasPrevious: false, hasMore: true });

    // Scroll down through eight pages: only the last six are kept.
    for (let i = 1; i < MAX_PAGES + 2; i++) await load(list, (l) => l.loadMore());
    expect(calls()).toHaveLength(MAX_PAGES + 2);
    expect(calls().at(-1)).toMatchObject({ after: `c-${(MAX_PAGES + 1) * PAGE_SIZE - 1}`, limit: PAGE_SIZE });
    expect(list().count).toBe(MAX_PAGES * PAGE_SIZE);
    expect(list().offset).toBe(2 * PAGE_SIZE);
    expect(list().hasPrevious).toBe(true);
    // Rows keep their place in the list; the dropped ones are gone from memory.
    expect(list().rowAt(400)?.id).toBe("org-400");
    expect(list().rowAt(1599)?.id).toBe("org-1599");
    expect(list().rowAt(399)).toBeUndefined();
    expect(list().indexOf("org-10")).toBe(-1);
    expect(list().indexOf("org-1000")).toBe(1000);

    // Back up: the page before the window is read again by cursor, the last page is dropped.
    await load(list, (l) => l.loadPrevious());
    expect(calls().at(-1)).toEqual({ sort: "name", direction: "asc", archived: false, limit: PAGE_SIZE, before: "c-400" });
    expect(list()).toMatchObject({ offset: 200, count: MAX_PAGES * PAGE_SIZE, hasMore: true, hasPrevious: true });
    expect(ids(list(), 198, 202)).toEqual([undefined, undefined, "org-200", "org-201"]);
    expect(list().rowAt(1399)?.id).toBe("org-1399");
    expect(list().rowAt(1400)).toBeUndefined();

    // Up to the very top: the first page has no page before it.
    await load(list, (l) => l.loadPrevious());
    expect(calls().at(-1)).toMatchObject({ before: "c-200" });
    expect(list()).toMatchObject({ offset: 0, hasPrevious: false });
    expect(list().rowAt(0)?.id).toBe("org-0");

    // And down again: the dropped page after the window is read with `after`.
    await load(list, (l) => l.loadMore());
    expect(calls().at(-1)).toMatchObject({ after: "c-1199" });
    expect(list()).toMatchObject({ offset: 200, count: MAX_PAGES * PAGE_SIZE });
    expect(list().rowAt(1399)?.id).toBe("org-1399");
  });

  it("reads the kept pages again in place on reload, from the window's first page", async () => {
    const { hook, calls } = renderList();
    const list = () => hook.result.current;
    await waitFor(() => expect(list().ready).toBe(true));
    for (let i = 1; i < MAX_PAGES + 1; i++) await load(list, (l) => l.loadMore());
    expect(list().offset).toBe(PAGE_SIZE);
    const before = calls().length;

    await load(list, (l) => l.reload());
    expect(calls().slice(before).map((c) => c.after)).toEqual(Array.from({ length: MAX_PAGES }, (_, i) => `c-${(i + 1) * PAGE_SIZE - 1}`));
    expect(list()).toMatchObject({ offset: PAGE_SIZE, count: MAX_PAGES * PAGE_SIZE });
  });
});

describe("useOrganisationList: the list's length", () => {
  it("is the first page's estimate, kept when that page is dropped, until the last page gives the real count, kept on the way back", async () => {
    const { hook } = renderList(listCore(TOTAL, { estimate: 5000 }));
    const list = () => hook.result.current;
    await waitFor(() => expect(list().ready).toBe(true));
    expect(list()).toMatchObject({ size: 5000, length: { estimated: 5000, exact: null } });

    // The first page leaves the window; the estimate stays.
    for (let i = 1; i <= MAX_PAGES; i++) await load(list, (l) => l.loadMore());
    expect(list().offset).toBe(PAGE_SIZE);
    expect(list()).toMatchObject({ size: 5000, length: { estimated: 5000, exact: null } });

    // The last page: the real count. It stays when that page is dropped again.
    while (list().hasMore) await load(list, (l) => l.loadMore());
    expect(list()).toMatchObject({ size: TOTAL, length: { exact: TOTAL } });
    await load(list, (l) => l.loadPrevious());
    expect(list().offset + list().count).toBeLessThan(TOTAL);
    expect(list().size).toBe(TOTAL);
  });

  it("leaves the estimate (of every organisation) out for one kind or the archived ones, until their end is read", async () => {
    for (const filter of [{ kind: "supplier", archived: false }, { kind: null, archived: true }] as const) {
      const { hook } = renderList(listCore(450, { estimate: 100_000 }), filter);
      const list = () => hook.result.current;
      await waitFor(() => expect(list().ready).toBe(true));
      expect(list()).toMatchObject({ size: PAGE_SIZE, length: { estimated: null, exact: null } });
      while (list().hasMore) await load(list, (l) => l.loadMore());
      expect(list()).toMatchObject({ size: 450, length: { exact: 450 } });
      hook.unmount();
    }
  });

  it("is never fewer rows than were read, when the estimate falls short", async () => {
    const { hook } = renderList(listCore(TOTAL, { estimate: 10 }));
    const list = () => hook.result.current;
    await waitFor(() => expect(list().ready).toBe(true));
    expect(list().size).toBe(PAGE_SIZE);
    await load(list, (l) => l.loadMore());
    expect(list().size).toBe(2 * PAGE_SIZE);
  });
});

describe("pageToRead", () => {
  const margin = 40;
  // Rows 5,000 … 6,199 read, more on both sides.
  const window = { offset: 5000, count: 1200, hasMore: true, hasPrevious: true };
  const view = (first: number) => ({ first, last: first + 30 });

  it("reads the page next to the window when the viewport nears or passes that edge, within reach", () => {
    expect(pageToRead(view(5500), window, margin)).toBeNull();
    expect(pageToRead(view(6150), window, margin)).toBe("next");
    expect(pageToRead(view(6200 + READ_REACH - 1), window, margin)).toBe("next");
    expect(pageToRead(view(5010), window, margin)).toBe("previous");
    expect(pageToRead(view(5000 - READ_REACH - 30), window, margin)).toBe("previous");
  });

  it("reads nothing for a viewport farther than the reach, but the first page when it is at the top", () => {
    expect(pageToRead(view(6200 + READ_REACH), window, margin)).toBeNull();
    expect(pageToRead(view(5000 - READ_REACH - 31), window, margin)).toBeNull();
    expect(pageToRead(view(0), window, margin)).toBe("top");
    expect(pageToRead(view(PAGE_SIZE - 1), window, margin)).toBe("top");
    expect(pageToRead(view(PAGE_SIZE), window, margin)).toBeNull();
  });

  it("reads nothing past the ends of the list", () => {
    const whole = { offset: 0, count: 450, hasMore: false, hasPrevious: false };
    expect(pageToRead(view(430), whole, margin)).toBeNull();
    expect(pageToRead(view(0), whole, margin)).toBeNull();
  });
});

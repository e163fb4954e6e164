import { act, renderHook, waitFor } from "@testing-library/react";
import type { ReactNode } from "react";
import { describe, expect, it } from "vitest";
import { ApiProvider } from "../../../api/ApiProvider";
import { fakeTransport, listCore } from "../../../test/fakeTransport";
import { MAX_PAGES, PAGE_SIZE, useOrganisationList, type OrganisationList } from "../hooks/useOrganisationList";

const TOTAL = 2000;

function renderList() {
  const fake = fakeTransport({ "customers.list_organisations": listCore(TOTAL) });
  const wrapper = ({ children }: { children: ReactNode }) => <ApiProvider transport={fake.transport}>{children}</ApiProvider>;
  const hook = renderHook(() => useOrganisationList({ kind: null, archived: false }), { wrapper });
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

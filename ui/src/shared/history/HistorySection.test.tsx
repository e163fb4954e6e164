import { render, screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { ApiProvider } from "../../api/ApiProvider";
import type { HistoryEntry } from "../../api/generated";
import { i18n } from "../../i18n";
import { fakeTransport } from "../../test/fakeTransport";
import { actorLabel, HistorySection, LOCAL_OWNER_ID } from "./HistorySection";

const OTHER = "0192f3a4-7b1c-7def-8abc-1234567890ab";

function entry(stamp: string, actor_id: string): HistoryEntry {
  return { stamp, at: "2026-11-22T09:00:00Z", actor_id, device_id: "d", operation: "customers.update_organisation", action: "update", fields: [] };
}

function renderHistory(entries: HistoryEntry[] = [entry("2", LOCAL_OWNER_ID), entry("1", OTHER)]) {
  const fake = fakeTransport({ "history.record": () => ({ entries }) });
  render(
    <ApiProvider transport={fake.transport}>
      <HistorySection table="organisations" id="org-1" />
    </ApiProvider>,
  );
}

describe("history: who made a change", () => {
  it("names the built-in local owner and shortens any other id", () => {
    const t = i18n.t.bind(i18n);
    expect(actorLabel(t, LOCAL_OWNER_ID)).toEqual({ text: "You (this computer)" });
    expect(actorLabel(t, OTHER)).toEqual({ text: OTHER.slice(-8), title: OTHER });
  });

  it("names a user of this database by their name, with the id as a tooltip", () => {
    const t = i18n.t.bind(i18n);
    expect(actorLabel(t, OTHER, "Фатима Ахмади")).toEqual({ text: "Фатима Ахмади", title: OTHER });
    // A name wins over the local owner's words: a signed-in administrator is a person.
    expect(actorLabel(t, LOCAL_OWNER_ID, "Anna Admin")).toEqual({ text: "Anna Admin", title: LOCAL_OWNER_ID });
  });

  it("shows the local owner in words and other actors as 8 characters with the full id as a tooltip", async () => {
    renderHistory();
    const [mine, theirs] = await screen.findAllByTestId("history-entry");
    const me = within(mine).getByTestId("history-actor");
    expect(me).toHaveTextContent(/^You \(this computer\)$/);
    expect(me).not.toHaveAttribute("title");
    expect(mine).not.toHaveTextContent(LOCAL_OWNER_ID);

    const other = within(theirs).getByTestId("history-actor");
    expect(other).toHaveTextContent(new RegExp(`^${OTHER.slice(-8)}$`));
    expect(other).toHaveAttribute("title", OTHER);
  });

  it("shows a Persian name right to left inside the entry", async () => {
    renderHistory([{ ...entry("3", OTHER), actor_name: "فاطمه احمدی" }]);
    const [entryItem] = await screen.findAllByTestId("history-entry");
    const who = within(entryItem).getByTestId("history-actor");
    expect(who).toHaveTextContent(/^فاطمه احمدی$/);
    expect(who).not.toHaveAttribute("dir");
    expect(entryItem).not.toHaveTextContent(OTHER.slice(-8));
  });

  it.each([
    ["ru", "Вы (этот компьютер)"],
    ["fa", "شما (این رایانه)"],
  ])("translates the local owner (%s)", async (language, words) => {
    await i18n.changeLanguage(language);
    renderHistory();
    const [mine] = await screen.findAllByTestId("history-entry");
    expect(within(mine).getByTestId("history-actor")).toHaveTextContent(words);
  });
});

describe("history: what changed", () => {
  it("says so when nothing is recorded", async () => {
    renderHistory([]);
    expect(await screen.findByText("No changes recorded.")).toBeInTheDocument();
  });

  it("names a known kind in words and shows any other value as it is", async () => {
    renderHistory([{ ...entry("1", OTHER), fields: [{ field: "kind", old: "prospect", new: "reseller" }] }]);
    const [changed] = await screen.findAllByTestId("history-entry");
    expect(changed).toHaveTextContent(/Kind\s*Prospect\s*→\s*reseller/);
  });
});

import { act, render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import type { FreshnessRule, SessionStatus } from "../../../api/generated";
import { App } from "../../../app/App";
import { i18n } from "../../../i18n";
import { apiError, emptyPage, fakeTransport, signedIn } from "../../../test/fakeTransport";

const ANNA = { id: "user-anna", display_name: "Anna Petrova" };
/** A manager: sets the months, and may read customers (no users to manage). */
const MANAGER = signedIn({ ...ANNA, permissions: ["customers.read", "customers.write", "freshness.manage", "search.query"] });
const USER_MANAGER = signedIn({ ...ANNA, permissions: ["users.manage", "security.directory"] });

/** A fake core whose rules really change; months outside 1–120 are refused as the core refuses them. */
function rulesCore(session: SessionStatus = MANAGER) {
  let rules: FreshnessRule[] = [
    { table: "organisations", months: 12, set: false },
    { table: "contacts", months: 6, set: true },
  ];
  const fake = fakeTransport({
    "session.get": () => session,
    "customers.list_organisations": () => emptyPage,
    "security.list_users": () => ({ users: [] }),
    "security.list_roles": () => ({ roles: [], permissions: [] }),
    "security.list_departments": () => ({ departments: [] }),
    "security.list_colleagues": () => ({ users: [], departments: [] }),
    "freshness.stale": () => ({ kinds: [], total: 0 }),
    "freshness.rules": () => ({ rules }),
    "freshness.set_rule": ({ table, months }) => {
      if (months < 1 || months > 120) throw apiError("invalid_input", { months: { code: "invalid_value", message: "Choose 1 to 120 months." } });
      rules = rules.map((r) => (r.table === table ? { table, months, set: true } : r));
      return { rules };
    },
  });
  render(<App transport={fake.transport} initialRoute={{ screen: "admin" }} />);
  return fake;
}

async function openTab() {
  const user = userEvent.setup();
  await user.click(await screen.findByTestId("admin-tab-freshness"));
  await screen.findByTestId("freshness-months-organisations");
  return user;
}

describe("administration: data freshness", () => {
  it("is the tab of who may set the months, and shows each kind's months, set or the default", async () => {
    rulesCore();
    // A manager has administration for this tab alone.
    await screen.findByTestId("admin-tab-freshness");
    expect(screen.getAllByRole("tab").map((tab) => tab.dataset.testid)).toEqual(["admin-tab-freshness"]);
    await openTab();
    expect(screen.getByTestId("freshness-months-organisations")).toHaveValue("12");
    expect(screen.getByTestId("freshness-months-contacts")).toHaveValue("6");
    expect(screen.getByLabelText("Organisations")).toBe(screen.getByTestId("freshness-months-organisations"));
    expect(screen.getByTestId("freshness-tab")).toHaveTextContent("Not set: the default of 12 months applies.");
    expect(screen.getByTestId("freshness-tab")).toHaveTextContent("Set by an administrator.");
  });

  it("sends the months of the kinds changed, and shows what the core now holds", async () => {
    const fake = rulesCore();
    const user = await openTab();
    const months = screen.getByTestId("freshness-months-organisations");
    await user.clear(months);
    await user.type(months, "24");
    await user.click(screen.getByTestId("freshness-save"));
    expect(await screen.findByTestId("freshness-saved")).toHaveTextContent("Saved.");
    expect(fake.callsOf("freshness.set_rule")).toEqual([{ table: "organisations", months: 24 }]);
    expect(months).toHaveValue("24");
    expect(screen.getByTestId("freshness-tab")).not.toHaveTextContent("Not set");

    // Nothing changed: nothing is sent.
    await user.click(screen.getByTestId("freshness-save"));
    expect(await screen.findByTestId("freshness-unchanged")).toBeInTheDocument();
    expect(fake.callsOf("freshness.set_rule")).toHaveLength(1);
  });

  it("shows the core's problem with the months beside the field, translated", async () => {
    const fake = rulesCore();
    const user = await openTab();
    const months = screen.getByTestId("freshness-months-contacts");
    await user.clear(months);
    await user.type(months, "200");
    await user.click(screen.getByTestId("freshness-save"));
    const error = await screen.findByTestId("freshness-months-error-contacts");
    expect(error).toHaveTextContent("Choose from 1 to 120 months.");
    expect(error).not.toHaveTextContent("core message");
    expect(fake.callsOf("freshness.set_rule")).toEqual([{ table: "contacts", months: 200 }]);
    expect(months).toHaveAttribute("aria-invalid", "true");
    expect(months).toHaveValue("200");
    expect(screen.queryByTestId("freshness-saved")).toBeNull();

    // Typing again clears it.
    await user.type(months, "{Backspace}{Backspace}");
    expect(screen.queryByTestId("freshness-months-error-contacts")).toBeNull();
  });

  it("says in Russian what is wrong, and reads months typed in Persian digits", async () => {
    window.localStorage.setItem("accord.language", "ru");
    await act(() => i18n.changeLanguage("ru"));
    const fake = rulesCore();
    const user = await openTab();
    const months = screen.getByTestId("freshness-months-organisations");
    await user.clear(months);
    await user.type(months, "0");
    await user.click(screen.getByTestId("freshness-save"));
    expect(await screen.findByTestId("freshness-months-error-organisations")).toHaveTextContent("Выберите от 1 до 120 месяцев.");

    await user.clear(months);
    await user.type(months, "۱۸");
    await user.click(screen.getByTestId("freshness-save"));
    expect(await screen.findByTestId("freshness-saved")).toHaveTextContent("Сохранено.");
    expect(fake.callsOf("freshness.set_rule").at(-1)).toEqual({ table: "organisations", months: 18 });
  });

  it("does not send what is not a number of months", async () => {
    const fake = rulesCore();
    const user = await openTab();
    const months = screen.getByTestId("freshness-months-organisations");
    await user.clear(months);
    await user.type(months, "a year");
    await user.click(screen.getByTestId("freshness-save"));
    expect(await screen.findByTestId("freshness-months-error-organisations")).toHaveTextContent("Enter a whole number of months.");
    expect(fake.callsOf("freshness.set_rule")).toEqual([]);
  });

  it("is not offered to who may not set the months, and the rules are not asked for", async () => {
    const fake = rulesCore(USER_MANAGER);
    await screen.findByTestId("admin-tab-users");
    expect(screen.queryByTestId("admin-tab-freshness")).toBeNull();
    await waitFor(() => expect(fake.callsOf("security.list_users").length).toBeGreaterThan(0));
    expect(fake.callsOf("freshness.rules")).toEqual([]);
  });
});

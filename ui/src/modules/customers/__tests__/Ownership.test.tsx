import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import type { Colleagues, Organisation } from "../../../api/generated";
import { App } from "../../../app/App";
import { i18n } from "../../../i18n";
import { apiError, emptyPage, fakeTransport, organisation } from "../../../test/fakeTransport";

const DIRECTORY: Colleagues = {
  users: [
    { id: "user-1", display_name: "Anna Petrova", department_id: "d-sales", active: true },
    { id: "user-2", display_name: "Boris Orlov", department_id: null, active: false },
  ],
  departments: [{ id: "d-sales", name: "Sales North", parent_id: null }],
};

function renderCard(org: Partial<Organisation>, listColleagues: () => Colleagues = () => DIRECTORY) {
  const fake = fakeTransport({
    "customers.list_organisations": () => emptyPage,
    "customers.get_organisation": () => ({ organisation: organisation({ id: "org-1", ...org }), contacts: [], relations: [] }),
    "history.record": () => ({ entries: [] }),
    "security.list_colleagues": listColleagues,
  });
  render(<App transport={fake.transport} initialRoute={{ screen: "customers", view: { kind: "card", id: "org-1" } }} />);
  return fake;
}

describe("owner and department on the organisation card", () => {
  it("names the owner and the department from the directory, read once", async () => {
    const user = userEvent.setup();
    const fake = renderCard({ owner_id: "user-1", department_id: "d-sales" });

    const owner = await screen.findByTestId("record-owner");
    expect(owner).toHaveTextContent("Owner");
    expect(within(owner).getByText("Anna Petrova").tagName).toBe("BDI");
    const department = screen.getByTestId("record-department");
    expect(department).toHaveTextContent("Department");
    expect(within(department).getByText("Sales North").tagName).toBe("BDI");

    // Back to the details after another tab: the names are not asked for again.
    await user.click(screen.getByTestId("card-tab-history"));
    await user.click(screen.getByTestId("card-tab-details"));
    await screen.findByTestId("record-owner");
    expect(fake.callsOf("security.list_colleagues")).toEqual([{}]);
  });

  it("says “Shared” for a record in no department, and names a departed owner too", async () => {
    renderCard({ owner_id: "user-2", department_id: null });
    const department = await screen.findByTestId("record-department");
    expect(department).toHaveTextContent("Shared");
    expect(within(department).getByText("Shared")).toHaveAttribute("title", expect.stringContaining("everyone who may see"));
    expect(screen.getByTestId("record-owner")).toHaveTextContent("Boris Orlov");
  });

  it("shows a short id, left to right, for an owner or department the directory does not list", async () => {
    const ownerId = "0198c0de-1111-7000-8000-000000000099";
    const departmentId = "0198d00d-2222-7000-8000-000000000042";
    renderCard({ owner_id: ownerId, department_id: departmentId });
    const owner = within(await screen.findByTestId("record-owner")).getByText(ownerId.slice(-8));
    expect(owner).toHaveAttribute("dir", "ltr");
    expect(owner).toHaveAttribute("title", ownerId);
    expect(within(screen.getByTestId("record-department")).getByText(departmentId.slice(-8))).toHaveAttribute("dir", "ltr");
  });

  it("isolates the names in a Persian window, which reads right to left", async () => {
    window.localStorage.setItem("accord.language", "fa");
    await i18n.changeLanguage("fa");
    renderCard({ owner_id: "user-1", department_id: null });
    const owner = await screen.findByTestId("record-owner");
    expect(document.documentElement).toHaveAttribute("dir", "rtl");
    expect(owner).toHaveTextContent("مسئول");
    expect(within(owner).getByText("Anna Petrova").tagName).toBe("BDI");
    expect(screen.getByTestId("record-department")).toHaveTextContent("مشترک");
  });

  it("shows neither, and no error, when the directory is refused", async () => {
    const fake = renderCard({ owner_id: "user-1", department_id: "d-sales" }, () => {
      throw apiError("permission_denied");
    });
    await screen.findByTestId("org-card-name");
    await waitFor(() => expect(fake.callsOf("security.list_colleagues")).toHaveLength(1));
    expect(screen.queryByTestId("record-owner")).toBeNull();
    expect(screen.queryByTestId("record-department")).toBeNull();
    expect(within(screen.getByTestId("org-card")).queryByRole("alert")).toBeNull();
    // The rest of the details are there as always.
    expect(screen.getByText("7701234567")).toBeInTheDocument();
  });
});

import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import type { Department, RoleView, SessionStatus, UserView } from "../../../api/generated";
import { App } from "../../../app/App";
import { apiError, fakeTransport, signedIn } from "../../../test/fakeTransport";
import { departmentTree } from "../departments";

const PERMISSIONS = [
  "audit.read", "customers.archive", "customers.read", "customers.write", "history.read", "preferences.own",
  "roles.manage", "search.query", "session.use", "settings.manage", "users.manage",
];

function role(built_in: RoleView["built_in"], permissions: string[], overrides: Partial<RoleView> = {}): RoleView {
  return {
    id: `role-${built_in ?? "custom"}`,
    built_in,
    name: built_in ?? "Custom",
    visibility: "all",
    grants_all: false,
    permissions,
    active_users: 0,
    ...overrides,
  };
}

const ROLES: RoleView[] = [
  role("administrator", [], { grants_all: true, active_users: 1 }),
  role("sales", ["customers.read", "customers.write", "search.query", "session.use"], { active_users: 2 }),
  role("newcomer", ["preferences.own", "session.use"]),
  role(null, ["customers.read"], { id: "role-x", name: "Interns" }),
];

function userView(login: string, overrides: Partial<UserView> = {}): UserView {
  return {
    id: `user-${login}`,
    login,
    display_name: login[0].toUpperCase() + login.slice(1),
    role_id: "role-sales",
    role_name: "sales",
    department_id: null,
    active: true,
    locked_until: null,
    last_sign_in_at: null,
    created_at: "2026-11-20T09:00:00Z",
    deactivated_at: null,
    ...overrides,
  };
}

const DEPARTMENTS: Department[] = [
  { id: "d-sales", name: "Sales", parent_id: null },
  { id: "d-north", name: "North", parent_id: "d-sales" },
  { id: "d-city", name: "City office", parent_id: "d-north" },
  { id: "d-finance", name: "Finance", parent_id: null },
];

/** A fake security core: users, roles and departments that the operations really change. */
function adminCore(session: SessionStatus = signedIn({ id: "user-anna", display_name: "Anna", all_permissions: true })) {
  let users: UserView[] = [
    userView("anna", { role_id: "role-administrator", role_name: "administrator", last_sign_in_at: "2026-11-23T08:00:00Z" }),
    userView("boris", { locked_until: "2026-11-23T12:40:00Z" }),
    userView("vera", { active: false, deactivated_at: "2026-11-01T10:00:00Z" }),
  ];
  let roles = ROLES.map((r) => ({ ...r }));
  let departments = [...DEPARTMENTS];
  const fake = fakeTransport({
    "session.get": () => session,
    "security.list_users": () => ({ users }),
    "security.list_roles": () => ({ roles, permissions: PERMISSIONS }),
    "security.list_departments": () => ({ departments }),
    "security.create_user": (input) => {
      if (input.password.length < 10) throw apiError("invalid_input", { password: { code: "too_short", message: "at least 10" } });
      const role = roles.find((r) => r.id === input.role_id)!;
      const created = userView(input.login, { display_name: input.display_name, role_id: role.id, role_name: role.name, department_id: input.department_id });
      users = [...users, created];
      return created;
    },
    "security.deactivate_user": ({ user_id }) => {
      if (user_id === "user-anna") throw apiError("conflict", {}, "The last active administrator cannot be deactivated.");
      users = users.map((u) => (u.id === user_id ? { ...u, active: false, deactivated_at: "2026-11-23T12:00:00Z" } : u));
      return users.find((u) => u.id === user_id)!;
    },
    "security.set_user_role": ({ user_id, role_id }) => {
      const role = roles.find((r) => r.id === role_id)!;
      users = users.map((u) => (u.id === user_id ? { ...u, role_id, role_name: role.name } : u));
      return users.find((u) => u.id === user_id)!;
    },
    "security.set_role_permissions": ({ role_id, permissions }) => {
      roles = roles.map((r) => (r.id === role_id ? { ...r, permissions: [...permissions] } : r));
      return null;
    },
    "security.create_department": ({ name, parent_id }) => {
      const created = { id: `d-${departments.length + 1}`, name, parent_id };
      departments = [...departments, created];
      return created;
    },
  });
  render(<App transport={fake.transport} initialRoute={{ screen: "admin" }} />);
  return fake;
}

describe("administration: users", () => {
  it("lists every user with role, status and last sign-in", async () => {
    adminCore();
    const table = await screen.findByTestId("admin-users");
    expect(within(table).getAllByRole("row")).toHaveLength(4);
    expect(screen.getByTestId("user-status-anna")).toHaveTextContent("Active");
    expect(screen.getByTestId("user-status-boris")).toHaveTextContent(/Locked until .*2026/);
    expect(screen.getByTestId("user-status-vera")).toHaveTextContent("Deactivated");
    expect(within(screen.getByTestId("user-row-boris")).getByText("Never")).toBeInTheDocument();
    // The deactivated user can be neither deactivated nor given a role.
    expect(screen.queryByTestId("deactivate-vera")).toBeNull();
    expect(screen.queryByTestId("user-role-vera")).toBeNull();
    expect(screen.getByTestId("user-row-vera")).toHaveTextContent("Sales");
    expect(await screen.findByTestId("user-role-anna")).toHaveDisplayValue("Administrator");
  });

  it("creates a user with the new-user role unless another is chosen, and an optional department", async () => {
    const user = userEvent.setup();
    const fake = adminCore();
    await screen.findByTestId("admin-users");
    await user.click(screen.getByTestId("admin-new-user"));
    const form = screen.getByTestId("admin-new-user-form");
    await waitFor(() => expect(within(form).getByTestId("new-user-role")).toHaveDisplayValue("New user"));
    expect(within(form).getByTestId("new-user-password")).toHaveAttribute("type", "password");
    // The department select shows the tree.
    expect(within(form).getByTestId("new-user-department")).toHaveTextContent(/Finance.*Sales.*North.*City office/);

    await user.type(within(form).getByTestId("new-user-login"), "gleb");
    await user.type(within(form).getByTestId("new-user-name"), "Gleb Orlov");
    await user.type(within(form).getByTestId("new-user-password"), "initial password 1");
    await user.click(within(form).getByTestId("new-user-submit"));

    expect(await screen.findByTestId("user-row-gleb")).toHaveTextContent("Gleb Orlov");
    expect(fake.callsOf("security.create_user")).toEqual([
      { login: "gleb", display_name: "Gleb Orlov", password: "initial password 1", role_id: "role-newcomer", department_id: null },
    ]);
    expect(screen.getByTestId("admin-users-notice")).toHaveTextContent("The user “gleb” was created.");
    expect(screen.queryByTestId("admin-new-user-form")).toBeNull();

    await user.click(screen.getByTestId("admin-new-user"));
    await user.type(screen.getByTestId("new-user-login"), "dina");
    await user.type(screen.getByTestId("new-user-name"), "Dina");
    await user.type(screen.getByTestId("new-user-password"), "initial password 2");
    await user.selectOptions(screen.getByTestId("new-user-role"), "role-sales");
    await user.selectOptions(screen.getByTestId("new-user-department"), "d-north");
    await user.click(screen.getByTestId("new-user-submit"));
    await screen.findByTestId("user-row-dina");
    expect(fake.callsOf("security.create_user").at(-1)).toMatchObject({ role_id: "role-sales", department_id: "d-north" });
  });

  it("shows the core's field errors beside the new user's fields", async () => {
    const user = userEvent.setup();
    adminCore();
    await screen.findByTestId("admin-users");
    await user.click(screen.getByTestId("admin-new-user"));
    await user.type(screen.getByTestId("new-user-login"), "gleb");
    await user.type(screen.getByTestId("new-user-name"), "Gleb");
    await user.type(screen.getByTestId("new-user-password"), "short");
    await user.click(screen.getByTestId("new-user-submit"));

    expect(await screen.findByTestId("new-user-password-error")).toHaveTextContent("This value is too short.");
    expect(screen.getByTestId("new-user-password")).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByTestId("new-user-error")).toHaveTextContent("Some fields need attention.");
    expect(screen.queryByTestId("user-row-gleb")).toBeNull();
  });

  it("deactivates a user only after a confirmation that says what it does", async () => {
    const user = userEvent.setup();
    const fake = adminCore();
    await user.click(await screen.findByTestId("deactivate-boris"));
    const dialog = screen.getByRole("alertdialog");
    expect(dialog).toHaveTextContent("Deactivate Boris?");
    expect(dialog).toHaveTextContent("will not be able to sign in any more, and any session of theirs that is open ends at once");

    await user.click(within(dialog).getByTestId("confirm-cancel"));
    expect(fake.callsOf("security.deactivate_user")).toEqual([]);

    await user.click(screen.getByTestId("deactivate-boris"));
    await user.click(screen.getByTestId("confirm-ok"));
    await waitFor(() => expect(screen.getByTestId("user-status-boris")).toHaveTextContent("Deactivated"));
    expect(fake.callsOf("security.deactivate_user")).toEqual([{ user_id: "user-boris" }]);
    expect(screen.queryByRole("alertdialog")).toBeNull();
    expect(screen.queryByTestId("deactivate-boris")).toBeNull();
  });

  it("explains, with the core's words, why the last administrator cannot be deactivated", async () => {
    const user = userEvent.setup();
    adminCore();
    await user.click(await screen.findByTestId("deactivate-anna"));
    await user.click(screen.getByTestId("confirm-ok"));
    const dialog = screen.getByRole("alertdialog");
    await waitFor(() => expect(within(dialog).getByRole("alert")).toHaveTextContent("at least one active administrator"));
    expect(within(dialog).getByRole("alert")).toHaveTextContent("The last active administrator cannot be deactivated.");
    expect(screen.getByTestId("user-status-anna")).toHaveTextContent("Active");
  });

  it("changes a user's role from the row", async () => {
    const user = userEvent.setup();
    const fake = adminCore();
    await user.selectOptions(await screen.findByTestId("user-role-boris"), "role-x");
    await waitFor(() => expect(screen.getByTestId("admin-users-notice")).toHaveTextContent("Boris now has the role “Interns”."));
    expect(fake.callsOf("security.set_user_role")).toEqual([{ user_id: "user-boris", role_id: "role-x" }]);
    expect(screen.getByTestId("user-role-boris")).toHaveValue("role-x");
  });
});

describe("administration: roles", () => {
  it("sends a role's whole new permission list when a box is ticked or cleared; the administrator column cannot change", async () => {
    const user = userEvent.setup();
    const fake = adminCore();
    await user.click(await screen.findByTestId("admin-tab-roles"));
    const matrix = await screen.findByTestId("admin-roles");
    expect(within(matrix).getAllByRole("row")).toHaveLength(PERMISSIONS.length + 1);
    expect(within(matrix).getByText("See customers and contacts")).toBeInTheDocument();
    expect(within(matrix).getByText("Interns")).toBeInTheDocument();
    expect(within(matrix).getByText("New user")).toBeInTheDocument();

    for (const permission of PERMISSIONS) {
      const box = screen.getByTestId(`perm-administrator-${permission}`);
      expect(box).toBeChecked();
      expect(box).toBeDisabled();
      expect(box.closest("td")).toHaveAttribute("title", expect.stringContaining("always has every permission"));
    }

    const archive = screen.getByTestId("perm-sales-customers.archive");
    expect(archive).not.toBeChecked();
    await user.click(archive);
    await waitFor(() => expect(screen.getByTestId("perm-sales-customers.archive")).toBeChecked());
    expect(fake.callsOf("security.set_role_permissions")).toEqual([
      { role_id: "role-sales", permissions: ["customers.archive", "customers.read", "customers.write", "search.query", "session.use"] },
    ]);

    await waitFor(() => expect(screen.getByTestId("perm-role-x-customers.read")).toBeEnabled());
    await user.click(screen.getByTestId("perm-role-x-customers.read"));
    await waitFor(() => expect(screen.getByTestId("perm-role-x-customers.read")).not.toBeChecked());
    expect(fake.callsOf("security.set_role_permissions").at(-1)).toEqual({ role_id: "role-x", permissions: [] });
  });

  it("shows the matrix read-only to whoever may manage users but not roles", async () => {
    const user = userEvent.setup();
    const fake = adminCore(signedIn({ id: "user-m", display_name: "Maria", permissions: ["users.manage", "session.use"] }));
    await user.click(await screen.findByTestId("admin-tab-roles"));
    expect(await screen.findByTestId("roles-read-only")).toHaveTextContent("Manage roles");
    expect(screen.getByTestId("perm-sales-customers.read")).toBeDisabled();
    expect(screen.getByTestId("perm-newcomer-customers.read")).toBeDisabled();
    expect(fake.callsOf("security.set_role_permissions")).toEqual([]);
  });
});

describe("administration: departments", () => {
  it("shows the departments as a tree and creates one inside another", async () => {
    const user = userEvent.setup();
    const fake = adminCore();
    await user.click(await screen.findByTestId("admin-tab-departments"));
    const tree = await screen.findByTestId("admin-departments");
    const items = within(tree).getAllByRole("listitem");
    expect(items.map((li) => [li.textContent?.replace("└", ""), li.dataset.depth])).toEqual([
      ["Finance", "0"],
      ["Sales", "0"],
      ["North", "1"],
      ["City office", "2"],
    ]);

    await user.type(screen.getByTestId("new-department-name"), "South");
    await user.selectOptions(screen.getByTestId("new-department-parent"), "d-sales");
    await user.click(screen.getByTestId("new-department-submit"));
    await waitFor(() => expect(within(tree).getAllByRole("listitem")).toHaveLength(5));
    expect(fake.callsOf("security.create_department")).toEqual([{ name: "South", parent_id: "d-sales" }]);
    expect(screen.getByTestId("department-d-5")).toHaveAttribute("data-depth", "1");
    expect(screen.getByTestId("new-department-name")).toHaveValue("");
  });

  it("orders a tree whatever order the core sends, and loses no department to a bad parent", () => {
    const nodes = departmentTree([
      { id: "a", name: "Beta", parent_id: "b" },
      { id: "b", name: "Alpha", parent_id: "a" },
      { id: "c", name: "Orphan", parent_id: "gone" },
    ]);
    expect(nodes.map((n) => [n.department.id, n.depth])).toEqual([
      ["c", 0],
      ["a", 0],
      ["b", 1],
    ]);
  });
});

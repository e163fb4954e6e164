import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import type {
  AuditEntry,
  ChangeByActor,
  Department,
  OffboardedUser,
  OffboardUserInput,
  ResetTwoFactorInput,
  RoleView,
  SessionStatus,
  UserView,
} from "../../../api/generated";
import { App } from "../../../app/App";
import { i18n } from "../../../i18n";
import { apiError, fakeTransport, signedIn } from "../../../test/fakeTransport";
import { departmentTree } from "../departments";

const PERMISSIONS = [
  "audit.read", "customers.archive", "customers.read", "customers.write", "history.read", "preferences.own",
  "roles.manage", "search.query", "security.directory", "security.own_account", "session.use", "settings.manage", "users.manage",
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
    two_factor: false,
    ...overrides,
  };
}

const DEPARTMENTS: Department[] = [
  { id: "d-sales", name: "Sales", parent_id: null },
  { id: "d-north", name: "North", parent_id: "d-sales" },
  { id: "d-city", name: "City office", parent_id: "d-north" },
  { id: "d-finance", name: "Finance", parent_id: null },
];

const ADMINISTRATOR = signedIn({ id: "user-anna", display_name: "Anna", all_permissions: true });

/** What the fake core hands over when someone takes over: 3 organisations and 5 contacts. */
const REASSIGNED: OffboardedUser["reassigned"] = [
  { table: "organisations", count: 3 },
  { table: "contacts", count: 5 },
  { table: "organisation_relations", count: 0 },
];

/** The audit log the fake core keeps: one action of Anna's, one of Boris's. */
const AUDIT_ENTRIES: AuditEntry[] = [
  { seq: 2, at: "2026-11-23T10:00:00Z", actor_id: "user-boris", actor_name: "Boris", device_id: "d-1", operation: "security.sign_in", target_table: "users", target_id: "user-boris", detail: null },
  { seq: 1, at: "2026-11-23T09:00:00Z", actor_id: "user-anna", actor_name: "Anna", device_id: "d-1", operation: "security.sign_in", target_table: "users", target_id: "user-anna", detail: null },
];

/** The records Boris changed. */
const BORIS_CHANGES: ChangeByActor[] = [
  { seq: 40, at: "2026-11-22T15:00:00Z", operation: "customers.create_organisation", table: "organisations", row_id: "org-1", title: "Northwind", action: "insert", fields: ["name"] },
];

type OffboardFake = (input: OffboardUserInput) => OffboardedUser;
type ResetTwoFactorFake = (input: ResetTwoFactorInput) => UserView;

/** A fake security core: users, roles and departments that the operations really change. */
function adminCore(
  session: SessionStatus = ADMINISTRATOR,
  { offboard, resetTwoFactor }: { offboard?: OffboardFake; resetTwoFactor?: ResetTwoFactorFake } = {},
) {
  let users: UserView[] = [
    userView("anna", { role_id: "role-administrator", role_name: "administrator", last_sign_in_at: "2026-11-23T08:00:00Z" }),
    userView("boris", { locked_until: "2026-11-23T12:40:00Z", two_factor: true }),
    userView("vera", { active: false, deactivated_at: "2026-11-01T10:00:00Z" }),
  ];
  let roles = ROLES.map((r) => ({ ...r }));
  let departments = [...DEPARTMENTS];
  const fake = fakeTransport({
    "session.get": () => session,
    "security.list_users": () => ({ users }),
    "security.list_roles": () => ({ roles, permissions: PERMISSIONS }),
    "security.list_departments": () => ({ departments }),
    "security.list_colleagues": () => ({
      users: users.map(({ id, display_name, department_id, active }) => ({ id, display_name, department_id, active })),
      departments,
    }),
    "audit.list": ({ actor_id }) => ({ entries: AUDIT_ENTRIES.filter((e) => !actor_id || e.actor_id === actor_id), next_before_seq: null }),
    "audit.changes_by_person": ({ actor_id }) => ({ entries: actor_id === "user-boris" ? BORIS_CHANGES : [], next_before_seq: null }),
    "security.create_user": (input) => {
      if (input.password.length < 10) throw apiError("invalid_input", { password: { code: "too_short", message: "at least 10" } });
      const role = roles.find((r) => r.id === input.role_id)!;
      const created = userView(input.login, { display_name: input.display_name, role_id: role.id, role_name: role.name, department_id: input.department_id });
      users = [...users, created];
      return created;
    },
    "security.offboard_user": (input) => {
      if (offboard) return offboard(input);
      const { user_id, reassign_to } = input;
      if (user_id === "user-anna") throw apiError("conflict", {}, "The last active administrator cannot be deactivated.");
      users = users.map((u) => (u.id === user_id ? { ...u, active: false, deactivated_at: "2026-11-23T12:00:00Z" } : u));
      return { user: users.find((u) => u.id === user_id)!, reassigned: reassign_to ? REASSIGNED : [] };
    },
    "security.reset_two_factor": (input) => {
      if (resetTwoFactor) return resetTwoFactor(input);
      const found = users.find((u) => u.id === input.user_id)!;
      if (!found.two_factor) throw apiError("conflict", {}, `${found.display_name} has no two-factor sign-in to reset.`);
      users = users.map((u) => (u.id === input.user_id ? { ...u, two_factor: false } : u));
      return users.find((u) => u.id === input.user_id)!;
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
    "security.set_role_visibility": ({ role_id, visibility }) => {
      roles = roles.map((r) => (r.id === role_id ? { ...r, visibility } : r));
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

  it("offboards a user only after a dialog that says what happens; cancelling sends nothing", async () => {
    const user = userEvent.setup();
    const fake = adminCore();
    await user.click(await screen.findByTestId("deactivate-boris"));
    const dialog = screen.getByTestId("offboard-dialog");
    expect(dialog).toHaveRole("alertdialog");
    expect(dialog).toHaveTextContent("Deactivate Boris?");
    expect(dialog).toHaveTextContent("will not be able to sign in any more, and any session of theirs that is open ends at once");
    expect(dialog).toHaveTextContent("A colleague can take over their open organisations, contacts and relations");

    await user.click(within(dialog).getByTestId("offboard-cancel"));
    expect(screen.queryByTestId("offboard-dialog")).toBeNull();
    expect(fake.callsOf("security.offboard_user")).toEqual([]);
    expect(fake.callsOf("security.deactivate_user")).toEqual([]);
  });

  it("offers the active colleagues other than the departing user, keeping the records by default", async () => {
    const user = userEvent.setup();
    adminCore();
    await user.click(await screen.findByTestId("deactivate-boris"));
    const heir = screen.getByTestId("offboard-heir");
    expect(heir).toHaveValue("");
    // Vera is deactivated, Boris is the one leaving: Anna alone can take over.
    expect(within(heir).getAllByRole("option").map((o) => [o.getAttribute("value"), o.textContent])).toEqual([
      ["", "Nobody: keep the records with them"],
      ["user-anna", "Anna"],
    ]);
    expect(heir).toHaveAccessibleName("Hand their open records to");
  });

  it("deactivates without an heir: no reassign_to is sent, and the list shows the user deactivated", async () => {
    const user = userEvent.setup();
    const fake = adminCore();
    await user.click(await screen.findByTestId("deactivate-boris"));
    await user.click(screen.getByTestId("offboard-confirm"));

    expect(await screen.findByTestId("offboard-done")).toHaveTextContent(/^Boris was deactivated\.$/);
    expect(fake.callsOf("security.offboard_user")).toEqual([{ user_id: "user-boris" }]);
    await waitFor(() => expect(screen.getByTestId("user-status-boris")).toHaveTextContent("Deactivated"));
    expect(screen.queryByTestId("offboard-dialog")).toBeNull();
    expect(screen.queryByTestId("deactivate-boris")).toBeNull();
  });

  it("hands the open records to the chosen colleague and says how many of each kind went", async () => {
    const user = userEvent.setup();
    const fake = adminCore();
    await user.click(await screen.findByTestId("deactivate-boris"));
    await user.selectOptions(screen.getByTestId("offboard-heir"), "user-anna");
    await user.click(screen.getByTestId("offboard-confirm"));

    const done = await screen.findByTestId("offboard-done");
    expect(done).toHaveTextContent("Boris was deactivated. 3 organisations and 5 contacts went to Anna.");
    expect(within(done).getAllByText(/^(Boris|Anna)$/).map((n) => n.tagName)).toEqual(["BDI", "BDI"]);
    expect(fake.callsOf("security.offboard_user")).toEqual([{ user_id: "user-boris", reassign_to: "user-anna" }]);
    await waitFor(() => expect(screen.getByTestId("user-status-boris")).toHaveTextContent("Deactivated"));
  });

  it("says so when the colleague had nothing to take over", async () => {
    const user = userEvent.setup();
    adminCore(ADMINISTRATOR, {
      offboard: ({ user_id }) => ({ user: userView("boris", { id: user_id, active: false }), reassigned: [] }),
    });
    await user.click(await screen.findByTestId("deactivate-boris"));
    await user.selectOptions(screen.getByTestId("offboard-heir"), "user-anna");
    await user.click(screen.getByTestId("offboard-confirm"));
    expect(await screen.findByTestId("offboard-done")).toHaveTextContent("Boris was deactivated. They had no open records to hand over.");
  });

  it("words the notice in the user's language, with the plural each count needs", async () => {
    const user = userEvent.setup();
    window.localStorage.setItem("accord.language", "ru");
    await i18n.changeLanguage("ru");
    adminCore(ADMINISTRATOR, {
      offboard: () => ({
        user: userView("boris", { display_name: "Борис", active: false }),
        reassigned: [{ table: "organisations", count: 21 }, { table: "contacts", count: 3 }, { table: "organisation_relations", count: 5 }],
      }),
    });
    await user.click(await screen.findByTestId("deactivate-boris"));
    await user.selectOptions(screen.getByTestId("offboard-heir"), "user-anna");
    await user.click(screen.getByTestId("offboard-confirm"));
    expect(await screen.findByTestId("offboard-done")).toHaveTextContent(
      "Пользователь Борис отключён. Пользователю Anna переданы: 21 организация, 3 контакта и 5 связей.",
    );
  });

  it("shows the core's objection to the colleague under the select, and keeps the dialog open", async () => {
    const user = userEvent.setup();
    adminCore(ADMINISTRATOR, {
      offboard: () => {
        throw apiError("invalid_input", { reassign_to: { code: "invalid_value", message: "the colleague is deactivated" } });
      },
    });
    await user.click(await screen.findByTestId("deactivate-boris"));
    const heir = screen.getByTestId("offboard-heir");
    await user.selectOptions(heir, "user-anna");
    await user.click(screen.getByTestId("offboard-confirm"));

    const error = await screen.findByTestId("offboard-heir-error");
    expect(error).toHaveTextContent("This value is not valid.");
    expect(heir.closest(".field")).toContainElement(error);
    expect(heir).toHaveAttribute("aria-invalid", "true");
    // The problem is told once, beside the select, not again above the buttons.
    expect(within(screen.getByTestId("offboard-dialog")).getAllByRole("alert")).toEqual([error]);
    expect(screen.queryByTestId("offboard-done")).toBeNull();
    expect(screen.getByTestId("user-status-boris")).not.toHaveTextContent("Deactivated");
  });

  it("explains, with the core's words, why the last administrator cannot be deactivated", async () => {
    const user = userEvent.setup();
    adminCore();
    await user.click(await screen.findByTestId("deactivate-anna"));
    await user.click(screen.getByTestId("offboard-confirm"));
    const dialog = screen.getByTestId("offboard-dialog");
    await waitFor(() => expect(within(dialog).getByRole("alert")).toHaveTextContent("at least one active administrator"));
    expect(within(dialog).getByRole("alert")).toHaveTextContent("The last active administrator cannot be deactivated.");
    expect(screen.getByTestId("user-status-anna")).toHaveTextContent("Active");
  });

  it("tells a colleague who offboards a user someone else has just deactivated that it is done already", async () => {
    const user = userEvent.setup();
    adminCore(ADMINISTRATOR, {
      offboard: () => {
        throw apiError("conflict", {}, "The user is already deactivated.");
      },
    });
    await user.click(await screen.findByTestId("deactivate-boris"));
    await user.click(screen.getByTestId("offboard-confirm"));
    const alert = await within(screen.getByTestId("offboard-dialog")).findByRole("alert");
    expect(alert).toHaveTextContent("Boris has already been deactivated by someone else.");
    expect(alert).not.toHaveTextContent("administrator");
  });

  it("opens the audit of a departed user's work from the notice, filtered to them", async () => {
    const user = userEvent.setup();
    const fake = adminCore();
    await user.click(await screen.findByTestId("deactivate-boris"));
    await user.click(screen.getByTestId("offboard-confirm"));
    await screen.findByTestId("offboard-done");
    expect(fake.callsOf("audit.list")).toEqual([]);

    const open = screen.getByTestId("offboard-open-audit");
    expect(open).toHaveTextContent("Audit of their work");
    await user.click(open);
    const tab = screen.getByTestId("admin-tab-audit");
    expect(tab).toHaveAttribute("aria-selected", "true");
    expect(tab).toHaveFocus();
    await waitFor(() => expect(screen.getByTestId("audit-filter-person")).toHaveDisplayValue("Boris (deactivated)"));
    expect(screen.getByTestId("audit-filter-person")).toHaveValue("user-boris");

    // Their audited actions, and the records they changed: only Boris's were asked for.
    await waitFor(() => expect(screen.getAllByTestId("audit-entry").map((row) => row.dataset.seq)).toEqual(["2"]));
    expect(fake.callsOf("audit.list")).toEqual([{ limit: 100, actor_id: "user-boris" }]);
    const changes = await screen.findByTestId("person-changes");
    expect(await within(changes).findAllByTestId("person-change-row")).toHaveLength(1);
    expect(changes).toHaveTextContent("Northwind");
    expect(fake.callsOf("audit.changes_by_person")).toEqual([{ actor_id: "user-boris", limit: 100 }]);

    // The audit tab chosen by hand later opens on everyone again.
    await user.click(screen.getByTestId("admin-tab-users"));
    await user.click(screen.getByTestId("admin-tab-audit"));
    expect(await screen.findByTestId("audit-filter-person")).toHaveValue("");
    await waitFor(() => expect(screen.getAllByTestId("audit-entry")).toHaveLength(2));
    expect(screen.queryByTestId("person-changes")).toBeNull();
  });

  it("offers no audit after an offboarding to who may manage users but not read the log", async () => {
    const user = userEvent.setup();
    adminCore(signedIn({ id: "user-m", display_name: "Maria", permissions: ["users.manage", "session.use"] }));
    await user.click(await screen.findByTestId("deactivate-boris"));
    await user.click(screen.getByTestId("offboard-confirm"));
    expect(await screen.findByTestId("offboard-done")).toHaveTextContent(/^Boris was deactivated\.$/);
    expect(screen.queryByTestId("offboard-open-audit")).toBeNull();
    expect(screen.queryByTestId("admin-tab-audit")).toBeNull();
  });

  it("shows who signs in with two factors, and resets it for a user who lost their phone, after asking", async () => {
    const user = userEvent.setup();
    const fake = adminCore();
    const boris = await screen.findByTestId("user-row-boris");
    const anna = screen.getByTestId("user-row-anna");
    expect(within(boris).getByTestId("user-two-factor")).toHaveAttribute("data-enabled", "true");
    expect(within(boris).getByTestId("user-two-factor")).toHaveTextContent("On");
    expect(within(anna).getByTestId("user-two-factor")).toHaveAttribute("data-enabled", "false");
    expect(within(anna).getByTestId("user-two-factor")).toHaveTextContent("Off");
    // Nothing to reset for whoever signs in with a password alone.
    expect(within(anna).queryByTestId("reset-two-factor")).toBeNull();
    expect(screen.getAllByTestId("reset-two-factor")).toHaveLength(1);

    const reset = within(boris).getByTestId("reset-two-factor");
    expect(reset).toHaveAccessibleName("Reset the two-factor sign-in of Boris");
    await user.click(reset);
    const dialog = screen.getByTestId("reset-two-factor-dialog");
    expect(dialog).toHaveRole("alertdialog");
    expect(dialog).toHaveTextContent("Reset the two-factor sign-in of Boris?");
    expect(dialog).toHaveTextContent("lost both their phone and their recovery codes");
    await user.click(within(dialog).getByTestId("reset-two-factor-cancel"));
    expect(screen.queryByTestId("reset-two-factor-dialog")).toBeNull();
    expect(fake.callsOf("security.reset_two_factor")).toEqual([]);

    await user.click(within(boris).getByTestId("reset-two-factor"));
    await user.click(screen.getByTestId("reset-two-factor-confirm"));
    expect(await screen.findByTestId("admin-users-notice")).toHaveTextContent(
      "The two-factor sign-in of Boris was reset. They sign in with their password and can set it up again in Settings.",
    );
    expect(fake.callsOf("security.reset_two_factor")).toEqual([{ user_id: "user-boris" }]);
    expect(screen.queryByTestId("reset-two-factor-dialog")).toBeNull();
    // The list is read again: Boris signs in with a password alone now.
    await waitFor(() => expect(within(screen.getByTestId("user-row-boris")).getByTestId("user-two-factor")).toHaveAttribute("data-enabled", "false"));
    expect(screen.queryByTestId("reset-two-factor")).toBeNull();
  });

  it("says so in the tab's banner when the two-factor sign-in was turned off meanwhile", async () => {
    const user = userEvent.setup();
    adminCore(ADMINISTRATOR, {
      resetTwoFactor: () => {
        throw apiError("conflict", {}, "Boris has no two-factor sign-in to reset.");
      },
    });
    await user.click(await screen.findByTestId("reset-two-factor"));
    await user.click(screen.getByTestId("reset-two-factor-confirm"));
    expect(await screen.findByTestId("admin-users-error")).toHaveTextContent(
      "Boris no longer has two-factor sign-in: it was turned off in the meantime.",
    );
    expect(screen.queryByTestId("reset-two-factor-dialog")).toBeNull();
    expect(screen.queryByTestId("admin-users-notice")).toBeNull();
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
    // The header, the records each role sees, then a row per permission.
    expect(within(matrix).getAllByRole("row")).toHaveLength(PERMISSIONS.length + 2);
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
    expect(screen.getByTestId("visibility-sales")).toBeDisabled();
    expect(screen.getByTestId("visibility-role-x")).toBeDisabled();
  });

  it("sets how far a role sees, and reads the roles again", async () => {
    const user = userEvent.setup();
    const fake = adminCore();
    await user.click(await screen.findByTestId("admin-tab-roles"));
    const sales = await screen.findByTestId("visibility-sales");
    expect(sales).toHaveDisplayValue("All records");
    expect(within(sales).getAllByRole("option").map((o) => o.textContent)).toEqual([
      "Own and shared records",
      "Their department's",
      "All records",
    ]);
    expect(sales).toHaveAccessibleName("Records seen by Sales");
    const rolesReads = fake.callsOf("security.list_roles").length;

    await user.selectOptions(sales, "department");
    expect(fake.callsOf("security.set_role_visibility")).toEqual([{ role_id: "role-sales", visibility: "department" }]);
    await waitFor(() => expect(fake.callsOf("security.list_roles").length).toBeGreaterThan(rolesReads));
    await waitFor(() => expect(screen.getByTestId("visibility-sales")).toBeEnabled());
    expect(screen.getByTestId("visibility-sales")).toHaveDisplayValue("Their department's");

    await user.selectOptions(screen.getByTestId("visibility-role-x"), "own");
    expect(fake.callsOf("security.set_role_visibility").at(-1)).toEqual({ role_id: "role-x", visibility: "own" });
  });

  it("keeps the administrator role seeing all records", async () => {
    const user = userEvent.setup();
    adminCore();
    await user.click(await screen.findByTestId("admin-tab-roles"));
    const administrator = await screen.findByTestId("visibility-administrator");
    expect(administrator).toBeDisabled();
    expect(administrator).toHaveDisplayValue("All records");
    expect(administrator.closest("td")).toHaveAttribute("title", "The administrator role always sees all records.");
  });

  it("shows the core's refusal of a visibility with the field it names", async () => {
    const user = userEvent.setup();
    const fake = fakeTransport({
      "session.get": () => ADMINISTRATOR,
      "security.list_users": () => ({ users: [] }),
      "security.list_roles": () => ({ roles: ROLES, permissions: PERMISSIONS }),
      "security.list_departments": () => ({ departments: [] }),
      "security.set_role_visibility": () => {
        throw apiError("invalid_input", { visibility: { code: "invalid_value", message: "only all" } });
      },
    });
    render(<App transport={fake.transport} initialRoute={{ screen: "admin" }} />);
    await user.click(await screen.findByTestId("admin-tab-roles"));
    await user.selectOptions(await screen.findByTestId("visibility-newcomer"), "own");
    const error = await screen.findByTestId("roles-error");
    expect(error).toHaveTextContent("Some fields need attention.");
    expect(error).toHaveTextContent("Records seen: This value is not valid.");
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

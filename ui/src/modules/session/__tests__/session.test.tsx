import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OrganisationPage, SessionStatus } from "../../../api/generated";
import { App } from "../../../app/App";
import { i18n } from "../../../i18n";
import {
  apiError,
  deferred,
  emptyPage,
  fakeTransport,
  NO_USERS,
  page,
  row,
  sessionUser,
  SIGNED_OUT,
  signedIn,
} from "../../../test/fakeTransport";

// jsdom has no layout: give the customer list a viewport so its rows render.
let restore: () => void;
beforeAll(() => {
  const original = Object.getOwnPropertyDescriptor(HTMLElement.prototype, "clientHeight");
  Object.defineProperty(HTMLElement.prototype, "clientHeight", {
    configurable: true,
    get() {
      return (this as HTMLElement).dataset.testid === "customers-list" ? 640 : 0;
    },
  });
  restore = () => {
    if (original) Object.defineProperty(HTMLElement.prototype, "clientHeight", original);
  };
});
afterAll(() => restore());

const anna = signedIn({ id: "user-anna", display_name: "Anna Petrova", all_permissions: true });
const boris = signedIn({ id: "user-boris", display_name: "Boris Ivanov", permissions: ["customers.read"] });

async function signInAs(user: ReturnType<typeof userEvent.setup>, login: string, password: string) {
  await user.type(await screen.findByTestId("sign-in-login"), login);
  await user.type(screen.getByTestId("sign-in-password"), password);
  await user.click(screen.getByTestId("sign-in-submit"));
}

describe("sign-in", () => {
  it("shows the sign-in screen instead of the app on a database with users when nobody is signed in", async () => {
    const signedOut = fakeTransport({ "session.get": () => SIGNED_OUT, "customers.list_organisations": () => emptyPage });
    render(<App transport={signedOut.transport} />);

    const screenEl = await screen.findByTestId("sign-in-screen");
    expect(within(screenEl).getByRole("heading")).toHaveTextContent("Accord");
    expect(screen.getByTestId("sign-in-login")).toHaveAttribute("autocomplete", "username");
    expect(screen.getByTestId("sign-in-password")).toHaveAttribute("type", "password");
    expect(screen.getByTestId("sign-in-password")).toHaveAttribute("autocomplete", "current-password");
    expect(screen.queryByTestId("nav-customers")).toBeNull();
    // Nothing behind the screen asked the core for data.
    expect(signedOut.calls.map((c) => c.op)).toEqual(["session.get"]);
  });

  it("signs in with Enter, shows the app, and drops what the previous person had loaded", async () => {
    const user = userEvent.setup();
    let status: SessionStatus = anna;
    const borisSearch = deferred<OrganisationPage>();
    const fake = fakeTransport({
      "session.get": () => status,
      "session.sign_out": () => {
        status = SIGNED_OUT;
        return status;
      },
      "session.sign_in": () => {
        status = boris;
        return status;
      },
      // Searches are kept in the cache for a while (the plain list is not): the probe for what stays behind.
      "customers.list_organisations": (input) => {
        if (!input.text) return emptyPage;
        return status.user?.id === "user-anna" ? page([row(0, { name: "Acme, Anna's secret customer" })]) : borisSearch.promise;
      },
    });
    render(<App transport={fake.transport} />);
    expect(await screen.findByTestId("sidebar-user")).toHaveTextContent("Anna Petrova");
    await user.type(screen.getByTestId("customers-search"), "acme");
    expect(await screen.findByText("Acme, Anna's secret customer")).toBeInTheDocument();

    await user.click(screen.getByTestId("sidebar-sign-out"));
    await screen.findByTestId("sign-in-screen");
    expect(fake.callsOf("session.sign_out")).toHaveLength(1);

    await user.type(screen.getByTestId("sign-in-login"), "boris");
    await user.type(screen.getByTestId("sign-in-password"), "correct horse{Enter}");
    expect(await screen.findByTestId("nav-customers")).toBeInTheDocument();
    expect(fake.callsOf("session.sign_in")).toEqual([{ login: "boris", password: "correct horse" }]);
    expect(screen.getByTestId("sidebar-user")).toHaveTextContent("Boris Ivanov");
    // The next person starts afresh: an empty search box, and Anna's hits are not served from the cache.
    expect(screen.getByTestId("customers-search")).toHaveValue("");
    await user.type(screen.getByTestId("customers-search"), "acme");
    await waitFor(() => expect(fake.callsOf("customers.list_organisations").filter((i) => i.text === "acme")).toHaveLength(2));
    expect(screen.queryByText("Acme, Anna's secret customer")).toBeNull();

    borisSearch.resolve(page([row(1, { name: "Acme, Boris's customer" })]));
    expect(await screen.findByText("Acme, Boris's customer")).toBeInTheDocument();
    expect(screen.queryByText("Acme, Anna's secret customer")).toBeNull();
  });

  it("says the login or password is wrong, in the chosen language, and asks for the password again", async () => {
    const user = userEvent.setup();
    const fake = fakeTransport({
      "session.get": () => SIGNED_OUT,
      "session.sign_in": () => {
        throw apiError("sign_in_failed", {}, "wrong login or password");
      },
    });
    render(<App transport={fake.transport} />);
    await signInAs(user, "anna", "not the password");

    expect(await screen.findByTestId("sign-in-error")).toHaveTextContent("The login or the password is wrong.");
    expect(screen.getByTestId("sign-in-login")).toHaveValue("anna");
    expect(screen.getByTestId("sign-in-password")).toHaveValue("");
    expect(screen.getByTestId("sign-in-screen")).toBeInTheDocument();

    await user.selectOptions(screen.getByTestId("sign-in-language"), "ru");
    await waitFor(() => expect(screen.getByTestId("sign-in-error")).toHaveTextContent("Неверный логин или пароль."));
    await user.selectOptions(screen.getByTestId("sign-in-language"), "fa");
    await waitFor(() => expect(screen.getByTestId("sign-in-error")).toHaveTextContent("نام کاربری یا گذرواژه نادرست است."));
    expect(screen.getByTestId("sign-in-submit")).toHaveTextContent("ورود");
    await i18n.changeLanguage("en");
  });

  it("shows until when a locked account stays locked, in the core's words", async () => {
    const user = userEvent.setup();
    const until = "This account is locked until 2026-11-23 12:40 UTC after too many wrong passwords.";
    const fake = fakeTransport({
      "session.get": () => SIGNED_OUT,
      "session.sign_in": () => {
        throw apiError("account_locked", {}, until);
      },
    });
    render(<App transport={fake.transport} />);
    await signInAs(user, "anna", "guess");

    const error = await screen.findByTestId("sign-in-error");
    expect(error).toHaveTextContent("this account is locked for a while");
    expect(screen.getByTestId("sign-in-error-detail")).toHaveTextContent(until);
  });

  it("tells a deactivated user so, and keeps the button disabled while signing in", async () => {
    const user = userEvent.setup();
    const answer = deferred<SessionStatus>();
    const fake = fakeTransport({ "session.get": () => SIGNED_OUT, "session.sign_in": () => answer.promise });
    render(<App transport={fake.transport} />);
    await signInAs(user, "gone", "whatever password");

    await waitFor(() => expect(screen.getByTestId("sign-in-submit")).toBeDisabled());
    // A second Enter while the first is pending sends nothing more.
    fireEvent.submit(screen.getByTestId("sign-in-submit").closest("form")!);
    expect(fake.callsOf("session.sign_in")).toHaveLength(1);
    answer.reject(apiError("permission_denied"));
    expect(await screen.findByTestId("sign-in-error")).toHaveTextContent("This account has been deactivated.");
    expect(screen.getByTestId("sign-in-submit")).toBeEnabled();
  });

  it("shows the core's field errors beside the fields", async () => {
    const user = userEvent.setup();
    const fake = fakeTransport({
      "session.get": () => SIGNED_OUT,
      "session.sign_in": () => {
        throw apiError("invalid_input", { login: { code: "required", message: "Enter your login." } });
      },
    });
    render(<App transport={fake.transport} />);
    await user.click(await screen.findByTestId("sign-in-submit"));
    expect(await screen.findByTestId("sign-in-login-error")).toHaveTextContent("This field is required.");
    expect(screen.getByTestId("sign-in-login")).toHaveAttribute("aria-invalid", "true");
    expect(fake.callsOf("session.sign_in")).toEqual([{ login: "", password: "" }]);
  });

  it("brings the sign-in screen back when any call finds the session ended", async () => {
    let status: SessionStatus = anna;
    const fake = fakeTransport({
      "session.get": () => status,
      "customers.list_organisations": () => {
        // The session expired in the shell: the core refuses, and session.get now says so too.
        status = SIGNED_OUT;
        throw apiError("signed_out");
      },
    });
    render(<App transport={fake.transport} />);

    expect(await screen.findByTestId("sign-in-screen")).toBeInTheDocument();
    expect(screen.getByTestId("session-ended")).toHaveTextContent("Your session has ended. Please sign in again.");
    expect(screen.queryByTestId("nav-customers")).toBeNull();
    expect(fake.callsOf("session.get")).toHaveLength(2);
  });
});

describe("remember me on this computer", () => {
  it("sends remember only when ticked, where the core offers it", async () => {
    const user = userEvent.setup();
    const fake = fakeTransport({
      "session.get": () => SIGNED_OUT,
      "session.sign_in": () => {
        throw apiError("sign_in_failed");
      },
    });
    render(<App transport={fake.transport} />);
    await signInAs(user, "anna", "first try");
    await screen.findByTestId("sign-in-error");
    expect(fake.callsOf("session.sign_in")[0]).toEqual({ login: "anna", password: "first try" });

    const remember = screen.getByTestId("sign-in-remember");
    expect(remember).not.toBeChecked();
    expect(screen.getByText(/30 days/)).toBeInTheDocument();
    await user.click(remember);
    await user.type(screen.getByTestId("sign-in-password"), "second try");
    await user.click(screen.getByTestId("sign-in-submit"));
    await waitFor(() => expect(fake.callsOf("session.sign_in")).toHaveLength(2));
    expect(fake.callsOf("session.sign_in")[1]).toEqual({ login: "anna", password: "second try", remember: true });
  });

  it("is not offered on a team server, which always asks", async () => {
    const fake = fakeTransport({ "session.get": () => ({ ...SIGNED_OUT, can_remember: false }) });
    render(<App transport={fake.transport} />);
    await screen.findByTestId("sign-in-login");
    expect(screen.queryByTestId("sign-in-remember")).toBeNull();
  });
});

describe("two-factor sign-in", () => {
  /** A core where anna's password is "correct horse" and her authenticator shows 123456 now. */
  function twoFactorCore(refuseCode: (code: string) => void = () => undefined) {
    let status: SessionStatus = SIGNED_OUT;
    const fake = fakeTransport({
      "session.get": () => status,
      "customers.list_organisations": () => emptyPage,
      "session.sign_in": ({ password, code }) => {
        if (password !== "correct horse") throw apiError("sign_in_failed");
        if (code === undefined || code === "") throw apiError("second_factor_required");
        refuseCode(code);
        if (code !== "123456") throw apiError("second_factor_wrong");
        status = anna;
        return status;
      },
    });
    render(<App transport={fake.transport} />);
    return fake;
  }

  it("asks for the code once the password is right, and signs in with login, password and code together", async () => {
    const user = userEvent.setup();
    const fake = twoFactorCore();
    await signInAs(user, "anna", "correct horse");

    const code = await screen.findByTestId("sign-in-code");
    expect(code).toHaveFocus();
    expect(code).toHaveAttribute("inputmode", "numeric");
    expect(code).toHaveAttribute("autocomplete", "one-time-code");
    expect(code).toHaveAttribute("dir", "ltr");
    expect(code).toHaveAccessibleDescription("No phone at hand? One of your recovery codes works too.");
    // Asking for the code is not an error, and the password is not asked for again.
    expect(screen.queryByTestId("sign-in-error")).toBeNull();
    expect(screen.queryByTestId("sign-in-password")).toBeNull();
    expect(screen.getByTestId("sign-in-code-hint")).toHaveTextContent("Two-factor sign-in is on for anna.");
    expect(screen.queryByTestId("nav-customers")).toBeNull();

    await user.type(code, "123456{Enter}");
    expect(await screen.findByTestId("sidebar-user")).toHaveTextContent("Anna Petrova");
    expect(fake.callsOf("session.sign_in")).toEqual([
      { login: "anna", password: "correct horse" },
      { login: "anna", password: "correct horse", code: "123456" },
    ]);
  });

  it("says a wrong or already used code, empties the field and keeps asking for the code", async () => {
    const user = userEvent.setup();
    const fake = twoFactorCore((code) => {
      if (code === "222222") throw apiError("second_factor_replayed");
    });
    await signInAs(user, "anna", "correct horse");

    await user.type(await screen.findByTestId("sign-in-code"), "111111");
    await user.click(screen.getByTestId("sign-in-submit"));
    const wrong = await screen.findByTestId("sign-in-error");
    expect(wrong).toHaveAttribute("data-code", "second_factor_wrong");
    expect(wrong).toHaveTextContent("The code is wrong or has expired.");
    expect(screen.getByTestId("sign-in-code")).toHaveValue("");
    await waitFor(() => expect(screen.getByTestId("sign-in-code")).toHaveFocus());
    expect(screen.queryByTestId("sign-in-password")).toBeNull();

    await user.type(screen.getByTestId("sign-in-code"), "222222{Enter}");
    await waitFor(() => expect(screen.getByTestId("sign-in-error")).toHaveAttribute("data-code", "second_factor_replayed"));
    expect(screen.getByTestId("sign-in-error")).toHaveTextContent("This code has already been used. Wait for the next code");
    expect(screen.getByTestId("sign-in-code")).toHaveValue("");

    await user.selectOptions(screen.getByTestId("sign-in-language"), "fa");
    await waitFor(() => expect(screen.getByTestId("sign-in-error")).toHaveTextContent("این کد قبلاً استفاده شده است."));
    expect(screen.getByTestId("sign-in-code")).toHaveAttribute("dir", "ltr");
    await i18n.changeLanguage("en");

    // Every try sends the password again with the code: the core checks them together.
    expect(fake.callsOf("session.sign_in").slice(1)).toEqual([
      { login: "anna", password: "correct horse", code: "111111" },
      { login: "anna", password: "correct horse", code: "222222" },
    ]);
    expect(screen.queryByTestId("sidebar-user")).toBeNull();
  });

  it("goes back to login and password, forgetting the password", async () => {
    const user = userEvent.setup();
    const fake = twoFactorCore();
    await signInAs(user, "anna", "correct horse");
    await user.type(await screen.findByTestId("sign-in-code"), "111111{Enter}");
    await screen.findByTestId("sign-in-error");

    await user.click(screen.getByTestId("sign-in-back"));
    expect(screen.queryByTestId("sign-in-code")).toBeNull();
    expect(screen.getByTestId("sign-in-login")).toHaveFocus();
    expect(screen.queryByTestId("sign-in-error")).toBeNull();
    expect(screen.getByTestId("sign-in-login")).toHaveValue("anna");
    expect(screen.getByTestId("sign-in-password")).toHaveValue("");

    await user.clear(screen.getByTestId("sign-in-login"));
    await signInAs(user, "boris", "not the password");
    expect(await screen.findByTestId("sign-in-error")).toHaveAttribute("data-code", "sign_in_failed");
    expect(fake.callsOf("session.sign_in").at(-1)).toEqual({ login: "boris", password: "not the password" });
  });

  it("returns to the password with until when, once wrong codes have locked the account", async () => {
    const user = userEvent.setup();
    const until = "Too many failed sign-in attempts: this account is locked until 12:40 UTC (about 1 min).";
    twoFactorCore(() => {
      throw apiError("account_locked", {}, until);
    });
    await signInAs(user, "anna", "correct horse");
    await user.type(await screen.findByTestId("sign-in-code"), "111111{Enter}");

    const error = await screen.findByTestId("sign-in-error");
    expect(error).toHaveAttribute("data-code", "account_locked");
    expect(error).toHaveTextContent("this account is locked for a while");
    expect(screen.getByTestId("sign-in-error-detail")).toHaveTextContent(until);
    expect(screen.queryByTestId("sign-in-code")).toBeNull();
    expect(screen.getByTestId("sign-in-password")).toHaveValue("");
  });
});

describe("first administrator", () => {
  function firstStart() {
    let status: SessionStatus = NO_USERS;
    const fake = fakeTransport({
      "session.get": () => status,
      "customers.list_organisations": () => emptyPage,
      "settings.get_connection": () => ({ mode: "embedded", database_path: "/tmp/accord.sqlite3", server_url: null, server_user: null, problem: null }),
      "session.create_first_administrator": ({ password, display_name }) => {
        if (password.length < 10) throw apiError("invalid_input", { password: { code: "too_short", message: "at least 10" } });
        status = { has_users: true, can_remember: true, user: sessionUser({ id: "user-admin", display_name, all_permissions: true }) };
        return status;
      },
    });
    render(<App transport={fake.transport} initialRoute={{ screen: "settings" }} />);
    return fake;
  }

  async function fill(user: ReturnType<typeof userEvent.setup>, password: string, repeat: string) {
    await user.type(await screen.findByTestId("first-admin-login"), "anna");
    await user.type(screen.getByTestId("first-admin-name"), "Anna Petrova");
    await user.type(screen.getByTestId("first-admin-password"), password);
    await user.type(screen.getByTestId("first-admin-repeat"), repeat);
    await user.click(screen.getByTestId("first-admin-submit"));
  }

  it("explains that the database is used without sign-in, and refuses a repeated password that differs without asking the core", async () => {
    const user = userEvent.setup();
    const fake = firstStart();
    expect(await screen.findByText(/used without signing in by whoever uses this computer/)).toBeInTheDocument();
    expect(screen.queryByTestId("sidebar-user")).toBeNull();
    await fill(user, "long enough password", "long enough passw0rd");

    expect(await screen.findByTestId("first-admin-repeat-error")).toHaveTextContent("The two passwords do not match.");
    expect(screen.getByTestId("first-admin-repeat")).toHaveAttribute("aria-invalid", "true");
    expect(fake.callsOf("session.create_first_administrator")).toEqual([]);
  });

  it("shows the core's too-short password beside the field, then signs in as the new administrator", async () => {
    const user = userEvent.setup();
    const fake = firstStart();
    await fill(user, "short", "short");
    expect(await screen.findByTestId("first-admin-password-error")).toHaveTextContent("This value is too short.");

    await user.clear(screen.getByTestId("first-admin-password"));
    await user.type(screen.getByTestId("first-admin-password"), "long enough password");
    await user.clear(screen.getByTestId("first-admin-repeat"));
    await user.type(screen.getByTestId("first-admin-repeat"), "long enough password");
    await user.click(screen.getByTestId("first-admin-submit"));

    expect(await screen.findByTestId("session-user")).toHaveTextContent("Signed in as Anna Petrova");
    expect(fake.callsOf("session.create_first_administrator").at(-1)).toEqual({
      login: "anna",
      display_name: "Anna Petrova",
      password: "long enough password",
      role_id: null,
      department_id: null,
    });
    expect(screen.queryByTestId("first-admin-form")).toBeNull();
    expect(screen.getByTestId("sidebar-user")).toHaveTextContent("Anna Petrova");
    // An administrator may administer.
    expect(screen.getByTestId("nav-admin")).toBeEnabled();
  });

  it("signs out from Settings to the sign-in screen", async () => {
    const user = userEvent.setup();
    let status: SessionStatus = anna;
    const fake = fakeTransport({
      "session.get": () => status,
      "session.sign_out": () => {
        status = SIGNED_OUT;
        return status;
      },
      "settings.get_connection": () => ({ mode: "embedded", database_path: null, server_url: null, server_user: null, problem: null }),
    });
    render(<App transport={fake.transport} initialRoute={{ screen: "settings" }} />);
    expect(await screen.findByTestId("session-user")).toHaveTextContent("Signed in as Anna Petrova");
    await user.click(screen.getByTestId("sign-out"));
    expect(await screen.findByTestId("sign-in-screen")).toBeInTheDocument();
    expect(fake.callsOf("session.sign_out")).toHaveLength(1);
    expect(screen.queryByTestId("session-ended")).toBeNull();
  });
});

describe("administration in the sidebar", () => {
  it("is offered only to a user who may manage users", async () => {
    const plain = fakeTransport({ "session.get": () => boris, "customers.list_organisations": () => emptyPage });
    const { unmount } = render(<App transport={plain.transport} />);
    expect(await screen.findByTestId("sidebar-user")).toHaveTextContent("Boris Ivanov");
    expect(screen.queryByTestId("nav-admin")).toBeNull();
    unmount();

    const manager = signedIn({ id: "user-m", display_name: "Maria", permissions: ["customers.read", "users.manage"] });
    const allowed = fakeTransport({ "session.get": () => manager, "customers.list_organisations": () => emptyPage });
    render(<App transport={allowed.transport} />);
    expect(await screen.findByTestId("nav-admin")).toBeEnabled();
  });

  it("is hidden when nobody signs in (a database without users)", async () => {
    const fake = fakeTransport({ "customers.list_organisations": () => emptyPage });
    render(<App transport={fake.transport} />);
    await screen.findByTestId("nav-customers");
    expect(screen.queryByTestId("nav-admin")).toBeNull();
    expect(screen.queryByTestId("sidebar-user")).toBeNull();
  });
});

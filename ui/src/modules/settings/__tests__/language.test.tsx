import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { ConnectionSettings } from "../../../api/generated";
import { App } from "../../../app/App";
import { detectLanguage, STORAGE_KEY } from "../../../i18n";
import { formatDate, formatNumber } from "../../../shared/format";
import { apiError, emptyPage, fakeTransport } from "../../../test/fakeTransport";

const connection: ConnectionSettings = {
  mode: "embedded",
  database_path: "/home/u/.local/share/accord/accord.sqlite3",
  server_url: null,
  server_user: null,
  problem: null,
};

function settingsApp() {
  const fake = fakeTransport({
    "customers.list_organisations": () => emptyPage,
    "settings.get_connection": () => connection,
    "settings.set_language": ({ language }) => ({ language }),
  });
  render(<App transport={fake.transport} initialRoute={{ screen: "settings" }} />);
  return fake;
}

describe("language switch", () => {
  it("tells the desktop shell the language at start and at every switch, for its tray menu", async () => {
    const user = userEvent.setup();
    const fake = settingsApp();
    await waitFor(() => expect(fake.callsOf("settings.set_language")).toEqual([{ language: "en" }]));
    await user.selectOptions(screen.getByTestId("language-select"), "ru");
    await waitFor(() => expect(fake.callsOf("settings.set_language")).toEqual([{ language: "en" }, { language: "ru" }]));
    await user.selectOptions(screen.getByTestId("language-select"), "en");
  });

  it("changes every text, mirrors the window for Persian and back, and remembers the choice", async () => {
    const user = userEvent.setup();
    settingsApp();
    const select = await screen.findByTestId("language-select");
    expect(document.documentElement).toHaveAttribute("dir", "ltr");
    expect(screen.getByTestId("nav-customers")).toHaveTextContent("Customers");

    await user.selectOptions(select, "fa");
    await waitFor(() => expect(document.documentElement).toHaveAttribute("dir", "rtl"));
    expect(document.documentElement).toHaveAttribute("lang", "fa");
    expect(screen.getByTestId("nav-customers")).toHaveTextContent("مشتریان");
    expect(screen.getByTestId("nav-settings")).toHaveTextContent("تنظیمات");
    expect(window.localStorage.getItem(STORAGE_KEY)).toBe("fa");
    expect(detectLanguage()).toBe("fa");
    expect(await screen.findByTestId("connection-mode")).toHaveTextContent("پایگاه داده داخلی");

    await user.selectOptions(select, "ru");
    await waitFor(() => expect(document.documentElement).toHaveAttribute("dir", "ltr"));
    expect(document.documentElement).toHaveAttribute("lang", "ru");
    expect(screen.getByTestId("nav-customers")).toHaveTextContent("Клиенты");
    expect(window.localStorage.getItem(STORAGE_KEY)).toBe("ru");

    await user.selectOptions(select, "en");
    await waitFor(() => expect(screen.getByTestId("nav-customers")).toHaveTextContent("Customers"));
    expect(document.documentElement).toHaveAttribute("dir", "ltr");
    expect(window.localStorage.getItem(STORAGE_KEY)).toBe("en");
  });

  it("defaults to the saved choice, else the system language, else English", () => {
    window.localStorage.setItem(STORAGE_KEY, "ru");
    expect(detectLanguage()).toBe("ru");
    window.localStorage.setItem(STORAGE_KEY, "xx");
    // jsdom reports en-US.
    expect(detectLanguage()).toBe("en");
  });

  it("formats dates in the Solar Hijri calendar with Persian digits for Persian", () => {
    const fa = formatDate("2026-11-23T12:00:00Z", "fa");
    expect(fa).toContain("۱۴۰۵");
    expect(fa).toMatch(/آذر/);
    expect(fa).not.toMatch(/[0-9]/);
    expect(formatDate("2026-11-23T12:00:00Z", "en")).toMatch(/2026/);
    expect(formatDate("2026-11-23T12:00:00Z", "ru")).toMatch(/нояб/);
    expect(formatNumber(12345, "fa")).toBe("۱۲٬۳۴۵");
  });
});

describe("connection settings", () => {
  it("connects to a team server and shows the core's field errors in the chosen language", async () => {
    const user = userEvent.setup();
    let attempts = 0;
    const fake = fakeTransport({
      "customers.list_organisations": () => emptyPage,
      "settings.get_connection": () => connection,
      "settings.connect_server": () => {
        attempts += 1;
        if (attempts === 1)
          throw { code: "invalid_input", message: "bad", fields: { url: { code: "invalid_value", message: "bad url" } } };
        return { ...connection, mode: "server", server_url: "postgres://db/accord", server_user: "anna" };
      },
    });
    render(<App transport={fake.transport} initialRoute={{ screen: "settings" }} />);
    expect(await screen.findByTestId("connection-mode")).toHaveAttribute("data-mode", "embedded");

    await user.type(screen.getByTestId("connection-url"), "nonsense");
    await user.type(screen.getByTestId("connection-user"), "anna");
    await user.type(screen.getByTestId("connection-password"), "secret");
    expect(screen.getByTestId("connection-password")).toHaveAttribute("type", "password");
    await user.click(screen.getByTestId("connect-server"));
    expect(await screen.findByText("This value is not valid.")).toBeInTheDocument();
    expect(screen.getByTestId("connection-url")).toHaveAttribute("aria-invalid", "true");

    await user.clear(screen.getByTestId("connection-url"));
    await user.type(screen.getByTestId("connection-url"), "postgres://db/accord");
    await user.type(screen.getByTestId("connection-password"), "secret");
    await user.click(screen.getByTestId("connect-server"));
    await waitFor(() => expect(screen.getByTestId("connection-mode")).toHaveAttribute("data-mode", "server"));
    expect(fake.calls.filter((c) => c.op === "settings.connect_server").at(-1)?.input).toEqual({
      url: "postgres://db/accord",
      user: "anna",
      password: "secret",
    });
    // The password is not kept by the window.
    expect(screen.getByTestId("connection-password")).toHaveValue("");
    expect(window.localStorage.length).toBe(0);
    expect(screen.queryByTestId("connection-url-error")).not.toBeInTheDocument();
    expect(screen.queryByTestId("connection-problem")).not.toBeInTheDocument();
  });

  it("asks who is signed in on a team server once connected, which brings the sign-in screen", async () => {
    const user = userEvent.setup();
    let connected = false;
    const fake = fakeTransport({
      "customers.list_organisations": () => emptyPage,
      "settings.get_connection": () => connection,
      "session.get": () => ({ has_users: connected, user: null, can_remember: !connected }),
      "settings.connect_server": () => {
        connected = true;
        return { ...connection, mode: "server", server_url: "postgres://db/accord", server_user: "accord_anna" };
      },
    });
    render(<App transport={fake.transport} initialRoute={{ screen: "settings" }} />);
    await user.type(await screen.findByTestId("connection-url"), "postgres://db/accord");
    await user.type(screen.getByTestId("connection-user"), "accord_anna");
    await user.type(screen.getByTestId("connection-password"), "secret");
    await user.click(screen.getByTestId("connect-server"));
    expect(await screen.findByTestId("sign-in-screen")).toBeInTheDocument();
    expect(screen.queryByTestId("customers-list")).not.toBeInTheDocument();
  });

  it("shows each of the core's field errors next to its input, translated", async () => {
    const user = userEvent.setup();
    const fake = fakeTransport({
      "customers.list_organisations": () => emptyPage,
      "settings.get_connection": () => connection,
      "settings.connect_server": () => {
        throw apiError("invalid_input", {
          url: { code: "required", message: "Enter the server address." },
          user: { code: "required", message: "Enter the user name." },
          password: { code: "required", message: "Enter your password." },
        });
      },
    });
    render(<App transport={fake.transport} initialRoute={{ screen: "settings" }} />);
    await screen.findByTestId("connection-mode");

    await user.click(screen.getByTestId("connect-server"));
    for (const name of ["url", "user", "password"]) {
      const message = await screen.findByTestId(`connection-${name}-error`);
      expect(message).toHaveTextContent("This field is required.");
      const input = screen.getByTestId(`connection-${name}`);
      expect(input).toHaveAttribute("aria-invalid", "true");
      expect(input).toHaveAttribute("aria-describedby", message.id);
    }
    expect(screen.getByTestId("connection-error")).toHaveTextContent("Some fields need attention.");
    expect(fake.callsOf("settings.connect_server")).toEqual([{ url: "", user: "", password: "" }]);
    // Nothing was switched.
    expect(screen.getByTestId("connection-mode")).toHaveAttribute("data-mode", "embedded");

    await user.selectOptions(screen.getByTestId("language-select"), "ru");
    await waitFor(() => expect(screen.getByTestId("connection-user-error")).toHaveTextContent("Обязательное поле."));
  });

  it("warns when the saved server could not be used at start, with the core's reason", async () => {
    const user = userEvent.setup();
    const reason = "The password for anna on postgres://db/accord is not in the OS keyring; enter it again in Settings.";
    const fake = fakeTransport({
      "customers.list_organisations": () => emptyPage,
      "settings.get_connection": () => ({ ...connection, problem: reason }),
      "settings.connect_server": () => ({
        ...connection,
        mode: "server",
        server_url: "postgres://db/accord",
        server_user: "anna",
      }),
    });
    render(<App transport={fake.transport} initialRoute={{ screen: "settings" }} />);

    const banner = await screen.findByTestId("connection-problem");
    expect(banner).toHaveClass("banner-warning");
    expect(banner).toHaveTextContent("The saved team server could not be used");
    expect(banner).toHaveTextContent(reason);
    expect(screen.getByTestId("connection-mode")).toHaveAttribute("data-mode", "embedded");

    await user.selectOptions(screen.getByTestId("language-select"), "fa");
    await waitFor(() => expect(screen.getByTestId("connection-problem")).toHaveTextContent("سرور تیم"));
    // The core's own text is shown as it came.
    expect(screen.getByTestId("connection-problem")).toHaveTextContent(reason);
    await user.selectOptions(screen.getByTestId("language-select"), "ru");
    await waitFor(() => expect(screen.getByTestId("connection-problem")).toHaveTextContent("сервер"));

    // Connecting again with the password clears the warning.
    await user.type(screen.getByTestId("connection-url"), "postgres://db/accord");
    await user.type(screen.getByTestId("connection-user"), "anna");
    await user.type(screen.getByTestId("connection-password"), "secret");
    await user.click(screen.getByTestId("connect-server"));
    await waitFor(() => expect(screen.getByTestId("connection-mode")).toHaveAttribute("data-mode", "server"));
    expect(screen.queryByTestId("connection-problem")).not.toBeInTheDocument();
  });

  it("shows no warning when the start went as saved", async () => {
    settingsApp();
    expect(await screen.findByTestId("connection-mode")).toHaveAttribute("data-mode", "embedded");
    expect(screen.queryByTestId("connection-problem")).not.toBeInTheDocument();
  });
});

describe("start-up language", () => {
  it("applies the remembered language and direction before the first render", async () => {
    window.localStorage.setItem(STORAGE_KEY, "fa");
    document.documentElement.dir = "ltr";
    vi.resetModules();
    const fresh = await import("../../../i18n");
    expect(fresh.currentLanguage()).toBe("fa");
    expect(fresh.i18n.t("nav.settings")).toBe("تنظیمات");
    expect(document.documentElement).toHaveAttribute("dir", "rtl");
    expect(document.documentElement).toHaveAttribute("lang", "fa");
  });
});

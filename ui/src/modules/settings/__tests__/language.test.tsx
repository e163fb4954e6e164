import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { App } from "../../../app/App";
import { detectLanguage, STORAGE_KEY } from "../../../i18n";
import { formatDate, formatNumber } from "../../../shared/format";
import { fakeTransport } from "../../../test/fakeTransport";

const connection = { mode: "embedded", database_path: "/home/u/.local/share/accord/accord.sqlite3", server_url: null, server_user: null };

function settingsApp() {
  const fake = fakeTransport({
    "customers.list_organisations": () => ({ items: [], next_cursor: null }),
    "settings.get_connection": () => connection,
  });
  render(<App transport={fake.transport} initialRoute={{ screen: "settings" }} />);
  return fake;
}

describe("language switch", () => {
  it("changes every text, mirrors the window for Persian and back, and remembers the choice", async () => {
    const user = userEvent.setup();
    settingsApp();
    const select = screen.getByTestId("language-select");
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
      "customers.list_organisations": () => ({ items: [], next_cursor: null }),
      "settings.get_connection": () => connection,
      "settings.connect_server": () => {
        attempts += 1;
        if (attempts === 1)
          throw { code: "invalid_input", message: "bad", fields: { url: { code: "invalid_value", message: "bad url" } } };
        return { mode: "server", database_path: null, server_url: "postgres://db/accord", server_user: "anna" };
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

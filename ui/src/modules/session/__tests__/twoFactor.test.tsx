import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { ConnectionSettings, MyAccount, SessionStatus } from "../../../api/generated";
import { App } from "../../../app/App";
import { i18n } from "../../../i18n";
import { formatDateTime } from "../../../shared/format";
import { apiError, fakeTransport, NO_USERS, signedIn } from "../../../test/fakeTransport";

const CONNECTION: ConnectionSettings = { mode: "embedded", database_path: null, server_url: null, server_user: null, problem: null };
const ANNA = signedIn({ id: "user-anna", display_name: "Anna Petrova", all_permissions: true });
const ENABLED_AT = "2026-12-04T09:30:00Z";
/** The SVG carries an element with a test id: it would show up in the page if the SVG were injected as HTML. */
const QR_SVG =
  '<?xml version="1.0" standalone="yes"?><svg xmlns="http://www.w3.org/2000/svg" width="220" height="220"><rect data-testid="injected-svg" width="220" height="220" fill="#fff"/></svg>';
const SECRET = "JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP";

const recoveryCodes = (batch: string) => Array.from({ length: 10 }, (_, i) => `${batch}${i}aa-bbbb-cccc-dddd`);

/**
 * A fake core for one's own account: the authenticator app shows 123456 now, and the first of
 * the recovery codes handed out is still unused. Wrong codes are refused as the core does.
 */
function accountCore({ session = ANNA, enabled = false, left = 0 }: { session?: SessionStatus; enabled?: boolean; left?: number } = {}) {
  let since: string | null = enabled ? ENABLED_AT : null;
  let codesLeft = left;
  let issued = 0;
  const wrongCode = () => apiError("invalid_input", { code: { code: "invalid_value", message: "This code does not match." } });
  const issue = () => {
    issued += 1;
    codesLeft = 10;
    return { codes: recoveryCodes(String.fromCharCode(96 + issued)) };
  };
  const fake = fakeTransport({
    "session.get": () => session,
    "settings.get_connection": () => CONNECTION,
    "security.my_account": (): MyAccount => ({
      login: "anna",
      display_name: "Anna Petrova",
      two_factor_since: since,
      recovery_codes_left: codesLeft,
    }),
    "security.start_two_factor": () => {
      if (since) throw apiError("conflict", {}, "Two-factor sign-in is already on.");
      return { secret: SECRET, otpauth_uri: "otpauth://totp/Accord:anna?secret=JBSWY3DPEHPK3PXP&issuer=Accord", qr_svg: QR_SVG };
    },
    "security.confirm_two_factor": ({ code }) => {
      if (code !== "123456") throw wrongCode();
      since = ENABLED_AT;
      return issue();
    },
    "security.renew_recovery_codes": ({ code }) => {
      if (code !== "123456") throw wrongCode();
      return issue();
    },
    "security.disable_two_factor": ({ code }) => {
      if (code !== "123456" && code !== "aaaa-bbbb-cccc-dddd") throw wrongCode();
      since = null;
      codesLeft = 0;
      return null;
    },
  });
  render(<App transport={fake.transport} initialRoute={{ screen: "settings" }} />);
  return {
    ...fake,
    /** Someone turns it on in another window. */
    enableElsewhere: () => {
      since = ENABLED_AT;
      codesLeft = 10;
    },
  };
}

/** jsdom's Blob has no text(): read it the way a page without it would. */
function readText(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result as string);
    reader.onerror = () => reject(reader.error);
    reader.readAsText(blob);
  });
}

const QR_PREFIX = "data:image/svg+xml;charset=utf-8,";

describe("two-factor sign-in in Settings", () => {
  it("turns it on: the QR code as an image, a wrong code beside the field, then the ten recovery codes once", async () => {
    const user = userEvent.setup();
    const fake = accountCore();
    const status = await screen.findByTestId("two-factor-status");
    expect(status).toHaveAttribute("data-enabled", "false");
    expect(status).toHaveTextContent("Two-factor sign-in is off.");

    await user.click(screen.getByTestId("two-factor-start"));
    const qr = await screen.findByTestId("two-factor-qr");
    expect(qr.tagName).toBe("IMG");
    expect(qr).toHaveAccessibleName("QR code for your authenticator app");
    const src = qr.getAttribute("src") ?? "";
    expect(src.startsWith(QR_PREFIX)).toBe(true);
    expect(decodeURIComponent(src.slice(QR_PREFIX.length))).toBe(QR_SVG);
    // Drawn as an image, never parsed into the page.
    const section = screen.getByTestId("two-factor-section");
    expect(section.querySelector("svg, rect")).toBeNull();
    expect(screen.queryByTestId("injected-svg")).toBeNull();
    expect(screen.getByTestId("two-factor-secret")).toHaveTextContent(SECRET);
    expect(screen.getByTestId("two-factor-secret")).toHaveAttribute("dir", "ltr");
    const code = screen.getByTestId("two-factor-code");
    expect(code).toHaveFocus();
    expect(code).toHaveAttribute("autocomplete", "one-time-code");

    await user.type(code, "000000");
    await user.click(screen.getByTestId("two-factor-confirm"));
    const error = await screen.findByTestId("two-factor-code-error");
    expect(error).toHaveTextContent("This code does not match. Enter the code the app shows now.");
    expect(screen.getByTestId("two-factor-code")).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByTestId("two-factor-code")).toHaveValue("");
    expect(screen.queryByTestId("two-factor-recovery-codes")).toBeNull();

    await user.type(screen.getByTestId("two-factor-code"), "123456{Enter}");
    const list = await screen.findByTestId("two-factor-recovery-codes");
    expect(within(list).getAllByTestId("recovery-code").map((li) => li.textContent)).toEqual(recoveryCodes("a"));
    expect(list).toHaveAttribute("dir", "ltr");
    expect(screen.getByTestId("two-factor-codes-warning")).toHaveTextContent("These codes are shown only this once.");
    expect(fake.callsOf("security.confirm_two_factor")).toEqual([{ code: "000000" }, { code: "123456" }]);

    await user.click(screen.getByTestId("two-factor-done"));
    expect(screen.queryByTestId("two-factor-recovery-codes")).toBeNull();
    await waitFor(() => expect(screen.getByTestId("two-factor-status")).toHaveAttribute("data-enabled", "true"));
    expect(screen.getByTestId("two-factor-status")).toHaveTextContent(
      `On since ${formatDateTime(ENABLED_AT, "en")}. 10 recovery codes left.`,
    );
    expect(screen.queryByTestId("two-factor-start")).toBeNull();
    expect(screen.getByTestId("two-factor-renew")).toBeEnabled();
    expect(screen.getByTestId("two-factor-disable")).toBeEnabled();
  });

  describe("the recovery codes", () => {
    const jsdomUrl = { create: URL.createObjectURL, revoke: URL.revokeObjectURL };
    afterEach(() => {
      URL.createObjectURL = jsdomUrl.create;
      URL.revokeObjectURL = jsdomUrl.revoke;
      vi.restoreAllMocks();
    });

    it("are saved as a text file and copied, with the account they belong to", async () => {
      const user = userEvent.setup();
      const saved: { name: string; blob: Blob }[] = [];
      URL.createObjectURL = (blob: Blob | MediaSource) => {
        saved.push({ name: "", blob: blob as Blob });
        return "blob:codes";
      };
      URL.revokeObjectURL = () => undefined;
      vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (this: HTMLAnchorElement) {
        saved[saved.length - 1].name = this.download;
      });
      accountCore({ enabled: true, left: 4 });
      await user.click(await screen.findByTestId("two-factor-renew"));
      await user.type(screen.getByTestId("two-factor-code"), "123456{Enter}");
      await screen.findByTestId("two-factor-recovery-codes");

      await user.click(screen.getByTestId("two-factor-download"));
      expect(saved.map((s) => s.name)).toEqual(["accord-recovery-codes.txt"]);
      expect(saved[0].blob.type).toBe("text/plain;charset=utf-8");
      const text = await readText(saved[0].blob);
      expect(text.split("\n")).toEqual([
        "Accord recovery codes for anna",
        "Each code signs in once, in place of the code from the authenticator app.",
        "",
        ...recoveryCodes("a"),
        "",
      ]);

      await user.click(screen.getByTestId("two-factor-copy"));
      expect(await screen.findByTestId("two-factor-copy-status")).toHaveTextContent("Copied.");
      expect(await navigator.clipboard.readText()).toBe(text);
    });
  });

  it("makes new recovery codes with the current code, and turns it off with a recovery code", async () => {
    const user = userEvent.setup();
    const fake = accountCore({ enabled: true, left: 2 });
    const status = await screen.findByTestId("two-factor-status");
    expect(status).toHaveTextContent("2 recovery codes left.");
    expect(screen.getByTestId("two-factor-few-codes")).toHaveTextContent("make new ones");

    await user.click(screen.getByTestId("two-factor-renew"));
    await user.type(screen.getByTestId("two-factor-code"), "999999{Enter}");
    expect(await screen.findByTestId("two-factor-code-error")).toHaveTextContent("This code does not match.");
    await user.type(screen.getByTestId("two-factor-code"), "123456{Enter}");
    expect(await screen.findAllByTestId("recovery-code")).toHaveLength(10);
    await user.click(screen.getByTestId("two-factor-done"));
    await waitFor(() => expect(screen.getByTestId("two-factor-status")).toHaveTextContent("10 recovery codes left."));
    expect(screen.queryByTestId("two-factor-few-codes")).toBeNull();
    expect(fake.callsOf("security.renew_recovery_codes")).toEqual([{ code: "999999" }, { code: "123456" }]);

    await user.click(screen.getByTestId("two-factor-disable"));
    await user.type(screen.getByTestId("two-factor-code"), "aaaa-bbbb-cccc-dddd");
    await user.click(screen.getByTestId("two-factor-disable-confirm"));
    expect(await screen.findByTestId("two-factor-notice")).toHaveTextContent("Two-factor sign-in has been turned off.");
    await waitFor(() => expect(screen.getByTestId("two-factor-status")).toHaveAttribute("data-enabled", "false"));
    expect(screen.getByTestId("two-factor-start")).toBeEnabled();
    expect(fake.callsOf("security.disable_two_factor")).toEqual([{ code: "aaaa-bbbb-cccc-dddd" }]);
  });

  it("cancels an enrolment without confirming anything", async () => {
    const user = userEvent.setup();
    const fake = accountCore();
    await user.click(await screen.findByTestId("two-factor-start"));
    await screen.findByTestId("two-factor-qr");
    await user.click(screen.getByTestId("two-factor-cancel"));
    expect(screen.queryByTestId("two-factor-qr")).toBeNull();
    expect(screen.getByTestId("two-factor-status")).toHaveAttribute("data-enabled", "false");
    expect(fake.callsOf("security.confirm_two_factor")).toEqual([]);
  });

  it("shows how it is now when another window turned it on meanwhile", async () => {
    const user = userEvent.setup();
    const fake = accountCore();
    await screen.findByTestId("two-factor-start");
    fake.enableElsewhere();
    await user.click(screen.getByTestId("two-factor-start"));

    const error = await screen.findByTestId("two-factor-error");
    expect(error).toHaveTextContent("Two-factor sign-in was changed in the meantime");
    expect(error).toHaveTextContent("Two-factor sign-in is already on.");
    await waitFor(() => expect(screen.getByTestId("two-factor-status")).toHaveAttribute("data-enabled", "true"));
    expect(screen.queryByTestId("two-factor-qr")).toBeNull();
  });

  it("speaks Persian with Persian digits, and keeps codes left to right", async () => {
    const user = userEvent.setup();
    window.localStorage.setItem("accord.language", "fa");
    await i18n.changeLanguage("fa");
    accountCore({ enabled: true, left: 7 });
    const status = await screen.findByTestId("two-factor-status");
    expect(status).toHaveTextContent(`روشن از ${formatDateTime(ENABLED_AT, "fa")}.`);
    expect(status).toHaveTextContent("۷ کد بازیابی باقی مانده است.");
    await user.click(screen.getByTestId("two-factor-disable"));
    expect(screen.getByTestId("two-factor-code")).toHaveAttribute("dir", "ltr");
  });

  it("is not offered to the owner of a database without users", async () => {
    const fake = accountCore({ session: NO_USERS });
    expect(await screen.findByTestId("first-admin-form")).toBeInTheDocument();
    expect(screen.queryByTestId("two-factor-section")).toBeNull();
    expect(fake.callsOf("security.my_account")).toEqual([]);
  });
});

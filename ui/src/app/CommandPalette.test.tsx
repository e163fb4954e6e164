import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { emptyPage, fakeTransport, organisation } from "../test/fakeTransport";
import { App } from "./App";

describe("command palette", () => {
  it("opens with Ctrl+K, searches as you type and opens the chosen record", async () => {
    const user = userEvent.setup();
    const fake = fakeTransport({
      "customers.list_organisations": () => emptyPage,
      "search.query": ({ text }) => ({
        hits:
          text === "acme"
            ? [
                { entity: "organisation", id: "org-1", title: "Acme Ltd", subtitle: null, archived: false },
                { entity: "organisation", id: "org-2", title: "Acme Trading", subtitle: "Kazan", archived: false },
              ]
            : [],
      }),
      "customers.get_organisation": ({ id }) => ({
        organisation: organisation({ id, name: id === "org-2" ? "Acme Trading" : "Acme Ltd" }),
        contacts: [],
        relations: [],
      }),
    });
    render(<App transport={fake.transport} />);
    await screen.findByTestId("global-search");

    await user.keyboard("{Control>}k{/Control}");
    const palette = await screen.findByTestId("palette");
    expect(screen.getByTestId("palette-input")).toHaveFocus();
    await user.type(screen.getByTestId("palette-input"), "acme");
    await waitFor(() => expect(within(palette).getAllByTestId("palette-hit")).toHaveLength(2));
    expect(fake.callsOf("search.query").at(-1)).toEqual({ text: "acme", limit: 20 });

    await user.keyboard("{ArrowDown}{Enter}");
    expect(screen.queryByTestId("palette")).toBeNull();
    await waitFor(() => expect(screen.getByTestId("org-card-name")).toHaveTextContent("Acme Trading"));
  });

  it("switches the language from a command", async () => {
    const user = userEvent.setup();
    const fake = fakeTransport({ "customers.list_organisations": () => emptyPage });
    render(<App transport={fake.transport} />);
    await user.click(await screen.findByTestId("global-search"));
    await user.type(screen.getByTestId("palette-input"), "language");
    await user.click(await screen.findByTestId("palette-command-language"));
    await user.click(screen.getByTestId("palette-language-fa"));
    await waitFor(() => expect(document.documentElement).toHaveAttribute("dir", "rtl"));
    expect(screen.getByTestId("nav-customers")).toHaveTextContent("مشتریان");
  });
});

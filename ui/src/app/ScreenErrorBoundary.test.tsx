import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ScreenErrorBoundary } from "./ScreenErrorBoundary";

let broken = true;

function Screen({ name }: { name: string }) {
  if (broken) throw new Error(`${name} cannot render`);
  return <p>{name} shown</p>;
}

afterEach(() => {
  broken = true;
  vi.restoreAllMocks();
});

describe("a screen that fails", () => {
  it("says so on that screen, and shows it again on Try again or on another screen", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const user = userEvent.setup();
    const { rerender } = render(
      <ScreenErrorBoundary screen="calendar">
        <Screen name="calendar" />
      </ScreenErrorBoundary>,
    );
    const alert = screen.getByRole("alert");
    expect(alert).toHaveTextContent("This screen could not be shown");
    expect(alert).toHaveTextContent("calendar cannot render");

    broken = false;
    await user.click(screen.getByRole("button", { name: "Try again" }));
    expect(screen.getByText("calendar shown")).toBeInTheDocument();

    broken = true;
    rerender(
      <ScreenErrorBoundary screen="calendar">
        <Screen name="week" />
      </ScreenErrorBoundary>,
    );
    expect(screen.getByRole("alert")).toHaveTextContent("week cannot render");
    broken = false;
    rerender(
      <ScreenErrorBoundary screen="customers">
        <Screen name="customers" />
      </ScreenErrorBoundary>,
    );
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
    expect(screen.getByText("customers shown")).toBeInTheDocument();
  });
});

import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { describe, expect, it } from "vitest";
import { ApiProvider } from "../../api/ApiProvider";
import type { ApiError, CustomField, CustomValues, SearchHit } from "../../api/generated";
import { i18n } from "../../i18n";
import { apiError, customField, FIELD_TARGETS, fakeTransport } from "../../test/fakeTransport";
import { CustomFieldInputs } from "./CustomFieldInputs";
import { CustomFieldValues } from "./CustomFieldValues";
import { customValuesPatch, customValuesToCreate, type CustomDraft } from "./values";

const ACME = "0192f3a4-7b1c-7def-8abc-000000000001";
const GLOBEX = "0192f3a4-7b1c-7def-8abc-000000000002";

const FIELDS: CustomField[] = [
  customField({ key: "segment", label: "Segment", kind: "text" }),
  customField({ key: "employees", label: "Employees", kind: "number" }),
  customField({ key: "revenue", label: "Revenue", kind: "decimal" }),
  customField({ key: "since", label: "Customer since", kind: "date" }),
  customField({
    key: "tier",
    label: "Tier",
    kind: "choice",
    choices: [
      { key: "gold", label: "Gold", retired: false },
      { key: "silver", label: "Silver", retired: false },
      { key: "bronze", label: "Bronze", retired: true },
    ],
  }),
  customField({
    key: "channels",
    label: "Channels",
    kind: "multi_choice",
    choices: [
      { key: "email", label: "Email", retired: false },
      { key: "phone", label: "Phone", retired: false },
      { key: "fax", label: "Fax", retired: true },
    ],
  }),
  customField({ key: "vip", label: "VIP", kind: "yes_no" }),
  customField({ key: "parent", label: "Parent company", kind: "link", link_table: "organisations" }),
];

function hit(id: string, title: string): SearchHit {
  return { entity: "organisation", id, title, subtitle: null, archived: false };
}

function fakeCore() {
  return fakeTransport({
    "search.query": ({ text }) => ({ hits: text.toLowerCase().startsWith("ac") ? [hit(ACME, "Acme Ltd")] : [] }),
    "search.titles": ({ ids }) => ({ hits: ids.filter((id) => id === GLOBEX).map((id) => hit(id, "Globex")) }),
  });
}

/** A form's custom part: the editors, and what a create and an update of `stored` would send. */
function Harness({ stored = {}, error = null }: { stored?: CustomValues; error?: ApiError | null }) {
  const [draft, setDraft] = useState<CustomDraft>({});
  return (
    <>
      <div className="form-grid">
        <CustomFieldInputs
          fields={FIELDS}
          linkTargets={FIELD_TARGETS}
          stored={stored}
          draft={draft}
          onChange={(key, value) => setDraft((prev) => ({ ...prev, [key]: value }))}
          error={error}
        />
      </div>
      <output data-testid="create">{JSON.stringify(customValuesToCreate(FIELDS, draft))}</output>
      <output data-testid="patch">{JSON.stringify(customValuesPatch(FIELDS, stored, draft))}</output>
    </>
  );
}

function renderInputs(props: { stored?: CustomValues; error?: ApiError | null } = {}) {
  const fake = fakeCore();
  render(
    <ApiProvider transport={fake.transport}>
      <Harness {...props} />
    </ApiProvider>,
  );
  return fake;
}

const sent = (testId: "create" | "patch") => JSON.parse(screen.getByTestId(testId).textContent ?? "{}") as CustomValues;

describe("custom field editors", () => {
  it("gives each kind its own editor, labelled by the field", () => {
    renderInputs();
    expect(screen.getByLabelText("Segment")).toBe(screen.getByTestId("custom-input-segment"));
    expect(screen.getByTestId("custom-input-employees")).toHaveAttribute("inputmode", "numeric");
    expect(screen.getByTestId("custom-input-revenue")).toHaveAttribute("inputmode", "decimal");
    expect(screen.getByTestId("custom-input-since")).toHaveAttribute("type", "date");
    // A retired choice is not offered to a record that does not hold it.
    const tier = screen.getByTestId("custom-input-tier");
    expect(within(tier).getAllByRole("option").map((o) => o.textContent)).toEqual(["Not set", "Gold", "Silver"]);
    expect(screen.getByTestId("custom-input-channels-email")).toHaveAttribute("type", "checkbox");
    expect(screen.getByTestId("custom-input-channels-phone")).toBeInTheDocument();
    expect(screen.queryByTestId("custom-input-channels-fax")).toBeNull();
    expect(screen.getByRole("group", { name: "Channels" })).toContainElement(screen.getByTestId("custom-input-channels-email"));
    const vip = screen.getByTestId("custom-input-vip");
    expect(within(vip).getAllByRole("option").map((o) => o.textContent)).toEqual(["Not set", "Yes", "No"]);
    expect(screen.getByTestId("custom-input-parent")).toHaveRole("combobox");
    expect(sent("create")).toEqual({});
  });

  it("turns what is typed and chosen into the values the core takes", async () => {
    const user = userEvent.setup();
    const fake = renderInputs();
    await user.type(screen.getByTestId("custom-input-segment"), "Retail");
    await user.type(screen.getByTestId("custom-input-employees"), "۱۲۰");
    await user.type(screen.getByTestId("custom-input-revenue"), "1250,50");
    fireEvent.change(screen.getByTestId("custom-input-since"), { target: { value: "2026-12-07" } });
    await user.selectOptions(screen.getByTestId("custom-input-tier"), "gold");
    await user.click(screen.getByTestId("custom-input-channels-phone"));
    await user.click(screen.getByTestId("custom-input-channels-email"));
    await user.selectOptions(screen.getByTestId("custom-input-vip"), "no");
    await user.type(screen.getByTestId("custom-input-parent"), "Ac");
    await user.click(await screen.findByTestId("custom-input-parent-option"));

    expect(screen.getByTestId("custom-input-parent")).toHaveValue("Acme Ltd");
    expect(fake.callsOf("search.query").at(-1)).toMatchObject({ text: "Ac", entities: ["organisation"] });
    expect(sent("create")).toEqual({
      segment: "Retail",
      employees: 120,
      revenue: "1250.50",
      since: "2026-12-07",
      tier: "gold",
      channels: ["email", "phone"],
      vip: false,
      parent: ACME,
    });
  });

  it("shows a record's values, its retired choices kept, and sends only what changed", async () => {
    const user = userEvent.setup();
    renderInputs({ stored: { segment: "Retail", employees: 40, tier: "bronze", channels: ["fax"], vip: true, parent: GLOBEX } });
    expect(screen.getByTestId("custom-input-segment")).toHaveValue("Retail");
    expect(screen.getByTestId("custom-input-employees")).toHaveValue("40");
    const tier = screen.getByTestId("custom-input-tier");
    expect(tier).toHaveDisplayValue("Bronze (retired)");
    expect(screen.getByTestId("custom-input-channels-fax")).toBeChecked();
    expect(screen.getByTestId("custom-input-vip")).toHaveValue("yes");
    // The linked record by its name.
    await waitFor(() => expect(screen.getByTestId("custom-input-parent")).toHaveValue("Globex"));
    expect(sent("patch")).toEqual({});

    await user.clear(screen.getByTestId("custom-input-segment"));
    await user.selectOptions(tier, "silver");
    await user.click(screen.getByTestId("custom-input-channels-fax"));
    await user.selectOptions(screen.getByTestId("custom-input-vip"), "");
    // Typed back to what it was: not sent.
    await user.clear(screen.getByTestId("custom-input-employees"));
    await user.type(screen.getByTestId("custom-input-employees"), "40");
    expect(sent("patch")).toEqual({ segment: null, tier: "silver", channels: null, vip: null });
  });

  it("shows the core's problem with a value beside its editor", () => {
    renderInputs({
      error: apiError("invalid_input", {
        "custom.employees": { code: "invalid_value", message: "not a number" },
        "changes.custom.channels": { code: "archived", message: "retired" },
      }),
    });
    const employees = screen.getByTestId("custom-input-employees");
    const problem = screen.getByTestId("custom-error-employees");
    expect(problem).toHaveTextContent("Type a whole number, such as 120.");
    expect(employees).toHaveAttribute("aria-invalid", "true");
    expect(employees.getAttribute("aria-describedby")).toBe(problem.id);
    expect(screen.getByTestId("custom-error-channels")).toHaveTextContent("This field was retired in the meantime: its value can no longer be changed.");
    expect(screen.getByRole("group", { name: "Channels" })).toContainElement(screen.getByTestId("custom-error-channels"));
  });
});

describe("custom field values", () => {
  it("shows dates, numbers, choices, yes / no and linked names in the window's language", async () => {
    await i18n.changeLanguage("fa");
    const fake = fakeCore();
    const retired = customField({ key: "legacy", label: "Legacy code", retired_at: "2026-11-21T09:00:00Z" });
    const unused = customField({ key: "unused", label: "Unused", retired_at: "2026-11-21T09:00:00Z" });
    render(
      <ApiProvider transport={fake.transport}>
        <CustomFieldValues
          fields={[...FIELDS, retired, unused]}
          values={{ employees: 1250, revenue: "1250.50", since: "2026-12-07", tier: "gold", channels: ["email", "phone"], vip: false, parent: GLOBEX, legacy: "X-1" }}
        />
      </ApiProvider>,
    );
    expect(screen.getByTestId("custom-value-segment")).toHaveTextContent("—");
    expect(screen.getByTestId("custom-value-employees")).toHaveTextContent("۱٬۲۵۰");
    expect(screen.getByTestId("custom-value-revenue")).toHaveTextContent("۱٬۲۵۰٫۵۰");
    expect(screen.getByTestId("custom-value-since")).toHaveTextContent("۱۶ آذر ۱۴۰۵");
    expect(screen.getByTestId("custom-value-tier")).toHaveTextContent("Gold");
    expect(screen.getByTestId("custom-value-channels")).toHaveTextContent("Email و Phone");
    expect(screen.getByTestId("custom-value-vip")).toHaveTextContent("خیر");
    expect(await screen.findByText("Globex")).toBeInTheDocument();
    // A retired field is shown while it holds a value, marked; one without a value is not.
    expect(screen.getByTestId("custom-value-legacy")).toHaveTextContent(/Legacy code\s*غیرفعال\s*X-1/);
    expect(screen.queryByTestId("custom-value-unused")).toBeNull();
    expect(fake.callsOf("search.titles")).toEqual([{ ids: [GLOBEX] }]);
  });
});

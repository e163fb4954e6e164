import { describe, expect, it } from "vitest";
import { customField } from "../../test/fakeTransport";
import { apiValue, customValuesPatch, customValuesToCreate, draftValue, holdsValue, latinDigits, linkedIds } from "./values";

const LINKED = "0192f3a4-7b1c-7def-8abc-1234567890ab";

const text = customField({ key: "segment", kind: "text" });
const employees = customField({ key: "employees", kind: "number" });
const revenue = customField({ key: "revenue", kind: "decimal" });
const since = customField({ key: "since", kind: "date" });
const tier = customField({
  key: "tier",
  kind: "choice",
  choices: [
    { key: "gold", label: "Gold", retired: false },
    { key: "silver", label: "Silver", retired: false },
    { key: "bronze", label: "Bronze", retired: true },
  ],
});
const channels = customField({
  key: "channels",
  kind: "multi_choice",
  choices: [
    { key: "email", label: "Email", retired: false },
    { key: "phone", label: "Phone", retired: false },
    { key: "post", label: "Post", retired: false },
  ],
});
const vip = customField({ key: "vip", kind: "yes_no" });
const parent = customField({ key: "parent", kind: "link", link_table: "organisations" });
const old = customField({ key: "old", kind: "text", retired_at: "2026-11-21T09:00:00Z" });
const ALL = [text, employees, revenue, since, tier, channels, vip, parent, old];

describe("custom values: drafts and what the core takes", () => {
  it("reads Persian and Arabic-Indic digits as Latin ones", () => {
    expect(latinDigits("۱۲۳۴ and ٥٦")).toBe("1234 and 56");
  });

  it("shows each stored value in its editor's form, a value of the wrong shape as empty", () => {
    expect(draftValue(employees, 42)).toBe("42");
    expect(draftValue(revenue, "1250.50")).toBe("1250.50");
    expect(draftValue(channels, ["email", "post"])).toEqual(["email", "post"]);
    expect(draftValue(vip, true)).toBe("yes");
    expect(draftValue(vip, false)).toBe("no");
    expect(draftValue(vip, undefined)).toBe("");
    expect(draftValue(text, 12)).toBe("");
  });

  it("sends a whole number as a number, Persian digits and group marks allowed, and anything else as typed", () => {
    expect(apiValue(employees, "۱٬۲۵۰")).toBe(1250);
    expect(apiValue(employees, " 1 250 ")).toBe(1250);
    expect(apiValue(employees, "-7")).toBe(-7);
    expect(apiValue(employees, "12.5")).toBe("12.5");
    expect(apiValue(employees, "  ")).toBeNull();
  });

  it("keeps a decimal as text, a lone comma or the Persian separator read as its point", () => {
    expect(apiValue(revenue, "1250,50")).toBe("1250.50");
    expect(apiValue(revenue, "۱۲۵۰٫۵۰")).toBe("1250.50");
    expect(apiValue(revenue, "1,250.50")).toBe("1250.50");
  });

  it("orders several choices as the field does, and reads yes / no / not set", () => {
    expect(apiValue(channels, ["post", "email"])).toEqual(["email", "post"]);
    expect(apiValue(channels, [])).toBeNull();
    expect(apiValue(vip, "yes")).toBe(true);
    expect(apiValue(vip, "no")).toBe(false);
    expect(apiValue(vip, "")).toBeNull();
  });
});

describe("custom values: a new record", () => {
  it("sends only the fields filled in, never a retired one", () => {
    expect(
      customValuesToCreate(ALL, {
        segment: " Retail ",
        employees: "",
        revenue: "10,5",
        since: "2026-12-07",
        tier: "gold",
        channels: ["phone"],
        vip: "no",
        parent: LINKED,
        old: "kept out",
      }),
    ).toEqual({ segment: "Retail", revenue: "10.5", since: "2026-12-07", tier: "gold", channels: ["phone"], vip: false, parent: LINKED });
    expect(customValuesToCreate(ALL, {})).toEqual({});
  });
});

describe("custom values: the patch of an update", () => {
  const stored = { segment: "Retail", employees: 40, revenue: "1250.50", tier: "bronze", channels: ["email"], vip: true, old: "x" };

  it("is empty when nothing was edited, or edits came back to the stored value", () => {
    expect(customValuesPatch(ALL, stored, {})).toEqual({});
    expect(
      customValuesPatch(ALL, stored, { segment: "Retail ", employees: "۴۰", revenue: "1250,50", tier: "bronze", channels: ["email"], vip: "yes" }),
    ).toEqual({});
  });

  it("sends a changed key with its new value and a cleared one as null, and nothing else", () => {
    expect(customValuesPatch(ALL, stored, { employees: "41", segment: "", vip: "", channels: ["phone", "email"] })).toEqual({
      employees: 41,
      segment: null,
      vip: null,
      channels: ["email", "phone"],
    });
  });

  it("sets a field the record did not hold, and never sends a retired field", () => {
    expect(customValuesPatch(ALL, stored, { since: "2027-01-31", parent: LINKED, old: "changed" })).toEqual({
      since: "2027-01-31",
      parent: LINKED,
    });
  });

  it("leaves a stored value of an unexpected shape alone unless it is edited", () => {
    expect(customValuesPatch([text], { segment: 12 }, {})).toEqual({});
    expect(customValuesPatch([text], { segment: 12 }, { segment: "" })).toEqual({});
    expect(customValuesPatch([text], { segment: 12 }, { segment: "Retail" })).toEqual({ segment: "Retail" });
  });
});

describe("custom values: what a record holds", () => {
  it("counts an empty text or list as no value", () => {
    expect(holdsValue(text, { segment: "" })).toBe(false);
    expect(holdsValue(channels, { channels: [] })).toBe(false);
    expect(holdsValue(vip, { vip: false })).toBe(true);
  });

  it("gathers the ids link fields hold, once each", () => {
    expect(linkedIds(ALL, [{ parent: LINKED, segment: "x" }, { parent: LINKED }, { parent: null }])).toEqual([LINKED]);
  });
});

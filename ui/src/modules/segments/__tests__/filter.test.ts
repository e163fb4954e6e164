import { describe, expect, it } from "vitest";
import type { SegmentField, SegmentFilter } from "../../../api/generated";
import {
  fieldIndex,
  filterProblem,
  fromFilter,
  isComplete,
  placeProblems,
  previewFilter,
  readNumber,
  toFilter,
  withField,
  withOp,
  type ConditionDraft,
} from "../filter";

const FIELDS = fieldIndex([
  { field: "kind", label: null, type: "choice", values: ["customer", "prospect"] },
  { field: "city", label: null, type: "text" },
  { field: "owner_id", label: null, type: "reference", table: "users" },
  { field: "created_at", label: null, type: "date" },
  { field: "custom.employees", label: "Employees", type: "number" },
  { field: "custom.vip", label: "VIP", type: "yes_no" },
] satisfies SegmentField[]);

const condition = (overrides: Partial<ConditionDraft>): ConditionDraft => ({ kind: "condition", key: 0, field: "", op: "is", value: "", ...overrides });
const invalid = { code: "invalid_value", message: "m" } as const;

describe("numbers as people type them", () => {
  it("are read in Latin or Persian digits, with group marks and either decimal mark", () => {
    expect(readNumber("120")).toBe(120);
    expect(readNumber("۱۲۰")).toBe(120);
    expect(readNumber("۱۲٫۵")).toBe(12.5);
    expect(readNumber("1 250,5")).toBe(1250.5);
    expect(readNumber("1,250.5")).toBe(1250.5);
    expect(readNumber("-3")).toBe(-3);
    expect(readNumber("many")).toBeNull();
    expect(readNumber("")).toBeNull();
  });
});

describe("a condition", () => {
  it("is complete with a field offered, a comparison it takes and a value of its type", () => {
    expect(isComplete(condition({ field: "kind", value: "customer" }), FIELDS)).toBe(true);
    expect(isComplete(condition({ field: "kind", value: "nobody" }), FIELDS)).toBe(false);
    expect(isComplete(condition({ field: "city", value: "  " }), FIELDS)).toBe(false);
    expect(isComplete(condition({ field: "city", op: "empty" }), FIELDS)).toBe(true);
    expect(isComplete(condition({ field: "city", op: "at_least", value: "x" }), FIELDS)).toBe(false);
    expect(isComplete(condition({ field: "custom.employees", op: "at_most", value: "۵۰" }), FIELDS)).toBe(true);
    expect(isComplete(condition({ field: "created_at", value: "2026-13-45" }), FIELDS)).toBe(false);
    expect(isComplete(condition({ field: "owner_id", value: "user-anna" }), FIELDS)).toBe(false);
    expect(isComplete(condition({ field: "owner_id", value: "0198a000-0000-7000-8000-000000000001" }), FIELDS)).toBe(true);
    expect(isComplete(condition({ field: "kind", op: "any_of", value: [] }), FIELDS)).toBe(false);
    expect(isComplete(condition({ field: "gone", value: "x" }), FIELDS)).toBe(false);
  });

  it("keeps its comparison when another field takes it, and one value becomes a list for any of, and back", () => {
    const city = withField(condition({ op: "is_not" }), "city", "text");
    expect(city).toMatchObject({ field: "city", op: "is_not", value: "" });
    expect(withField(condition({ op: "any_of", value: ["a"] }), "custom.vip", "yes_no")).toMatchObject({ op: "is", value: "" });
    expect(withOp(condition({ field: "city", value: "Kazan" }), "any_of").value).toEqual(["Kazan"]);
    expect(withOp(condition({ field: "city", op: "any_of", value: ["Kazan", "Moscow"] }), "is").value).toBe("Kazan");
  });
});

describe("the filter sent", () => {
  const saved: SegmentFilter = {
    type: "any",
    of: [
      { type: "condition", field: "custom.vip", op: "is", value: true },
      { type: "all", of: [{ type: "condition", field: "custom.employees", op: "at_least", value: 12.5 }] },
      { type: "condition", field: "city", op: "not_empty" },
      { type: "condition", field: "kind", op: "any_of", value: ["customer", "prospect"] },
    ],
  };

  it("comes back from the builder as it was saved", () => {
    expect(toFilter(fromFilter(saved), FIELDS)).toStrictEqual(saved);
  });

  it("for the preview, leaves out what is not complete and groups left empty; with nothing, it selects everyone", () => {
    const root = fromFilter({
      type: "all",
      of: [
        { type: "condition", field: "city", op: "is", value: "Kazan" },
        { type: "any", of: [{ type: "condition", field: "custom.employees", op: "is", value: "lots" }] },
        { type: "condition", field: "kind", op: "is" },
      ],
    });
    expect(previewFilter(root, FIELDS)).toStrictEqual({
      filter: { type: "all", of: [{ type: "condition", field: "city", op: "is", value: "Kazan" }] },
      skipped: 2,
      everyone: false,
    });
    expect(previewFilter(fromFilter({ type: "any", of: [{ type: "condition", field: "", op: "is" }] }), FIELDS)).toStrictEqual({
      filter: { type: "all", of: [] },
      skipped: 1,
      everyone: true,
    });
  });
});

describe("the core's problems", () => {
  it("are read from their dotted place", () => {
    expect(filterProblem("filter.of.1.value", invalid)).toMatchObject({ path: [1], part: "value", item: null });
    expect(filterProblem("filter.of.2.of.0.field", invalid)).toMatchObject({ path: [2, 0], part: "field" });
    expect(filterProblem("filter.of.2.op", invalid)).toMatchObject({ path: [2], part: "op" });
    expect(filterProblem("filter.of.6.of.0", invalid)).toMatchObject({ path: [6, 0], part: "node" });
    expect(filterProblem("filter.of.0.value.3", invalid)).toMatchObject({ path: [0], part: "value", item: 3 });
    expect(filterProblem("filter", { code: "too_long", message: "m" })).toMatchObject({ path: [], part: "node" });
    expect(filterProblem("name", invalid)).toBeNull();
  });

  it("are placed on the rows they name, and the others kept apart", () => {
    const root = fromFilter({
      type: "all",
      of: [
        { type: "condition", field: "city", op: "is" },
        { type: "any", of: [{ type: "condition", field: "x", op: "is" }] },
      ],
    });
    const { placed, unplaced } = placeProblems(root, {
      "filter.of.0.value": invalid,
      "filter.of.1.of.0.field": invalid,
      "filter.of.1.value": invalid,
      "filter.of.5": invalid,
      name: invalid,
    });
    const [first, group] = root.items;
    expect(placed.get(first.key)?.map((p) => p.part)).toEqual(["value"]);
    expect(group.kind === "group" && placed.get(group.items[0].key)?.map((p) => p.part)).toEqual(["field"]);
    // A group has no value; no row 5: said apart.
    expect(unplaced.map((p) => p.path)).toEqual([[1], [5]]);
  });
});

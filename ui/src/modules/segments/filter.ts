// A segment's filter as the builder edits it — a tree of groups and conditions, each value as
// typed — and the `SegmentFilter` the core takes: exactly what is shown for a save (so the core
// reports each problem at its place, `filter.of.1.value`), only the complete conditions for the
// live preview. Pure functions only.

import type { FieldError, SegmentField, SegmentFilter, SegmentOperator } from "../../api/generated";
import { latinDigits } from "../../shared/customFields/values";

export type FieldType = SegmentField["type"];
export type GroupMode = "all" | "any";

/**
 * What a value control holds: text for one value (a choice's key, a record's id, "yes" or "no",
 * a number as typed, a date as `YYYY-MM-DD`), the values of `any_of` as a list.
 */
export type DraftValue = string | string[];
export type ConditionDraft = { kind: "condition"; key: number; field: string; op: SegmentOperator; value: DraftValue };
export type GroupDraft = { kind: "group"; key: number; mode: GroupMode; items: NodeDraft[] };
export type NodeDraft = ConditionDraft | GroupDraft;
/** Where a node is: the index in each group from the root (the root itself: []). */
export type Path = readonly number[];
/** The fields a filter may use, by name (`industry`, `custom.region`). */
export type FieldIndex = ReadonlyMap<string, SegmentField>;

/** The core's limits: groups nest at most 4 deep (the root is 1), a filter holds at most 50 conditions, a list 100 values. */
export const MAX_DEPTH = 4;
export const MAX_CONDITIONS = 50;
export const MAX_VALUES = 100;

const COMPARE: readonly SegmentOperator[] = ["is", "is_not", "any_of", "empty", "not_empty"];
const ORDERED: readonly SegmentOperator[] = ["is", "is_not", "at_least", "at_most", "empty", "not_empty"];
const OPERATORS: Record<FieldType, readonly SegmentOperator[]> = {
  text: COMPARE,
  choice: COMPARE,
  multi_choice: COMPARE,
  reference: COMPARE,
  number: ORDERED,
  date: ORDERED,
  yes_no: ["is", "empty", "not_empty"],
};

/** The comparisons a type of field takes, in the order offered (a field not chosen yet: a text's). */
export function operatorsFor(type: FieldType | undefined): readonly SegmentOperator[] {
  return OPERATORS[type ?? "text"];
}

/** Whether `op` compares with a value (all but "is empty" and "is not empty"). */
export function needsValue(op: SegmentOperator): boolean {
  return op !== "empty" && op !== "not_empty";
}

export function fieldIndex(fields: readonly SegmentField[]): FieldIndex {
  return new Map(fields.map((f) => [f.field, f]));
}

let lastKey = 0;
function nextKey(): number {
  lastKey += 1;
  return lastKey;
}

export function newCondition(): ConditionDraft {
  return { kind: "condition", key: nextKey(), field: "", op: "is", value: "" };
}

/** A new group holds one condition to fill in. */
export function newGroup(mode: GroupMode = "all"): GroupDraft {
  return { kind: "group", key: nextKey(), mode, items: [newCondition()] };
}

// ---------- The tree ----------

export function nodeAt(root: GroupDraft, path: Path): NodeDraft | undefined {
  let node: NodeDraft = root;
  for (const i of path) {
    if (node.kind !== "group") return undefined;
    const next: NodeDraft | undefined = node.items[i];
    if (!next) return undefined;
    node = next;
  }
  return node;
}

/** The tree with the node at `path` replaced by what `change` makes of it (null: removed). */
export function changeAt(root: GroupDraft, path: Path, change: (node: NodeDraft) => NodeDraft | null): GroupDraft {
  if (path.length === 0) {
    const changed = change(root);
    return changed?.kind === "group" ? changed : root;
  }
  const [head, ...rest] = path;
  const child = root.items[head];
  if (!child) return root;
  const changed = rest.length === 0 ? change(child) : child.kind === "group" ? changeAt(child, rest, change) : child;
  const items = changed === null ? root.items.filter((_, i) => i !== head) : root.items.map((item, i) => (i === head ? changed : item));
  return { ...root, items };
}

/** The tree with `node` added at the end of the group at `path`. */
export function appendTo(root: GroupDraft, path: Path, node: NodeDraft): GroupDraft {
  return changeAt(root, path, (group) => (group.kind === "group" ? { ...group, items: [...group.items, node] } : group));
}

export function countConditions(node: NodeDraft): number {
  return node.kind === "condition" ? 1 : node.items.reduce((n, item) => n + countConditions(item), 0);
}

/** A condition given another field: a comparison the field takes (the same when it does), and no value yet. */
export function withField(condition: ConditionDraft, field: string, type: FieldType | undefined): ConditionDraft {
  const ops = operatorsFor(type);
  const op = ops.includes(condition.op) ? condition.op : ops[0];
  return { ...condition, field, op, value: op === "any_of" ? [] : "" };
}

/** A condition given another comparison: one value becomes a list of it for `any_of`, and back. */
export function withOp(condition: ConditionDraft, op: SegmentOperator): ConditionDraft {
  const { value } = condition;
  if (op === "any_of" && !Array.isArray(value)) return { ...condition, op, value: value.trim() === "" ? [] : [value] };
  if (op !== "any_of" && Array.isArray(value)) return { ...condition, op, value: value[0] ?? "" };
  return { ...condition, op };
}

export function asList(value: DraftValue): string[] {
  return Array.isArray(value) ? value : value.trim() === "" ? [] : [value];
}

export function asSingle(value: DraftValue): string {
  return Array.isArray(value) ? (value[0] ?? "") : value;
}

// ---------- Values ----------

/** Spaces and group marks people put in numbers ("1 250", "1'250", "۱٬۲۵۰"). */
const GROUP_MARKS = /[\s\u066C'_\u202F\u00A0]/g;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A number as people type it, in Latin or Persian digits, with group marks; with a point, commas
 * group thousands ("1,250.5"), a lone comma is the point ("12,5"), as the decimal custom fields
 * read it. Null when it is not one.
 */
export function readNumber(text: string): number | null {
  const digits = latinDigits(text.trim()).replace(GROUP_MARKS, "").replace(/\u066B/g, ".");
  const normal = digits.includes(".") ? digits.replace(/,/g, "") : digits.split(",").length === 2 ? digits.replace(",", ".") : digits;
  if (!/^[-+]?(?:\d+(?:\.\d*)?|\.\d+)$/.test(normal)) return null;
  const n = Number(normal);
  return Number.isFinite(n) ? n : null;
}

/** One value as the core takes it; undefined when nothing was given. Text that is not a number, say, is sent as typed, for the core to say what is wrong. */
function apiValue(type: FieldType | undefined, text: string): unknown {
  const value = text.trim();
  if (value === "") return undefined;
  switch (type) {
    case "number":
      return readNumber(value) ?? value;
    case "date":
      return latinDigits(value);
    case "yes_no":
      return value === "yes" ? true : value === "no" ? false : value;
    default:
      return value;
  }
}

/** Whether one value is one the core takes for the field. */
function validValue(field: SegmentField, text: string): boolean {
  const value = text.trim();
  if (value === "") return false;
  switch (field.type) {
    case "choice":
    case "multi_choice":
      return field.values.includes(value);
    case "number":
      return readNumber(value) !== null;
    case "date":
      return DAY.test(latinDigits(value)) && !Number.isNaN(Date.parse(latinDigits(value)));
    case "yes_no":
      return value === "yes" || value === "no";
    case "reference":
      return UUID.test(value);
    default:
      return true;
  }
}

/** A condition the core would take: a field offered, a comparison it takes, and the value(s) it needs. */
export function isComplete(condition: ConditionDraft, fields: FieldIndex): boolean {
  const field = fields.get(condition.field);
  if (!field || !operatorsFor(field.type).includes(condition.op)) return false;
  if (!needsValue(condition.op)) return true;
  if (condition.op === "any_of") {
    const list = asList(condition.value);
    return list.length > 0 && list.length <= MAX_VALUES && list.every((v) => validValue(field, v));
  }
  return validValue(field, asSingle(condition.value));
}

// ---------- To and from the core ----------

/** Exactly what the builder shows, as the core takes it: every group and every row, complete or not. */
export function toFilter(node: NodeDraft, fields: FieldIndex): SegmentFilter {
  if (node.kind === "group") return { type: node.mode, of: node.items.map((item) => toFilter(item, fields)) };
  const condition: SegmentFilter = { type: "condition", field: node.field, op: node.op };
  if (!needsValue(node.op)) return condition;
  const type = fields.get(node.field)?.type;
  if (node.op === "any_of") {
    return { ...condition, value: asList(node.value).map((v) => apiValue(type, v)).filter((v) => v !== undefined) };
  }
  const value = apiValue(type, asSingle(node.value));
  return value === undefined ? condition : { ...condition, value };
}

export type Preview = {
  filter: SegmentFilter;
  /** Conditions left out because they are not complete yet. */
  skipped: number;
  /** No condition is complete: the preview shows every record within reach. */
  everyone: boolean;
};

/**
 * What the live preview asks about: the complete conditions only, a group left without any
 * dropped; with none at all, every record (an empty "all").
 */
export function previewFilter(root: GroupDraft, fields: FieldIndex): Preview {
  let skipped = 0;
  const prune = (node: NodeDraft): SegmentFilter | null => {
    if (node.kind === "condition") {
      if (isComplete(node, fields)) return toFilter(node, fields);
      skipped += 1;
      return null;
    }
    const of = node.items.map(prune).filter((f): f is SegmentFilter => f !== null);
    return of.length === 0 ? null : { type: node.mode, of };
  };
  const filter = prune(root);
  return { filter: filter ?? { type: "all", of: [] }, skipped, everyone: filter === null };
}

function textOf(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number") return String(value);
  if (typeof value === "boolean") return value ? "yes" : "no";
  return "";
}

function draftOf(filter: SegmentFilter): NodeDraft {
  if (filter.type === "condition") {
    const { value } = filter;
    const draft: DraftValue =
      filter.op === "any_of"
        ? Array.isArray(value)
          ? value.map(textOf)
          : value === undefined || value === null
            ? []
            : [textOf(value)]
        : Array.isArray(value)
          ? textOf(value[0])
          : textOf(value);
    return { kind: "condition", key: nextKey(), field: filter.field, op: filter.op, value: draft };
  }
  return { kind: "group", key: nextKey(), mode: filter.type, items: filter.of.map(draftOf) };
}

/** A saved filter in the builder; a lone condition at the top goes in an "all" group. */
export function fromFilter(filter: SegmentFilter): GroupDraft {
  const node = draftOf(filter);
  return node.kind === "group" ? node : { kind: "group", key: nextKey(), mode: "all", items: [node] };
}

// ---------- The core's problems, at their place ----------

/** Which part of a row a problem is about: the row (a group, say), its field, its comparison or its value. */
export type RowPart = "node" | "field" | "op" | "value";
export type FilterProblem = {
  path: number[];
  part: RowPart;
  /** For a list (`any_of`): which of its values. */
  item: number | null;
  error: FieldError;
};

const FILTER_PATH = /^filter((?:\.of\.\d+)*)(?:\.(field|op|value)(?:\.(\d+))?)?$/;

/** Where in the filter an error's dotted name points (`filter.of.2.of.0.value` → [2, 0], value); null for another field. */
export function filterProblem(name: string, error: FieldError): FilterProblem | null {
  const match = FILTER_PATH.exec(name);
  if (!match) return null;
  const path = (match[1] ?? "").split(".of.").filter((s) => s !== "").map(Number);
  const part = (match[2] as RowPart | undefined) ?? "node";
  return { path, part, item: match[3] === undefined ? null : Number(match[3]), error };
}

/** The "-"-joined path that names a row in test ids and error maps (the root: ""). */
export function pathKey(path: Path): string {
  return path.join("-");
}

/**
 * The core's filter problems by the row they are about (its node's `key`, so each stays with its
 * row while rows are added or removed afterwards), placed in the tree that was sent; the others
 * (an error for the filter as a whole at a place no row has) are returned apart.
 */
export function placeProblems(root: GroupDraft, fields: Record<string, FieldError>): { placed: Map<number, FilterProblem[]>; unplaced: FilterProblem[] } {
  const placed = new Map<number, FilterProblem[]>();
  const unplaced: FilterProblem[] = [];
  for (const [name, error] of Object.entries(fields)) {
    const problem = filterProblem(name, error);
    if (!problem) continue;
    const node = nodeAt(root, problem.path);
    if (!node || (problem.part !== "node" && node.kind !== "condition")) {
      unplaced.push(problem);
      continue;
    }
    placed.set(node.key, [...(placed.get(node.key) ?? []), problem]);
  }
  return { placed, unplaced };
}

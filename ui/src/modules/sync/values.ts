// Conflicts as a person decides them (one per field), and the values they hold: what "keep"
// sends, and a typed-in value read back as the JSON type the field holds.

import type { Choice, ConflictSide, ConflictView } from "../../api/generated";

/** One field of one record in conflict: the value it holds and every value that was not applied. */
export type FieldConflict = Omit<ConflictView, "other"> & {
  /** Newest first; several when more than two devices changed the field at once. */
  others: ConflictSide[];
};

/**
 * The core lists one conflict per value not applied, newest first; a person decides the field
 * once, so they are gathered by field, in the order the fields first appear.
 */
export function byField(conflicts: readonly ConflictView[]): FieldConflict[] {
  const fields = new Map<string, FieldConflict>();
  for (const { other, ...conflict } of conflicts) {
    const key = fieldKey(conflict);
    const known = fields.get(key);
    if (known) known.others.push(other);
    else fields.set(key, { ...conflict, others: [other] });
  }
  return [...fields.values()];
}

export function fieldKey(conflict: Pick<ConflictView, "table" | "row_id" | "field">): string {
  return `${conflict.table}|${conflict.row_id}|${conflict.field}`;
}

/** The side a person keeps: the value the field holds, or the index of one of the others. */
export type Side = "kept" | number;

/**
 * What keeping a side sends. The core's "other" is the newest value not applied, so an older one
 * (a third device's) is sent as a value of its own.
 */
export function choiceFor(conflict: FieldConflict, side: Side): Choice {
  if (side === "kept") return "kept";
  if (side === 0) return "other";
  return { value: conflict.others[side].value };
}

/** The JSON type a typed-in value must have: that of the values in conflict. */
export type Shape = { type: "text" | "number" | "boolean" | "json"; nullable: boolean };

export function shapeOf(values: readonly unknown[]): Shape {
  const present = values.filter((v) => v !== null && v !== undefined);
  const nullable = present.length < values.length;
  const all = (type: string) => present.length > 0 && present.every((v) => typeof v === type);
  if (present.length === 0 || all("string")) return { type: "text", nullable };
  if (all("number")) return { type: "number", nullable };
  if (all("boolean")) return { type: "boolean", nullable };
  return { type: "json", nullable };
}

/** A value as the input shows it before the person edits it. */
export function textOf(value: unknown, shape: Shape): string {
  if (value === null || value === undefined) return "";
  if (shape.type === "json") return JSON.stringify(value);
  return String(value);
}

export type Entered = { ok: true; value: unknown } | { ok: false; problem: "number" | "json" };

/** Persian and Arabic-Indic digits (and the Persian decimal separator) as the ones JSON reads. */
function latinDigits(text: string): string {
  return text
    .replace(/[۰-۹]/g, (d) => String(d.charCodeAt(0) - 0x06f0))
    .replace(/[٠-٩]/g, (d) => String(d.charCodeAt(0) - 0x0660))
    .replace(/٫/g, ".");
}

/** What the person typed, as a value of `shape`; empty is no value where the field may have none. */
export function parseEntered(text: string, shape: Shape): Entered {
  const trimmed = text.trim();
  if (trimmed === "" && shape.nullable) return { ok: true, value: null };
  if (shape.type === "text") return { ok: true, value: text };
  if (shape.type === "number") {
    const number = Number(latinDigits(trimmed));
    return trimmed !== "" && Number.isFinite(number) ? { ok: true, value: number } : { ok: false, problem: "number" };
  }
  for (const candidate of [trimmed, latinDigits(trimmed)]) {
    try {
      return { ok: true, value: JSON.parse(candidate) };
    } catch {
      // Numbers typed with the keyboard's own digits are read again in Latin ones.
    }
  }
  return { ok: false, problem: "json" };
}

import type { Department } from "../../api/generated";

export type DepartmentNode = { department: Department; depth: number };

/**
 * The departments in tree order — each followed by its sub-departments, by name — with their
 * depth. A department whose parent is not listed (inactive) counts as a top-level one, and a
 * cycle, which the core should never store, cannot loop or hide a department.
 */
export function departmentTree(departments: readonly Department[]): DepartmentNode[] {
  const ids = new Set(departments.map((d) => d.id));
  const children = new Map<string | null, Department[]>();
  for (const d of departments) {
    const parent = d.parent_id !== null && ids.has(d.parent_id) ? d.parent_id : null;
    children.set(parent, [...(children.get(parent) ?? []), d]);
  }
  for (const list of children.values()) list.sort((a, b) => a.name.localeCompare(b.name));

  const out: DepartmentNode[] = [];
  const placed = new Set<string>();
  const visit = (parent: string | null, depth: number) => {
    for (const department of children.get(parent) ?? []) {
      if (placed.has(department.id)) continue;
      placed.add(department.id);
      out.push({ department, depth });
      visit(department.id, depth + 1);
    }
  };
  visit(null, 0);
  // Departments only reachable through a cycle: shown at the top rather than lost.
  for (const department of departments) {
    if (placed.has(department.id)) continue;
    placed.add(department.id);
    out.push({ department, depth: 0 });
    visit(department.id, 1);
  }
  return out;
}

/** A department's name in a select, indented by its depth (options cannot be padded). */
export function indentedName({ department, depth }: DepartmentNode): string {
  return `${"\u00a0\u00a0\u00a0".repeat(depth)}${department.name}`;
}

// Importing from files is offered to who may run imports (`imports.run`: managers, sales,
// administrators); the core also requires the right to create the records imported. The window
// only hides what the core would refuse anyway.

import type { SessionUser } from "../../api/generated";
import { hasPermission } from "../session/hooks/useSession";

export function canRunImports(user: SessionUser | null): boolean {
  return hasPermission(user, "imports.run");
}

/** Whether a held row can be shown beside the record it duplicates (the Duplicates screen's right). */
export function canCompareHeld(user: SessionUser | null): boolean {
  return hasPermission(user, "duplicates.find");
}

/** Whether the two can be merged from there. */
export function canMergeHeld(user: SessionUser | null): boolean {
  return hasPermission(user, "duplicates.merge");
}

// Conflict review is offered only to who may resolve: the core refuses everyone else both the
// list and the choice.

import type { SessionUser } from "../../api/generated";
import { hasPermission } from "../session/hooks/useSession";

export function canResolveConflicts(user: SessionUser | null): boolean {
  return hasPermission(user, "sync.resolve");
}

// Working offline is offered only to who may replicate: the core refuses everyone else the copy,
// its status and the switches to and from it.

import type { SessionUser } from "../../api/generated";
import { hasPermission } from "../session/hooks/useSession";

export function canWorkOffline(user: SessionUser | null): boolean {
  return hasPermission(user, "sync.replicate");
}

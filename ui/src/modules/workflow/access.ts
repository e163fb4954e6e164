// Workflow rules (COMM-6) are shown to who may read them (managers, quality, auditors) in
// administration; defining, changing and switching them off and on to who may manage them
// (administrators). The window only hides what the core would refuse anyway.

import type { SessionUser } from "../../api/generated";
import { hasPermission } from "../session/hooks/useSession";

export function canReadRules(user: SessionUser | null): boolean {
  return hasPermission(user, "workflow.read");
}

export function canManageRules(user: SessionUser | null): boolean {
  return hasPermission(user, "workflow.manage");
}

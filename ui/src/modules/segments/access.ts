// Segments are offered to who may read them (managers, sales, service desk, quality, auditors);
// saving, changing, archiving and restoring them to who may manage them (managers, sales,
// quality, administrators). The window only hides what the core would refuse anyway.

import type { SessionUser } from "../../api/generated";
import { hasPermission } from "../session/hooks/useSession";

export function canReadSegments(user: SessionUser | null): boolean {
  return hasPermission(user, "segments.read");
}

export function canManageSegments(user: SessionUser | null): boolean {
  return hasPermission(user, "segments.manage");
}

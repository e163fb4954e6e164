// Duplicates are offered to who may find them (managers, sales, service desk, quality, auditors);
// merging, and undoing a merge, to who may merge (managers and administrators). The window only
// hides what the core would refuse anyway.

import type { SessionUser } from "../../api/generated";
import { hasPermission } from "../session/hooks/useSession";

export function canFindDuplicates(user: SessionUser | null): boolean {
  return hasPermission(user, "duplicates.find");
}

export function canMergeDuplicates(user: SessionUser | null): boolean {
  return hasPermission(user, "duplicates.merge");
}

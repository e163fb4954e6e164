// Which tabs of administration a person may use. The window only hides what the core would
// refuse anyway: each tab needs the permission of the operations it reads.

import type { Permission, SessionUser } from "../../api/generated";
import { hasPermission } from "../session/hooks/useSession";

export const ADMIN_TABS = ["users", "roles", "departments", "fields", "topics", "freshness", "workflow", "audit", "efficiency"] as const;
export type AdminTab = (typeof ADMIN_TABS)[number];

/** The roles matrix is read with `security.list_roles`, which needs users.manage, not roles.manage. */
const TAB_PERMISSION: Record<AdminTab, Permission> = {
  users: "users.manage",
  roles: "users.manage",
  departments: "users.manage",
  fields: "fields.manage",
  topics: "interactions.manage_topics",
  freshness: "freshness.manage",
  // Seen by who may read the rules (managers, quality, auditors); changed by who may manage them.
  workflow: "workflow.read",
  audit: "audit.read",
  efficiency: "audit.read",
};

/** The tabs `user` may open, in screen order; none: administration is not offered at all. */
export function adminTabsFor(user: SessionUser | null): AdminTab[] {
  return ADMIN_TABS.filter((tab) => hasPermission(user, TAB_PERMISSION[tab]));
}

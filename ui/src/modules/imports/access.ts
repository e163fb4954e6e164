// Importing from files is offered to who may run imports (`imports.run`: managers, sales,
// administrators); the core also requires the right to create the records imported. The window
// only hides what the core would refuse anyway.

import type { SessionUser } from "../../api/generated";
import { hasPermission } from "../session/hooks/useSession";

export function canRunImports(user: SessionUser | null): boolean {
  return hasPermission(user, "imports.run");
}

// "Needs confirmation" (CUST-6) is offered to who may read customers: it lists one's own records
// of the kinds one may read. Confirming one changes it, so it needs the right to change customers.
// The window only hides what the core would refuse anyway.

import type { SessionUser } from "../../api/generated";
import { hasPermission } from "../session/hooks/useSession";

export function canSeeFreshness(user: SessionUser | null): boolean {
  return hasPermission(user, "customers.read");
}

export function canConfirmFreshness(user: SessionUser | null): boolean {
  return hasPermission(user, "customers.write");
}

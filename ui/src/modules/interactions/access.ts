// Interactions (COMM-1, COMM-2) are offered to who may read them (managers, sales, service desk,
// quality, auditors); logging and correcting one to who may write them, archiving and restoring to
// who may archive them (managers), and keeping the topics to who may manage them (administrators).
// The window only hides what the core would refuse anyway.

import type { SessionUser } from "../../api/generated";
import { hasPermission } from "../session/hooks/useSession";

export function canReadInteractions(user: SessionUser | null): boolean {
  return hasPermission(user, "interactions.read");
}

export function canLogInteractions(user: SessionUser | null): boolean {
  return hasPermission(user, "interactions.write");
}

export function canArchiveInteractions(user: SessionUser | null): boolean {
  return hasPermission(user, "interactions.archive");
}

export function canManageTopics(user: SessionUser | null): boolean {
  return hasPermission(user, "interactions.manage_topics");
}

/**
 * Whether the person may look at a colleague's interactions. The window cannot tell how far a
 * person's role reaches (their own records, their department's, everyone's), so the choice is
 * offered to who can read the directory; the core lists only what is within their reach.
 */
export function canChooseColleague(user: SessionUser | null): boolean {
  return hasPermission(user, "security.directory");
}

/**
 * Whether the calendar offers the team's view and colleagues' calendars: for who sees more than
 * their own records (a manager their department's, an executive everyone's), as the session says.
 * The core lists only what is within the person's reach whatever is asked.
 */
export function canSeeTeam(user: SessionUser | null): boolean {
  return canChooseColleague(user) && user !== null && user.sees_colleagues;
}

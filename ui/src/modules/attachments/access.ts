// Attached files (the letter, the signed minutes, the photo on an interaction) are offered to who
// may read them (managers, sales, service desk, quality, auditors); attaching and removing them
// to who may write them and may also change the record they are attached to, as the core checks.
// The window only hides what the core would refuse anyway.

import type { HistoryTable, Permission, SessionUser } from "../../api/generated";
import { hasPermission } from "../session/hooks/useSession";

/**
 * The permission that changes a record of each kind that takes files. A kind missing here takes
 * no files in the window (the core says which do); a kind that comes to take them is added here.
 */
const WRITE_RECORD: Partial<Record<HistoryTable, Permission>> = {
  interactions: "interactions.write",
};

export function canReadAttachments(user: SessionUser | null): boolean {
  return hasPermission(user, "attachments.read");
}

/** Whether the person may attach files to records of `table`, and remove them. */
export function canAttachFiles(user: SessionUser | null, table: HistoryTable = "interactions"): boolean {
  const writeRecord = WRITE_RECORD[table];
  return writeRecord !== undefined && hasPermission(user, "attachments.write") && hasPermission(user, writeRecord);
}

// The audit log as the window shows and exports it: the operations and tables this build has
// words for, what a verification found, and the CSV an auditor takes away.

import type { AuditEntry, AuditVerification, ChangeByActor } from "../../api/generated";
import { recordsCsv } from "../../shared/csv";

/** The audited operations this build has a label for (admin.audit.operations.*), in filter order. */
export const AUDITED_OPERATIONS = [
  "security.sign_in",
  "security.sign_in_failed",
  "security.sign_out",
  "security.create_first_administrator",
  "security.create_user",
  "security.set_user_role",
  "security.deactivate_user",
  "security.offboard_user",
  "security.set_role_permissions",
  "security.set_role_visibility",
  "security.meet_permissions",
  "security.create_department",
  "security.confirm_two_factor",
  "security.renew_recovery_codes",
  "security.disable_two_factor",
  "security.reset_two_factor",
  "customers.archive_organisation",
  "customers.restore_organisation",
  "customers.archive_contact",
  "customers.restore_contact",
  "customers.archive_relation",
  "fields.define",
  "fields.update",
  "fields.reorder",
  "fields.retire",
  "fields.restore",
  "duplicates.merge",
  "duplicates.undo_merge",
  "duplicates.reconsider_pair",
  "segments.archive",
  "segments.restore",
  "segments.export",
  "imports.start",
  "imports.undo",
  "freshness.set_rule",
  "interactions.define_topic",
  "interactions.rename_topic",
  "interactions.retire_topic",
  "interactions.restore_topic",
  "interactions.archive",
  "interactions.restore",
  "interactions.cancel_scheduled",
  "interactions.export_calendar",
  "workflow.define",
  "workflow.update",
  "workflow.switch_off",
  "workflow.switch_on",
  "attachments.attach",
  "attachments.save",
  "attachments.remove",
  "audit.export_efficiency",
] as const;
export type AuditedOperation = (typeof AUDITED_OPERATIONS)[number];

/**
 * The tables audited operations name as their target, and a person's changed records may be of
 * (admin.audit.tables.*). A merge and its undo name the merged kind's table (organisations,
 * contacts); taking back "not duplicates" names the judgement's own, `duplicate_dismissals`. A
 * merge and a "not duplicates" are also records the person created (`record_merges`,
 * `duplicate_dismissals`), listed among the records they changed. A segment's archive and restore
 * name its own table, `segments`, whose records a person saves and changes too. An import's start
 * and its undo name the import itself, in `imports`. The topics' operations name the topic, in
 * `interaction_topics`; an interaction's archive and restore name it, in `interactions`, whose
 * records a person logs and corrects too; cancelling a scheduled contact names it, in
 * `scheduled_contacts`. A person's tasks are records they change, in `tasks`; a workflow rule's
 * definition, change and switching off and on name the rule, in `workflow_rules`. Attaching a
 * file, saving a copy of it and removing it name the attached file, in `attachments`.
 */
export const AUDIT_TABLES = [
  "users",
  "roles",
  "departments",
  "organisations",
  "contacts",
  "organisation_relations",
  "custom_fields",
  "record_merges",
  "duplicate_dismissals",
  "segments",
  "imports",
  "interaction_topics",
  "interactions",
  "scheduled_contacts",
  "tasks",
  "workflow_rules",
  "attachments",
] as const;
export type AuditTable = (typeof AUDIT_TABLES)[number];

export function isAuditedOperation(operation: string): operation is AuditedOperation {
  return (AUDITED_OPERATIONS as readonly string[]).includes(operation);
}

export function isAuditTable(table: string): table is AuditTable {
  return (AUDIT_TABLES as readonly string[]).includes(table);
}

/** One thing a verification found wrong, with the entry it points at when there is one. */
export type VerificationAlarm =
  | { kind: "broken" | "rewritten"; seq: number }
  | { kind: "rewrittenSomewhere" | "truncated" | "failed" };

/** Everything wrong with the log, most telling first; none: it is intact. */
export function verificationAlarms(result: AuditVerification): VerificationAlarm[] {
  const alarms: VerificationAlarm[] = [];
  const seq = result.first_broken_seq;
  // A rewritten log's seq is where the rewriting may start, not a link that fails to follow.
  if (result.rewritten) alarms.push(seq === null ? { kind: "rewrittenSomewhere" } : { kind: "rewritten", seq });
  else if (seq !== null) alarms.push({ kind: "broken", seq });
  if (result.truncated) alarms.push({ kind: "truncated" });
  // A failure this build cannot name is still an alarm, never a quiet success.
  if (alarms.length === 0 && !result.intact) alarms.push({ kind: "failed" });
  return alarms;
}

/** The export's columns: the core's own field names, so that a tool reading the file need not guess. */
const CSV_COLUMNS = ["seq", "at", "actor_name", "actor_id", "operation", "target_table", "target_id", "detail"] as const;

/** Entries as a spreadsheet opens them, raw as the core keeps them (ISO times, operation names). */
export function auditCsv(entries: readonly AuditEntry[]): string {
  return recordsCsv(CSV_COLUMNS, entries);
}

/** The columns of a person's changes, by the core's names too. */
const CHANGES_CSV_COLUMNS = ["seq", "at", "operation", "table", "row_id", "title", "action", "fields"] as const;

/** A person's changes as a spreadsheet opens them: raw as the core sends them, the fields in one cell. */
export function personChangesCsv(changes: readonly ChangeByActor[]): string {
  return recordsCsv(CHANGES_CSV_COLUMNS, changes.map((change) => ({ ...change, fields: change.fields.join(", ") })));
}

/** "accord-audit-2026-11-23.csv", by the calendar of the computer's own day. */
export function auditFileName(now: Date): string {
  return datedCsvName("accord-audit", now);
}

/** "accord-changes-<the person's id>-2026-11-23.csv". */
export function personChangesFileName(actorId: string, now: Date): string {
  return datedCsvName(`accord-changes-${actorId}`, now);
}

/** "<stem>-2026-11-23.csv", by the calendar of the computer's own day. */
function datedCsvName(stem: string, now: Date): string {
  const two = (n: number) => String(n).padStart(2, "0");
  return `${stem}-${now.getFullYear()}-${two(now.getMonth() + 1)}-${two(now.getDate())}.csv`;
}

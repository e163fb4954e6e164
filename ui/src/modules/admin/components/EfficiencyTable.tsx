import type { TFunction } from "i18next";
import { Fragment, useState } from "react";
import { useTranslation } from "react-i18next";
import type { OperationActivity, PersonActivity } from "../../../api/generated";
import { formatDateTime, formatNumber } from "../../../shared/format";
import { useLanguage } from "../../../shared/useLanguage";
import { OperationLabel } from "./AuditEntries";

/** Person, four counts, last activity, the operations' toggle. */
const COLUMNS = 7;

/** One row per person, in the core's order (the most active first); each opens onto its operations. */
export function EfficiencyTable({ people }: { people: readonly PersonActivity[] }) {
  const { t } = useTranslation();
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  if (people.length === 0)
    return (
      <p className="empty" data-testid="efficiency-empty">
        {t("admin.efficiency.empty")}
      </p>
    );

  function toggle(userId: string) {
    setExpanded((open) => {
      const next = new Set(open);
      if (!next.delete(userId)) next.add(userId);
      return next;
    });
  }

  return (
    <div className="matrix-scroll">
      <table className="data-table efficiency-table" data-testid="efficiency-table">
        <thead>
          <tr>
            <th scope="col">{t("admin.efficiency.columns.person")}</th>
            <th scope="col" className="efficiency-count">{t("admin.efficiency.columns.signIns")}</th>
            <th scope="col" className="efficiency-count">{t("admin.efficiency.columns.failedSignIns")}</th>
            <th scope="col" className="efficiency-count">{t("admin.efficiency.columns.actions")}</th>
            <th scope="col" className="efficiency-count">{t("admin.efficiency.columns.recordsChanged")}</th>
            <th scope="col">{t("admin.efficiency.columns.lastActivity")}</th>
            <th scope="col">{t("admin.efficiency.columns.operations")}</th>
          </tr>
        </thead>
        <tbody>
          {people.map((person) => (
            <Fragment key={person.user_id}>
              <PersonRow person={person} open={expanded.has(person.user_id)} onToggle={() => toggle(person.user_id)} />
              {expanded.has(person.user_id) && <OperationsRow person={person} />}
            </Fragment>
          ))}
        </tbody>
      </table>
    </div>
  );
}

type PersonRowProps = { person: PersonActivity; open: boolean; onToggle: () => void };

function PersonRow({ person, open, onToggle }: PersonRowProps) {
  const { t } = useTranslation();
  const language = useLanguage();
  const operations = person.operations.length;
  return (
    <tr data-testid="efficiency-row" data-user-id={person.user_id}>
      <td>
        <PersonName person={person} />
      </td>
      <Count value={person.sign_ins} />
      {/* Refused sign-ins may be someone guessing a password: they stand out, quietly. */}
      <Count value={person.failed_sign_ins} className={person.failed_sign_ins > 0 ? "efficiency-failed" : undefined} />
      <Count value={person.actions} />
      <Count value={person.records_changed} />
      <td className="efficiency-at">
        {person.last_activity_at === null ? (
          <span className="muted">{t("app.none")}</span>
        ) : (
          <time dateTime={person.last_activity_at} title={person.last_activity_at}>
            {formatDateTime(person.last_activity_at, language)}
          </time>
        )}
      </td>
      <td>
        {operations === 0 ? (
          <span className="muted">{t("app.none")}</span>
        ) : (
          <button
            type="button"
            className="link-button"
            data-testid="efficiency-expand"
            aria-expanded={open}
            aria-controls={operationsId(person)}
            onClick={onToggle}
          >
            {t("admin.efficiency.operationsCount", { count: operations, total: formatNumber(operations, language) })}
          </button>
        )}
      </td>
    </tr>
  );
}

function PersonName({ person }: { person: PersonActivity }) {
  const { t } = useTranslation();
  if (person.display_name === null)
    return (
      <span className="muted" title={person.user_id}>
        {t("admin.efficiency.unknownPerson")}
      </span>
    );
  return <bdi title={person.user_id}>{person.display_name}</bdi>;
}

function personName(t: TFunction, person: PersonActivity): string {
  return person.display_name ?? t("admin.efficiency.unknownPerson");
}

function operationsId(person: PersonActivity): string {
  return `efficiency-operations-${person.user_id}`;
}

function Count({ value, className }: { value: number; className?: string }) {
  const language = useLanguage();
  return <td className={className ? `efficiency-count ${className}` : "efficiency-count"}>{formatNumber(value, language)}</td>;
}

/** The person's operations, busiest first as the core sends them, under the person's row. */
function OperationsRow({ person }: { person: PersonActivity }) {
  const { t } = useTranslation();
  return (
    <tr className="efficiency-operations" id={operationsId(person)}>
      <td colSpan={COLUMNS}>
        <table className="data-table efficiency-operations-table" aria-label={t("admin.efficiency.operationsOf", { name: personName(t, person) })}>
          <thead>
            <tr>
              <th scope="col">{t("admin.efficiency.columns.operation")}</th>
              <th scope="col" className="efficiency-count">{t("admin.efficiency.columns.actions")}</th>
              <th scope="col" className="efficiency-count">{t("admin.efficiency.columns.recordsChanged")}</th>
            </tr>
          </thead>
          <tbody>
            {person.operations.map((activity) => (
              <OperationRow key={activity.operation} activity={activity} />
            ))}
          </tbody>
        </table>
      </td>
    </tr>
  );
}

function OperationRow({ activity }: { activity: OperationActivity }) {
  return (
    <tr data-testid="efficiency-operation" data-operation={activity.operation}>
      <td>
        <OperationLabel operation={activity.operation} />
      </td>
      <Count value={activity.actions} />
      <Count value={activity.records_changed} />
    </tr>
  );
}

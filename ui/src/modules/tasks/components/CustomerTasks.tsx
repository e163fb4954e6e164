import { useTranslation } from "react-i18next";
import { errorMessage } from "../../../shared/errors";
import { formatDateTime } from "../../../shared/format";
import type { Whom } from "../../../shared/interactions/InteractionsSlot";
import { useLanguage } from "../../../shared/useLanguage";
import { useTaskDialogs, useTaskList } from "../hooks/useTasks";
import { statusLabel } from "../labels";

/**
 * A customer's open tasks on their card (everyone's within reach, soonest deadline first), each
 * opening its panel, and "New task" about them. `customerId`: the organisation's, or one contact's.
 */
export function CustomerTasks({ customerId, whom, archived }: { customerId: string; whom: Whom; archived: boolean }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const { create, open } = useTaskDialogs();
  const list = useTaskList({ view: "team", progress: "unfinished", customer_id: customerId });
  const rows = list.data?.tasks ?? [];
  return (
    <section className="planned" data-testid="customer-tasks" aria-label={t("tasks.customer.title")}>
      <div className="planned-head">
        <h3 className="planned-title">{t("tasks.customer.title")}</h3>
        <span className="toolbar-spacer" />
        {create && !archived && (
          <button type="button" className="button" data-testid="customer-task-new" onClick={() => create({ whom })}>
            {t("tasks.screen.new")}
          </button>
        )}
      </div>
      {list.error && <p className="field-error">{errorMessage(t, list.error)}</p>}
      {list.data && rows.length === 0 && <p className="muted">{t("tasks.customer.empty")}</p>}
      {rows.length > 0 && (
        <ul className="planned-list">
          {rows.map((row) => (
            <li key={row.id}>
              <button type="button" className="planned-item" data-testid="customer-task" data-id={row.id} onClick={() => open?.(row.id)}>
                <time className={row.overdue ? "planned-when field-error" : "planned-when"} dateTime={row.deadline}>
                  {formatDateTime(row.deadline, language)}
                </time>
                {row.overdue && <span className="badge badge-problem">{t("tasks.overdue")}</span>}
                <bdi>{row.title}</bdi>
                <span className="muted">
                  <bdi>{row.responsible_name}</bdi> · {statusLabel(t, row.status)}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

import { useState, type KeyboardEvent } from "react";
import { useTranslation } from "react-i18next";
import type { TaskCount, TaskProgress, TaskRow, TaskView } from "../../../api/generated";
import { errorMessage } from "../../../shared/errors";
import { formatDateTime, formatNumber } from "../../../shared/format";
import { useLanguage } from "../../../shared/useLanguage";
import { canSeeTeam } from "../../interactions/access";
import { useSession } from "../../session/hooks/useSession";
import { useOverdueCounts, useTaskDialogs, useTaskList } from "../hooks/useTasks";
import { progressLabel, statusLabel, viewLabel } from "../labels";
import { customerName, PROGRESS, VIEWS } from "../model";

/** One person's tasks in the team's list, chosen from the overdue summary. */
type PersonFilter = { id: string; name: string } | null;

/**
 * Tasks (COMM-5): one's own, those one controls, those one handed on, or — for who sees
 * colleagues' records — the team's, each open, overdue, waiting for the controller, finished or
 * all; by deadline, overdue ones marked in words. A row (click or Enter) opens the task's panel.
 * The team's list comes with who has how many overdue, per person and per department.
 */
export function TasksScreen() {
  const { t } = useTranslation();
  const language = useLanguage();
  const me = useSession().status.user;
  const team = canSeeTeam(me);
  const { create, open } = useTaskDialogs();
  const [chosenView, setView] = useState<TaskView>("mine");
  const [progress, setProgress] = useState<TaskProgress>("unfinished");
  const [person, setPerson] = useState<PersonFilter>(null);
  const views = VIEWS.filter((v) => v !== "team" || team);
  const view = views.includes(chosenView) ? chosenView : "mine";
  const input = { view, progress, ...(view === "team" && person ? { responsible_id: person.id } : {}) };
  const list = useTaskList(input);
  const overdue = useOverdueCounts(view === "team");
  const rows = list.data?.tasks;

  function onRowKey(e: KeyboardEvent<HTMLTableRowElement>, row: TaskRow) {
    if (e.key === "Enter" && open) {
      e.preventDefault();
      open(row.id);
    }
  }

  return (
    <div className="page tasks" data-testid="tasks-screen">
      <div className="panel interactions-panel">
        <header className="panel-header">
          <h1 className="screen-title">{t("tasks.screen.title")}</h1>
          <span className="toolbar-spacer" />
          {create && (
            <button type="button" className="button button-primary" data-testid="task-new" onClick={() => create()}>
              {t("tasks.screen.new")}
            </button>
          )}
        </header>
        <div className="section-toolbar">
          <div className="segmented" role="group" aria-label={t("tasks.screen.view")}>
            {views.map((v) => (
              <button
                key={v}
                type="button"
                className="segment"
                aria-pressed={view === v}
                data-testid={`tasks-view-${v}`}
                onClick={() => {
                  setView(v);
                  setPerson(null);
                }}
              >
                {viewLabel(t, v)}
              </button>
            ))}
          </div>
          <span className="toolbar-spacer" />
          <div className="segmented" role="group" aria-label={t("tasks.screen.progress")}>
            {PROGRESS.map((p) => (
              <button key={p} type="button" className="segment" aria-pressed={progress === p} data-testid={`tasks-progress-${p}`} onClick={() => setProgress(p)}>
                {progressLabel(t, p, view)}
              </button>
            ))}
          </div>
        </div>

        {view === "team" && overdue.data && (
          <OverdueSummary
            people={overdue.data.by_person}
            departments={overdue.data.by_department}
            chosen={person}
            onChoose={(id, name) => setPerson(id === null ? null : { id, name })}
          />
        )}
        {person && (
          <p className="section-toolbar" data-testid="tasks-person">
            <span>{t("tasks.screen.ofPerson", { name: person.name })}</span>{" "}
            <button type="button" className="link-button" data-testid="tasks-person-clear" onClick={() => setPerson(null)}>
              {t("tasks.screen.everyone")}
            </button>
          </p>
        )}

        {list.error && (
          <div className="banner banner-error" role="alert" data-testid="tasks-error">
            <p>{errorMessage(t, list.error)}</p>
            <button type="button" className="button" onClick={() => void list.refetch()}>
              {t("app.retry")}
            </button>
          </div>
        )}
        {!rows && !list.error && <p className="muted">{t("app.loading")}</p>}
        {rows && rows.length === 0 && (
          <p className="empty" data-testid="tasks-empty">
            {t(`tasks.screen.empty.${view}`)}
          </p>
        )}
        {rows && rows.length > 0 && (
          <table className="data-table tasks-table" data-testid="tasks-list" aria-busy={list.isPlaceholderData || undefined}>
            <thead>
              <tr>
                <th>{t("tasks.fields.title")}</th>
                <th>{t("tasks.fields.customer")}</th>
                <th>{t("tasks.fields.responsible")}</th>
                <th>{t("tasks.fields.deadline")}</th>
                <th>{t("tasks.fields.status")}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr
                  key={row.id}
                  className="task-row"
                  tabIndex={open ? 0 : undefined}
                  data-testid={`task-row-${row.id}`}
                  data-overdue={row.overdue || undefined}
                  aria-label={row.overdue ? t("tasks.screen.rowOverdue", { title: row.title }) : row.title}
                  onClick={() => open?.(row.id)}
                  onKeyDown={(e) => onRowKey(e, row)}
                >
                  <td>
                    <bdi className="cell-strong">{row.title}</bdi>
                  </td>
                  <td>
                    <bdi>{customerName(row)}</bdi>
                  </td>
                  <td>
                    <bdi>{row.responsible_name}</bdi>
                  </td>
                  <td className={row.overdue ? "field-error" : undefined} data-testid="task-row-deadline">
                    <time dateTime={row.deadline}>{formatDateTime(row.deadline, language)}</time>
                    {row.overdue && (
                      <>
                        {" "}
                        <span className="badge badge-problem">{t("tasks.overdue")}</span>
                      </>
                    )}
                  </td>
                  <td data-testid="task-row-status">{statusLabel(t, row.status)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {list.data?.truncated && (
          <p className="muted" data-testid="tasks-truncated">
            {t("tasks.screen.truncated", { count: list.data.tasks.length, total: formatNumber(list.data.tasks.length, language) })}
          </p>
        )}
      </div>
    </div>
  );
}

/** Who has how many open and overdue tasks, per person (a person chosen narrows the list) and per department. */
function OverdueSummary({
  people,
  departments,
  chosen,
  onChoose,
}: {
  people: TaskCount[];
  departments: TaskCount[];
  chosen: PersonFilter;
  onChoose: (id: string | null, name: string) => void;
}) {
  const { t } = useTranslation();
  const language = useLanguage();
  const n = (value: number) => formatNumber(value, language);
  if (people.length === 0 && departments.length === 0) return null;
  return (
    <section className="section tasks-overdue" data-testid="tasks-overdue" aria-label={t("tasks.overdueSummary.title")}>
      <h2 className="section-title">{t("tasks.overdueSummary.title")}</h2>
      <div className="details">
        <table className="data-table" data-testid="tasks-overdue-people">
          <thead>
            <tr>
              <th>{t("tasks.overdueSummary.person")}</th>
              <th>{t("tasks.overdueSummary.open")}</th>
              <th>{t("tasks.overdueSummary.overdue")}</th>
            </tr>
          </thead>
          <tbody>
            {people.map((p) => (
              <tr key={p.id ?? p.name} data-testid="tasks-overdue-person" data-id={p.id ?? undefined}>
                <td>
                  {p.id !== null ? (
                    <button
                      type="button"
                      className="link-button"
                      aria-pressed={chosen?.id === p.id}
                      aria-label={t("tasks.overdueSummary.showOf", { name: p.name })}
                      onClick={() => onChoose(p.id, p.name)}
                    >
                      <bdi>{p.name}</bdi>
                    </button>
                  ) : (
                    <bdi>{p.name}</bdi>
                  )}
                </td>
                <td>{n(p.open)}</td>
                <td className={p.overdue > 0 ? "field-error" : undefined}>{n(p.overdue)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <table className="data-table" data-testid="tasks-overdue-departments">
          <thead>
            <tr>
              <th>{t("tasks.overdueSummary.department")}</th>
              <th>{t("tasks.overdueSummary.open")}</th>
              <th>{t("tasks.overdueSummary.overdue")}</th>
            </tr>
          </thead>
          <tbody>
            {departments.map((d) => (
              <tr key={d.id ?? ""} data-testid="tasks-overdue-department">
                <td>
                  <bdi>{d.name === "" ? t("tasks.overdueSummary.noDepartment") : d.name}</bdi>
                </td>
                <td>{n(d.open)}</td>
                <td className={d.overdue > 0 ? "field-error" : undefined}>{n(d.overdue)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { MATCH, useShortcut } from "../../../app/shortcuts";
import { canChooseColleague } from "../../interactions/access";
import { useSession } from "../../session/hooks/useSession";
import { useRecordNoticeClicks } from "../../workflow/hooks/useRecordNoticeClicks";
import { canReadTasks, canWriteTasks } from "../access";
import { TaskDialogsContext, useRefreshTasks, type TaskDialogs } from "../hooks/useTasks";
import type { TaskPrefill } from "../model";
import { TaskDialog, type TaskDialogMode } from "./TaskDialog";
import { TaskPanel } from "./TaskPanel";

/** How long a notice stays on screen. */
const NOTICE_MS = 5000;

/**
 * Tasks wherever the window is (COMM-5): the dialog that gives one (Ctrl+Shift+T, the command
 * palette, the tasks screen) or corrects one, a task's panel (from a list, or a workflow rule's
 * notification clicked), and the short notices after what was done. Every change marks every list
 * and count of tasks out of date.
 */
export function TasksProvider({ shortcutEnabled, children }: { shortcutEnabled: boolean; children: ReactNode }) {
  const { t } = useTranslation();
  const user = useSession().status.user;
  const canRead = canReadTasks(user);
  const canWrite = canWriteTasks(user);
  const refresh = useRefreshTasks();
  const [dialog, setDialog] = useState<TaskDialogMode | null>(null);
  const [panel, setPanel] = useState<string | null>(null);
  const [notice, setNotice] = useState<{ text: string; at: number } | null>(null);
  const returnFocus = useRef<HTMLElement | null>(null);

  const remember = () => {
    if (dialog === null && panel === null) returnFocus.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  };
  const rememberFocus = useRef(remember);
  useEffect(() => {
    rememberFocus.current = remember;
  });

  const restoreFocus = useCallback(() => {
    const target = returnFocus.current;
    requestAnimationFrame(() => {
      if (target?.isConnected) target.focus();
    });
  }, []);

  const create = useCallback((prefill: TaskPrefill = {}) => {
    rememberFocus.current();
    setNotice(null);
    setPanel(null);
    setDialog({ kind: "new", prefill });
  }, []);

  const open = useCallback((id: string) => {
    rememberFocus.current();
    setDialog(null);
    setPanel(id);
  }, []);

  useShortcut(MATCH.newTask, () => create(), canWrite && dialog === null && panel === null && shortcutEnabled);

  // A workflow rule's notification clicked: the record it is about (a task's panel here).
  useRecordNoticeClicks(canRead ? open : null);

  useEffect(() => {
    if (!notice) return;
    const timer = window.setTimeout(() => setNotice(null), NOTICE_MS);
    return () => window.clearTimeout(timer);
  }, [notice]);

  const value = useMemo<TaskDialogs>(() => ({ create: canWrite ? create : null, open: canRead ? open : null }), [canWrite, canRead, create, open]);

  function changed(text: string) {
    setNotice({ text, at: Date.now() });
    void refresh();
  }

  return (
    <TaskDialogsContext.Provider value={value}>
      {children}
      {dialog && user && (
        <TaskDialog
          mode={dialog}
          me={{ id: user.id, name: user.display_name }}
          canChooseResponsible={canChooseColleague(user)}
          onClose={() => {
            setDialog(null);
            restoreFocus();
          }}
          onSaved={(saved, edited) => {
            setDialog(null);
            restoreFocus();
            changed(edited ? t("tasks.dialog.changed", { title: saved.title }) : t("tasks.dialog.created", { title: saved.title }));
          }}
        />
      )}
      {panel && canRead && user && (
        <TaskPanel
          id={panel}
          me={{ id: user.id, name: user.display_name }}
          canWrite={canWrite}
          onClose={() => {
            setPanel(null);
            restoreFocus();
          }}
          onEdit={(task) => {
            setPanel(null);
            setDialog({ kind: "edit", task });
          }}
          onChanged={(text) => {
            setPanel(null);
            restoreFocus();
            changed(text);
          }}
        />
      )}
      <div className="toast-region toast-region-tasks" role="status" aria-live="polite">
        {notice && (
          <div key={notice.at} className="toast" data-testid="task-notice">
            {notice.text}
          </div>
        )}
      </div>
    </TaskDialogsContext.Provider>
  );
}

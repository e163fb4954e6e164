import { isTauri } from "@tauri-apps/api/core";
import { listen } from "@tauri-apps/api/event";
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { useNavigation } from "../../../app/navigation";
import { MATCH, useShortcut } from "../../../app/shortcuts";
import { useSession } from "../../session/hooks/useSession";
import { canChooseColleague, canLogInteractions, canManageTopics, canReadInteractions } from "../access";
import { useRefreshInteractions } from "../hooks/useInteractions";
import type { SchedulePrefill } from "./model";
import { ScheduleContactDialog, type ScheduleMode } from "./ScheduleContactDialog";
import { ScheduledPanel } from "./ScheduledPanel";
import { SchedulingContext, type Scheduling } from "./useScheduling";

/** The event the desktop shell emits when a reminder's notification is clicked. */
export const OPEN_SCHEDULED_EVENT = "accord://open-scheduled";

/** How long a notice stays on screen. */
const NOTICE_MS = 5000;

/**
 * Scheduled contacts wherever the window is (COMM-3): the schedule dialog (Ctrl+Shift+L, the command
 * palette, a card, a calendar's empty slot), a scheduled contact's panel (from a calendar, a card's
 * planned contacts, a reminder's notification), and the short notices after what they did. Every
 * change marks the histories, calendars and planned lists out of date.
 */
export function SchedulingProvider({ shortcutEnabled, children }: { shortcutEnabled: boolean; children: ReactNode }) {
  const { t } = useTranslation();
  const user = useSession().status.user;
  const { navigate } = useNavigation();
  const canRead = canReadInteractions(user);
  const canWrite = canLogInteractions(user);
  const refresh = useRefreshInteractions();
  const [dialog, setDialog] = useState<ScheduleMode | null>(null);
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

  const schedule = useCallback((prefill: SchedulePrefill = {}) => {
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

  const notify = useCallback((text: string) => setNotice({ text, at: Date.now() }), []);

  useShortcut(MATCH.scheduleContact, () => schedule(), canWrite && dialog === null && panel === null && shortcutEnabled);

  // A reminder's notification clicked: the calendar, with the contact's panel over it.
  useEffect(() => {
    if (!canRead || !isTauri()) return;
    let stop: (() => void) | null = null;
    let gone = false;
    listen<{ id: string }>(OPEN_SCHEDULED_EVENT, (event) => {
      if (typeof event.payload?.id !== "string") return;
      navigate({ screen: "calendar" });
      open(event.payload.id);
    }).then(
      (unlisten) => {
        if (gone) unlisten();
        else stop = unlisten;
      },
      () => undefined,
    );
    return () => {
      gone = true;
      stop?.();
    };
  }, [canRead, navigate, open]);

  useEffect(() => {
    if (!notice) return;
    const timer = window.setTimeout(() => setNotice(null), NOTICE_MS);
    return () => window.clearTimeout(timer);
  }, [notice]);

  const value = useMemo<Scheduling>(() => ({ schedule: canWrite ? schedule : null, open, notify }), [canWrite, schedule, open, notify]);

  return (
    <SchedulingContext.Provider value={value}>
      {children}
      {dialog && user && (
        <ScheduleContactDialog
          mode={dialog}
          me={{ id: user.id, name: user.display_name }}
          canChooseResponsible={canChooseColleague(user)}
          canAddTopics={canManageTopics(user)}
          onClose={() => {
            setDialog(null);
            restoreFocus();
          }}
          onSaved={(_, whom, edited) => {
            setDialog(null);
            restoreFocus();
            notify(edited ? t("schedule.dialog.changed", { name: whom }) : t("schedule.dialog.scheduled", { name: whom }));
            void refresh();
          }}
        />
      )}
      {panel && canRead && (
        <ScheduledPanel
          id={panel}
          canWrite={canWrite}
          onClose={() => {
            setPanel(null);
            restoreFocus();
          }}
          onEdit={(stored, whom) => {
            setPanel(null);
            setDialog({ kind: "edit", stored, whom });
          }}
          onChanged={(text) => {
            setPanel(null);
            restoreFocus();
            notify(text);
            void refresh();
          }}
        />
      )}
      <div className="toast-region toast-region-schedule" role="status" aria-live="polite">
        {notice && (
          <div key={notice.at} className="toast" data-testid="schedule-notice">
            {notice.text}
          </div>
        )}
      </div>
    </SchedulingContext.Provider>
  );
}

import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { InteractionRow } from "../../../api/generated";
import { MATCH, useShortcut } from "../../../app/shortcuts";
import { formatNumber } from "../../../shared/format";
import { InteractionsSlot, type InteractionsSlotValue, type Whom } from "../../../shared/interactions/InteractionsSlot";
import { useSession } from "../../session/hooks/useSession";
import { canLogInteractions, canManageTopics, canReadInteractions } from "../access";
import { useRefreshInteractions } from "../hooks/useInteractions";
import { LogDialogContext, type LogDialog } from "../hooks/useLogInteraction";
import { CustomerInteractions } from "./CustomerInteractions";
import { useLanguage } from "../../../shared/useLanguage";
import { LogInteractionDialog, type DialogMode, type NotAttached } from "./LogInteractionDialog";
import { SchedulingProvider } from "../schedule/SchedulingProvider";
import { useScheduling } from "../schedule/useScheduling";

/** How long "Interaction logged" stays on screen. */
const SAVED_NOTICE_MS = 5000;

/**
 * Interactions wherever the window is, scheduled contacts (SchedulingProvider) included: the log dialog (Ctrl+L or Alt+L, the command palette, a
 * card's buttons), the short confirmation after a save (and which files chosen in the dialog could
 * not be attached, until dismissed), and what the customer card shows of
 * interactions (the shared slot), each for who may use it. Saving marks every history out of
 * date, so the histories showing that customer read it again.
 */
export function InteractionsProvider({ shortcutEnabled, children }: { shortcutEnabled: boolean; children: ReactNode }) {
  return (
    <SchedulingProvider shortcutEnabled={shortcutEnabled}>
      <LogProvider shortcutEnabled={shortcutEnabled}>{children}</LogProvider>
    </SchedulingProvider>
  );
}

function LogProvider({ shortcutEnabled, children }: { shortcutEnabled: boolean; children: ReactNode }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const { schedule } = useScheduling();
  const user = useSession().status.user;
  const canRead = canReadInteractions(user);
  const canLog = canLogInteractions(user);
  const refresh = useRefreshInteractions();
  const [mode, setMode] = useState<DialogMode | null>(null);
  const [saved, setSaved] = useState<{ text: string; at: number } | null>(null);
  const [notAttached, setNotAttached] = useState<NotAttached[]>([]);
  // Where the focus was when the dialog opened: it goes back there when the dialog closes.
  const returnFocus = useRef<HTMLElement | null>(null);

  const open = useCallback((next: DialogMode) => {
    returnFocus.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    setSaved(null);
    setNotAttached([]);
    setMode(next);
  }, []);

  const close = useCallback(() => {
    setMode(null);
    const target = returnFocus.current;
    requestAnimationFrame(() => {
      if (target?.isConnected) target.focus();
    });
  }, []);

  useShortcut(MATCH.logInteraction, () => open({ kind: "log", whom: null }), canLog && mode === null && shortcutEnabled);

  useEffect(() => {
    if (!saved) return;
    const timer = window.setTimeout(() => setSaved(null), SAVED_NOTICE_MS);
    return () => window.clearTimeout(timer);
  }, [saved]);

  const dialog = useMemo<LogDialog>(
    () => ({
      log: canLog ? (whom?: Whom) => open({ kind: "log", whom: whom ?? null }) : null,
      edit: canLog ? (row: InteractionRow) => open({ kind: "edit", row }) : null,
    }),
    [canLog, open],
  );
  const slot = useMemo<InteractionsSlotValue | null>(
    () =>
      canRead
        ? {
            History: CustomerInteractions,
            ...(canLog ? { log: (whom: Whom) => open({ kind: "log", whom }) } : {}),
            ...(schedule ? { schedule: (whom: Whom) => schedule({ whom }) } : {}),
          }
        : null,
    [canRead, canLog, open, schedule],
  );

  return (
    <LogDialogContext.Provider value={dialog}>
      <InteractionsSlot.Provider value={slot}>
        {children}
        {mode && user && (
          <LogInteractionDialog
            mode={mode}
            me={{ id: user.id, name: user.display_name }}
            canAddTopics={canManageTopics(user)}
            onClose={close}
            onSaved={(_, whom, refused) => {
              const edited = mode.kind === "edit";
              close();
              setSaved({ text: edited ? t("interactions.dialog.corrected", { name: whom }) : t("interactions.dialog.logged", { name: whom }), at: Date.now() });
              setNotAttached(refused);
              void refresh();
            }}
          />
        )}
        <div className="toast-region toast-stack">
          {/* Stays until dismissed: the person needs to know which files to attach again. */}
          {notAttached.length > 0 && (
            <div className="toast toast-error" role="alert" data-testid="interaction-attach-failed">
              <p>{t("attachments.notAttached", { count: notAttached.length, total: formatNumber(notAttached.length, language) })}</p>
              <ul>
                {notAttached.map((file, i) => (
                  <li key={i} data-testid="interaction-attach-failed-file">
                    <bdi className="attachment-name">{file.name}</bdi>: {file.reason}
                  </li>
                ))}
              </ul>
              <button type="button" className="button" data-testid="interaction-attach-failed-dismiss" onClick={() => setNotAttached([])}>
                {t("attachments.dismiss")}
              </button>
            </div>
          )}
          <div role="status" aria-live="polite">
            {saved && (
              <div key={saved.at} className="toast" data-testid="interaction-saved">
                {saved.text}
              </div>
            )}
          </div>
        </div>
      </InteractionsSlot.Provider>
    </LogDialogContext.Provider>
  );
}

import { useEffect, useId, useRef, type KeyboardEvent, type ReactNode, type RefObject } from "react";

type ShellProps = {
  /** The dialog's test id ("log-interaction-dialog" unless told). */
  testId?: string;
  title: string;
  /** Esc, or a click beside the dialog. */
  onEscape: () => void;
  /** Ctrl+Enter (⌘Enter), from any field; absent while the dialog asks something else (and not heard from a question asked over it). */
  onSave?: () => void;
  dialogRef?: RefObject<HTMLDivElement | null>;
  children: ReactNode;
};

/**
 * The modal frame: it owns the keyboard while open (the window's shortcuts wait), keeps Tab
 * within it, saves on Ctrl+Enter and cancels on Esc. A control that uses Esc itself (an open
 * list) stops it first.
 */
export function DialogShell({ title, onEscape, onSave, dialogRef, children, testId = "log-interaction-dialog" }: ShellProps) {
  const titleId = useId();
  const ownRef = useRef<HTMLDivElement>(null);
  const ref = dialogRef ?? ownRef;

  // Keys go to the dialog from the start, also when no field asked for the focus.
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.contains(document.activeElement)) (dialog.querySelector<HTMLElement>(FOCUSABLE) ?? dialog).focus();
  }, [ref]);

  function onKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    if (e.key === "Escape" && !e.defaultPrevented) {
      e.preventDefault();
      onEscape();
    } else if (e.key === "Tab" && ref.current) {
      keepFocusWithin(ref.current, e);
    }
    e.stopPropagation();
  }

  return (
    <div className="modal-backdrop" onMouseDown={onEscape}>
      <div
        ref={ref}
        className="dialog dialog-wide interaction-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        data-testid={testId}
        tabIndex={-1}
        onMouseDown={(e) => e.stopPropagation()}
        onKeyDownCapture={(e) => {
          // A question asked over the dialog (removing an attached file, say) is answered first.
          const asking = e.target instanceof Element && e.target.closest('[role="alertdialog"]') !== null;
          if (onSave && !asking && e.key === "Enter" && (e.ctrlKey || e.metaKey) && !e.nativeEvent.isComposing) {
            e.preventDefault();
            e.stopPropagation();
            onSave();
          }
        }}
        onKeyDown={onKeyDown}
      >
        <h2 id={titleId} className="dialog-title">
          {title}
        </h2>
        {children}
      </div>
    </div>
  );
}

const FOCUSABLE = 'input:not([disabled]), select:not([disabled]), textarea:not([disabled]), button:not([disabled]), [href], [tabindex]:not([tabindex="-1"])';

/** Tab from the last control goes to the first, Shift+Tab from the first to the last (within a question asked over the dialog, if any). */
function keepFocusWithin(container: HTMLElement, e: KeyboardEvent) {
  const scope = container.querySelector<HTMLElement>('[role="alertdialog"]') ?? container;
  // Of a radio group only the checked one takes the focus.
  const all = [...scope.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => !(el instanceof HTMLInputElement && el.type === "radio" && !el.checked));
  const first = all[0];
  const last = all.at(-1);
  if (!first || !last) return;
  if (e.shiftKey && document.activeElement === first) {
    e.preventDefault();
    last.focus();
  } else if (!e.shiftKey && document.activeElement === last) {
    e.preventDefault();
    first.focus();
  }
}

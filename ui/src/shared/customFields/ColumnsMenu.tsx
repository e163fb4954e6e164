import { useCallback, useEffect, useId, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { CustomField, HistoryTable } from "../../api/generated";

/** Where the custom columns chosen for a kind's list are remembered: `accord.columns.<table>`. */
export function columnsStorageKey(table: HistoryTable): string {
  return `accord.columns.${table}`;
}

function readChosen(table: HistoryTable): string[] {
  try {
    const stored: unknown = JSON.parse(window.localStorage.getItem(columnsStorageKey(table)) ?? "[]");
    return Array.isArray(stored) ? stored.filter((k): k is string => typeof k === "string") : [];
  } catch {
    return [];
  }
}

/** The keys of the custom fields shown as columns of `table`'s list, remembered on this computer. */
export function useChosenColumns(table: HistoryTable): [string[], (keys: string[]) => void] {
  const [chosen, setChosen] = useState(() => readChosen(table));
  const choose = useCallback(
    (keys: string[]) => {
      setChosen(keys);
      try {
        window.localStorage.setItem(columnsStorageKey(table), JSON.stringify(keys));
      } catch {
        // Storage may be unavailable; the choice still holds for this window.
      }
    },
    [table],
  );
  return [chosen, choose];
}

type Props = {
  /** The kind's active fields, in their order. */
  fields: readonly CustomField[];
  chosen: readonly string[];
  onChange: (keys: string[]) => void;
};

/** A "Columns" button that opens a list of the custom fields, each a checkbox: shown as a column or not. */
export function ColumnsMenu({ fields, chosen, onChange }: Props) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const rootRef = useRef<HTMLDivElement>(null);
  const menuId = useId();

  // A click anywhere else closes it.
  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent) => {
      if (!rootRef.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener("mousedown", close);
    return () => document.removeEventListener("mousedown", close);
  }, [open]);

  function toggle(key: string, on: boolean) {
    // Kept in the fields' order, whatever order they were ticked in.
    const next = new Set(chosen);
    if (on) next.add(key);
    else next.delete(key);
    onChange(fields.map((f) => f.key).filter((k) => next.has(k)));
  }

  return (
    <div
      className="columns-menu"
      ref={rootRef}
      onKeyDown={(e) => {
        if (e.key === "Escape" && open) {
          e.stopPropagation();
          setOpen(false);
          rootRef.current?.querySelector<HTMLButtonElement>("button")?.focus();
        }
      }}
    >
      <button
        type="button"
        className="button"
        data-testid="columns-button"
        aria-expanded={open}
        aria-controls={menuId}
        onClick={() => setOpen((o) => !o)}
      >
        {t("customFields.columns")}
      </button>
      {open && (
        <div className="columns-popover" id={menuId} role="group" aria-label={t("customFields.columnsLabel")}>
          {fields.length === 0 && <p className="muted">{t("customFields.noColumns")}</p>}
          {fields.map((field) => (
            <label key={field.id} className="checkbox">
              <input
                type="checkbox"
                data-testid={`column-toggle-${field.key}`}
                checked={chosen.includes(field.key)}
                onChange={(e) => toggle(field.key, e.target.checked)}
              />
              {field.label}
            </label>
          ))}
        </div>
      )}
    </div>
  );
}

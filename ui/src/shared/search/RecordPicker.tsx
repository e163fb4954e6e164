import { useId, useState, type KeyboardEvent, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { SearchEntity, SearchHit } from "../../api/generated";
import type { ControlProps } from "../ui/Field";
import { TextOrPhone } from "../ui/Phone";
import { useSearch } from "./useSearch";

/** A record chosen in a picker: its id, the title it is shown by and, once picked from a hit, its kind. */
export type PickedRecord = { id: string; title: string; entity?: SearchEntity };

type Props = {
  /** The id, label and error wiring from the surrounding `Field`. */
  control: ControlProps;
  value: PickedRecord | null;
  onChange: (value: PickedRecord | null) => void;
  /** The kinds of record offered; every searchable kind when absent. */
  entities?: SearchEntity[];
  /** Never offered (the record itself). */
  excludeId?: string;
  testId: string;
  placeholder: string;
  /** The list's accessible name (the kind of record it offers). */
  listLabel: string;
  /** Said when the text matches nothing. */
  noMatches: string;
  /** What a hit says under its title; the core's subtitle when absent. */
  subtitle?: (hit: SearchHit) => ReactNode;
  /** The box takes the focus when it appears (a dialog's first field). */
  autoFocus?: boolean;
};

const PICKER_LIMIT = 8;

/**
 * Choose an active record by typing part of its name, email, phone or tax id. Typing over a chosen
 * record unchoses it (`onChange(null)`); emptying the box leaves nothing chosen.
 */
export function RecordPicker({ control, value, onChange, entities, excludeId, testId, placeholder, listLabel, noMatches, subtitle, autoFocus }: Props) {
  const { t } = useTranslation();
  const listId = useId();
  const [text, setText] = useState(value?.title ?? "");
  const [active, setActive] = useState(0);
  // A value given from outside (its title read after the picker appeared) shows in the box.
  const [shown, setShown] = useState(value);
  if (value?.id !== shown?.id || value?.title !== shown?.title) {
    setShown(value);
    // A title still being read ("") leaves the box as it is.
    if (value && value.title !== "") setText(value.title);
  }
  // The list is open while the text is being typed, not once it names the chosen record.
  const open = text.trim() !== "" && value?.title !== text;
  const search = useSearch(open ? text : "", { entities, limit: PICKER_LIMIT });
  const hits = search.hits.filter((hit) => hit.id !== excludeId);
  const activeIndex = Math.min(active, Math.max(hits.length - 1, 0));

  function pick(hit: SearchHit | undefined) {
    if (!hit) return;
    setText(hit.title);
    onChange({ id: hit.id, title: hit.title, entity: hit.entity });
  }

  function onKeyDown(e: KeyboardEvent<HTMLInputElement>) {
    if (!open) return;
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      const step = e.key === "ArrowDown" ? 1 : -1;
      setActive(Math.max(0, Math.min(hits.length - 1, activeIndex + step)));
    } else if (e.key === "Enter" && !e.nativeEvent.isComposing) {
      // Enter picks; it does not submit the form.
      e.preventDefault();
      pick(hits[activeIndex]);
    } else if (e.key === "Escape") {
      e.stopPropagation();
      setText(value?.title ?? "");
    }
  }

  return (
    <div className="picker">
      <input
        {...control}
        className="input"
        data-testid={testId}
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={open}
        aria-controls={listId}
        aria-activedescendant={open && hits.length > 0 ? `${listId}-${activeIndex}` : undefined}
        autoComplete="off"
        autoFocus={autoFocus}
        placeholder={placeholder}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          setActive(0);
          if (value) onChange(null);
        }}
        onKeyDown={onKeyDown}
      />
      {open && (
        <ul className="picker-list" id={listId} role="listbox" aria-label={listLabel}>
          {hits.map((hit, i) => (
            <li
              key={hit.id}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === activeIndex}
              className={i === activeIndex ? "picker-option selected" : "picker-option"}
              data-testid={`${testId}-option`}
              data-id={hit.id}
              // Keep the focus in the box while the pointer picks.
              onMouseDown={(e) => e.preventDefault()}
              onMouseEnter={() => setActive(i)}
              onClick={() => pick(hit)}
            >
              <span className="picker-title">{hit.title}</span>
              {subtitle ? (
                <span className="muted picker-subtitle">{subtitle(hit)}</span>
              ) : (
                hit.subtitle && (
                  <span className="muted picker-subtitle">
                    <TextOrPhone text={hit.subtitle} />
                  </span>
                )
              )}
            </li>
          ))}
          {hits.length === 0 && (
            <li className="picker-status muted" role="presentation">
              {search.fresh ? noMatches : t("palette.searching")}
            </li>
          )}
        </ul>
      )}
    </div>
  );
}

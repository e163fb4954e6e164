import { useId, useState, type KeyboardEvent } from "react";
import { useTranslation } from "react-i18next";
import type { SearchHit } from "../../../api/generated";
import type { ControlProps } from "../../../shared/ui/Field";
import { TextOrPhone } from "../../../shared/ui/Phone";
import { useSearch } from "../../../shared/search/useSearch";

export type PickedOrganisation = { id: string; name: string };

type Props = {
  /** The id, label and error wiring from the surrounding `Field`. */
  control: ControlProps;
  value: PickedOrganisation | null;
  onChange: (value: PickedOrganisation | null) => void;
  /** Never offered (the organisation itself). */
  excludeId?: string;
  testId: string;
};

const PICKER_LIMIT = 8;

/** Choose an active organisation by typing part of its name, email, phone or tax id. */
export function OrganisationPicker({ control, value, onChange, excludeId, testId }: Props) {
  const { t } = useTranslation();
  const listId = useId();
  const [text, setText] = useState(value?.name ?? "");
  const [active, setActive] = useState(0);
  // The list is open while the text is being typed, not once it names the chosen organisation.
  const open = text.trim() !== "" && value?.name !== text;
  const search = useSearch(open ? text : "", { entities: ["organisation"], limit: PICKER_LIMIT });
  const hits = search.hits.filter((hit) => hit.id !== excludeId);
  const activeIndex = Math.min(active, Math.max(hits.length - 1, 0));

  function pick(hit: SearchHit | undefined) {
    if (!hit) return;
    setText(hit.title);
    onChange({ id: hit.id, name: hit.title });
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
      setText(value?.name ?? "");
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
        placeholder={t("relations.searchPlaceholder")}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          setActive(0);
          if (value) onChange(null);
        }}
        onKeyDown={onKeyDown}
      />
      {open && (
        <ul className="picker-list" id={listId} role="listbox" aria-label={t("relations.columns.organisation")}>
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
              {hit.subtitle && (
                <span className="muted picker-subtitle">
                  <TextOrPhone text={hit.subtitle} />
                </span>
              )}
            </li>
          ))}
          {hits.length === 0 && (
            <li className="picker-status muted" role="presentation">
              {search.fresh ? t("relations.noMatches") : t("palette.searching")}
            </li>
          )}
        </ul>
      )}
    </div>
  );
}

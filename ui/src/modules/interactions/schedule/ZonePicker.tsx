import { useId, useMemo, useState, type KeyboardEvent } from "react";
import { useTranslation } from "react-i18next";
import type { ControlProps } from "../../../shared/ui/Field";
import { allZones } from "./zones";

/** At most this many zones are listed at once; typing narrows them. */
const SHOWN = 60;

/** A zone's name as people type it: "new york" finds America/New_York. */
const matchable = (text: string) => text.toLocaleLowerCase().replace(/[_\s]+/g, " ").trim();

type Props = {
  control: ControlProps;
  value: string;
  onChange: (zone: string) => void;
  testId: string;
};

/**
 * The time zone, searchable: typing filters the IANA zones (any part of the name), ↑ ↓ move, Enter
 * picks, Esc closes the list and puts back the zone chosen. Leaving the box with a zone's exact
 * name typed chooses it; anything else goes back to the zone chosen.
 */
export function ZonePicker({ control, value, onChange, testId }: Props) {
  const { t } = useTranslation();
  const listId = useId();
  const zones = useMemo(() => allZones(value), [value]);
  const [text, setText] = useState(value);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const [shown, setShown] = useState(value);
  if (shown !== value) {
    setShown(value);
    setText(value);
  }
  const wanted = text === value ? "" : matchable(text);
  const matching = wanted === "" ? zones : zones.filter((zone) => matchable(zone).includes(wanted));
  const options = matching.slice(0, SHOWN);
  const activeIndex = Math.min(active, Math.max(options.length - 1, 0));

  function pick(zone: string | undefined) {
    if (!zone) return;
    setText(zone);
    setOpen(false);
    onChange(zone);
  }

  function onKeyDown(e: KeyboardEvent<HTMLInputElement>) {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      if (!open) {
        setOpen(true);
        setActive(Math.max(0, options.indexOf(value)));
        return;
      }
      const step = e.key === "ArrowDown" ? 1 : -1;
      setActive(Math.max(0, Math.min(options.length - 1, activeIndex + step)));
    } else if (e.key === "Enter" && open && !e.nativeEvent.isComposing) {
      e.preventDefault();
      pick(options[activeIndex]);
    } else if (e.key === "Escape" && open) {
      e.stopPropagation();
      e.preventDefault();
      setOpen(false);
      setText(value);
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
        aria-activedescendant={open && options.length > 0 ? `${listId}-${activeIndex}` : undefined}
        autoComplete="off"
        spellCheck={false}
        dir="ltr"
        placeholder={t("schedule.dialog.zonePlaceholder")}
        value={text}
        onBlur={() => {
          setOpen(false);
          const exact = zones.find((zone) => matchable(zone) === matchable(text));
          if (exact && exact !== value) onChange(exact);
          else setText(value);
        }}
        onChange={(e) => {
          setText(e.target.value);
          setActive(0);
          setOpen(true);
        }}
        onKeyDown={onKeyDown}
      />
      {open && (
        <ul className="picker-list" id={listId} role="listbox" aria-label={t("schedule.dialog.zone")}>
          {options.map((zone, i) => (
            <li
              key={zone}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === activeIndex}
              className={i === activeIndex ? "picker-option selected" : "picker-option"}
              data-testid={`${testId}-option`}
              onMouseDown={(e) => e.preventDefault()}
              onMouseEnter={() => setActive(i)}
              onClick={() => pick(zone)}
            >
              <bdi className="picker-title" dir="ltr">
                {zone}
              </bdi>
            </li>
          ))}
          {options.length === 0 && (
            <li className="picker-status muted" role="presentation">
              {t("schedule.dialog.noZone")}
            </li>
          )}
        </ul>
      )}
    </div>
  );
}

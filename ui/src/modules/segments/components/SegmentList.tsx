import type { KeyboardEvent } from "react";
import { useTranslation } from "react-i18next";
import type { Segment } from "../../../api/generated";
import { formatDate } from "../../../shared/format";
import { useLanguage } from "../../../shared/useLanguage";

type Props = {
  segments: readonly Segment[];
  selectedId: string | null;
  onSelect: (segment: Segment) => void;
};

/** The saved segments of a kind by name; ↑ ↓ Home End move between them. */
export function SegmentList({ segments, selectedId, onSelect }: Props) {
  const { t } = useTranslation();
  const language = useLanguage();

  function onKeyDown(e: KeyboardEvent<HTMLUListElement>) {
    const buttons = [...e.currentTarget.querySelectorAll<HTMLButtonElement>("[data-testid='segment-row']")];
    const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
    if (at < 0) return;
    const next =
      e.key === "ArrowDown" ? at + 1 : e.key === "ArrowUp" ? at - 1 : e.key === "Home" ? 0 : e.key === "End" ? buttons.length - 1 : null;
    if (next === null) return;
    e.preventDefault();
    buttons[Math.max(0, Math.min(next, buttons.length - 1))]?.focus();
  }

  return (
    <ul className="segment-list" aria-label={t("segments.screen.list")} onKeyDown={onKeyDown}>
      {segments.map((segment) => {
        const selected = segment.id === selectedId;
        return (
          <li key={segment.id}>
            <button
              type="button"
              className={selected ? "pair segment-row pair-selected" : "pair segment-row"}
              data-testid="segment-row"
              data-id={segment.id}
              aria-current={selected ? "true" : undefined}
              onClick={() => onSelect(segment)}
            >
              <bdi className="pair-name">{segment.name}</bdi>
              <span className="muted small">
                {segment.archived_at
                  ? t("segments.screen.archivedOn", { date: formatDate(segment.archived_at, language) })
                  : t("segments.screen.changedOn", { date: formatDate(segment.updated_at, language) })}
              </span>
            </button>
          </li>
        );
      })}
    </ul>
  );
}

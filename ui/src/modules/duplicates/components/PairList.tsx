import type { KeyboardEvent } from "react";
import { useTranslation } from "react-i18next";
import type { DuplicatePair } from "../../../api/generated";
import { titleOr } from "../../../shared/duplicates/labels";
import { likelihoodOf, reasonLabel, type DuplicateTable } from "../../../shared/duplicates/pairs";

type Props = {
  table: DuplicateTable;
  pairs: readonly DuplicatePair[];
  selected: DuplicatePair | null;
  onSelect: (pair: DuplicatePair) => void;
};

export const pairKey = (pair: Pick<DuplicatePair, "first" | "second">) => `${pair.first}|${pair.second}`;

/** The likely pairs, likeliest first: both names, how sure in words, and why. ↑ ↓ move between them. */
export function PairList({ table, pairs, selected, onSelect }: Props) {
  const { t } = useTranslation();

  function onKeyDown(e: KeyboardEvent<HTMLUListElement>) {
    const buttons = [...e.currentTarget.querySelectorAll<HTMLButtonElement>("[data-testid='duplicate-pair']")];
    const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
    if (at < 0) return;
    const next =
      e.key === "ArrowDown" ? at + 1 : e.key === "ArrowUp" ? at - 1 : e.key === "Home" ? 0 : e.key === "End" ? buttons.length - 1 : null;
    if (next === null) return;
    e.preventDefault();
    buttons[Math.max(0, Math.min(next, buttons.length - 1))]?.focus();
  }

  return (
    <ul className="pair-list" aria-label={t("duplicates.screen.pairs")} onKeyDown={onKeyDown}>
      {pairs.map((pair) => {
        const likelihood = likelihoodOf(pair.score);
        const isSelected = selected !== null && pairKey(selected) === pairKey(pair);
        return (
          <li key={pairKey(pair)}>
            <button
              type="button"
              className={isSelected ? "pair pair-selected" : "pair"}
              data-testid="duplicate-pair"
              data-first={pair.first}
              data-second={pair.second}
              data-score={pair.score}
              aria-current={isSelected ? "true" : undefined}
              onClick={() => onSelect(pair)}
            >
              <span className="pair-names">
                <bdi className="pair-name" data-testid="pair-first">
                  {titleOr(t, pair.first_title)}
                </bdi>
                <bdi className="pair-name" data-testid="pair-second">
                  {titleOr(t, pair.second_title)}
                </bdi>
              </span>
              <span className="pair-why">
                <span className={`badge likelihood likelihood-${likelihood}`} data-testid="pair-likelihood">
                  {t(`duplicates.likelihood.${likelihood}`)}
                </span>
                {pair.reasons.map((reason) => (
                  <span key={`${reason.field}-${reason.similar}`} className="chip" data-testid="pair-reason">
                    {reasonLabel(t, table, reason)}
                  </span>
                ))}
              </span>
            </button>
          </li>
        );
      })}
    </ul>
  );
}

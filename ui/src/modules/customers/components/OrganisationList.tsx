import { useVirtualizer } from "@tanstack/react-virtual";
import { useEffect, useId, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent } from "react";
import { useTranslation } from "react-i18next";
import type { OrganisationKind, OrganisationRow, SearchHit } from "../../../api/generated";
import { MATCH, useShortcut } from "../../../app/shortcuts";
import { errorMessage } from "../../../shared/errors";
import { formatNumber } from "../../../shared/format";
import { useLanguage } from "../../../shared/useLanguage";
import { useOrganisationList } from "../hooks/useOrganisationList";
import { useSearch } from "../hooks/useSearch";
import { ORGANISATION_KINDS } from "../types";

export const ROW_HEIGHT = 32;
const SEARCH_LIMIT = 50;

type Props = {
  /** The list is on screen (it stays mounted behind a card so its place is kept). */
  active: boolean;
  onOpen: (id: string) => void;
  onNew: () => void;
};

type Item = { type: "row"; row: OrganisationRow } | { type: "hit"; hit: SearchHit };

export function OrganisationList({ active, onOpen, onNew }: Props) {
  const { t } = useTranslation();
  const language = useLanguage();
  const [text, setText] = useState("");
  const [kind, setKind] = useState<OrganisationKind | null>(null);
  const [archived, setArchived] = useState(false);
  const [selected, setSelected] = useState(0);
  const searchRef = useRef<HTMLInputElement>(null);
  const scrollRef = useRef<HTMLDivElement>(null);
  const listId = useId();

  const list = useOrganisationList({ kind, archived });
  const search = useSearch(text, { entities: ["organisation"], limit: SEARCH_LIMIT, includeArchived: archived });
  const searching = text.trim() !== "";

  const { hits } = search;
  const items = useMemo<Item[]>(
    () => (searching ? hits.map((hit) => ({ type: "hit", hit })) : list.rows.map((row) => ({ type: "row", row }))),
    [searching, hits, list.rows],
  );
  const selectedIndex = Math.min(selected, Math.max(items.length - 1, 0));

  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer re-renders through its own onChange
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    initialRect: { width: 1000, height: 20 * ROW_HEIGHT },
  });
  const virtualItems = virtualizer.getVirtualItems();
  const lastIndex = virtualItems.length > 0 ? virtualItems[virtualItems.length - 1].index : -1;
  const viewportRows = Math.ceil((virtualizer.scrollRect?.height ?? 20 * ROW_HEIGHT) / ROW_HEIGHT);
  const { hasMore, loadMore } = list;

  // Ask for the next page when the user is within about two screens of the end.
  useEffect(() => {
    if (!searching && hasMore && lastIndex >= 0 && lastIndex >= list.rows.length - 2 * viewportRows) loadMore();
  }, [searching, hasMore, lastIndex, list.rows.length, viewportRows, loadMore]);

  // Benchmark hooks: wall-clock times (epoch ms) at which the list first became ready and at which
  // the current result set was committed. Layout effects, so each appears in the same commit as
  // the attribute it accompanies (`data-ready`, `data-results-for`).
  const readyAtSet = useRef(false);
  useLayoutEffect(() => {
    if (!list.ready || readyAtSet.current || !scrollRef.current) return;
    readyAtSet.current = true;
    scrollRef.current.setAttribute("data-ready-at", String(performance.timeOrigin + performance.now()));
  }, [list.ready]);

  const resultsFor = searching && search.fresh ? text : undefined;
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    if (resultsFor === undefined) el.removeAttribute("data-results-at");
    else el.setAttribute("data-results-at", String(performance.timeOrigin + performance.now()));
  }, [resultsFor, hits]);

  useShortcut(MATCH.focusSearch, () => searchRef.current?.focus(), active);

  function move(to: number) {
    if (items.length === 0) return;
    const index = Math.max(0, Math.min(items.length - 1, to));
    setSelected(index);
    virtualizer.scrollToIndex(index, { align: "auto" });
  }

  function idOf(item: Item | undefined): string | null {
    if (!item) return null;
    return item.type === "row" ? item.row.id : item.hit.id;
  }

  function onKeyDown(e: KeyboardEvent<HTMLElement>) {
    // Only from the search box or the list itself: the kind filter and buttons keep their keys.
    const target = e.target as Node;
    if (target !== searchRef.current && !scrollRef.current?.contains(target)) return;
    if (e.key === "ArrowDown") {
      e.preventDefault();
      move(selectedIndex + 1);
    } else if (e.key === "ArrowUp") {
      e.preventDefault();
      move(selectedIndex - 1);
    } else if (e.key === "PageDown") {
      e.preventDefault();
      move(selectedIndex + viewportRows - 1);
    } else if (e.key === "PageUp") {
      e.preventDefault();
      move(selectedIndex - viewportRows + 1);
    } else if (e.key === "Enter" && !e.nativeEvent.isComposing) {
      const id = idOf(items[selectedIndex]);
      if (id) {
        e.preventDefault();
        onOpen(id);
      }
    } else if (e.key === "Escape" && e.currentTarget === e.target && searching) {
      setText("");
    }
  }

  const error = searching ? search.error : list.error;
  let status: string;
  if (searching) status = search.fresh ? t("customers.results", { count: formatNumber(search.hits.length, language) }) : t("app.loading");
  else status = t("customers.loaded", { count: formatNumber(list.rows.length, language) });

  const activeId = items.length > 0 ? `${listId}-${selectedIndex}` : undefined;

  return (
    <section className="list-screen" hidden={!active} aria-label={t("customers.title")} onKeyDown={onKeyDown}>
      <div className="toolbar">
        <h1 className="screen-title">{t("customers.title")}</h1>
        <input
          ref={searchRef}
          type="search"
          className="input search-input"
          data-testid="customers-search"
          aria-label={t("customers.searchLabel")}
          aria-controls={listId}
          aria-activedescendant={activeId}
          placeholder={t("customers.searchPlaceholder")}
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            setSelected(0);
          }}
        />
        <select
          className="input select-compact"
          aria-label={t("customers.kindFilter")}
          value={kind ?? ""}
          onChange={(e) => {
            setKind(e.target.value === "" ? null : (e.target.value as OrganisationKind));
            setSelected(0);
          }}
        >
          <option value="">{t("customers.allKinds")}</option>
          {ORGANISATION_KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`kinds.${k}`)}
            </option>
          ))}
        </select>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={archived}
            onChange={(e) => {
              setArchived(e.target.checked);
              setSelected(0);
            }}
          />
          {t("customers.showArchived")}
        </label>
        <span className="toolbar-spacer" />
        <button
          type="button"
          className="button button-primary"
          data-testid="new-organisation"
          title={t("customers.newShortcut")}
          onClick={onNew}
        >
          {t("customers.newOrganisation")}
          <kbd className="kbd kbd-on-accent">{t("customers.newShortcut")}</kbd>
        </button>
      </div>

      <div className="table">
        <div className="table-row table-head" role="presentation">
          <span>{t("customers.columns.name")}</span>
          <span>{t("customers.columns.kind")}</span>
          <span>{t("customers.columns.tax_id")}</span>
          <span>{t("customers.columns.email")}</span>
          <span>{t("customers.columns.phone")}</span>
          <span>{t("customers.columns.city")}</span>
        </div>
        <div
          ref={scrollRef}
          id={listId}
          className="table-body"
          data-testid="customers-list"
          data-ready={list.ready ? "true" : undefined}
          data-results-for={resultsFor}
          role="listbox"
          aria-label={t("customers.listLabel")}
          aria-activedescendant={activeId}
          tabIndex={0}
        >
          <div style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
            {virtualItems.map((v) => {
              const item = items[v.index];
              if (!item) return null;
              const id = idOf(item) ?? "";
              const isSelected = v.index === selectedIndex;
              return (
                <div
                  key={id}
                  id={`${listId}-${v.index}`}
                  role="option"
                  aria-selected={isSelected}
                  className={isSelected ? "table-row org-row selected" : "table-row org-row"}
                  data-testid="org-row"
                  data-id={id}
                  style={{ height: ROW_HEIGHT, transform: `translateY(${v.start}px)` }}
                  onClick={() => {
                    setSelected(v.index);
                    onOpen(id);
                  }}
                >
                  {item.type === "row" ? <RowCells row={item.row} /> : <HitCells hit={item.hit} />}
                </div>
              );
            })}
          </div>
          {items.length === 0 && (searching ? search.fresh : list.ready) && (
            <p className="empty">{searching ? t("customers.noHits", { text: text.trim() }) : t("customers.empty")}</p>
          )}
        </div>
        <div className="table-status" aria-live="polite">
          {error ? (
            <span className="status-error">
              {errorMessage(t, error)}{" "}
              <button type="button" className="link-button" onClick={list.reload}>
                {t("app.retry")}
              </button>
            </span>
          ) : (
            <span>{status}</span>
          )}
        </div>
      </div>
    </section>
  );
}

function RowCells({ row }: { row: OrganisationRow }) {
  const { t } = useTranslation();
  return (
    <>
      <span className="cell-strong">{row.name}</span>
      <span>
        <span className={`badge badge-${row.kind}`}>{t(`kinds.${row.kind}`)}</span>
      </span>
      <span><bdi dir="ltr">{row.tax_id ?? ""}</bdi></span>
      <span><bdi dir="ltr">{row.email ?? ""}</bdi></span>
      <span><bdi dir="ltr">{row.phone ?? ""}</bdi></span>
      <span>{row.city ?? ""}</span>
    </>
  );
}

/** A search hit has only a title and a subtitle: the title under Name, the rest in one muted cell. */
function HitCells({ hit }: { hit: SearchHit }) {
  const { t } = useTranslation();
  return (
    <>
      <span className="cell-strong" data-testid="hit-title">
        {hit.title}
      </span>
      <span className="cell-span" data-testid="hit-subtitle">
        {hit.archived && (
          <span className="badge badge-archived" data-testid="hit-archived">
            {t("card.archived")}
          </span>
        )}
        {hit.subtitle && <bdi>{hit.subtitle}</bdi>}
      </span>
    </>
  );
}

import { useVirtualizer } from "@tanstack/react-virtual";
import type { TFunction } from "i18next";
import { memo, useEffect, useId, useLayoutEffect, useMemo, useRef, useState, type CSSProperties, type KeyboardEvent } from "react";
import { useTranslation } from "react-i18next";
import type { CustomField, CustomValues, OrganisationKind, OrganisationRow } from "../../../api/generated";
import { MATCH, useShortcut } from "../../../app/shortcuts";
import type { Language } from "../../../i18n";
import { ColumnsMenu, useChosenColumns } from "../../../shared/customFields/ColumnsMenu";
import { CustomValue, useLinkTitles } from "../../../shared/customFields/CustomFieldValues";
import { useCustomFields } from "../../../shared/customFields/useCustomFields";
import { errorMessage } from "../../../shared/errors";
import type { Titles } from "../../../shared/search/useRecordTitles";
import { formatNumber, roughCount } from "../../../shared/format";
import { SlotPool } from "../../../shared/slots";
import { Phone } from "../../../shared/ui/Phone";
import { useLanguage } from "../../../shared/useLanguage";
import {
  pageToRead,
  useOrganisationList,
  useOrganisationSearch,
  type OrganisationList as ListState,
  type RowWindow,
} from "../hooks/useOrganisationList";
import { LIST_COLUMNS } from "../export";
import { ORGANISATION_KINDS } from "../types";
import { OrganisationListExport } from "./OrganisationListExport";

export const ROW_HEIGHT = 32;
const NO_CUSTOM: CustomValues[] = [];

type Props = {
  /** The list is on screen (it stays mounted behind a card so its place is kept). */
  active: boolean;
  onOpen: (id: string) => void;
  onNew: () => void;
  /** May export the list (`segments.export` asks for `segments.read`). */
  canExport?: boolean;
};

/** The selected row: its index, and its id once known, which wins when the row has moved. */
type Selection = { index: number; id: string | null };
const TOP: Selection = { index: 0, id: null };

/** Search hits as a window that starts at the top and holds all of them. */
function hitWindow(rows: OrganisationRow[]): RowWindow {
  return {
    offset: 0,
    count: rows.length,
    rowAt: (index) => rows[index],
    indexOf: (id) => rows.findIndex((row) => row.id === id),
  };
}

export function OrganisationList({ active, onOpen, onNew, canExport = false }: Props) {
  const { t } = useTranslation();
  const language = useLanguage();
  const [text, setText] = useState("");
  const [kind, setKind] = useState<OrganisationKind | null>(null);
  const [archived, setArchived] = useState(false);
  const [selected, setSelected] = useState<Selection>(TOP);
  const searchRef = useRef<HTMLInputElement>(null);
  const scrollRef = useRef<HTMLDivElement>(null);
  /** The scroll position while on screen, put back when the list is shown again. */
  const scrollTop = useRef(0);
  /** Where the list was when a search started, to go back to when the search box is cleared. */
  const listPlace = useRef<{ selection: Selection; scrollTop: number } | null>(null);
  const listId = useId();

  const list = useOrganisationList({ kind, archived });
  const search = useOrganisationSearch(text, { kind, archived });
  const searching = text.trim() !== "";

  // Custom fields chosen as columns (remembered on this computer), after the built-in ones.
  const { fields: customFields } = useCustomFields("organisations");
  const [chosenColumns, chooseColumns] = useChosenColumns("organisations");
  const columns = useMemo(() => customFields.filter((f) => chosenColumns.includes(f.key)), [customFields, chosenColumns]);

  const hits = useMemo(() => hitWindow(search.rows), [search.rows]);
  const rows = searching ? hits : list;
  // The list's estimated (then real) length: indices outside the window are placeholders until read.
  const count = searching ? hits.count : list.size;
  const found = selected.id !== null ? rows.indexOf(selected.id) : -1;
  const selectedIndex = found >= 0 ? found : Math.min(selected.index, Math.max(count - 1, 0));

  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer re-renders through its own onChange
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    initialRect: { width: 1000, height: 20 * ROW_HEIGHT },
  });
  const virtualItems = virtualizer.getVirtualItems();
  // Assigned during render: the list renders no Suspense or transition that React could throw
  // away, so every render that assigns is committed (a discarded one would move rows' slots).
  const [slotPool] = useState(() => new SlotPool());
  const slots = slotPool.assign(virtualItems.map((v) => v.index));
  const firstIndex = virtualItems.length > 0 ? virtualItems[0].index : -1;
  const lastIndex = virtualItems.length > 0 ? virtualItems[virtualItems.length - 1].index : -1;
  const viewportRows = Math.ceil((virtualizer.scrollRect?.height ?? 20 * ROW_HEIGHT) / ROW_HEIGHT);
  const { offset, count: loaded, hasMore, hasPrevious, loadMore, loadPrevious, restartFromTop } = list;
  // The names of the records the link columns of the rows on screen point to, read together.
  const linkColumns = columns.filter((f) => f.kind === "link");
  const shownValues = linkColumns.length === 0 ? NO_CUSTOM : virtualItems.flatMap((v) => customOf(rows.rowAt(v.index)));
  const titles = useLinkTitles(linkColumns, shownValues);

  // Within about two screens of either end of the window: read the page beyond it (the window
  // then drops the page at its other end). Far from the window only placeholders show, but the
  // top can always be read again.
  useEffect(() => {
    if (searching || lastIndex < 0) return;
    const page = pageToRead({ first: firstIndex, last: lastIndex }, { offset, count: loaded, hasMore, hasPrevious }, 2 * viewportRows);
    if (page === "next") loadMore();
    else if (page === "previous") loadPrevious();
    else if (page === "top") restartFromTop();
  }, [searching, firstIndex, lastIndex, offset, loaded, viewportRows, hasMore, hasPrevious, loadMore, loadPrevious, restartFromTop]);

  // `hidden` takes the list out of layout, which can lose its scroll position: put it back.
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (active && el && el.scrollTop !== scrollTop.current) el.scrollTop = scrollTop.current;
  }, [active]);

  // Back from a search: the list is shown where it was left.
  useLayoutEffect(() => {
    const el = scrollRef.current;
    const place = listPlace.current;
    if (searching || !el || !place) return;
    listPlace.current = null;
    el.scrollTop = scrollTop.current = place.scrollTop;
  }, [searching]);

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
  }, [resultsFor, search.rows]);

  useShortcut(MATCH.focusSearch, () => searchRef.current?.focus(), active);

  function changeText(value: string) {
    const willSearch = value.trim() !== "";
    if (!searching && willSearch) listPlace.current = { selection: selected, scrollTop: scrollRef.current?.scrollTop ?? 0 };
    setSelected(!willSearch && listPlace.current ? listPlace.current.selection : TOP);
    setText(value);
  }

  /** Another filter: a different list, shown from its top. */
  function showFromTop() {
    setSelected(TOP);
    listPlace.current = null;
    scrollTop.current = 0;
    if (scrollRef.current) scrollRef.current.scrollTop = 0;
  }

  function move(to: number) {
    if (count === 0) return;
    const index = Math.max(0, Math.min(count - 1, to));
    setSelected({ index, id: rows.rowAt(index)?.id ?? null });
    virtualizer.scrollToIndex(index, { align: "auto" });
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
      const id = rows.rowAt(selectedIndex)?.id;
      if (id) {
        e.preventDefault();
        onOpen(id);
      }
    } else if (e.key === "Escape" && e.currentTarget === e.target && searching) {
      changeText("");
    }
  }

  const error = searching ? search.error : list.error;
  let status: string;
  if (searching) status = search.fresh ? t("customers.results", { count: formatNumber(search.rows.length, language) }) : t("app.loading");
  else status = listStatus(t, language, list);

  const activeId = count > 0 ? `${listId}-${selectedIndex}` : undefined;

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
          onChange={(e) => changeText(e.target.value)}
        />
        <select
          className="input select-compact"
          aria-label={t("customers.kindFilter")}
          value={kind ?? ""}
          onChange={(e) => {
            setKind(e.target.value === "" ? null : (e.target.value as OrganisationKind));
            showFromTop();
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
              showFromTop();
            }}
          />
          {t("customers.showArchived")}
        </label>
        {customFields.length > 0 && <ColumnsMenu fields={customFields} chosen={chosenColumns} onChange={chooseColumns} />}
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
      {canExport && <OrganisationListExport kind={kind} archived={archived} searching={searching} columns={columns} />}

      <div className={columns.length > 0 ? "table table-custom" : "table"} style={customColumnsStyle(columns)}>
        <div className="table-row table-head" role="presentation">
          {/* The same columns, in the same order, as the export writes (LIST_COLUMNS). */}
          {LIST_COLUMNS.map((column) => (
            <span key={column}>{t(`customers.columns.${column}`)}</span>
          ))}
          {columns.map((field) => (
            <span key={field.id} data-testid={`custom-column-${field.key}`}>
              {field.label}
            </span>
          ))}
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
          onScroll={(e) => {
            if (active) scrollTop.current = e.currentTarget.scrollTop;
          }}
        >
          <div style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
            {virtualItems.map((v, i) => {
              const row = rows.rowAt(v.index);
              // Keyed by slot, not by id: scrolling refills the same elements (see SlotPool).
              const key = `slot-${slots[i]}`;
              if (!row) return <div key={key} {...placeholderProps(v.start)} />;
              const id = row.id;
              const isSelected = v.index === selectedIndex;
              return (
                <div
                  key={key}
                  id={`${listId}-${v.index}`}
                  role="option"
                  aria-selected={isSelected}
                  className={isSelected ? "table-row org-row selected" : "table-row org-row"}
                  data-testid="org-row"
                  data-id={id}
                  style={{ height: ROW_HEIGHT, transform: `translateY(${v.start}px)` }}
                  onClick={() => {
                    setSelected({ index: v.index, id });
                    onOpen(id);
                  }}
                >
                  <RowCells row={row} columns={columns} titles={titles} />
                </div>
              );
            })}
          </div>
          {count === 0 && (searching ? search.fresh : list.ready) && (
            <p className="empty">{searching ? t("customers.noHits", { text: text.trim() }) : t("customers.empty")}</p>
          )}
        </div>
        <div className="table-status" aria-live="polite">
          {error ? (
            <span className="status-error">
              {errorMessage(t, error)}{" "}
              <button type="button" className="link-button" onClick={searching ? search.reload : list.reload}>
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

/** How many organisations the list has, in words: the real count, about how many, or how many are read. */
function listStatus(t: TFunction, language: Language, list: ListState): string {
  const { size, length } = list;
  if (length.exact !== null) return t("customers.countExact", { count: size, total: formatNumber(size, language) });
  if (length.estimated === null) return t("customers.loaded", { count: formatNumber(size, language) });
  const about = roughCount(size);
  return t("customers.countAbout", { count: about, total: formatNumber(about, language) });
}

/** A read row's custom values, as a list to flatten (none for a row not read). */
function customOf(row: OrganisationRow | undefined): CustomValues[] {
  return row ? [row.custom] : NO_CUSTOM;
}

/** The grid's custom columns (the built-in ones are the stylesheet's), as a custom property. */
function customColumnsStyle(columns: readonly CustomField[]): CSSProperties | undefined {
  if (columns.length === 0) return undefined;
  return { "--custom-columns": columns.map(() => "minmax(0, 1fr)").join(" ") } as CSSProperties;
}

type RowCellsProps = {
  row: OrganisationRow;
  /** The custom fields shown as columns, in their order. */
  columns: readonly CustomField[];
  /** Titles of the records link columns point to. */
  titles: Titles;
};

/** A row's cells; memoised, as a row's object stays the same while the list scrolls. */
const RowCells = memo(function RowCells({ row, columns, titles }: RowCellsProps) {
  const { t } = useTranslation();
  return (
    <>
      <span className="cell-strong">{row.name}</span>
      <span>
        <span className={`badge badge-${row.kind}`}>{t(`kinds.${row.kind}`)}</span>
      </span>
      <span><bdi dir="ltr">{row.tax_id ?? ""}</bdi></span>
      <span><bdi dir="ltr">{row.email ?? ""}</bdi></span>
      <span>{row.phone !== null && <Phone value={row.phone} />}</span>
      <span>{row.city ?? ""}</span>
      {columns.map((field) => (
        <span key={field.id} data-testid={`custom-cell-${field.key}`}>
          <CustomValue field={field} value={row.custom?.[field.key]} titles={titles} />
        </span>
      ))}
    </>
  );
});

/** A row of the window not loaded (dropped, or not read yet): an empty line of the same height. */
function placeholderProps(start: number) {
  return {
    className: "table-row org-row org-row-placeholder",
    "data-testid": "org-row-placeholder",
    "aria-hidden": true,
    style: { height: ROW_HEIGHT, transform: `translateY(${start}px)` },
  } as const;
}

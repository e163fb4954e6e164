import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { Segment } from "../../../api/generated";
import { errorMessage } from "../../../shared/errors";
import { useSession } from "../../session/hooks/useSession";
import { canManageSegments } from "../access";
import { useSegmentList } from "../hooks/useSegments";
import { SEGMENT_TABLES, type SegmentTable } from "../labels";
import { SegmentDetail } from "./SegmentDetail";
import { SegmentEditor } from "./SegmentEditor";
import { SegmentList } from "./SegmentList";

/** The editor open: for a new segment (null) or a saved one; `opened` tells one opening from the next. */
type Editing = { segment: Segment | null; opened: number };

/**
 * Segments (CUST-4, ISO 9001 8.3.2): customers selected by their characteristics. The saved
 * segments of a kind, each with who is in it now; for who may manage them, a new segment or a
 * saved one changed in the filter builder with a live preview, archived and restored.
 */
export function SegmentsScreen() {
  const { t } = useTranslation();
  const canManage = canManageSegments(useSession().status.user);
  const [table, setTable] = useState<SegmentTable>("organisations");
  const [archived, setArchived] = useState(false);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  // A segment just saved or restored, shown until the list read again holds it.
  const [held, setHeld] = useState<Segment | null>(null);
  const [editing, setEditing] = useState<Editing | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const noticeRef = useRef<HTMLParagraphElement>(null);
  const list = useSegmentList(table, archived);
  const segments = list.data ?? [];
  const selected =
    segments.find((s) => s.id === selectedId) ?? (held && held.id === selectedId && (held.archived_at !== null) === archived ? held : null);

  // What was just done is said where the focus goes (the button pressed may be gone with it).
  useEffect(() => {
    if (notice) noticeRef.current?.focus();
  }, [notice]);

  function switchTo(next: SegmentTable) {
    if (next === table) return;
    setTable(next);
    setSelectedId(null);
    setEditing(null);
    setNotice(null);
  }

  function showArchived(on: boolean) {
    setArchived(on);
    setSelectedId(null);
    setNotice(null);
  }

  function open(segment: Segment | null) {
    setNotice(null);
    setEditing((prev) => ({ segment, opened: (prev?.opened ?? 0) + 1 }));
  }

  function closeEditor() {
    const was = editing?.segment ?? null;
    setEditing(null);
    // Back to where the editor was opened from.
    requestAnimationFrame(() =>
      document
        .querySelector<HTMLElement>(was ? `[data-testid='segment-edit']` : `[data-testid='segment-new']`)
        ?.focus(),
    );
  }

  function saved(segment: Segment) {
    setEditing(null);
    setArchived(false);
    setSelectedId(segment.id);
    setHeld(segment);
    setNotice(t("segments.screen.saved", { name: segment.name }));
  }

  async function reopen() {
    const id = editing?.segment?.id;
    const fresh = (await list.refetch()).data?.find((s) => s.id === id);
    if (fresh) open(fresh);
    else setEditing(null);
  }

  return (
    <div className="page segments" data-testid="segments-screen">
      <div className="panel segments-panel">
        <header className="panel-header">
          <h1 className="screen-title">{t("segments.screen.title")}</h1>
        </header>
        <p className="muted segments-intro">{t("segments.screen.intro")}</p>

        <div className="toolbar segments-toolbar">
          <div className="segmented" role="group" aria-label={t("segments.screen.kind")}>
            {SEGMENT_TABLES.map((name) => (
              <button
                key={name}
                type="button"
                className="segment"
                data-testid={`segments-kind-${name}`}
                aria-pressed={table === name}
                onClick={() => switchTo(name)}
              >
                {t(`segments.screen.${name}`)}
              </button>
            ))}
          </div>
          {!editing && (
            <label className="checkbox">
              <input type="checkbox" data-testid="segments-show-archived" checked={archived} onChange={(e) => showArchived(e.target.checked)} />
              {t("segments.screen.showArchived")}
            </label>
          )}
          <span className="toolbar-spacer" />
          {canManage && !editing && (
            <button type="button" className="button button-primary" data-testid="segment-new" onClick={() => open(null)}>
              {t("segments.screen.new")}
            </button>
          )}
        </div>

        {notice && (
          <p ref={noticeRef} tabIndex={-1} className="banner banner-success" role="status" data-testid="segments-notice">
            {notice}
          </p>
        )}

        {editing ? (
          <SegmentEditor
            key={`${table}-${editing.opened}`}
            table={table}
            segment={editing.segment}
            onSaved={saved}
            onCancel={closeEditor}
            onReload={() => void reopen()}
          />
        ) : (
          <div className="segments-layout">
            <div className="segments-list-pane">
              {list.error ? (
                <p className="status-error" role="alert" data-testid="segments-error">
                  {errorMessage(t, list.error)}{" "}
                  <button type="button" className="link-button" onClick={() => void list.refetch()}>
                    {t("app.retry")}
                  </button>
                </p>
              ) : !list.data ? (
                <p className="muted">{t("app.loading")}</p>
              ) : segments.length === 0 ? (
                <p className="empty" data-testid="segments-empty">
                  {archived ? t("segments.screen.emptyArchived") : canManage ? t("segments.screen.emptyManage") : t("segments.screen.empty")}
                </p>
              ) : (
                <SegmentList segments={segments} selectedId={selected?.id ?? null} onSelect={(s) => setSelectedId(s.id)} />
              )}
            </div>
            <div className="segments-detail-pane">
              {selected ? (
                <SegmentDetail
                  key={selected.id}
                  table={table}
                  segment={selected}
                  canManage={canManage}
                  onEdit={() => open(selected)}
                  onArchived={(segment) => {
                    setSelectedId(null);
                    setHeld(null);
                    setNotice(t("segments.screen.archived", { name: segment.name }));
                  }}
                  onRestored={(segment) => {
                    setArchived(false);
                    setSelectedId(segment.id);
                    setHeld(segment);
                    setNotice(t("segments.screen.restored", { name: segment.name }));
                  }}
                />
              ) : (
                segments.length > 0 && <p className="muted segments-choose">{t("segments.screen.choose")}</p>
              )}
            </div>
          </div>
        )}
      </div>
    </div>
  );
}

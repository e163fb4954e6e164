import { useId, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { ApiError, AttachmentView, HistoryTable } from "../../../api/generated";
import { errorMessage } from "../../../shared/errors";
import { formatDateTime, formatFileSize } from "../../../shared/format";
import { ConfirmDialog } from "../../../shared/ui/ConfirmDialog";
import { useLanguage } from "../../../shared/useLanguage";
import { useSession } from "../../session/hooks/useSession";
import { canAttachFiles, canReadAttachments } from "../access";
import {
  useAttachFile,
  useAttachmentList,
  useChooseAttachment,
  useRefreshAttachments,
  useRemoveAttachment,
  useSaveAttachment,
} from "../hooks/useAttachments";
import { attachmentError } from "../labels";

type Props = {
  /** The kind of record the files are attached to (`interactions`). */
  table: HistoryTable;
  recordId: string;
  /** Only lists and saves: the record cannot take files now (it is archived, say). */
  readOnly?: boolean;
};

/**
 * The files attached to one record, oldest first: each named, with its size, who attached it and
 * when, to save where the person chooses (the system's Save dialog) and, for who may change the
 * record, to remove (asked first; the core keeps it in the history). "Attach file…" opens the
 * system's Open dialog and attaches the file chosen. Shown to who may read attached files.
 */
export function AttachmentsPanel({ table, recordId, readOnly = false }: Props) {
  const { t } = useTranslation();
  const language = useLanguage();
  const user = useSession().status.user;
  const canRead = canReadAttachments(user);
  const canWrite = canAttachFiles(user, table) && !readOnly;
  const titleId = useId();
  const list = useAttachmentList(table, recordId, canRead);
  const refresh = useRefreshAttachments();
  const choose = useChooseAttachment();
  const attach = useAttachFile();
  const save = useSaveAttachment();
  const [choosing, setChoosing] = useState(false);
  const [savingId, setSavingId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [removing, setRemoving] = useState<AttachmentView | null>(null);
  const rootRef = useRef<HTMLElement>(null);
  const addRef = useRef<HTMLButtonElement>(null);
  // Where the focus was when Remove asked: it goes back there when the answer is no.
  const focusBeforeAsking = useRef<HTMLElement | null>(null);

  if (!canRead) return null;
  const adding = choosing || attach.pending;

  async function addFile() {
    if (adding) return;
    setError(null);
    setSaved(null);
    setChoosing(true);
    try {
      const chosen = await choose();
      // The dialog closed without a file: nothing changes.
      if (!chosen) return;
      await attach.run({ table, record_id: recordId, path: chosen.path });
      void refresh();
    } catch (e) {
      setError(attachmentError(t, e as ApiError, "attach", language));
    } finally {
      setChoosing(false);
    }
  }

  async function saveFile(attachment: AttachmentView) {
    if (savingId !== null || !attachment.available) return;
    setError(null);
    setSaved(null);
    setSavingId(attachment.id);
    try {
      const path = await save.run(attachment);
      if (path !== null) setSaved(path);
    } catch (e) {
      setError(attachmentError(t, e as ApiError, "save", language));
    } finally {
      setSavingId(null);
    }
  }

  function askRemove(attachment: AttachmentView) {
    focusBeforeAsking.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    setError(null);
    setSaved(null);
    setRemoving(attachment);
  }

  function removed() {
    setRemoving(null);
    // The row is gone: the focus stays in the panel.
    requestAnimationFrame(() => (addRef.current ?? rootRef.current)?.focus());
  }

  function keep() {
    setRemoving(null);
    const target = focusBeforeAsking.current;
    if (target?.isConnected) target.focus();
  }

  const attachments = list.data?.attachments;

  return (
    <section ref={rootRef} className="attachments" data-testid="attachments-panel" aria-labelledby={titleId} tabIndex={-1}>
      <div className="attachments-head">
        <h3 id={titleId} className="attachments-title">
          {t("attachments.title")}
        </h3>
        {canWrite && (
          // Not disabled while busy: a disabled button would drop the focus it holds.
          <button
            ref={addRef}
            type="button"
            className="button"
            data-testid="attachments-add"
            aria-disabled={adding || undefined}
            aria-busy={adding || undefined}
            onClick={() => void addFile()}
          >
            {attach.pending ? t("attachments.adding") : t("attachments.add")}
          </button>
        )}
      </div>
      {error && (
        <p className="field-error attachments-message" role="alert" data-testid="attachments-error">
          {error}
        </p>
      )}
      {saved && (
        <p className="attachments-message attachments-saved" role="status" data-testid="attachments-saved">
          {t("attachments.savedTo")} <bdi className="attachment-path">{saved}</bdi>
        </p>
      )}
      {list.error && (
        <div className="banner banner-error" role="alert" data-testid="attachments-list-error">
          <p>{errorMessage(t, list.error)}</p>
          <button type="button" className="button" onClick={() => void list.refetch()}>
            {t("app.retry")}
          </button>
        </div>
      )}
      {attachments === undefined ? (
        !list.error && <p className="muted small">{t("app.loading")}</p>
      ) : attachments.length === 0 ? (
        <p className="muted attachments-empty" data-testid="attachments-empty">
          {t("attachments.empty")}
        </p>
      ) : (
        <ul className="attachment-list">
          {attachments.map((attachment) => (
            <AttachmentRow
              key={attachment.id}
              attachment={attachment}
              saving={savingId === attachment.id}
              onSave={() => void saveFile(attachment)}
              onRemove={canWrite ? () => askRemove(attachment) : undefined}
            />
          ))}
        </ul>
      )}
      {removing && <RemoveDialog attachment={removing} onRemoved={removed} onCancel={keep} />}
    </section>
  );
}

type RowProps = {
  attachment: AttachmentView;
  saving: boolean;
  onSave: () => void;
  onRemove?: () => void;
};

/** One file: its name, size, who attached it and when; Save… (once its bytes are here) and Remove. */
function AttachmentRow({ attachment, saving, onSave, onRemove }: RowProps) {
  const { t } = useTranslation();
  const language = useLanguage();
  const unavailableId = useId();
  const name = attachment.file_name;

  return (
    <li className="attachment" data-testid="attachment-row" data-id={attachment.id}>
      <span className="attachment-name" dir="auto" data-testid="attachment-name">
        {name}
      </span>
      <span className="attachment-facts muted small">
        <span data-testid="attachment-size">{formatFileSize(attachment.size_bytes, language)}</span>
        <span data-testid="attachment-by">
          {t("attachments.attachedBy")} <bdi>{attachment.attached_by ?? t("attachments.unknownPerson")}</bdi>
        </span>
        <time dateTime={attachment.created_at} data-testid="attachment-when">
          {formatDateTime(attachment.created_at, language)}
        </time>
      </span>
      {!attachment.available && (
        <span id={unavailableId} className="attachment-unavailable small" data-testid="attachment-unavailable">
          {t("attachments.unavailable")}
        </span>
      )}
      <span className="row-actions attachment-actions">
        <button
          type="button"
          className="link-button"
          data-testid="attachment-save"
          aria-label={t("attachments.saveOne", { name })}
          disabled={!attachment.available}
          title={attachment.available ? undefined : t("attachments.unavailable")}
          aria-describedby={attachment.available ? undefined : unavailableId}
          aria-disabled={saving || undefined}
          onClick={onSave}
        >
          {saving ? t("attachments.saving") : t("attachments.save")}
        </button>
        {onRemove && (
          <button type="button" className="link-button button-danger-text" data-testid="attachment-remove" aria-label={t("attachments.removeOne", { name })} onClick={onRemove}>
            {t("attachments.remove")}
          </button>
        )}
      </span>
    </li>
  );
}

/** Asks before removing a file from its record, at the version it was listed with. */
function RemoveDialog({ attachment, onRemoved, onCancel }: { attachment: AttachmentView; onRemoved: () => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const remove = useRemoveAttachment();
  const refresh = useRefreshAttachments();
  const [error, setError] = useState<string | null>(null);

  async function confirm() {
    if (remove.pending) return;
    try {
      await remove.run({ id: attachment.id, version: attachment.version });
      onRemoved();
    } catch (e) {
      setError(attachmentError(t, e as ApiError, "remove"));
    }
    // Either way the lists are read again: a refusal for a changed version shows the change.
    void refresh();
  }

  return (
    <ConfirmDialog
      title={t("attachments.removeTitle")}
      body={t("attachments.removeBody", { name: `\u2068${attachment.file_name}\u2069` })}
      confirmLabel={t("attachments.remove")}
      danger
      busy={remove.pending}
      error={error}
      onConfirm={() => void confirm()}
      onCancel={onCancel}
      testIds={{ dialog: "attachment-remove-dialog", confirm: "attachment-remove-confirm", cancel: "attachment-remove-cancel" }}
    />
  );
}

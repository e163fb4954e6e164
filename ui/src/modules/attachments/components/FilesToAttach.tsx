import { useId, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { ApiError } from "../../../api/generated";
import { useChooseAttachment, type ChosenAttachment } from "../hooks/useAttachments";
import { useLanguage } from "../../../shared/useLanguage";
import { attachmentError } from "../labels";
import { PaperclipIcon } from "./PaperclipIcon";

type Props = {
  files: readonly ChosenAttachment[];
  onChange: (files: ChosenAttachment[]) => void;
};

/**
 * Files chosen, one at a time with the system's Open dialog, for a record not saved yet: listed,
 * each with × to leave it out, and attached by whoever saves the record once it is saved.
 */
export function FilesToAttach({ files, onChange }: Props) {
  const { t } = useTranslation();
  const language = useLanguage();
  const labelId = useId();
  const hintId = useId();
  const choose = useChooseAttachment();
  const [choosing, setChoosing] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);

  async function addFile() {
    if (choosing) return;
    setError(null);
    setChoosing(true);
    try {
      const chosen = await choose();
      // Closed without a file, or one already chosen: nothing changes.
      if (chosen && !files.some((f) => f.path === chosen.path)) onChange([...files, chosen]);
    } catch (e) {
      setError(attachmentError(t, e as ApiError, "attach", language));
    } finally {
      setChoosing(false);
    }
  }

  function leaveOut(path: string) {
    onChange(files.filter((f) => f.path !== path));
    // The item and its × are gone: the focus goes back to the button that adds files.
    buttonRef.current?.focus();
  }

  return (
    <div className="field field-wide files-to-attach" role="group" aria-labelledby={labelId}>
      <span id={labelId} className="field-label">
        {t("attachments.title")}
      </span>
      <div className="files-to-attach-line">
        {/* Not disabled while the Open dialog is up: a disabled button would drop the focus it holds. */}
        <button
          ref={buttonRef}
          type="button"
          className="button"
          data-testid="attach-file"
          aria-disabled={choosing || undefined}
          aria-describedby={hintId}
          onClick={() => void addFile()}
        >
          <PaperclipIcon />
          {t("attachments.chooseFiles")}
        </button>
        <span id={hintId} className="field-hint">
          {t("attachments.chosenHint")}
        </span>
      </div>
      {files.length > 0 && (
        <ul className="chosen-files" aria-label={t("attachments.chosen")}>
          {files.map((file) => (
            <li key={file.path} className="chosen-file" data-testid="attachment-chosen">
              <span className="attachment-name" dir="auto" title={file.path}>
                {file.name}
              </span>
              <button
                type="button"
                className="icon-button chosen-file-remove"
                data-testid="attachment-chosen-remove"
                aria-label={t("attachments.leaveOut", { name: file.name })}
                onClick={() => leaveOut(file.path)}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      {error && (
        <span className="field-error" role="alert" data-testid="attach-file-error">
          {error}
        </span>
      )}
    </div>
  );
}

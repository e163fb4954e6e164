// What the window says about attached files when the core refuses something.

import type { TFunction } from "i18next";
import type { ApiError } from "../../api/generated";
import { errorMessage, fieldErrorMessage } from "../../shared/errors";
import { formatFileSize } from "../../shared/format";
import type { Language } from "../../i18n";

/** The largest file Accord keeps (the core's `attachments::MAX_BYTES`). */
export const LARGEST_FILE_BYTES = 25 * 1024 * 1024;

/**
 * A refusal in the person's language. A problem with the file itself comes under `path`: gone
 * since it was chosen, too large, unreadable (attaching) or not writable there (saving). A file
 * whose bytes have not reached this computer cannot be saved yet: said so. Anything else as
 * every refusal in the window is said.
 */
export function attachmentError(
  t: TFunction,
  error: ApiError,
  operation: "attach" | "save" | "remove" = "attach",
  language: Language = "en",
): string {
  const path = error.fields.path;
  if (path) {
    if (path.code === "file_not_found") return t("attachments.errors.gone");
    if (path.code === "too_long") return t("attachments.errors.tooLarge", { max: formatFileSize(LARGEST_FILE_BYTES, language) });
    if (path.code === "invalid_value") return t(operation === "save" ? "attachments.errors.cannotSave" : "attachments.errors.cannotRead");
    return fieldErrorMessage(t, path);
  }
  if (operation === "save" && error.code === "not_found" && Object.keys(error.fields).length === 0) return t("attachments.unavailable");
  return errorMessage(t, error);
}

// An export's problems in words: where the core will not write the file, or why it refused.

import type { TFunction } from "i18next";
import type { ApiError } from "../../api/generated";
import type { Language } from "../../i18n";
import { errorMessage, fieldErrorFor, fieldErrorMessage, unshownFieldErrors } from "../errors";

/**
 * Why the core refused to start an export, as precisely as it said: where the file cannot go
 * (in the core's own English words in an English window, as the imports show a value's problem;
 * else a sentence in the window's language), else the first field it named, else its code.
 */
export function exportRefusal(t: TFunction, error: ApiError, language: Language): string {
  const path = fieldErrorFor(error, "path");
  if (path) return language === "en" && path.message ? path.message : t("export.pathRefused");
  const [other] = unshownFieldErrors(error, []);
  if (other) return fieldErrorMessage(t, other[1]);
  return errorMessage(t, error);
}

// Two-factor sign-in as the window shows it: the recovery codes' text file, the QR code as an
// image address, and the words for a refused code.

import type { TFunction } from "i18next";
import type { ApiError } from "../../api/generated";
import { fieldErrorFor, fieldErrorMessage } from "../../shared/errors";

/** The QR code as an image source: the core's SVG is drawn by the image decoder, never parsed into the page. */
export function qrImageSource(svg: string): string {
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}

/** What the downloaded file holds: a title naming the account, a line on how to use them, the codes. */
export function recoveryCodesText(t: TFunction, login: string, codes: readonly string[]): string {
  return [t("session.twoFactor.fileTitle", { login }), t("session.twoFactor.fileHint"), "", ...codes, ""].join("\n");
}

export const RECOVERY_CODES_FILE = "accord-recovery-codes.txt";

/**
 * The problem with the typed code, for beside its field. A code that does not match gets words
 * about codes: the generic "This value is not valid." does not say what to do next.
 */
export function codeFieldError(t: TFunction, error: ApiError | null): string | undefined {
  const problem = fieldErrorFor(error, "code");
  if (!problem) return undefined;
  return problem.code === "invalid_value" ? t("session.twoFactor.codeWrong") : fieldErrorMessage(t, problem);
}

/** Below this many unused recovery codes, the settings suggest making new ones. */
export const FEW_RECOVERY_CODES = 3;

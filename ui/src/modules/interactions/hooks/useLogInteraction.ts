// The log dialog's openers, held by InteractionsProvider and used wherever an interaction is
// logged or corrected from (the command palette, histories, the employee's screen).

import { createContext, useContext } from "react";
import type { InteractionRow } from "../../../api/generated";
import type { Whom } from "../../../shared/interactions/InteractionsSlot";

export type LogDialog = {
  /** Opens the dialog to log an interaction, with whom when known; null for who may not log. */
  log: ((whom?: Whom) => void) | null;
  /** Opens the dialog to correct an interaction; null for who may not. */
  edit: ((row: InteractionRow) => void) | null;
};

export const LogDialogContext = createContext<LogDialog>({ log: null, edit: null });

export function useLogInteraction(): LogDialog {
  return useContext(LogDialogContext);
}

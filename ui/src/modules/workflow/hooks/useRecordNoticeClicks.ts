// A workflow rule's notice clicked (COMM-6): the desktop shell shows each notice natively and, when
// it is clicked, tells the window which record it is about. The window opens what shows that
// record: an organisation's card, a contact's organisation's card, a task's panel; a record of
// another kind leaves the window where it is.

import { isTauri } from "@tauri-apps/api/core";
import { listen } from "@tauri-apps/api/event";
import { useEffect, useRef } from "react";
import { useOpenRecord } from "../../../app/useOpenRecord";

/** The event the desktop shell emits when a rule's notice is clicked. */
export const OPEN_RECORD_EVENT = "accord://open-record";

export type OpenRecordPayload = { table: string; id: string };

/** Whether an event's payload names a record. */
export function isRecordPayload(payload: unknown): payload is OpenRecordPayload {
  if (typeof payload !== "object" || payload === null) return false;
  const { table, id } = payload as Record<string, unknown>;
  return typeof table === "string" && typeof id === "string";
}

/**
 * Opens the record a clicked notice names while mounted. `openTask` shows a task's panel; null
 * for who may not read tasks (a task's notice then opens nothing).
 */
export function useRecordNoticeClicks(openTask: ((id: string) => void) | null) {
  const openOrganisation = useOpenRecord("organisations");
  const openContact = useOpenRecord("contacts");
  const open = useRef<(payload: OpenRecordPayload) => void>(() => undefined);
  useEffect(() => {
    open.current = ({ table, id }) => {
      if (table === "organisations") void openOrganisation(id);
      else if (table === "contacts") void openContact(id);
      else if (table === "tasks") openTask?.(id);
    };
  });

  useEffect(() => {
    if (!isTauri()) return;
    let stop: (() => void) | null = null;
    let gone = false;
    listen<unknown>(OPEN_RECORD_EVENT, (event) => {
      if (isRecordPayload(event.payload)) open.current(event.payload);
    }).then(
      (unlisten) => {
        if (gone) unlisten();
        else stop = unlisten;
      },
      () => undefined,
    );
    return () => {
      gone = true;
      stop?.();
    };
  }, []);
}

// Tests only: a fake core for attached files: the files a record holds, the system's Open and
// Save dialogs (a path, or null when the person closes them), and attaching, saving and removing
// with the core's version checks. Its handlers go into a fakeTransport beside others.

import type {
  AttachFileInput,
  Attachment,
  AttachmentList,
  AttachmentView,
  ChooseFileInput,
  ChooseSaveFileInput,
  ChosenFile,
  ListAttachmentsInput,
  RemoveAttachmentInput,
  SaveAttachmentInput,
  SavedAttachment,
} from "../api/generated";
import { apiError } from "./fakeTransport";

let serial = 0;

/** An attached file as `attachments.list` gives it: a 2.4 MB PDF on an interaction unless told otherwise. */
export function attachment(overrides: Partial<AttachmentView> = {}): AttachmentView {
  serial += 1;
  return {
    id: `0198f100-0000-7000-8000-${String(serial).padStart(12, "0")}`,
    record_table: "interactions",
    record_id: "0198d000-0000-7000-8000-0000000000c1",
    file_name: "Signed minutes.pdf",
    media_type: "application/pdf",
    size_bytes: Math.round(2.4 * 1024 * 1024),
    sha256: "ab".repeat(32),
    version: 1,
    created_at: "2026-11-23T10:05:00Z",
    updated_at: "2026-11-23T10:05:00Z",
    created_by: "0198e000-0000-7000-8000-0000000000a1",
    updated_by: "0198e000-0000-7000-8000-0000000000a1",
    archived_at: null,
    owner_id: "0198e000-0000-7000-8000-0000000000a1",
    department_id: null,
    attached_by: "Anna Petrova",
    available: true,
    ...overrides,
  };
}

export type FakeAttachmentsOptions = {
  /** The files attached (to any record). */
  attachments?: AttachmentView[];
  /** What the Open dialog gives, one answer per call (the last one again once used up); null: closed. */
  chosen?: (string | null)[];
  /** What the Save dialog gives; null: closed. */
  savePath?: string | null;
  /** Stands in for `attachments.attach` (a refusal, say); a new file is attached otherwise. */
  attach?: (input: AttachFileInput) => AttachmentView;
  /** Who attaches files now, by name. */
  attachedBy?: string;
};

/** The fake's state and its handlers, to spread into a `fakeTransport`. */
export function fakeAttachments({ attachments = [], chosen = [], savePath = "/home/anna/Signed minutes.pdf", attach, attachedBy = "Anna Petrova" }: FakeAttachmentsOptions = {}) {
  const state = { attachments: [...attachments], chosen: [...chosen] };
  let attachSerial = 0;
  const nameOf = (path: string) => path.split(/[\\/]/).pop() ?? path;

  const handlers = {
    "settings.choose_file": (_input: ChooseFileInput): ChosenFile => {
      const path = state.chosen.length > 1 ? (state.chosen.shift() ?? null) : (state.chosen[0] ?? null);
      return { path, name: path === null ? null : nameOf(path) };
    },
    "settings.choose_save_file": (_input: ChooseSaveFileInput): ChosenFile => ({ path: savePath, name: savePath === null ? null : nameOf(savePath) }),
    "attachments.list": ({ table, record_id, include_removed }: ListAttachmentsInput): AttachmentList => ({
      attachments: state.attachments.filter((a) => a.record_table === table && a.record_id === record_id && (include_removed || a.archived_at === null)),
    }),
    "attachments.attach": (input: AttachFileInput): AttachmentView => {
      if (attach) {
        const made = attach(input);
        state.attachments.push(made);
        return made;
      }
      attachSerial += 1;
      const made = attachment({
        id: `0198f200-0000-7000-8000-${String(attachSerial).padStart(12, "0")}`,
        record_table: input.table,
        record_id: input.record_id,
        file_name: nameOf(input.path),
        size_bytes: 2048,
        created_at: "2026-12-07T09:01:00Z",
        attached_by: attachedBy,
      });
      state.attachments.push(made);
      return made;
    },
    "attachments.save": ({ id, path }: SaveAttachmentInput): SavedAttachment => {
      const found = state.attachments.find((a) => a.id === id);
      if (!found) throw apiError("not_found", { id: { code: "unknown_id", message: "No attachment with this id exists." } });
      if (!found.available) throw apiError("not_found", {}, `The file ${found.file_name} has not reached this computer yet.`);
      return { path, size_bytes: found.size_bytes };
    },
    "attachments.remove": ({ id, version }: RemoveAttachmentInput): Attachment => {
      const found = state.attachments.find((a) => a.id === id);
      if (!found) throw apiError("not_found");
      if (found.version !== version) throw apiError("conflict");
      const removed = { ...found, archived_at: "2026-12-07T09:30:00Z", version: found.version + 1 };
      state.attachments = state.attachments.map((a) => (a.id === id ? removed : a));
      const { attached_by: _by, available: _available, ...stored } = removed;
      return stored;
    },
  };
  return { state, handlers };
}

import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { ApiProvider } from "../../../api/ApiProvider";
import type { Permission } from "../../../api/generated";
import { i18n } from "../../../i18n";
import { formatDateTime } from "../../../shared/format";
import { attachment, fakeAttachments, type FakeAttachmentsOptions } from "../../../test/fakeAttachments";
import { apiError, fakeTransport, signedIn } from "../../../test/fakeTransport";
import { SessionContext, type Session } from "../../session/hooks/useSession";
import { canAttachFiles, canReadAttachments } from "../access";
import { AttachmentsPanel } from "../components/AttachmentsPanel";

const CALL_ID = "0198d000-0000-7000-8000-0000000000c1";
const OTHER_CALL_ID = "0198d000-0000-7000-8000-0000000000c2";

/** Service desk: reads and logs interactions, reads and attaches files. */
const WRITER: Permission[] = ["interactions.read", "interactions.write", "attachments.read", "attachments.write"];
/** An auditor: reads interactions and their files, changes nothing. */
const READER: Permission[] = ["interactions.read", "attachments.read"];

const MINUTES = attachment({ record_id: CALL_ID, file_name: "Signed minutes.pdf", size_bytes: Math.round(2.4 * 1024 * 1024), attached_by: "Anna Petrova" });
const PHOTO = attachment({
  record_id: CALL_ID,
  file_name: "عکس قطعه.jpg",
  media_type: "image/jpeg",
  size_bytes: 512,
  created_at: "2026-11-24T08:00:00Z",
  attached_by: null,
  version: 3,
});
const ELSEWHERE = attachment({ record_id: OTHER_CALL_ID, file_name: "Elsewhere.txt" });

function session(permissions: Permission[]): Session {
  return {
    status: signedIn({ id: "0198e000-0000-7000-8000-0000000000a1", display_name: "Anna Petrova", permissions }),
    signIn: async () => {},
    signOut: async () => {},
    createFirstAdministrator: async () => {},
    refresh: async () => {},
  };
}

function renderPanel({ permissions = WRITER, readOnly, ...options }: FakeAttachmentsOptions & { permissions?: Permission[]; readOnly?: boolean } = {}) {
  const files = fakeAttachments({ attachments: [MINUTES, PHOTO, ELSEWHERE], ...options });
  const fake = fakeTransport(files.handlers);
  render(
    <ApiProvider transport={fake.transport}>
      <SessionContext.Provider value={session(permissions)}>
        <AttachmentsPanel table="interactions" recordId={CALL_ID} readOnly={readOnly} />
      </SessionContext.Provider>
    </ApiProvider>,
  );
  return Object.assign(fake, { state: files.state });
}

describe("who may see and attach files", () => {
  it("reads files with attachments.read; attaches with attachments.write and the right to change the record", () => {
    const user = (permissions: Permission[]) => session(permissions).status.user;
    expect(canReadAttachments(user(READER))).toBe(true);
    expect(canReadAttachments(user(["interactions.read"]))).toBe(false);
    expect(canAttachFiles(user(WRITER), "interactions")).toBe(true);
    expect(canAttachFiles(user(["attachments.read", "attachments.write", "interactions.read"]), "interactions")).toBe(false);
    expect(canAttachFiles(user(["interactions.write", "attachments.read"]), "interactions")).toBe(false);
    // A kind the window attaches no files to.
    expect(canAttachFiles(user(WRITER), "tasks")).toBe(false);
  });
});

describe("the files of a record", () => {
  it("lists the record's files, oldest first, with their sizes, who attached them and when", async () => {
    const core = renderPanel();
    const rows = await screen.findAllByTestId("attachment-row");
    expect(core.callsOf("attachments.list")).toEqual([{ table: "interactions", record_id: CALL_ID }]);
    expect(rows.map((r) => r.dataset.id)).toEqual([MINUTES.id, PHOTO.id]);

    const [minutes, photo] = rows;
    const name = within(minutes).getByTestId("attachment-name");
    expect(name).toHaveTextContent("Signed minutes.pdf");
    expect(name).toHaveAttribute("dir", "auto");
    expect(within(minutes).getByTestId("attachment-size")).toHaveTextContent("2.4 MB");
    expect(within(minutes).getByTestId("attachment-by")).toHaveTextContent("Attached by Anna Petrova");
    expect(within(minutes).getByTestId("attachment-when")).toHaveTextContent(formatDateTime(MINUTES.created_at, "en"));

    expect(within(photo).getByTestId("attachment-name")).toHaveTextContent("عکس قطعه.jpg");
    expect(within(photo).getByTestId("attachment-size")).toHaveTextContent("512 bytes");
    expect(within(photo).getByTestId("attachment-by")).toHaveTextContent("Attached by someone unknown");
    expect(screen.queryByTestId("attachments-empty")).toBeNull();
  });

  it("says the sizes in Persian digits in Persian", async () => {
    await i18n.changeLanguage("fa");
    renderPanel();
    const [minutes] = await screen.findAllByTestId("attachment-row");
    expect(within(minutes).getByTestId("attachment-size").textContent).toMatch(/^۲٫۴/);
    expect(screen.getByTestId("attachments-add")).toHaveTextContent("پیوست فایل…");
  });

  it("says so when no file is attached", async () => {
    renderPanel({ attachments: [ELSEWHERE] });
    expect(await screen.findByTestId("attachments-empty")).toHaveTextContent("No files attached.");
    expect(screen.queryByTestId("attachment-row")).toBeNull();
  });
});

describe("attaching a file", () => {
  it("opens the system's dialog for an attachment, attaches the file chosen and lists it", async () => {
    const user = userEvent.setup();
    const core = renderPanel({ chosen: ["/home/anna/Delivery note.docx"] });
    await screen.findAllByTestId("attachment-row");
    await user.click(screen.getByTestId("attachments-add"));

    await waitFor(() => expect(core.callsOf("attachments.attach")).toHaveLength(1));
    expect(core.callsOf("settings.choose_file")).toEqual([{ purpose: "attachment" }]);
    expect(core.callsOf("attachments.attach")[0]).toEqual({ table: "interactions", record_id: CALL_ID, path: "/home/anna/Delivery note.docx" });
    // The op order: the dialog first, then the attach.
    const ops = core.calls.map((c) => c.op).filter((op) => op !== "attachments.list");
    expect(ops).toEqual(["settings.choose_file", "attachments.attach"]);

    await waitFor(() => expect(screen.getAllByTestId("attachment-row")).toHaveLength(3));
    const added = screen.getAllByTestId("attachment-row")[2];
    expect(within(added).getByTestId("attachment-name")).toHaveTextContent("Delivery note.docx");
    expect(within(added).getByTestId("attachment-size")).toHaveTextContent("2 kB");
    expect(screen.queryByTestId("attachments-error")).toBeNull();
  });

  it("does nothing when the dialog is closed without a file", async () => {
    const user = userEvent.setup();
    const core = renderPanel({ chosen: [null] });
    await screen.findAllByTestId("attachment-row");
    await user.click(screen.getByTestId("attachments-add"));
    await waitFor(() => expect(core.callsOf("settings.choose_file")).toHaveLength(1));
    expect(core.callsOf("attachments.attach")).toEqual([]);
    expect(core.callsOf("attachments.list")).toHaveLength(1);
    expect(screen.getAllByTestId("attachment-row")).toHaveLength(2);
    expect(screen.queryByTestId("attachments-error")).toBeNull();
  });

  it.each([
    ["too_long", "en", "The file is larger than Accord keeps (25 MB at most). Attach a smaller file: compress it or split it."],
    ["file_not_found", "en", "The file is no longer where it was chosen (moved, renamed or deleted). Choose it again."],
    ["too_long", "ru", "Файл больше, чем хранит Accord (не более 25 МБ). Прикрепите файл поменьше: сожмите или разделите его."],
    ["file_not_found", "fa", "پرونده دیگر در جایی که انتخاب شده بود نیست (جابه‌جا، تغییر نام یا حذف شده است). دوباره آن را انتخاب کنید."],
  ] as const)("says in the person's language why a file was refused (%s, %s)", async (code, language, said) => {
    const user = userEvent.setup();
    await i18n.changeLanguage(language);
    try {
      const core = renderPanel({
        chosen: ["/home/anna/Big scan.pdf"],
        attach: () => {
          throw apiError("invalid_input", { path: { code, message: "The core's English words" } });
        },
      });
      await screen.findAllByTestId("attachment-row");
      await user.click(screen.getByTestId("attachments-add"));
      const alert = await screen.findByTestId("attachments-error");
      expect(alert).toHaveAttribute("role", "alert");
      expect(alert.textContent?.replace(/\u00a0/g, " ")).toBe(said);
      expect(core.callsOf("attachments.attach")).toHaveLength(1);
      expect(screen.getAllByTestId("attachment-row")).toHaveLength(2);
    } finally {
      await i18n.changeLanguage("en");
    }
  });
});

describe("saving a file", () => {
  it("asks where with the file's own name and no format, then saves it there and says where", async () => {
    const user = userEvent.setup();
    const core = renderPanel({ savePath: "/home/anna/Documents/Signed minutes.pdf" });
    const [minutes] = await screen.findAllByTestId("attachment-row");
    const save = within(minutes).getByTestId("attachment-save");
    expect(save).toHaveAccessibleName("Save Signed minutes.pdf…");
    await user.click(save);

    await waitFor(() => expect(core.callsOf("attachments.save")).toHaveLength(1));
    expect(core.callsOf("settings.choose_save_file")).toEqual([{ name: "Signed minutes.pdf" }]);
    expect(core.callsOf("settings.choose_save_file")[0]).not.toHaveProperty("format");
    expect(core.callsOf("attachments.save")[0]).toEqual({ id: MINUTES.id, path: "/home/anna/Documents/Signed minutes.pdf" });
    const saved = await screen.findByTestId("attachments-saved");
    expect(saved).toHaveAttribute("role", "status");
    expect(saved).toHaveTextContent("Saved to /home/anna/Documents/Signed minutes.pdf");
  });

  it("does nothing when the Save dialog is closed", async () => {
    const user = userEvent.setup();
    const core = renderPanel({ savePath: null });
    const [minutes] = await screen.findAllByTestId("attachment-row");
    await user.click(within(minutes).getByTestId("attachment-save"));
    await waitFor(() => expect(core.callsOf("settings.choose_save_file")).toHaveLength(1));
    expect(core.callsOf("attachments.save")).toEqual([]);
    expect(screen.queryByTestId("attachments-saved")).toBeNull();
    expect(screen.queryByTestId("attachments-error")).toBeNull();
  });

  it("cannot save a file that has not reached this computer, and says why", async () => {
    const user = userEvent.setup();
    const core = renderPanel({ attachments: [{ ...MINUTES, available: false }] });
    const [minutes] = await screen.findAllByTestId("attachment-row");
    const save = within(minutes).getByTestId("attachment-save");
    expect(save).toBeDisabled();
    expect(save).toHaveAttribute("title", "Not on this computer yet: it arrives with the next sync.");
    expect(save).toHaveAccessibleDescription("Not on this computer yet: it arrives with the next sync.");
    expect(within(minutes).getByTestId("attachment-unavailable")).toBeVisible();
    await user.click(save);
    expect(core.callsOf("settings.choose_save_file")).toEqual([]);
    expect(core.callsOf("attachments.save")).toEqual([]);
  });
});

describe("removing a file", () => {
  it("asks first, then removes it at the version it was listed with", async () => {
    const user = userEvent.setup();
    const core = renderPanel();
    const photo = (await screen.findAllByTestId("attachment-row"))[1];
    const remove = within(photo).getByTestId("attachment-remove");
    expect(remove).toHaveAccessibleName("Remove عکس قطعه.jpg");
    await user.click(remove);

    const dialog = await screen.findByTestId("attachment-remove-dialog");
    expect(dialog).toHaveTextContent("Remove this file?");
    expect(dialog).toHaveTextContent("عکس قطعه.jpg");
    expect(core.callsOf("attachments.remove")).toEqual([]);
    await user.click(screen.getByTestId("attachment-remove-confirm"));

    await waitFor(() => expect(core.callsOf("attachments.remove")).toEqual([{ id: PHOTO.id, version: 3 }]));
    await waitFor(() => expect(screen.getAllByTestId("attachment-row").map((r) => r.dataset.id)).toEqual([MINUTES.id]));
    expect(screen.queryByTestId("attachment-remove-dialog")).toBeNull();
  });

  it("removes nothing when the answer is no, and gives the focus back", async () => {
    const user = userEvent.setup();
    const core = renderPanel();
    const [minutes] = await screen.findAllByTestId("attachment-row");
    const remove = within(minutes).getByTestId("attachment-remove");
    await user.click(remove);
    await user.click(await screen.findByTestId("attachment-remove-cancel"));
    expect(screen.queryByTestId("attachment-remove-dialog")).toBeNull();
    expect(remove).toHaveFocus();
    expect(core.callsOf("attachments.remove")).toEqual([]);
    expect(screen.getAllByTestId("attachment-row")).toHaveLength(2);
  });
});

describe("who only reads", () => {
  it("sees and saves the files, but cannot attach or remove them", async () => {
    renderPanel({ permissions: READER });
    const rows = await screen.findAllByTestId("attachment-row");
    expect(rows).toHaveLength(2);
    expect(screen.queryByTestId("attachments-add")).toBeNull();
    expect(screen.queryByTestId("attachment-remove")).toBeNull();
    expect(within(rows[0]).getByTestId("attachment-save")).toBeEnabled();
  });

  it("cannot attach to a record that takes no files now (archived)", async () => {
    renderPanel({ readOnly: true });
    await screen.findAllByTestId("attachment-row");
    expect(screen.queryByTestId("attachments-add")).toBeNull();
    expect(screen.queryByTestId("attachment-remove")).toBeNull();
  });

  it("shows nothing to who may not read attached files", async () => {
    const core = renderPanel({ permissions: ["interactions.read"] });
    // Nothing is asked of the core either.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(screen.queryByTestId("attachments-panel")).toBeNull();
    expect(core.callsOf("attachments.list")).toEqual([]);
  });
});

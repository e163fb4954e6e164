import { act, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import type {
  ConnectionMode,
  ConnectionSettings,
  OfflineJob,
  OfflineStatus,
  RejectedChange,
  ReplicaStatus,
  SessionStatus,
  SyncProgressView,
  SyncReport,
} from "../../../api/generated";
import { App } from "../../../app/App";
import type { Route } from "../../../app/navigation";
import { i18n } from "../../../i18n";
import { formatDateTime, formatNumber } from "../../../shared/format";
import { apiError, emptyPage, fakeTransport, SIGNED_OUT, signedIn } from "../../../test/fakeTransport";

const ANNA = { id: "user-anna", display_name: "Anna" };
const REPLICATOR = signedIn({ ...ANNA, permissions: ["customers.read", "customers.write", "sync.replicate", "sync.resolve"] });
const NO_REPLICATE = signedIn({ ...ANNA, permissions: ["customers.read", "customers.write", "sync.resolve"] });

const SERVER = "postgres://db.example.com:5432/accord";
const LAST_SYNC = "2026-12-01T09:15:00Z";
const STARTED = "2026-12-06T10:00:00Z";
const FINISHED = "2026-12-06T10:02:30Z";
const REFUSED_AT = "2026-12-05T18:20:00Z";

function connection(mode: ConnectionMode): ConnectionSettings {
  return {
    mode,
    database_path: mode === "offline" ? "/home/anna/.local/share/accord/replicas/db.sqlite3" : "/home/anna/.local/share/accord/accord.sqlite3",
    server_url: mode === "embedded" ? null : SERVER,
    server_user: mode === "embedded" ? null : "accord_anna",
    problem: null,
  };
}

function replica(overrides: Partial<ReplicaStatus> = {}): ReplicaStatus {
  return {
    pending: 0,
    open_conflicts: 0,
    rejected: 0,
    server_id: "0198aaaa-1111-7000-8000-000000000001",
    server_address: "db.example.com:5432/accord",
    user_id: ANNA.id,
    device_id: "0198aaaa-1111-7000-8000-00000000000a",
    pulled: { commit: 3, seq: 10 },
    pushed_seq: 0,
    audit_pushed_seq: 0,
    created_at: LAST_SYNC,
    last_sync_at: LAST_SYNC,
    ...overrides,
  };
}

function progress(overrides: Partial<SyncProgressView> = {}): SyncProgressView {
  return { phase: "starting", pushed: 0, pulled: 0, merged: 0, ...overrides };
}

function report(overrides: Partial<SyncReport> = {}): SyncReport {
  return {
    server_restored: false,
    pushed: 0,
    audit_pushed: 0,
    pushed_before: 0,
    rejected: [],
    push_problem: null,
    pulled: 0,
    files_fetched: 0,
    records_changed: 0,
    departed: 0,
    reach_asked: 0,
    open_conflicts: 0,
    pending: 0,
    ...overrides,
  };
}

function running(overrides: Partial<SyncProgressView> = {}): OfflineJob {
  return { state: "running", progress: progress(overrides), started_at: STARTED, finished_at: null, report: null, error: null };
}

function finished(state: "done" | "cancelled" | "failed", overrides: Partial<OfflineJob> = {}): OfflineJob {
  return {
    state,
    progress: progress({ phase: "done" }),
    started_at: STARTED,
    finished_at: FINISHED,
    report: null,
    error: null,
    ...overrides,
  };
}

function rejectedChange(overrides: Partial<RejectedChange> = {}): RejectedChange {
  return {
    table: "organisations",
    row_id: "0198cccc-3333-7000-8000-0000000000c1",
    title: "Acme Ltd",
    action: "update",
    fields: { kind: { old: "customer", new: "partner" } },
    code: "permission_denied",
    reason: "Only the owner's department may change this organisation.",
    made_at: "2026-12-05T12:00:00Z",
    rejected_at: REFUSED_AT,
    ...overrides,
  };
}

type Options = {
  session?: SessionStatus;
  mode?: ConnectionMode;
  replica?: ReplicaStatus | null;
  job?: OfflineJob | null;
  rejected?: RejectedChange[];
  route?: Route;
};

/**
 * A fake shell with an offline copy the test moves along: `state` is what `offline.status`
 * answers next; preparing starts a running job; switching changes the mode; going online signs
 * the window out (the team server has its own sign-in).
 */
function offlineCore({
  session = REPLICATOR,
  mode = "server",
  replica: copy = null,
  job = null,
  rejected = [],
  route = { screen: "settings" },
}: Options = {}) {
  const state = { session, mode, replica: copy, job, rejected };
  const status = (): OfflineStatus => ({ replica: state.replica, job: state.job });
  const fake = fakeTransport({
    "session.get": () => state.session,
    "session.sign_in": () => {
      state.session = REPLICATOR;
      return state.session;
    },
    "settings.set_language": ({ language }) => ({ language }),
    "customers.list_organisations": () => emptyPage,
    "sync.list_conflicts": () => ({ conflicts: [] }),
    "settings.get_connection": () => connection(state.mode),
    "offline.status": status,
    "offline.prepare": () => {
      if (state.job?.state !== "running") state.job = running();
      return status();
    },
    "offline.cancel": status,
    "offline.work_offline": () => {
      state.mode = "offline";
      return connection(state.mode);
    },
    "offline.go_online": () => {
      state.mode = "server";
      state.session = SIGNED_OUT;
      return connection(state.mode);
    },
    "sync.list_rejected": () => state.rejected,
  });
  render(<App transport={fake.transport} initialRoute={route} />);
  return { ...fake, state };
}

/** Lets the window answer what it has received (a status read, say) before checking what it did not do. */
async function settle() {
  await act(() => new Promise((resolve) => setTimeout(resolve, 50)));
}

describe("the offline section in Settings", () => {
  it("is not shown to someone without sync.replicate, who is never refused a status", async () => {
    const fake = offlineCore({ session: NO_REPLICATE, replica: replica({ pending: 2 }) });
    expect(await screen.findByTestId("connection-mode")).toHaveAttribute("data-mode", "server");
    await settle();
    expect(screen.queryByTestId("offline-section")).toBeNull();
    expect(screen.queryByTestId("offline-banner")).toBeNull();
    expect(fake.callsOf("offline.status")).toEqual([]);
    expect(fake.callsOf("offline.prepare")).toEqual([]);
  });

  it("is not shown on the embedded database", async () => {
    const fake = offlineCore({ mode: "embedded" });
    expect(await screen.findByTestId("connection-mode")).toHaveAttribute("data-mode", "embedded");
    await settle();
    expect(screen.queryByTestId("offline-section")).toBeNull();
    expect(fake.callsOf("offline.status")).toEqual([]);
  });

  it("prepares a first copy: the phase in words and the counts while it runs, then what it did", async () => {
    const user = userEvent.setup();
    const fake = offlineCore();
    const section = await screen.findByTestId("offline-section");
    expect(await within(section).findByTestId("offline-no-copy")).toHaveTextContent("No offline copy on this laptop yet");
    // Nothing to work on yet.
    expect(within(section).queryByTestId("offline-work")).toBeNull();
    const prepare = within(section).getByTestId("offline-prepare");
    expect(prepare).toHaveTextContent("Prepare for offline work");

    await user.click(prepare);
    expect(fake.callsOf("offline.prepare")).toEqual([{}]);
    expect(await within(section).findByTestId("offline-progress")).toBeInTheDocument();
    expect(within(section).getByTestId("offline-phase")).toHaveTextContent("Sending your changes");
    expect(within(section).getByTestId("offline-cancel")).toHaveTextContent("Cancel");
    expect(within(section).queryByTestId("offline-prepare")).toBeNull();
    expect(within(section).queryByTestId("offline-job-state")).toBeNull();

    // The window reads the status again while the job runs.
    fake.state.job = running({ phase: "pulling", pulled: 1200 });
    await waitFor(() => expect(within(section).getByTestId("offline-phase")).toHaveTextContent("Receiving the server's changes"));
    expect(within(section).getByTestId("offline-counts")).toHaveTextContent("received: 1,200");
    fake.state.job = running({ phase: "fetching", pulled: 1500 });
    await waitFor(() => expect(within(section).getByTestId("offline-phase")).toHaveTextContent("Receiving records new to you"));
    fake.state.job = running({ phase: "merging", pulled: 1500, merged: 40 });
    await waitFor(() => expect(within(section).getByTestId("offline-phase")).toHaveTextContent("Updating records"));

    fake.state.replica = replica({ last_sync_at: FINISHED, open_conflicts: 1, rejected: 1 });
    fake.state.job = finished("done", {
      report: report({
        pushed: 2,
        pulled: 1500,
        records_changed: 40,
        open_conflicts: 1,
        rejected: [{ table: "organisations", row_id: "org-1", hlc: 1, code: "permission_denied", reason: "no" }],
      }),
    });
    const done = await within(section).findByTestId("offline-job-state");
    expect(done).toHaveAttribute("data-state", "done");
    expect(done).toHaveTextContent("Sync finished: sent 2, received 1,500, conflicts 1, refused 1.");
    expect(within(section).queryByTestId("offline-server-restored")).toBeNull();
    expect(done).toHaveTextContent(`Finished ${formatDateTime(FINISHED, "en")}`);
    expect(within(section).queryByTestId("offline-progress")).toBeNull();
    expect(within(section).getByTestId("offline-last-sync")).toHaveTextContent(formatDateTime(FINISHED, "en"));
    expect(within(section).getByTestId("offline-pending")).toHaveTextContent("0");
    expect(within(section).getByTestId("offline-rejected-count")).toHaveTextContent("1");
    expect(within(section).getByTestId("offline-prepare")).toHaveTextContent("Sync now");
    expect(within(section).getByTestId("offline-work")).toHaveTextContent("Work offline");

    // Polling stops with the job.
    const reads = fake.callsOf("offline.status").length;
    await act(() => new Promise((resolve) => setTimeout(resolve, 1200)));
    expect(fake.callsOf("offline.status")).toHaveLength(reads);
  });

  it("says when the server had lost changes and the laptop sent them again", async () => {
    const fake = offlineCore();
    fake.state.replica = replica({ last_sync_at: FINISHED });
    fake.state.job = finished("done", { report: report({ server_restored: true, pushed: 3 }) });
    const section = await screen.findByTestId("offline-section");
    const notice = await within(section).findByTestId("offline-server-restored");
    expect(notice).toHaveTextContent("restored from an older backup");
  });

  it("shows the copy: where from, when it last synced, what waits, and leads to its conflicts", async () => {
    const user = userEvent.setup();
    offlineCore({ replica: replica({ pending: 1234, open_conflicts: 2, rejected: 3 }) });
    const section = await screen.findByTestId("offline-section");
    expect(await within(section).findByTestId("offline-pending")).toHaveTextContent("1,234");
    expect(within(section).getByTestId("offline-last-sync")).toHaveTextContent(formatDateTime(LAST_SYNC, "en"));
    expect(within(section).getByTestId("offline-conflicts")).toHaveTextContent("2");
    expect(within(section).getByTestId("offline-rejected-count")).toHaveTextContent("3");
    expect(within(section).getByText("db.example.com:5432/accord").tagName).toBe("BDI");

    await user.click(within(section).getByTestId("offline-open-conflicts"));
    expect(await screen.findByTestId("conflicts-screen")).toBeInTheDocument();
  });

  it("cancels a running preparation, then says it stopped as asked", async () => {
    const user = userEvent.setup();
    const fake = offlineCore({ replica: replica(), job: running({ phase: "pulling", pulled: 10 }) });
    const cancel = await screen.findByTestId("offline-cancel");
    // A copy being prepared is not worked on.
    expect(screen.queryByTestId("offline-work")).toBeNull();
    await user.click(cancel);
    expect(fake.callsOf("offline.cancel")).toEqual([{}]);

    fake.state.job = finished("cancelled", { error: apiError("cancelled", {}, "cancelled") });
    const stopped = await screen.findByTestId("offline-job-state");
    expect(stopped).toHaveAttribute("data-state", "cancelled");
    expect(stopped).toHaveTextContent("The sync was cancelled.");
    expect(stopped).toHaveTextContent("Stopped as you asked. What was finished is kept");
    expect(screen.queryByTestId("offline-cancel")).toBeNull();
    expect(screen.getByTestId("offline-prepare")).toHaveTextContent("Sync now");
  });

  it("says why a preparation failed, in the chosen language", async () => {
    const fake = offlineCore({ replica: replica(), job: finished("failed", { error: apiError("database_unavailable", {}, "connection refused") }) });
    const failed = await screen.findByTestId("offline-job-state");
    expect(failed).toHaveAttribute("data-state", "failed");
    expect(failed).toHaveAttribute("role", "alert");
    expect(failed).toHaveTextContent("The database is not available right now.");
    await act(() => i18n.changeLanguage("ru"));
    expect(screen.getByTestId("offline-job-state")).toHaveTextContent("База данных сейчас недоступна.");
    expect(fake.callsOf("offline.prepare")).toEqual([]);
  });

  it("shows a refused start as the core's error", async () => {
    const user = userEvent.setup();
    const fake = fakeTransport({
      "session.get": () => REPLICATOR,
      "settings.get_connection": () => connection("server"),
      "offline.status": () => ({ replica: null, job: null }),
      "offline.prepare": () => {
        throw apiError("busy");
      },
    });
    render(<App transport={fake.transport} initialRoute={{ screen: "settings" }} />);
    await user.click(await screen.findByTestId("offline-prepare"));
    expect(await screen.findByTestId("offline-error")).toHaveTextContent("Another window or script is busy with the database.");
  });

  it("works offline: switches, asks who is signed in on the copy, and shows the banner", async () => {
    const user = userEvent.setup();
    const fake = offlineCore({ replica: replica({ pending: 0 }) });
    await user.click(await screen.findByTestId("offline-work"));

    expect(fake.callsOf("offline.work_offline")).toEqual([{}]);
    await waitFor(() => expect(screen.getByTestId("connection-mode")).toHaveAttribute("data-mode", "offline"));
    expect(fake.callsOf("session.get").length).toBeGreaterThanOrEqual(2);
    expect(await screen.findByTestId("offline-banner")).toHaveTextContent("Working offline on this laptop's copy — 0 changes waiting to be sent");
    const section = screen.getByTestId("offline-section");
    expect(section).toHaveAttribute("data-mode", "offline");
    expect(within(section).getByTestId("offline-go-online")).toHaveTextContent("Go online");
    expect(within(section).queryByTestId("offline-prepare")).toBeNull();
    expect(within(section).queryByTestId("offline-work")).toBeNull();
  });
});

describe("working offline", () => {
  it("says so across the window with the changes waiting, and lists what the server refused", async () => {
    const user = userEvent.setup();
    const fake = offlineCore({
      mode: "offline",
      replica: replica({ pending: 3, rejected: 2 }),
      rejected: [
        rejectedChange(),
        rejectedChange({
          row_id: "0198dddd-4444-7000-8000-0000000000d2",
          title: null,
          action: "insert",
          fields: { name: { old: null, new: "Globex" }, credit_limit: { old: null, new: 2500 } },
          code: "invalid_input",
          reason: "A tax id of this form is not valid here.",
        }),
      ],
    });

    const banner = await screen.findByTestId("offline-banner");
    expect(banner).toHaveAttribute("role", "status");
    await waitFor(() => expect(banner).toHaveTextContent("Working offline on this laptop's copy — 3 changes waiting to be sent"));
    // In Settings the way back online is the section's, with more to say.
    expect(within(banner).queryByTestId("offline-go-online")).toBeNull();
    expect(screen.getAllByTestId("offline-go-online")).toHaveLength(1);

    const [acme, globex] = await screen.findAllByTestId("offline-rejected-row");
    expect(within(acme).getByTestId("offline-rejected-title")).toHaveTextContent("Acme Ltd");
    expect(acme).toHaveTextContent("Organisation");
    const kind = within(acme).getByTestId("offline-rejected-field");
    expect(kind).toHaveTextContent("Kind");
    expect(kind).toHaveTextContent("Partner");
    expect(within(acme).getByTestId("offline-rejected-reason")).toHaveTextContent("You do not have permission to do this.");
    expect(within(acme).getByTestId("offline-rejected-reason")).toHaveTextContent("Only the owner's department may change this organisation.");
    expect(within(acme).getByTestId("offline-rejected-when")).toHaveTextContent(`Refused ${formatDateTime(REFUSED_AT, "en")}`);

    // No title: the record's id, shortened, left to right.
    const id = within(within(globex).getByTestId("offline-rejected-title")).getByText("0000d2".padStart(8, "0"));
    expect(id).toHaveAttribute("dir", "ltr");
    expect(within(globex).getAllByTestId("offline-rejected-field").map((row) => row.getAttribute("data-field"))).toEqual(["name", "credit_limit"]);
    expect(globex).toHaveTextContent("2,500");

    // Back online: the team server's sign-in screen follows.
    await user.click(within(screen.getByTestId("offline-section")).getByTestId("offline-go-online"));
    expect(await screen.findByTestId("sign-in-screen")).toBeInTheDocument();
    expect(fake.callsOf("offline.go_online")).toEqual([{}]);
    expect(fake.callsOf("sync.list_rejected").length).toBeGreaterThan(0);
  });

  it("shows the banner on every screen, and nothing of refusals when there are none", async () => {
    offlineCore({ mode: "offline", replica: replica({ pending: 1 }), route: { screen: "customers", view: { kind: "list" } } });
    const banner = await screen.findByTestId("offline-banner");
    await waitFor(() => expect(banner).toHaveTextContent("1 change waiting to be sent"));
    expect(within(banner).getByTestId("offline-go-online")).toHaveTextContent("Go online");
    await userEvent.setup().click(screen.getByTestId("nav-settings"));
    const section = await screen.findByTestId("offline-section");
    expect(within(section).getByTestId("offline-go-online")).toBeInTheDocument();
    expect(screen.getAllByTestId("offline-go-online")).toHaveLength(1);
    expect(screen.getByTestId("offline-banner")).toBeInTheDocument();
    await settle();
    expect(screen.queryByTestId("offline-rejected")).toBeNull();
    expect(screen.queryByTestId("offline-rejected-row")).toBeNull();
  });

  it("counts a change made offline once the window moves on from the saved form", async () => {
    const user = userEvent.setup();
    const fake = offlineCore({ mode: "offline", replica: replica({ pending: 0 }), route: { screen: "customers", view: { kind: "list" } } });
    const banner = await screen.findByTestId("offline-banner");
    await waitFor(() => expect(banner).toHaveTextContent("0 changes waiting to be sent"));
    fake.state.replica = replica({ pending: 1 });
    await user.click(screen.getByTestId("nav-conflicts"));
    await screen.findByTestId("conflicts-screen");
    await waitFor(() => expect(screen.getByTestId("offline-banner")).toHaveTextContent("1 change waiting to be sent"));
    expect(screen.getByTestId("offline-banner")).toHaveAttribute("data-pending", "1");
  });

  it("speaks Persian, with Persian digits", async () => {
    await act(() => i18n.changeLanguage("fa"));
    offlineCore({ mode: "offline", replica: replica({ pending: 12 }), route: { screen: "customers", view: { kind: "list" } } });
    const banner = await screen.findByTestId("offline-banner");
    await waitFor(() => expect(banner).toHaveTextContent(`کار آفلاین با نسخهٔ این لپ‌تاپ — ${formatNumber(12, "fa")} تغییر در انتظار ارسال`));
    expect(banner.textContent).toMatch(/۱۲/);
    expect(within(banner).getByTestId("offline-go-online")).toHaveTextContent("بازگشت به حالت آنلاین");
  });

  it("shows why going online failed, and stays offline", async () => {
    const user = userEvent.setup();
    const fake = fakeTransport({
      "session.get": () => REPLICATOR,
      "customers.list_organisations": () => emptyPage,
      "settings.get_connection": () => connection("offline"),
      "offline.status": () => ({ replica: replica({ pending: 2 }), job: null }),
      "offline.go_online": () => {
        throw apiError("database_unavailable", {}, "could not connect to db.example.com");
      },
    });
    render(<App transport={fake.transport} />);
    await user.click(await screen.findByTestId("offline-go-online"));
    const error = await screen.findByTestId("offline-banner-error");
    expect(error).toHaveTextContent("The database is not available right now.");
    expect(error).toHaveTextContent("could not connect to db.example.com");
    expect(screen.getByTestId("offline-banner")).toBeInTheDocument();
    expect(screen.queryByTestId("sign-in-screen")).toBeNull();
  });
});

describe("the sync after going back online", () => {
  const LIST: Route = { screen: "customers", view: { kind: "list" } };

  it("starts once by itself when changes wait, wherever the window is", async () => {
    const fake = offlineCore({ replica: replica({ pending: 2 }), route: LIST });
    await waitFor(() => expect(fake.callsOf("offline.prepare")).toEqual([{}]));
    // The job runs, is read again, and ends with nothing waiting.
    await waitFor(() => expect(fake.callsOf("offline.status").length).toBeGreaterThanOrEqual(2));
    fake.state.replica = replica({ pending: 0 });
    fake.state.job = finished("done", { report: report({ pushed: 2 }) });
    const reads = fake.callsOf("offline.status").length;
    await waitFor(() => expect(fake.callsOf("offline.status").length).toBeGreaterThan(reads));
    await settle();
    expect(fake.callsOf("offline.prepare")).toHaveLength(1);
  });

  it("is not started again while the changes still wait after a failed round", async () => {
    const fake = offlineCore({ replica: replica({ pending: 2 }), route: LIST });
    await waitFor(() => expect(fake.callsOf("offline.prepare")).toHaveLength(1));
    fake.state.job = finished("failed", { error: apiError("database_unavailable") });
    const reads = fake.callsOf("offline.status").length;
    await waitFor(() => expect(fake.callsOf("offline.status").length).toBeGreaterThan(reads));
    await act(() => new Promise((resolve) => setTimeout(resolve, 700)));
    expect(fake.callsOf("offline.prepare")).toHaveLength(1);
  });

  it("starts nothing when no change waits", async () => {
    const fake = offlineCore({ replica: replica({ pending: 0 }), route: LIST });
    await waitFor(() => expect(fake.callsOf("offline.status")).toHaveLength(1));
    await settle();
    expect(fake.callsOf("offline.prepare")).toEqual([]);
  });

  it("starts nothing while a preparation runs already", async () => {
    const fake = offlineCore({ replica: replica({ pending: 4 }), job: running({ phase: "pushing", pushed: 1 }), route: LIST });
    await waitFor(() => expect(fake.callsOf("offline.status").length).toBeGreaterThanOrEqual(1));
    await settle();
    fake.state.job = finished("done", { report: report({ pushed: 4 }) });
    fake.state.replica = replica({ pending: 0 });
    const reads = fake.callsOf("offline.status").length;
    await waitFor(() => expect(fake.callsOf("offline.status").length).toBeGreaterThan(reads));
    await settle();
    expect(fake.callsOf("offline.prepare")).toEqual([]);
  });

  it("starts nothing without sync.replicate, or offline", async () => {
    const plain = offlineCore({ session: NO_REPLICATE, replica: replica({ pending: 2 }), route: LIST });
    await screen.findByTestId("customers-list");
    await settle();
    expect(plain.callsOf("offline.status")).toEqual([]);
    expect(plain.callsOf("offline.prepare")).toEqual([]);
  });

  it("starts once the person signs in on the server after going online", async () => {
    const user = userEvent.setup();
    const fake = offlineCore({ mode: "offline", replica: replica({ pending: 3 }), route: LIST });
    await screen.findByTestId("offline-banner");
    await settle();
    expect(fake.callsOf("offline.prepare")).toEqual([]);

    await user.click(screen.getByTestId("offline-go-online"));
    await user.type(await screen.findByTestId("sign-in-login"), "anna");
    await user.type(screen.getByTestId("sign-in-password"), "correct horse");
    await user.click(screen.getByTestId("sign-in-submit"));

    await waitFor(() => expect(fake.callsOf("offline.prepare")).toEqual([{}]));
    expect(screen.queryByTestId("offline-banner")).toBeNull();
  });
});

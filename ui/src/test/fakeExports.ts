// Tests only: a fake of the core's exports of records (a saved segment's members or a list's
// rows), for the screens that start and follow them: the Save dialog, starting an export, reading
// how far it got, cancelling it and listing the person's latest. Spread its handlers into
// fakeTransport's, next to the screen's own.

import type { ChooseSaveFileInput, ChosenFile, ExportRecordsInput, ExportSummary, InputOf, OutputOf } from "../api/generated";
import { customField } from "./fakeTransport";

/** An organisations' custom choice: its column is exported with the words for its choices. */
export const REGION = customField({
  key: "region",
  label: "Sales region",
  kind: "choice",
  choices: [
    { key: "north", label: "North", retired: false },
    { key: "south", label: "South", retired: false },
  ],
});
/** An organisations' custom number: its column is exported as it is, without words. */
export const EMPLOYEES = customField({ key: "employees", label: "Employees", kind: "number" });

/** The words an export in English gives the organisation kinds. */
export const KIND_WORDS = { customer: "Customer", prospect: "Prospect", supplier: "Supplier", partner: "Partner" };

/** Where the Save dialog puts the files (by default). */
export const EXPORTS_FOLDER = "/home/anna/Exports";

/** What an export of 127 rows reports once it has written them all. */
export const FINISHED = { status: "finished", written: 127, finished_at: "2026-12-07T09:00:02Z" } as const;

/** When a cancelled export reports it stopped: after it started, and after FINISHED would have been. */
const CANCELLED_AT = "2026-12-07T09:00:03Z";

/** The Save dialog, confirmed: the name it offered, in the exports folder. */
export function savedAs({ name, format }: ChooseSaveFileInput): ChosenFile {
  return { path: `${EXPORTS_FOLDER}/${name}.${format}`, name: `${name}.${format}` };
}

/**
 * An export as the core reports it: of organisations to a workbook named after it in the exports
 * folder, running, nothing written yet of 127 rows; which export it is and of what, the caller says.
 */
export function runningExport({
  id,
  segment_id,
  name,
  ...overrides
}: Pick<ExportSummary, "id" | "segment_id" | "name"> & Partial<ExportSummary>): ExportSummary {
  return {
    id,
    table: "organisations",
    segment_id,
    name,
    file_name: `${name}.xlsx`,
    path: `${EXPORTS_FOLDER}/${name}.xlsx`,
    format: "xlsx",
    status: "running",
    message: null,
    total: 127,
    written: 0,
    cancel_requested: false,
    started_at: "2026-12-07T09:00:00Z",
    finished_at: null,
    ...overrides,
  };
}

/** The file an export was asked to write, as its summary names it. */
export type RequestedFile = Pick<ExportSummary, "name" | "file_name" | "path" | "format">;

/** What the fake core holds, for a `start` that depends on it. */
export type FakeExportsState = {
  /** Every export the core knows, by id, as started: the earlier ones, then those started since. */
  exports: Map<string, ExportSummary>;
  /** How many times `segments.get_export` has answered: the index of the next progress answer. */
  reads: number;
  /** Reads since Cancel (null before it): the first still finds the batch running, the next finds it stopped. */
  readsSinceCancel: number | null;
};

export type FakeExportsOptions = {
  /** What the Save dialog answers (by default: the offered name in the exports folder). */
  chooseFile?: (input: ChooseSaveFileInput) => ChosenFile | Promise<ChosenFile>;
  /** What `segments.get_export` answers in turn over the export read; the last one is repeated. */
  progress?: Partial<ExportSummary>[];
  /** The person's exports from before the window opened, newest first. */
  earlier?: ExportSummary[];
  /** How the core answers `segments.list_exports` (by default: the exports started here, newest first, then the earlier ones). */
  listExports?: (listed: ExportSummary[]) => ExportSummary[] | Promise<ExportSummary[]>;
};

type ExportOperation = "settings.choose_save_file" | "segments.export" | "segments.get_export" | "segments.cancel_export" | "segments.list_exports";

export type ExportHandlers = { [K in ExportOperation]: (input: InputOf<K>) => OutputOf<K> | Promise<OutputOf<K>> };

/**
 * The core's export operations over the person's exports. `start` reports the export the core
 * starts for `segments.export` (or throws, as the core refuses), given the file the request asks
 * for. As the core does, an export asked to cancel stops at its next batch: one more read finds it
 * running (asked to stop), the next finds it cancelled. Listed, each export is as last reported.
 */
export function fakeExports({
  chooseFile = savedAs,
  start,
  progress = [{ written: 50 }, FINISHED],
  earlier = [],
  listExports = (listed) => listed,
}: FakeExportsOptions & {
  start: (file: RequestedFile, input: ExportRecordsInput, state: FakeExportsState) => ExportSummary | Promise<ExportSummary>;
}) {
  const state: FakeExportsState = { exports: new Map(earlier.map((e) => [e.id, e])), reads: 0, readsSinceCancel: null };
  /** Each export as last reported, for the list. */
  const reported = new Map<string, ExportSummary>(earlier.map((e) => [e.id, e]));
  const newestFirst = earlier.map((e) => e.id);
  const report = (summary: ExportSummary) => {
    reported.set(summary.id, summary);
    return summary;
  };
  const progressAt = (read: number) => progress[Math.min(read, progress.length - 1)];

  const handlers: ExportHandlers = {
    "settings.choose_save_file": chooseFile,
    "segments.export": async (input) => {
      const file: RequestedFile = { name: input.name ?? "", file_name: input.path.split("/").at(-1) ?? "", path: input.path, format: input.format };
      const started = await start(file, input, state);
      state.exports.set(started.id, started);
      newestFirst.unshift(started.id);
      return report(started);
    },
    "segments.get_export": ({ id }) => {
      const read = { ...state.exports.get(id)!, ...progressAt(state.reads++) };
      if (state.readsSinceCancel === null || read.status !== "running") return report(read);
      state.readsSinceCancel += 1;
      return report(
        state.readsSinceCancel === 1
          ? { ...read, cancel_requested: true }
          : { ...read, cancel_requested: true, status: "cancelled", finished_at: CANCELLED_AT },
      );
    },
    "segments.cancel_export": ({ id }) => {
      state.readsSinceCancel = 0;
      return report({ ...state.exports.get(id)!, ...progressAt(state.reads), cancel_requested: true });
    },
    "segments.list_exports": () => listExports(newestFirst.map((id) => reported.get(id)!)),
  };
  return { handlers, state };
}

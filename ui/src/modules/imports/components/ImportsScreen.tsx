import type { TFunction } from "i18next";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useClient } from "../../../api/ApiProvider";
import type { ApiError, DateOrder, ImportInput, ImportRow, ImportSummary, InspectedFile } from "../../../api/generated";
import { errorMessage, fieldErrorMessage } from "../../../shared/errors";
import { formatList } from "../../../shared/format";
import { fieldLabel } from "../../../shared/labels";
import { useLanguage } from "../../../shared/useLanguage";
import { useStartImport } from "../hooks/useImports";
import { defaultCountryFor, targetLabel, type ImportTable } from "../labels";
import { mappingErrorsByColumn, missingRequired, planOf, selectionOf, type Selection } from "../plan";
import { ChooseStep } from "./ChooseStep";
import { ImportResult } from "./ImportResult";
import { MappingStep, type MappingErrors } from "./MappingStep";
import { PreviewStep } from "./PreviewStep";
import { RecentImports } from "./RecentImports";

/** The file being imported: where it is, and what the core read of it. */
type ChosenFile = { path: string; name: string; inspected: InspectedFile | null };

/** A preview made, and the plan it was made with (to tell when the settings have changed since). */
type Preview = { rows: ImportRow[]; plan: string; selection: Selection };

/** An import shown: started here (with the plan it was started with) or opened from the list. */
type Shown = { id: string; initial?: ImportSummary; plan: ImportInput | null };

/** What the core's last refusal was about, so its problems show beside the right step. */
type Failure = { error: ApiError; mapping: ImportInput["mapping"] };

/** The problems beside the fields; anything else goes to the banner. */
const SHOWN_FIELDS = ["path", "mapping", "date_order", "defaults.country"];

const STEPS = ["choose", "map", "preview", "run"] as const;

/**
 * Import (CUST-7): organisations or contacts from a CSV file or an Excel workbook. A wizard —
 * the kind and the file; its columns matched to fields, the date order asked when the dates do
 * not show it, the default country of phone numbers; the first rows as they would import; then a
 * dry run or the import, followed as it runs, with what it did, its report, its held duplicates
 * to create and merge, and Undo — above one's recent imports.
 */
export function ImportsScreen() {
  const { t } = useTranslation();
  const language = useLanguage();
  const client = useClient();
  const [table, setTable] = useState<ImportTable>("organisations");
  const [file, setFile] = useState<ChosenFile | null>(null);
  const [opening, setOpening] = useState(false);
  const [selection, setSelection] = useState<string[]>([]);
  const [dateOrder, setDateOrder] = useState<DateOrder | "">("");
  const [dateOrderAsked, setDateOrderAsked] = useState(false);
  // The country typed; until then, the one the window's language suggests.
  const [typedCountry, setTypedCountry] = useState<string | null>(null);
  const country = typedCountry ?? defaultCountryFor(language);
  const [previewing, setPreviewing] = useState(false);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [shown, setShown] = useState<Shown | null>(null);
  const [starting, setStarting] = useState<"dry" | "real" | null>(null);
  const { start } = useStartImport();
  const dateOrderRef = useRef<HTMLSelectElement>(null);
  const previewTitle = useRef<HTMLHeadingElement>(null);
  const resultTitle = useRef<HTMLHeadingElement>(null);
  const errorRef = useRef<HTMLDivElement>(null);
  const focusNext = useRef<"preview" | "result" | "dateOrder" | "error" | null>(null);

  const inspected = file?.inspected ?? null;
  const plan: ImportInput | null = inspected && file ? planOf({ path: file.path, table, selection, dateOrder, country }) : null;
  const planKey = plan ? JSON.stringify(plan) : null;
  const error = failure?.error ?? null;

  // Focus goes where the step that just came is: the preview, the import, the question asked.
  useEffect(() => {
    const next = focusNext.current;
    focusNext.current = null;
    if (next === "preview") previewTitle.current?.focus();
    else if (next === "result") resultTitle.current?.focus();
    else if (next === "dateOrder") dateOrderRef.current?.focus();
    else if (next === "error") errorRef.current?.focus();
  });

  function fail(e: unknown, mapping: ImportInput["mapping"] = []) {
    const apiError = e as ApiError;
    setFailure({ error: apiError, mapping });
    if (apiError.fields.date_order) {
      setDateOrderAsked(true);
      focusNext.current = "dateOrder";
    }
  }

  async function inspect(path: string, name: string, kind: ImportTable) {
    setOpening(true);
    setFailure(null);
    setPreview(null);
    setFile({ path, name, inspected: null });
    try {
      const read = await client.call("imports.inspect", { path, table: kind });
      setFile({ path, name: read.file_name || name, inspected: read });
      setSelection(selectionOf(read));
      setDateOrder("");
      setDateOrderAsked(false);
    } catch (e) {
      fail(e);
    } finally {
      setOpening(false);
    }
  }

  async function chooseFile() {
    setFailure(null);
    try {
      const chosen = await client.call("settings.choose_file", { purpose: "import" });
      // The dialog closed without a file: nothing changes.
      if (!chosen.path) return;
      await inspect(chosen.path, chosen.name ?? chosen.path, table);
    } catch (e) {
      fail(e);
    }
  }

  function changeTable(next: ImportTable) {
    if (next === table) return;
    setTable(next);
    // The fields a column may fill are the kind's: the file is read again for it.
    if (file) void inspect(file.path, file.name, next);
  }

  async function runPreview() {
    if (!plan || previewing) return;
    setPreviewing(true);
    try {
      const result = await client.call("imports.preview", plan);
      setPreview({ rows: result.rows, plan: JSON.stringify(plan), selection });
      setFailure(null);
      focusNext.current = "preview";
    } catch (e) {
      fail(e, plan.mapping);
    } finally {
      setPreviewing(false);
    }
  }

  async function startImport(dryRun: boolean, settings: ImportInput | null = plan) {
    if (!settings || starting) return;
    setStarting(dryRun ? "dry" : "real");
    try {
      const summary = await start({ ...settings, dry_run: dryRun });
      setFailure(null);
      setShown({ id: summary.id, initial: summary, plan: settings });
      focusNext.current = "result";
    } catch (e) {
      fail(e, settings.mapping);
      if (!(e as ApiError).fields.date_order) focusNext.current = "error";
      // Asked for the date order while showing a dry run: back to the settings, where it is asked.
      if ((e as ApiError).fields.date_order) setShown(null);
    } finally {
      setStarting(null);
    }
  }

  /** A setting changed: the core's problems with it are of the settings as they were. */
  function settled(field: string) {
    setFailure((prev) => (prev && Object.keys(prev.error.fields).some((name) => name === field || name.startsWith(`${field}.`)) ? null : prev));
  }

  function startOver() {
    setShown(null);
    setFile(null);
    setSelection([]);
    setDateOrder("");
    setDateOrderAsked(false);
    setPreview(null);
    setFailure(null);
  }

  // The core's problems, in words, beside what they are about.
  const fieldError = (name: string) => error?.fields[name];
  const pathError = fieldError("path");
  const missing = inspected ? missingRequired(inspected.targets, selection) : [];
  const mappingError = fieldError("mapping");
  const columnErrors = mappingErrorsByColumn(error, failure?.mapping ?? []);
  const errors: MappingErrors = {
    mapping: mappingError
      ? mappingError.code === "required" && missing.length > 0
        ? t("imports.errors.mappingRequired", { fields: formatList(missing.map((target) => targetLabel(t, target)), language) })
        : fieldErrorMessage(t, mappingError)
      : null,
    columns: new Map(
      [...columnErrors].map(([column, fe]) => [
        column,
        fe.code === "invalid_value" ? t("imports.errors.mappingTwice") : fe.code === "unknown_field" ? t("imports.errors.mappingUnknown") : fieldErrorMessage(t, fe),
      ]),
    ),
    dateOrder: fieldError("date_order") ? t("imports.errors.dateOrder") : null,
    country: fieldError("defaults.country") ? t("imports.errors.country") : null,
  };
  const others = error
    ? Object.entries(error.fields).filter(([name]) => !SHOWN_FIELDS.includes(name) && !/^mapping\.\d+\./.test(name))
    : [];

  const step = shown ? "run" : preview ? "preview" : inspected ? "map" : "choose";

  return (
    <div className="page imports" data-testid="imports-screen">
      <div className="panel imports-panel">
        <header className="panel-header">
          <h1 className="screen-title">{t("imports.screen.title")}</h1>
        </header>
        <p className="muted imports-intro">{t("imports.screen.intro")}</p>

        <ol className="import-steps" aria-label={t("imports.steps.label")}>
          {STEPS.map((name, i) => (
            <li key={name} className="import-steps-item" aria-current={step === name ? "step" : undefined} data-done={STEPS.indexOf(step) > i || undefined}>
              {t(`imports.steps.${name}`)}
            </li>
          ))}
        </ol>

        {error && (
          <div ref={errorRef} tabIndex={-1} className="banner banner-error" role="alert" data-testid="import-error">
            <p>{error.fields.date_order ? t("imports.errors.dateOrderBanner") : errorMessage(t, error)}</p>
            {others.length > 0 && (
              <ul>
                {others.map(([name, fe]) => (
                  <li key={name}>
                    {fieldLabel(t, name)}: {fieldErrorMessage(t, fe)}
                  </li>
                ))}
              </ul>
            )}
          </div>
        )}

        {shown ? (
          <ImportResult
            key={shown.id}
            id={shown.id}
            initial={shown.initial}
            canRepeat={shown.plan !== null}
            repeating={starting !== null}
            onImportForReal={() => void startImport(false, shown.plan)}
            onBack={
              file?.inspected
                ? () => {
                    setShown(null);
                    setFailure(null);
                  }
                : null
            }
            onNew={startOver}
            titleRef={resultTitle}
          />
        ) : (
          <>
            <ChooseStep
              table={table}
              onTable={changeTable}
              fileName={file?.name ?? null}
              inspected={inspected}
              opening={opening}
              pathError={pathError ? pathMessage(t, pathError.code) : null}
              onChoose={() => void chooseFile()}
            />
            {inspected && (
              <MappingStep
                file={inspected}
                selection={selection}
                onSelect={(column, field) => {
                  setSelection((prev) => prev.map((f, i) => (i === column ? field : f)));
                  settled("mapping");
                }}
                dateOrder={dateOrder}
                onDateOrder={(order) => {
                  setDateOrder(order);
                  settled("date_order");
                }}
                dateOrderAsked={dateOrderAsked}
                dateOrderRef={dateOrderRef}
                country={country}
                onCountry={(text) => {
                  setTypedCountry(text);
                  settled("defaults");
                }}
                errors={errors}
                previewing={previewing}
                onPreview={() => void runPreview()}
              />
            )}
            {inspected && preview && (
              <PreviewStep
                file={inspected}
                selection={preview.selection}
                rows={preview.rows}
                outdated={preview.plan !== planKey}
                starting={starting}
                onStart={(dryRun) => void startImport(dryRun)}
                titleRef={previewTitle}
              />
            )}
          </>
        )}

        <RecentImports
          shownId={shown?.id ?? null}
          onOpen={(summary) => {
            setFailure(null);
            setShown({ id: summary.id, initial: summary, plan: shown?.id === summary.id ? shown.plan : null });
            focusNext.current = "result";
          }}
        />
      </div>
    </div>
  );
}

/** The core's problem with the file chosen, in words: none chosen, or one it cannot read. */
function pathMessage(t: TFunction, code: string): string {
  if (code === "required") return t("imports.errors.pathRequired");
  return t("imports.errors.pathUnreadable");
}

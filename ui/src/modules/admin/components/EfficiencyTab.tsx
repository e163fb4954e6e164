import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { ApiError, EfficiencyInput } from "../../../api/generated";
import { useMutation, useOperation } from "../../../api/useOperation";
import { directionOf } from "../../../i18n";
import { downloadBase64File } from "../../../shared/download";
import { Field } from "../../../shared/ui/Field";
import { useLanguage } from "../../../shared/useLanguage";
import {
  LAST_7_DAYS,
  PERIOD_PRESETS,
  customFromLastWeek,
  efficiencyErrorMessage,
  efficiencyInput,
  periodOf,
  sheetLabels,
  type PeriodChoice,
  type PeriodPreset,
} from "../efficiency";
import { EfficiencyTable } from "./EfficiencyTable";
import { PersonFilter } from "./PersonFilter";

/** Per person in a period: sign-ins, failed sign-ins, audited actions and records changed; an XLSX export. */
export function EfficiencyTab() {
  const { t } = useTranslation();
  const language = useLanguage();
  const [period, setPeriod] = useState<PeriodChoice>(LAST_7_DAYS);
  const [personId, setPersonId] = useState("");
  const [exported, setExported] = useState<string | null>(null);
  const [exportError, setExportError] = useState<ApiError | null>(null);
  // The presets are whole local days: the input stays the same until midnight, so it is not re-sent.
  const range = periodOf(period, new Date(), language);
  const input = range === null ? null : efficiencyInput(range, personId);
  const report = useOperation("audit.efficiency", input);
  // While another period or person loads, the previous one's figures are not shown as this one's.
  const people = report.loading || report.error ? undefined : report.data?.people;
  const error = exportError ?? report.error;

  function forgetExport() {
    setExported(null);
    setExportError(null);
  }

  return (
    <div className="admin-tab" data-testid="admin-efficiency">
      <p className="muted small efficiency-hint">{t("admin.efficiency.hint")}</p>
      <div className="section-toolbar audit-toolbar">
        <PeriodFilter
          value={period}
          onChange={(next) => {
            forgetExport();
            setPeriod(next);
          }}
        />
        <PersonFilter
          value={personId}
          testId="efficiency-person"
          onChange={(next) => {
            forgetExport();
            setPersonId(next);
          }}
        />
        <span className="toolbar-spacer" />
        <ExportButton
          report={people && people.length > 0 ? input : null}
          onExported={(fileName) => {
            setExportError(null);
            setExported(fileName);
          }}
          onFailed={(failure) => {
            setExported(null);
            setExportError(failure);
          }}
        />
      </div>
      {exported && (
        <div className="banner banner-success" role="status" data-testid="efficiency-exported">
          {t("admin.efficiency.exported", { file: exported })}
        </div>
      )}
      {error && (
        <div className="banner banner-error" role="alert" data-testid="efficiency-error">
          <p>{efficiencyErrorMessage(t, error)}</p>
          {/* A period the core refused is not fixed by asking again. */}
          {report.error && report.error.code !== "invalid_input" && (
            <button type="button" className="button" onClick={report.reload}>
              {t("app.retry")}
            </button>
          )}
        </div>
      )}
      {input === null ? (
        <p className="muted">{t("admin.efficiency.chooseDays")}</p>
      ) : people ? (
        <EfficiencyTable people={people} />
      ) : (
        !report.error && <p className="muted">{t("app.loading")}</p>
      )}
    </div>
  );
}

function PeriodFilter({ value, onChange }: { value: PeriodChoice; onChange: (period: PeriodChoice) => void }) {
  const { t } = useTranslation();

  function choose(preset: PeriodPreset) {
    // A custom period starts from what "last 7 days" shows, so the days are never blank.
    onChange(preset === "custom" ? customFromLastWeek(new Date()) : { ...value, preset });
  }

  return (
    <>
      <Field label={t("admin.efficiency.period")} className="audit-filter">
        {(control) => (
          <select
            {...control}
            className="input select-compact"
            data-testid="efficiency-period"
            value={value.preset}
            onChange={(e) => choose(e.target.value as PeriodPreset)}
          >
            {PERIOD_PRESETS.map((preset) => (
              <option key={preset} value={preset}>
                {t(`admin.efficiency.periods.${preset}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      {value.preset === "custom" && (
        <>
          <DayField label={t("admin.efficiency.from")} testId="efficiency-from" value={value.firstDay} onChange={(firstDay) => onChange({ ...value, firstDay })} />
          <DayField label={t("admin.efficiency.to")} testId="efficiency-to" value={value.lastDay} onChange={(lastDay) => onChange({ ...value, lastDay })} />
        </>
      )}
    </>
  );
}

type DayFieldProps = { label: string; testId: string; value: string; onChange: (day: string) => void };

function DayField({ label, testId, value, onChange }: DayFieldProps) {
  return (
    <Field label={label} className="audit-filter">
      {(control) => <input {...control} type="date" className="input" data-testid={testId} value={value} onChange={(e) => onChange(e.target.value)} />}
    </Field>
  );
}

type ExportProps = {
  /** The report on screen; null: nothing to export. */
  report: EfficiencyInput | null;
  onExported: (fileName: string) => void;
  onFailed: (error: ApiError) => void;
};

/** Asks the core for the workbook, worded and laid out for the window's language, and saves it. */
function ExportButton({ report, onExported, onFailed }: ExportProps) {
  const { t } = useTranslation();
  const language = useLanguage();
  const exportReport = useMutation("audit.export_efficiency");

  async function run(input: EfficiencyInput) {
    let file;
    try {
      file = await exportReport.run({
        report: input,
        labels: sheetLabels(t),
        right_to_left: directionOf(language) === "rtl",
        utc_offset_minutes: -new Date().getTimezoneOffset(),
      });
    } catch (e) {
      onFailed(e as ApiError);
      return;
    }
    downloadBase64File(file.file_name, file.content_base64, file.media_type);
    onExported(file.file_name);
  }

  return (
    <button
      type="button"
      className="button"
      data-testid="efficiency-export"
      disabled={report === null || exportReport.pending}
      onClick={() => report && void run(report)}
    >
      {exportReport.pending ? t("admin.efficiency.exporting") : t("admin.efficiency.export")}
    </button>
  );
}

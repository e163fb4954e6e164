import { useTranslation } from "react-i18next";
import type { ExportFormat } from "../../api/generated";
import type { RecordsExport } from "./useRecordsExport";

export const EXPORT_FORMATS: readonly ExportFormat[] = ["csv", "xlsx"];

type Props = {
  exporting: RecordsExport;
  /** Starts the buttons' test ids: `segment-export` gives `segment-export-csv` and `segment-export-xlsx`. */
  testIdPrefix: string;
  /** Nothing to export as shown (a search on a list): both disabled, said why by `describedBy`. */
  disabled?: boolean;
  /** The id of the words that say why the buttons are disabled. */
  describedBy?: string;
};

/**
 * "Export CSV" and "Export Excel (XLSX)": the pressed one says "Exporting…" while the Save dialog
 * is open and while its export runs; neither starts another meanwhile.
 */
export function ExportButtons({ exporting, testIdPrefix, disabled = false, describedBy }: Props) {
  const { t } = useTranslation();
  return (
    <div className="export-buttons" role="group" aria-label={t("export.label")}>
      {EXPORT_FORMATS.map((format) => {
        const running = exporting.running === format;
        return (
          // Not disabled while an export runs: a disabled button would drop the focus it holds.
          <button
            key={format}
            type="button"
            className="button"
            data-testid={`${testIdPrefix}-${format}`}
            disabled={!exporting.ready || disabled}
            aria-disabled={exporting.running !== null || undefined}
            aria-busy={running || undefined}
            aria-describedby={disabled ? describedBy : undefined}
            onClick={() => void exporting.run(format)}
          >
            {running ? t("export.running") : t(`export.${format}`)}
          </button>
        );
      })}
    </div>
  );
}

import { useId } from "react";
import { useTranslation } from "react-i18next";
import type { InspectedFile } from "../../../api/generated";
import { formatNumber } from "../../../shared/format";
import { useLanguage } from "../../../shared/useLanguage";
import { formatDescription, IMPORT_TABLES, isImportTable, type ImportTable } from "../labels";

type Props = {
  table: ImportTable;
  onTable: (table: ImportTable) => void;
  /** The file chosen: its name, and what the core read of it (none while it is read, or when it could not be). */
  fileName: string | null;
  inspected: InspectedFile | null;
  opening: boolean;
  /** The core's problem with the file, in words. */
  pathError: string | null;
  onChoose: () => void;
};

/** Step 1: the kind of record, and the file (the shell's dialog): its name, what it is, about how many rows. */
export function ChooseStep({ table, onTable, fileName, inspected, opening, pathError, onChoose }: Props) {
  const { t } = useTranslation();
  const language = useLanguage();
  const kindId = useId();
  const errorId = useId();
  const rows = inspected?.estimated_rows ?? null;

  return (
    <section className="import-step" aria-labelledby={`${kindId}-title`}>
      <h2 id={`${kindId}-title`} className="section-title">
        {t("imports.steps.choose")}
      </h2>
      <div className="import-choose">
        <div className="field">
          <label htmlFor={kindId} className="field-label">
            {t("imports.choose.kind")}
          </label>
          <select
            id={kindId}
            className="input select-compact"
            data-testid="import-kind"
            value={table}
            onChange={(e) => {
              if (isImportTable(e.target.value)) onTable(e.target.value);
            }}
          >
            {IMPORT_TABLES.map((name) => (
              <option key={name} value={name}>
                {t(`imports.choose.${name}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field import-file">
          <span className="field-label">{t("imports.choose.file")}</span>
          <div className="import-file-line">
            {/* Not disabled while busy: a disabled button would drop the focus it holds. */}
            <button
              type="button"
              className="button"
              data-testid="import-choose-file"
              aria-disabled={opening || undefined}
              aria-busy={opening || undefined}
              aria-describedby={pathError ? errorId : undefined}
              onClick={() => {
                if (!opening) onChoose();
              }}
            >
              {opening ? t("imports.choose.opening") : fileName ? t("imports.choose.another") : t("imports.choose.chooseFile")}
            </button>
            {fileName && (
              <bdi className="import-file-name" data-testid="import-file-name">
                {fileName}
              </bdi>
            )}
          </div>
          {pathError ? (
            <span id={errorId} className="field-error" role="alert" data-testid="import-path-error">
              {pathError}
            </span>
          ) : (
            !fileName && <span className="field-hint">{t("imports.choose.hint")}</span>
          )}
        </div>
      </div>
      {inspected && !pathError && (
        <p className="muted import-file-facts" data-testid="import-file-facts">
          <span data-testid="import-file-format">{formatDescription(t, inspected.format)}</span>
          {" · "}
          <span data-testid="import-file-rows">
            {rows === null ? t("imports.choose.rowsUnknown") : t("imports.choose.rows", { count: rows, total: formatNumber(rows, language) })}
          </span>
          {" · "}
          <span>{t("imports.choose.columns", { count: inspected.headers.length, total: formatNumber(inspected.headers.length, language) })}</span>
        </p>
      )}
    </section>
  );
}

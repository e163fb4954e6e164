import { useId, useMemo } from "react";
import { useTranslation } from "react-i18next";
import type { CustomField, OrganisationKind } from "../../../api/generated";
import { ExportButtons } from "../../../shared/export/ExportButtons";
import { ExportStatus } from "../../../shared/export/ExportStatus";
import { useRecordsExport } from "../../../shared/export/useRecordsExport";
import { listExportColumns, listExportFilter, listExportName } from "../export";

type Props = {
  /** The kind the list is filtered by (every kind: null). */
  kind: OrganisationKind | null;
  /** The list shows the archived organisations, which the core does not export. */
  archived: boolean;
  /** The list shows search hits, which no filter selects. */
  searching: boolean;
  /** The custom fields shown as columns, in their order. */
  columns: readonly CustomField[];
};

/**
 * The organisation list to CSV or Excel, as it is shown: the active organisations of the kind
 * chosen, in the list's columns. A second line of the toolbar (so the buttons never crowd the
 * filters, whatever the language), then how the export goes. Not offered for the archived
 * organisations; while a search shows hits, the buttons wait for the search to be cleared.
 */
export function OrganisationListExport({ kind, archived, searching, columns }: Props) {
  const { t } = useTranslation();
  const hintId = useId();
  const source = useMemo(() => ({ filter: listExportFilter(kind) }), [kind]);
  const shown = useMemo(() => listExportColumns(t, columns), [t, columns]);
  const exporting = useRecordsExport({ table: "organisations", source, name: listExportName(t, kind), columns: shown });
  return (
    <>
      <div className="toolbar list-export-bar">
        {archived ? (
          <p className="muted small list-export-note" data-testid="list-export-archived">
            {t("customers.export.archived")}
          </p>
        ) : (
          <>
            {searching && (
              <p id={hintId} className="muted small list-export-note" data-testid="list-export-hint">
                {t("customers.export.hint")}
              </p>
            )}
            <ExportButtons exporting={exporting} testIdPrefix="list-export" disabled={searching} describedBy={hintId} />
          </>
        )}
      </div>
      <ExportStatus exporting={exporting} testIdPrefix="list-export" />
    </>
  );
}

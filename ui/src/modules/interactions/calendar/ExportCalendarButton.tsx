import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useClient } from "../../../api/ApiProvider";
import type { ApiError } from "../../../api/generated";
import { errorMessage } from "../../../shared/errors";
import { formatNumber } from "../../../shared/format";
import { useLanguage } from "../../../shared/useLanguage";
import { useScheduling } from "../schedule/useScheduling";

/** The file's own name, from the path the core wrote. */
const fileName = (path: string) => path.split(/[\\/]/).pop() ?? path;

/**
 * "Export .ics": the scheduled contacts shown (one person's, or the team's in reach) as an RFC 5545
 * calendar file, saved where the person chooses with the system's Save dialog.
 */
export function ExportCalendarButton({ personName, responsibleId }: { personName: string; responsibleId: string | undefined }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const client = useClient();
  const { notify } = useScheduling();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  async function exportCalendar() {
    if (pending) return;
    setPending(true);
    setError(null);
    try {
      const chosen = await client.call("settings.choose_save_file", { name: t("calendar.exportName", { name: personName }), format: "ics" });
      if (chosen.path === null) return;
      const written = await client.call("interactions.export_calendar", { path: chosen.path, ...(responsibleId ? { responsible_id: responsibleId } : {}) });
      notify(t("calendar.exported", { count: written.events, n: formatNumber(written.events, language), file: chosen.name ?? fileName(written.path) }));
    } catch (e) {
      setError(e as ApiError);
    } finally {
      setPending(false);
    }
  }

  return (
    <>
      <button type="button" className="button" data-testid="calendar-export" aria-disabled={pending || undefined} onClick={() => void exportCalendar()}>
        {pending ? t("calendar.exporting") : t("calendar.export")}
      </button>
      {error && (
        <span className="field-error" role="alert" data-testid="calendar-export-error">
          {errorMessage(t, error)}
        </span>
      )}
    </>
  );
}

import { useId } from "react";
import { useTranslation } from "react-i18next";
import type { ConflictSide } from "../../../api/generated";
import { formatDateTime } from "../../../shared/format";
import { shortId } from "../../../shared/labels";
import { useLanguage } from "../../../shared/useLanguage";
import { useSession } from "../../session/hooks/useSession";
import type { FieldConflict, Side } from "../values";
import { ConflictValue } from "./ConflictValue";

type Props = {
  conflict: FieldConflict;
  side: Side;
  /** Absent: the value cannot be kept from here (a kind this window does not resolve). */
  onKeep?: () => void;
  busy: boolean;
};

/** One value in conflict with who set it, when and on which device, and the button that keeps it. */
export function ConflictSideCard({ conflict, side, onKeep, busy }: Props) {
  const { t } = useTranslation();
  const language = useLanguage();
  const titleId = useId();
  const data = side === "kept" ? conflict.kept : conflict.others[side];
  const which = side === "kept" ? "kept" : "other";
  return (
    <section className={`conflict-side conflict-side-${which}`} data-testid={`conflict-side-${which}`} aria-labelledby={titleId}>
      <h3 className="conflict-side-title" id={titleId}>{t(`conflicts.${which}`)}</h3>
      <div className="conflict-value" data-testid="conflict-value">
        <ConflictValue table={conflict.table} field={conflict.field} value={data.value} />
      </div>
      <dl className="conflict-meta">
        <dt>{t("conflicts.who")}</dt>
        <dd data-testid="conflict-who">
          <Who side={data} />
        </dd>
        <dt>{t("conflicts.when")}</dt>
        <dd data-testid="conflict-when">
          <time dateTime={data.at}>{formatDateTime(data.at, language)}</time>
        </dd>
        <dt>{t("conflicts.device")}</dt>
        <dd data-testid="conflict-device">
          <bdi dir="ltr" title={data.device_id}>
            {shortId(data.device_id)}
          </bdi>
        </dd>
      </dl>
      {onKeep && (
        <button type="button" className="button" data-testid={`conflict-keep-${which}`} disabled={busy} onClick={onKeep}>
          {t("conflicts.keep")}
        </button>
      )}
    </section>
  );
}

/** Who set a value: "you" for the person at the window, a colleague by name, else "someone" (the id in a tooltip). */
function Who({ side }: { side: ConflictSide }) {
  const { t } = useTranslation();
  const { status } = useSession();
  if (status.user && status.user.id === side.actor_id) return <span>{t("conflicts.you")}</span>;
  return <bdi title={side.actor_id}>{side.actor_name ?? t("conflicts.someone")}</bdi>;
}

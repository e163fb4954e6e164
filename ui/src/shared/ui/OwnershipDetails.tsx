import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import type { Colleagues } from "../../api/generated";
import { actorLabel } from "../history/HistorySection";
import { shortId } from "../labels";
import { colleagueName, departmentName, useColleagues } from "../useColleagues";

type Props = { ownerId: string | null; departmentId: string | null };

/**
 * A record's owner and department, as two entries of a details list. Without the directory
 * (refused, or still loading) nothing is shown: the record itself is what the reader came for.
 */
export function OwnershipDetails({ ownerId, departmentId }: Props) {
  const { t } = useTranslation();
  const { data: directory } = useColleagues();
  if (!directory) return null;
  return (
    <>
      <div className="detail" data-testid="record-owner">
        <dt>{t("ownership.owner")}</dt>
        <dd className={ownerId ? undefined : "muted"}>{ownerId ? <Owner t={t} directory={directory} id={ownerId} /> : t("app.none")}</dd>
      </div>
      <div className="detail" data-testid="record-department">
        <dt>{t("ownership.department")}</dt>
        <dd>{departmentId ? <DepartmentName directory={directory} id={departmentId} /> : <Shared t={t} />}</dd>
      </div>
    </>
  );
}

function Owner({ t, directory, id }: { t: TFunction; directory: Colleagues; id: string }) {
  const name = colleagueName(directory, id);
  const { text, title } = actorLabel(t, id, name);
  // A bare id reads left to right; a name takes its own direction.
  const isBareId = !name && title !== undefined;
  return (
    <bdi title={title} dir={isBareId ? "ltr" : undefined}>
      {text}
    </bdi>
  );
}

function DepartmentName({ directory, id }: { directory: Colleagues; id: string }) {
  const name = departmentName(directory, id);
  if (name) return <bdi>{name}</bdi>;
  // A department no longer active is not listed: its id, shortened, says there is one.
  return (
    <bdi dir="ltr" title={id}>
      {shortId(id)}
    </bdi>
  );
}

function Shared({ t }: { t: TFunction }) {
  return <span title={t("ownership.sharedHint")}>{t("ownership.shared")}</span>;
}

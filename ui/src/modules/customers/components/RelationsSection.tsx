import { useTranslation } from "react-i18next";
import type { RelationView } from "../../../api/generated";

export function RelationsSection({ relations, onOpen }: { relations: RelationView[]; onOpen: (id: string) => void }) {
  const { t } = useTranslation();
  if (relations.length === 0) return <p className="empty">{t("card.noRelations")}</p>;
  return (
    <table className="data-table">
      <thead>
        <tr>
          <th>{t("relations.columns.kind")}</th>
          <th>{t("relations.columns.organisation")}</th>
          <th>{t("relations.columns.direction")}</th>
          <th>{t("relations.columns.note")}</th>
        </tr>
      </thead>
      <tbody>
        {relations.map((r) => (
          <tr key={r.id} data-testid="relation-row">
            <td>{t(`relations.${r.direction}.${r.kind}`)}</td>
            <td>
              <button type="button" className="link-button" onClick={() => onOpen(r.other_id)}>
                {r.other_name}
              </button>
            </td>
            <td className="muted">{t(`relations.direction.${r.direction}`)}</td>
            <td>{r.note ?? ""}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

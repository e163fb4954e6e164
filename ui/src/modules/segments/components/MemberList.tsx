import { useTranslation } from "react-i18next";
import type { SegmentMember } from "../../../api/generated";
import { useOpenRecord } from "../../../app/useOpenRecord";
import { titleOr } from "../../../shared/duplicates/labels";
import { TextOrPhone } from "../../../shared/ui/Phone";
import type { SegmentTable } from "../labels";

/**
 * Members by name, each opening the card that shows it (an organisation's own, a contact's
 * organisation's), with what search shows under the name (a city, an email, a phone).
 */
export function MemberList({ table, members, label }: { table: SegmentTable; members: readonly SegmentMember[]; label: string }) {
  const { t } = useTranslation();
  const open = useOpenRecord(table);
  if (members.length === 0) return null;
  return (
    <ul className="segment-member-list" aria-label={label}>
      {members.map((member) => (
        <li key={member.id} className="segment-member">
          <button
            type="button"
            className="link-button"
            data-testid="segment-member"
            data-id={member.id}
            aria-description={t("segments.members.opens")}
            onClick={() => void open(member.id)}
          >
            <bdi>{titleOr(t, member.title)}</bdi>
          </button>
          {member.subtitle && (
            <span className="muted small">
              <TextOrPhone text={member.subtitle} />
            </span>
          )}
        </li>
      ))}
    </ul>
  );
}

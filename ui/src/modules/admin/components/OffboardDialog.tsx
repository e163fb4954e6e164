import { useState } from "react";
import { Trans, useTranslation } from "react-i18next";
import type { ApiError, OffboardedUser, OffboardUserInput, UserView } from "../../../api/generated";
import { useMutation } from "../../../api/useOperation";
import { fieldErrorFor, fieldErrorMessage } from "../../../shared/errors";
import { formatList } from "../../../shared/format";
import { recordCount } from "../../../shared/labels";
import { ConfirmDialog } from "../../../shared/ui/ConfirmDialog";
import { Field } from "../../../shared/ui/Field";
import { useLanguage } from "../../../shared/useLanguage";
import { offboardError } from "../labels";

/** A finished offboarding, with the colleague who took over (null: nobody did). */
export type Offboarding = { result: OffboardedUser; heir: UserView | null };

type Props = {
  user: UserView;
  /** Everyone who could take over: active, and not the departing user. */
  heirs: UserView[];
  /** The departing user holds the administrator role. */
  administrator: boolean;
  onDone: (offboarding: Offboarding) => void;
  onCancel: () => void;
};

function offboardInput(userId: string, heirId: string): OffboardUserInput {
  return heirId === "" ? { user_id: userId } : { user_id: userId, reassign_to: heirId };
}

/** Deactivates a departing user, after asking who, if anyone, takes over their open records. */
export function OffboardDialog({ user, heirs, administrator, onDone, onCancel }: Props) {
  const { t } = useTranslation();
  const [heirId, setHeirId] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  const offboard = useMutation("security.offboard_user");
  const heirError = fieldErrorFor(error, "reassign_to");
  const problem = error && !heirError ? offboardError(t, error, { name: user.display_name, administrator }) : null;

  async function confirm() {
    try {
      const result = await offboard.run(offboardInput(user.id, heirId));
      onDone({ result, heir: heirs.find((h) => h.id === heirId) ?? null });
    } catch (e) {
      setError(e as ApiError);
    }
  }

  return (
    <ConfirmDialog
      title={t("admin.users.deactivateTitle", { name: user.display_name })}
      body={t("admin.users.deactivateBody", { name: user.display_name })}
      confirmLabel={t("admin.users.deactivate")}
      danger
      busy={offboard.pending}
      error={problem && [problem.message, problem.detail].filter(Boolean).join(" ")}
      onConfirm={() => void confirm()}
      onCancel={onCancel}
      testIds={{ dialog: "offboard-dialog", confirm: "offboard-confirm", cancel: "offboard-cancel" }}
    >
      <p className="muted">{t("admin.users.offboard.handOverHint")}</p>
      <Field
        label={t("admin.users.offboard.heir")}
        error={heirError ? fieldErrorMessage(t, heirError) : undefined}
        errorTestId="offboard-heir-error"
      >
        {(control) => (
          <select
            {...control}
            className="input"
            data-testid="offboard-heir"
            value={heirId}
            onChange={(e) => {
              setHeirId(e.target.value);
              setError(null);
            }}
          >
            <option value="">{t("admin.users.offboard.keep")}</option>
            {heirs.map((h) => (
              <option key={h.id} value={h.id}>
                {h.display_name}
              </option>
            ))}
          </select>
        )}
      </Field>
    </ConfirmDialog>
  );
}

/**
 * "Anna was deactivated. 3 organisations and 5 contacts went to Boris.", and, for who may read
 * the audit log (`onOpenAudit`), the way to the audit of everything Anna did.
 */
export function OffboardNotice({ offboarding: { result, heir }, onOpenAudit }: { offboarding: Offboarding; onOpenAudit?: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="banner banner-success">
      <p role="status" data-testid="offboard-done">
        <Trans t={t} i18nKey="admin.users.offboard.done" values={{ name: result.user.display_name }} components={{ person: <bdi /> }} />
        {heir && (
          <>
            {" "}
            <HandedOver result={result} heir={heir} />
          </>
        )}
      </p>
      {onOpenAudit && (
        <button type="button" className="button" data-testid="offboard-open-audit" onClick={onOpenAudit}>
          {t("admin.users.offboard.openAudit")}
        </button>
      )}
    </div>
  );
}

function HandedOver({ result, heir }: { result: OffboardedUser; heir: UserView }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const counts = result.reassigned.filter((r) => r.count > 0).map((r) => recordCount(t, r.table, r.count, language));
  if (counts.length === 0) return t("admin.users.offboard.nothingHandedOver");
  return (
    <Trans
      t={t}
      i18nKey="admin.users.offboard.handedOver"
      values={{ records: formatList(counts, language), heir: heir.display_name }}
      components={{ person: <bdi /> }}
    />
  );
}

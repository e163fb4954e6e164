import { useTranslation } from "react-i18next";
import type { ApiError, UserView } from "../../../api/generated";
import { useMutation } from "../../../api/useOperation";
import { ConfirmDialog } from "../../../shared/ui/ConfirmDialog";

type Props = {
  user: UserView;
  onDone: (user: UserView) => void;
  onFailed: (error: ApiError) => void;
  onCancel: () => void;
};

/** Turns off a user's two-factor sign-in (a lost phone), after asking whether it is really them. */
export function ResetTwoFactorDialog({ user, onDone, onFailed, onCancel }: Props) {
  const { t } = useTranslation();
  const reset = useMutation("security.reset_two_factor");

  async function confirm() {
    try {
      onDone(await reset.run({ user_id: user.id }));
    } catch (e) {
      onFailed(e as ApiError);
    }
  }

  return (
    <ConfirmDialog
      title={t("admin.users.resetTwoFactorTitle", { name: user.display_name })}
      body={t("admin.users.resetTwoFactorBody", { name: user.display_name })}
      confirmLabel={t("admin.users.resetTwoFactor")}
      danger
      busy={reset.pending}
      onConfirm={() => void confirm()}
      onCancel={onCancel}
      testIds={{ dialog: "reset-two-factor-dialog", confirm: "reset-two-factor-confirm", cancel: "reset-two-factor-cancel" }}
    />
  );
}

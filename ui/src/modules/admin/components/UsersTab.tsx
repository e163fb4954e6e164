import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { ApiError, RoleView, UserView } from "../../../api/generated";
import { useMutation } from "../../../api/useOperation";
import { errorMessage } from "../../../shared/errors";
import { formatDateTime } from "../../../shared/format";
import { RowAction } from "../../../shared/ui/RowAction";
import { useLanguage } from "../../../shared/useLanguage";
import { useDepartments, useRefreshAdministration, useRoles, useUsers } from "../hooks/useAdministration";
import { resetTwoFactorError, roleLabel, userChangeError } from "../labels";
import { NewUserForm } from "./NewUserForm";
import { OffboardDialog, OffboardNotice, type Offboarding } from "./OffboardDialog";
import { ResetTwoFactorDialog } from "./ResetTwoFactorDialog";

type Problem = { message: string; detail: string | null };

type Props = {
  /** Opens the audit of a user's work; absent when the signed-in user may not read the audit log. */
  onOpenAudit?: (userId: string) => void;
};

export function UsersTab({ onOpenAudit }: Props) {
  const { t } = useTranslation();
  const users = useUsers();
  const roles = useRoles();
  const departments = useDepartments();
  const refresh = useRefreshAdministration();
  const [creating, setCreating] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [offboarded, setOffboarded] = useState<Offboarding | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  // The role just chosen for a user, shown while the change is saved and the list read again.
  const [chosenRoles, setChosenRoles] = useState<Record<string, string>>({});
  const [offboarding, setOffboarding] = useState<UserView | null>(null);
  const [resettingTwoFactor, setResettingTwoFactor] = useState<UserView | null>(null);
  const setUserRole = useMutation("security.set_user_role");
  const roleList = roles.data?.roles ?? [];

  function clearNotices() {
    setNotice(null);
    setOffboarded(null);
  }

  async function changeRole(user: UserView, roleId: string) {
    clearNotices();
    setProblem(null);
    setChosenRoles((prev) => ({ ...prev, [user.id]: roleId }));
    try {
      const changed = await setUserRole.run({ user_id: user.id, role_id: roleId });
      const role = roleList.find((r) => r.id === changed.role_id);
      setNotice(t("admin.users.roleChanged", { name: changed.display_name, role: role ? roleLabel(t, role) : changed.role_name }));
      await refresh();
    } catch (e) {
      setProblem(userChangeError(t, e as ApiError));
    } finally {
      setChosenRoles(({ [user.id]: _, ...rest }) => rest);
    }
  }

  function twoFactorReset(user: UserView) {
    setResettingTwoFactor(null);
    setNotice(t("admin.users.twoFactorReset", { name: user.display_name }));
    void refresh();
  }

  function twoFactorResetFailed(user: UserView, error: ApiError) {
    setResettingTwoFactor(null);
    setProblem(resetTwoFactorError(t, error, user.display_name));
    // Refused because it is off already: the list shows it so.
    if (error.code === "conflict") void refresh();
  }

  function showOffboarded(done: Offboarding) {
    setOffboarding(null);
    setOffboarded(done);
    void refresh();
  }

  return (
    <div className="admin-tab" data-testid="admin-users-tab">
      <div className="section-toolbar">
        <span className="toolbar-spacer" />
        {!creating && (
          <button
            type="button"
            className="button button-primary"
            data-testid="admin-new-user"
            onClick={() => {
              clearNotices();
              setCreating(true);
            }}
          >
            {t("admin.users.newUser")}
          </button>
        )}
      </div>

      {creating && (
        <NewUserForm
          roles={roles.data}
          departments={departments.data}
          onCreated={(user) => {
            setCreating(false);
            clearNotices();
            setNotice(t("admin.users.created", { login: user.login }));
            void refresh();
          }}
          onCancel={() => setCreating(false)}
        />
      )}

      {notice && (
        <div className="banner banner-success" role="status" data-testid="admin-users-notice">
          {notice}
        </div>
      )}
      {offboarded && (
        <OffboardNotice offboarding={offboarded} onOpenAudit={onOpenAudit && (() => onOpenAudit(offboarded.result.user.id))} />
      )}
      {problem && <ProblemBanner problem={problem} testId="admin-users-error" />}
      {users.error && <ProblemBanner problem={{ message: errorMessage(t, users.error), detail: null }} testId="admin-users-load-error" />}

      {users.data ? (
        users.data.length === 0 ? (
          <p className="empty">{t("admin.users.empty")}</p>
        ) : (
          <table className="data-table" data-testid="admin-users">
            <thead>
              <tr>
                <th scope="col">{t("admin.users.columns.login")}</th>
                <th scope="col">{t("admin.users.columns.displayName")}</th>
                <th scope="col">{t("admin.users.columns.role")}</th>
                <th scope="col">{t("admin.users.columns.status")}</th>
                <th scope="col">{t("admin.users.columns.lastSignIn")}</th>
                <th scope="col">
                  <abbr title={t("session.twoFactor.title")}>{t("admin.users.columns.twoFactor")}</abbr>
                </th>
                <th scope="col">{t("admin.users.columns.actions")}</th>
              </tr>
            </thead>
            <tbody>
              {users.data.map((user) => (
                <UserRow
                  key={user.id}
                  user={user}
                  roles={roleList}
                  chosenRole={chosenRoles[user.id]}
                  onRoleChange={(roleId) => void changeRole(user, roleId)}
                  onDeactivate={() => {
                    clearNotices();
                    setOffboarding(user);
                  }}
                  onResetTwoFactor={() => {
                    clearNotices();
                    setProblem(null);
                    setResettingTwoFactor(user);
                  }}
                />
              ))}
            </tbody>
          </table>
        )
      ) : (
        !users.error && <p className="muted">{t("app.loading")}</p>
      )}

      {offboarding && (
        <OffboardDialog
          user={offboarding}
          heirs={(users.data ?? []).filter((u) => u.active && u.id !== offboarding.id)}
          administrator={roleList.some((r) => r.id === offboarding.role_id && r.grants_all)}
          onDone={showOffboarded}
          onCancel={() => setOffboarding(null)}
        />
      )}

      {resettingTwoFactor && (
        <ResetTwoFactorDialog
          user={resettingTwoFactor}
          onDone={twoFactorReset}
          onFailed={(error) => twoFactorResetFailed(resettingTwoFactor, error)}
          onCancel={() => setResettingTwoFactor(null)}
        />
      )}
    </div>
  );
}

function UserRow({
  user,
  roles,
  chosenRole,
  onRoleChange,
  onDeactivate,
  onResetTwoFactor,
}: {
  user: UserView;
  roles: RoleView[];
  chosenRole: string | undefined;
  onRoleChange: (roleId: string) => void;
  onDeactivate: () => void;
  onResetTwoFactor: () => void;
}) {
  const { t } = useTranslation();
  const language = useLanguage();
  const role = roles.find((r) => r.id === user.role_id);
  const roleName = role ? roleLabel(t, role) : user.role_name;

  return (
    <tr data-testid={`user-row-${user.login}`} data-active={user.active}>
      <td>
        <bdi dir="ltr" className="mono">
          {user.login}
        </bdi>
      </td>
      <td>{user.display_name}</td>
      <td>
        {user.active && roles.length > 0 ? (
          <select
            className="input select-compact"
            aria-label={t("admin.users.roleOf", { name: user.display_name })}
            data-testid={`user-role-${user.login}`}
            value={chosenRole ?? user.role_id}
            disabled={chosenRole !== undefined}
            onChange={(e) => onRoleChange(e.target.value)}
          >
            {roles.map((r) => (
              <option key={r.id} value={r.id}>
                {roleLabel(t, r)}
              </option>
            ))}
          </select>
        ) : (
          roleName
        )}
      </td>
      <td data-testid={`user-status-${user.login}`}>
        {!user.active ? (
          <span className="badge badge-archived">{t("admin.users.inactive")}</span>
        ) : user.locked_until ? (
          <span className="badge badge-locked">{t("admin.users.lockedUntil", { time: formatDateTime(user.locked_until, language) })}</span>
        ) : (
          <span className="badge badge-customer">{t("admin.users.active")}</span>
        )}
      </td>
      <td>{user.last_sign_in_at ? formatDateTime(user.last_sign_in_at, language) : <span className="muted">{t("admin.users.never")}</span>}</td>
      <td data-testid="user-two-factor" data-enabled={user.two_factor}>
        {user.two_factor ? (
          <span className="badge badge-customer">{t("admin.users.twoFactorOn")}</span>
        ) : (
          <span className="muted">{t("admin.users.twoFactorOff")}</span>
        )}
      </td>
      <td className="row-actions">
        {user.two_factor && (
          <RowAction
            testId="reset-two-factor"
            label={t("admin.users.resetTwoFactorOne", { name: user.display_name })}
            onClick={onResetTwoFactor}
          >
            {t("admin.users.resetTwoFactor")}
          </RowAction>
        )}
        {user.active && (
          <RowAction
            testId={`deactivate-${user.login}`}
            label={t("admin.users.deactivateOne", { name: user.display_name })}
            onClick={onDeactivate}
          >
            {t("admin.users.deactivate")}
          </RowAction>
        )}
      </td>
    </tr>
  );
}

function ProblemBanner({ problem, testId }: { problem: Problem; testId: string }) {
  return (
    <div className="banner banner-error" role="alert" data-testid={testId}>
      <p>{problem.message}</p>
      {problem.detail && (
        <p className="small" dir="auto">
          {problem.detail}
        </p>
      )}
    </div>
  );
}

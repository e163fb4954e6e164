import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { ApiError, RoleView, Visibility } from "../../../api/generated";
import { useMutation } from "../../../api/useOperation";
import { errorMessage } from "../../../shared/errors";
import { formatNumber } from "../../../shared/format";
import { UnshownFieldErrors } from "../../../shared/ui/UnshownFieldErrors";
import { useLanguage } from "../../../shared/useLanguage";
import { hasPermission, useSession } from "../../session/hooks/useSession";
import { useRefreshAdministration, useRoles, useSetCachedRole, type RoleChange } from "../hooks/useAdministration";
import { permissionLabel, roleLabel } from "../labels";

/** The permission matrix: a row per permission, a column per role. */
export function RolesTab() {
  const { t } = useTranslation();
  const language = useLanguage();
  const { status } = useSession();
  const roles = useRoles();
  const refresh = useRefreshAdministration();
  const setCached = useSetCachedRole();
  const save = useMutation("security.set_role_permissions");
  const saveVisibility = useMutation("security.set_role_visibility");
  const [savingRole, setSavingRole] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const canEdit = hasPermission(status.user, "roles.manage");

  async function toggle(role: RoleView, permission: string, granted: boolean) {
    // The core replaces the role's whole list, so the list sent is the role's every permission afterwards.
    const permissions = granted
      ? [...new Set([...role.permissions, permission])].sort()
      : role.permissions.filter((p) => p !== permission);
    await saveRole(role, () => save.run({ role_id: role.id, permissions }), { permissions });
  }

  async function changeVisibility(role: RoleView, visibility: Visibility) {
    await saveRole(role, () => saveVisibility.run({ role_id: role.id, visibility }), { visibility });
  }

  async function saveRole(role: RoleView, send: () => Promise<null>, change: RoleChange) {
    setError(null);
    setSavingRole(role.id);
    try {
      await send();
      setCached(role.id, change);
      await refresh();
    } catch (e) {
      setError(e as ApiError);
    } finally {
      setSavingRole(null);
    }
  }

  if (!roles.data)
    return roles.error ? (
      <div className="banner banner-error" role="alert">
        {errorMessage(t, roles.error)}
      </div>
    ) : (
      <p className="muted">{t("app.loading")}</p>
    );

  const { roles: columns, permissions } = roles.data;
  return (
    <div className="admin-tab">
      {!canEdit && (
        <div className="banner" role="status" data-testid="roles-read-only">
          {t("admin.roles.readOnly")}
        </div>
      )}
      {error && (
        <div className="banner banner-error" role="alert" data-testid="roles-error">
          <p>{errorMessage(t, error)}</p>
          <UnshownFieldErrors error={error} shown={[]} />
        </div>
      )}
      <div className="matrix-scroll">
        <table className="data-table role-matrix" data-testid="admin-roles">
          <thead>
            <tr>
              <th scope="col">{t("admin.roles.permission")}</th>
              {columns.map((role) => (
                <th key={role.id} scope="col" className="matrix-role" data-testid={`role-${role.built_in ?? role.id}`}>
                  <span className="matrix-role-name">{roleLabel(t, role)}</span>
                  <span className="muted small">
                    {t("admin.roles.usersCount", { count: role.active_users, total: formatNumber(role.active_users, language) })}
                  </span>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            <VisibilityRow
              roles={columns}
              canEdit={canEdit}
              savingRole={savingRole}
              onChange={(role, visibility) => void changeVisibility(role, visibility)}
            />
            {permissions.map((permission) => (
              <tr key={permission}>
                <th scope="row" className="matrix-permission">
                  <span>{permissionLabel(t, permission)}</span>
                  <bdi dir="ltr" className="mono muted">
                    {permission}
                  </bdi>
                </th>
                {columns.map((role) => {
                  const label = t("admin.roles.toggle", { permission: permissionLabel(t, permission), role: roleLabel(t, role) });
                  // Disabled controls get no hover events in every engine: the reason sits on the cell.
                  const why = role.grants_all ? t("admin.roles.administratorAll") : !canEdit ? t("admin.roles.readOnly") : undefined;
                  return (
                    <td key={role.id} className="matrix-cell" title={why}>
                      <input
                        type="checkbox"
                        aria-label={label}
                        data-testid={`perm-${role.built_in ?? role.id}-${permission}`}
                        checked={role.grants_all || role.permissions.includes(permission)}
                        disabled={role.grants_all || !canEdit || savingRole === role.id}
                        onChange={(e) => void toggle(role, permission, e.target.checked)}
                      />
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

const VISIBILITIES = ["own", "department", "all"] as const satisfies readonly Visibility[];

/** How far each role sees: a select per role, the administrator's fixed at all records. */
function VisibilityRow({
  roles,
  canEdit,
  savingRole,
  onChange,
}: {
  roles: RoleView[];
  canEdit: boolean;
  savingRole: string | null;
  onChange: (role: RoleView, visibility: Visibility) => void;
}) {
  const { t } = useTranslation();
  return (
    <tr className="matrix-visibility">
      <th scope="row" className="matrix-permission">
        {t("admin.roles.visibility.label")}
      </th>
      {roles.map((role) => {
        // As for the checkboxes: a disabled control gets no hover events, the reason sits on the cell.
        const why = role.grants_all ? t("admin.roles.visibility.administratorAll") : !canEdit ? t("admin.roles.readOnly") : undefined;
        return (
          <td key={role.id} className="matrix-cell" title={why}>
            <select
              className="input select-compact"
              aria-label={t("admin.roles.visibility.of", { role: roleLabel(t, role) })}
              data-testid={`visibility-${role.built_in ?? role.id}`}
              value={role.grants_all ? "all" : role.visibility}
              disabled={role.grants_all || !canEdit || savingRole === role.id}
              onChange={(e) => onChange(role, e.target.value as Visibility)}
            >
              {VISIBILITIES.map((v) => (
                <option key={v} value={v}>
                  {t(`admin.roles.visibility.${v}`)}
                </option>
              ))}
            </select>
          </td>
        );
      })}
    </tr>
  );
}

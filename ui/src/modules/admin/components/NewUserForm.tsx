import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { ApiError, Department, RoleList, UserView } from "../../../api/generated";
import { useMutation } from "../../../api/useOperation";
import { errorMessage, fieldErrorFor, fieldErrorMessage } from "../../../shared/errors";
import { Field } from "../../../shared/ui/Field";
import { UnshownFieldErrors } from "../../../shared/ui/UnshownFieldErrors";
import { departmentTree, indentedName } from "../departments";
import { roleLabel } from "../labels";

const NEW_USER_FIELDS = ["login", "display_name", "password", "role_id", "department_id"] as const;

type Props = {
  roles: RoleList | undefined;
  departments: Department[] | undefined;
  onCreated: (user: UserView) => void;
  onCancel: () => void;
};

export function NewUserForm({ roles, departments, onCreated, onCancel }: Props) {
  const { t } = useTranslation();
  const [login, setLogin] = useState("");
  const [displayName, setDisplayName] = useState("");
  const [password, setPassword] = useState("");
  // null: the default, the built-in "new user" role, which sees no business data until given another.
  const [roleId, setRoleId] = useState<string | null>(null);
  const [departmentId, setDepartmentId] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  const create = useMutation("security.create_user");
  const newcomer = roles?.roles.find((r) => r.built_in === "newcomer");
  const chosenRole = roleId ?? newcomer?.id ?? null;

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (create.pending) return;
    try {
      const user = await create.run({
        login,
        display_name: displayName,
        password,
        role_id: chosenRole,
        department_id: departmentId === "" ? null : departmentId,
      });
      onCreated(user);
    } catch (err) {
      setError(err as ApiError);
    }
  }

  const fieldError = (name: string) => {
    const fe = fieldErrorFor(error, name);
    return fe ? fieldErrorMessage(t, fe) : undefined;
  };

  return (
    <form className="subform" noValidate autoComplete="off" data-testid="admin-new-user-form" onSubmit={(e) => void submit(e)}>
      <h3 className="subform-title">{t("admin.users.newTitle")}</h3>
      {error && (
        <div className="banner banner-error" role="alert" data-testid="new-user-error">
          <p>{errorMessage(t, error)}</p>
          <UnshownFieldErrors error={error} shown={NEW_USER_FIELDS} />
        </div>
      )}
      <div className="form-grid">
        <Field label={t("admin.users.login")} error={fieldError("login")} errorTestId="new-user-login-error" required requiredLabel={t("form.required")}>
          {(control) => (
            <input
              {...control}
              className="input"
              dir="ltr"
              autoCapitalize="none"
              spellCheck={false}
              autoFocus
              data-testid="new-user-login"
              value={login}
              onChange={(e) => setLogin(e.target.value)}
            />
          )}
        </Field>
        <Field
          label={t("admin.users.displayName")}
          error={fieldError("display_name")}
          errorTestId="new-user-name-error"
          required
          requiredLabel={t("form.required")}
        >
          {(control) => (
            <input {...control} className="input" data-testid="new-user-name" value={displayName} onChange={(e) => setDisplayName(e.target.value)} />
          )}
        </Field>
        <Field
          label={t("admin.users.initialPassword")}
          hint={t("admin.users.initialPasswordHint")}
          error={fieldError("password")}
          errorTestId="new-user-password-error"
          required
          requiredLabel={t("form.required")}
        >
          {(control) => (
            <input
              {...control}
              className="input"
              type="password"
              dir="ltr"
              autoComplete="new-password"
              data-testid="new-user-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          )}
        </Field>
        <Field label={t("admin.users.role")} hint={t("admin.users.roleHint")} error={fieldError("role_id")} errorTestId="new-user-role-error">
          {(control) => (
            <select
              {...control}
              className="input"
              data-testid="new-user-role"
              value={chosenRole ?? ""}
              disabled={!roles}
              onChange={(e) => setRoleId(e.target.value)}
            >
              {!roles && <option value="">{t("app.loading")}</option>}
              {roles?.roles.map((r) => (
                <option key={r.id} value={r.id}>
                  {roleLabel(t, r)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t("admin.users.department")} error={fieldError("department_id")} errorTestId="new-user-department-error">
          {(control) => (
            <select
              {...control}
              className="input"
              data-testid="new-user-department"
              value={departmentId}
              onChange={(e) => setDepartmentId(e.target.value)}
            >
              <option value="">{t("admin.users.noDepartment")}</option>
              {departmentTree(departments ?? []).map((node) => (
                <option key={node.department.id} value={node.department.id}>
                  {indentedName(node)}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <div className="subform-actions">
        <button type="button" className="button" data-testid="new-user-cancel" onClick={onCancel}>
          {t("admin.users.cancel")}
        </button>
        <button type="submit" className="button button-primary" data-testid="new-user-submit" disabled={create.pending}>
          {create.pending ? t("admin.users.creating") : t("admin.users.create")}
        </button>
      </div>
    </form>
  );
}

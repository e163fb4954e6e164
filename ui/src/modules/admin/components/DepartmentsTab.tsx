import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { ApiError } from "../../../api/generated";
import { useMutation } from "../../../api/useOperation";
import { errorMessage, fieldErrorFor, fieldErrorMessage } from "../../../shared/errors";
import { Field } from "../../../shared/ui/Field";
import { UnshownFieldErrors } from "../../../shared/ui/UnshownFieldErrors";
import { departmentTree, indentedName } from "../departments";
import { useDepartments, useRefreshAdministration } from "../hooks/useAdministration";

const DEPARTMENT_FIELDS = ["name", "parent_id"] as const;

export function DepartmentsTab() {
  const { t } = useTranslation();
  const departments = useDepartments();
  const refresh = useRefreshAdministration();
  const create = useMutation("security.create_department");
  const [name, setName] = useState("");
  const [parentId, setParentId] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const tree = departmentTree(departments.data ?? []);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (create.pending) return;
    setNotice(null);
    try {
      const created = await create.run({ name, parent_id: parentId === "" ? null : parentId });
      setError(null);
      setName("");
      setNotice(t("admin.departments.created", { name: created.name }));
      await refresh();
    } catch (err) {
      setError(err as ApiError);
    }
  }

  const fieldError = (field: string) => {
    const fe = fieldErrorFor(error, field);
    return fe ? fieldErrorMessage(t, fe) : undefined;
  };

  return (
    <div className="admin-tab">
      {departments.error && (
        <div className="banner banner-error" role="alert">
          {errorMessage(t, departments.error)}
        </div>
      )}
      {departments.data ? (
        tree.length === 0 ? (
          <p className="empty" data-testid="admin-departments">
            {t("admin.departments.empty")}
          </p>
        ) : (
          <ul className="department-tree" data-testid="admin-departments">
            {tree.map(({ department, depth }) => (
              <li
                key={department.id}
                className="department"
                data-testid={`department-${department.id}`}
                data-depth={depth}
                style={{ paddingInlineStart: `${8 + depth * 20}px` }}
              >
                {depth > 0 && (
                  <span className="department-branch" aria-hidden="true">
                    └
                  </span>
                )}
                {department.name}
              </li>
            ))}
          </ul>
        )
      ) : (
        !departments.error && <p className="muted">{t("app.loading")}</p>
      )}

      <form className="subform" noValidate autoComplete="off" data-testid="new-department-form" onSubmit={(e) => void submit(e)}>
        <h3 className="subform-title">{t("admin.departments.newTitle")}</h3>
        {notice && (
          <div className="banner banner-success" role="status">
            {notice}
          </div>
        )}
        {error && (
          <div className="banner banner-error" role="alert" data-testid="new-department-error">
            <p>{errorMessage(t, error)}</p>
            <UnshownFieldErrors error={error} shown={DEPARTMENT_FIELDS} />
          </div>
        )}
        <div className="form-grid">
          <Field label={t("admin.departments.name")} error={fieldError("name")} errorTestId="new-department-name-error" required requiredLabel={t("form.required")}>
            {(control) => (
              <input {...control} className="input" data-testid="new-department-name" value={name} onChange={(e) => setName(e.target.value)} />
            )}
          </Field>
          <Field label={t("admin.departments.parent")} error={fieldError("parent_id")} errorTestId="new-department-parent-error">
            {(control) => (
              <select {...control} className="input" data-testid="new-department-parent" value={parentId} onChange={(e) => setParentId(e.target.value)}>
                <option value="">{t("admin.departments.noParent")}</option>
                {tree.map((node) => (
                  <option key={node.department.id} value={node.department.id}>
                    {indentedName(node)}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
        <div className="subform-actions">
          <button type="submit" className="button button-primary" data-testid="new-department-submit" disabled={create.pending}>
            {create.pending ? t("admin.departments.creating") : t("admin.departments.create")}
          </button>
        </div>
      </form>
    </div>
  );
}

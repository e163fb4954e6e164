// Users, roles and departments, read through TanStack Query so the three tabs share them (the
// users tab needs the roles and departments for its selects) and a change reloads them all.

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback } from "react";
import { useClient } from "../../../api/ApiProvider";
import type { RoleList, RoleView } from "../../../api/generated";
import { COLLEAGUES_KEY } from "../../../shared/useColleagues";

const ADMIN_KEY = ["admin"] as const;
const USERS_KEY = [...ADMIN_KEY, "users"] as const;
export const ROLES_KEY = [...ADMIN_KEY, "roles"] as const;
const DEPARTMENTS_KEY = [...ADMIN_KEY, "departments"] as const;

/** Every user, the deactivated ones too (they stay on the list, marked). */
export function useUsers() {
  const client = useClient();
  return useQuery({
    queryKey: USERS_KEY,
    queryFn: async () => (await client.call("security.list_users", { include_inactive: true })).users,
  });
}

export function useRoles() {
  const client = useClient();
  return useQuery({ queryKey: ROLES_KEY, queryFn: () => client.call("security.list_roles", {}) });
}

export function useDepartments() {
  const client = useClient();
  return useQuery({
    queryKey: DEPARTMENTS_KEY,
    queryFn: async () => (await client.call("security.list_departments", {})).departments,
  });
}

/**
 * Marks everything administration shows out of date: a change to a user moves the roles'
 * user counts, a new department appears in the users' select, and a new or departed user
 * changes the names the cards show for owners.
 */
export function useRefreshAdministration() {
  const queryClient = useQueryClient();
  return useCallback(
    () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: ADMIN_KEY }),
        queryClient.invalidateQueries({ queryKey: COLLEAGUES_KEY }),
      ]),
    [queryClient],
  );
}

export type RoleChange = Partial<Pick<RoleView, "permissions" | "visibility">>;

/** Shows a role's change at once, before the roles are read again. */
export function useSetCachedRole() {
  const queryClient = useQueryClient();
  return useCallback(
    (roleId: string, change: RoleChange) =>
      queryClient.setQueryData<RoleList>(ROLES_KEY, (list) =>
        list && { ...list, roles: list.roles.map((r) => (r.id === roleId ? { ...r, ...change } : r)) },
      ),
    [queryClient],
  );
}

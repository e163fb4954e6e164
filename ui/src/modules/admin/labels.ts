// Names of what the core's security knows, in the window's language: built-in roles and
// permissions by key; a custom role by the name it was given, an unknown permission by its key.

import type { TFunction } from "i18next";
import type { ApiError, BuiltInRole, Permission, RoleView } from "../../api/generated";
import { i18n } from "../../i18n";
import { errorMessage } from "../../shared/errors";

type LooseT = (key: string) => string;

/** The locale key of a permission: "customers.read" → "permissions.customers_read". */
export function permissionKey(permission: Permission | string): `permissions.${string}` {
  return `permissions.${permission.replace(/\./g, "_")}`;
}

export function permissionLabel(t: TFunction, permission: string): string {
  const key = permissionKey(permission);
  return i18n.exists(key) ? (t as unknown as LooseT)(key) : permission;
}

export function roleLabel(t: TFunction, role: Pick<RoleView, "built_in" | "name">): string {
  if (role.built_in === null) return role.name;
  const key: `roles.${BuiltInRole}` = `roles.${role.built_in}`;
  return i18n.exists(key) ? (t as unknown as LooseT)(key) : role.name;
}

/**
 * A refused change to a user, for a banner or dialog. `conflict` here is the core keeping its
 * last active administrator (the generic "someone changed this record" would mislead); the
 * core's own sentence follows, since it names the rule.
 */
export function userChangeError(t: TFunction, error: ApiError): { message: string; detail: string | null } {
  if (error.code === "conflict") return { message: t("admin.users.lastAdministrator"), detail: error.message || null };
  return { message: errorMessage(t, error), detail: null };
}

/**
 * A refused offboarding, for its dialog. `conflict` means the core kept its last active
 * administrator when the departing user is one, and otherwise that someone deactivated them first.
 */
export function offboardError(
  t: TFunction,
  error: ApiError,
  departing: { name: string; administrator: boolean },
): { message: string; detail: string | null } {
  if (error.code !== "conflict" || departing.administrator) return userChangeError(t, error);
  return { message: t("admin.users.offboard.alreadyDeactivated", { name: departing.name }), detail: null };
}

/** A refused reset of a user's two-factor sign-in. `conflict`: it was off already (turned off meanwhile). */
export function resetTwoFactorError(t: TFunction, error: ApiError, name: string): { message: string; detail: string | null } {
  if (error.code === "conflict") return { message: t("admin.users.twoFactorAlreadyOff", { name }), detail: null };
  return { message: errorMessage(t, error), detail: null };
}

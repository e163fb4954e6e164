// Who sits at the window. The SessionGate owns the status and every change to it, so the cache
// is dropped in one place whenever the person changes; screens read it through useSession().

import { createContext, useContext } from "react";
import type { CreateUserInput, Permission, SessionStatus, SessionUser, SignInInput } from "../../../api/generated";

export type Session = {
  status: SessionStatus;
  /** Rejects with the core's ApiError (`sign_in_failed`, `account_locked`, `second_factor_required`…). */
  signIn: (input: SignInInput) => Promise<void>;
  signOut: () => Promise<void>;
  /** Rejects with the core's ApiError; on success the window is signed in as the new administrator. */
  createFirstAdministrator: (input: CreateUserInput) => Promise<void>;
  /** Reads the status again (after the core said the session ended, say). */
  refresh: () => Promise<void>;
};

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error("useSession needs a <SessionGate> above it");
  return session;
}

/**
 * Whether the signed-in user holds `permission`. Only a courtesy: the window hides what the core
 * would refuse anyway. Nobody signed in (a database without users) grants nothing here, since
 * what needs a permission check in the window needs a person to hold it.
 */
export function hasPermission(user: SessionUser | null, permission: Permission): boolean {
  if (!user) return false;
  return user.all_permissions || user.permissions.includes(permission);
}

import { useQueryClient } from "@tanstack/react-query";
import { Fragment, useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { useApiErrorObserver, useClient } from "../../../api/ApiProvider";
import type { ApiError, CreateUserInput, NoInput, SessionStatus, SignInInput } from "../../../api/generated";
import { useNavigation } from "../../../app/navigation";
import { errorMessage } from "../../../shared/errors";
import { SessionContext, type Session } from "../hooks/useSession";
import { SignInScreen } from "./SignInScreen";

const NO_INPUT: NoInput = {};

/**
 * Shows the app only to whoever may use it: on a database with users, the sign-in screen until
 * someone signs in. Whenever the person at the window changes, the query cache is dropped and
 * the app is mounted afresh, so nobody sees what the previous person had open or loaded.
 */
export function SessionGate({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const client = useClient();
  const queryClient = useQueryClient();
  const { showList } = useNavigation();
  const [status, setStatus] = useState<SessionStatus | null>(null);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  // The core ended the session under the window (expired, or the account was deactivated).
  const [sessionEnded, setSessionEnded] = useState(false);
  // Changes with the person: the key that remounts the app.
  const [generation, setGeneration] = useState(0);
  // Who the last status named: undefined before the first one, null for nobody.
  const userId = useRef<string | null | undefined>(undefined);
  const refreshing = useRef<Promise<void> | null>(null);

  const adopt = useCallback(
    (next: SessionStatus, { ended = false }: { ended?: boolean } = {}) => {
      const previous = userId.current;
      const nextId = next.user?.id ?? null;
      userId.current = nextId;
      if (previous !== undefined && previous !== nextId) {
        queryClient.clear();
        setGeneration((g) => g + 1);
      }
      setSessionEnded(ended && previous !== undefined && previous !== null && nextId === null);
      setStatus(next);
      setLoadError(null);
    },
    [queryClient],
  );

  const readStatus = useCallback(
    (ended: boolean) => {
      // Several calls failing together ask once.
      refreshing.current ??= client
        .call("session.get", NO_INPUT)
        .then((next) => adopt(next, { ended }), setLoadError)
        .finally(() => {
          refreshing.current = null;
        });
      return refreshing.current;
    },
    [client, adopt],
  );
  const refresh = useCallback(() => readStatus(false), [readStatus]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  // Any call, from any screen, that the core refuses because the session is over: ask who is
  // signed in now, which brings the sign-in screen back.
  useApiErrorObserver((op, error) => {
    if (error.code === "signed_out" && op !== "session.get") void readStatus(true);
  });

  const actions = useMemo<Omit<Session, "status">>(
    () => ({
      refresh,
      signIn: async (input: SignInInput) => adopt(await client.call("session.sign_in", input)),
      createFirstAdministrator: async (input: CreateUserInput) =>
        adopt(await client.call("session.create_first_administrator", input)),
      signOut: async () => {
        try {
          adopt(await client.call("session.sign_out", NO_INPUT));
        } catch {
          // The window must not look signed in when it may not be: ask the shell.
          await refresh();
        }
        // The next person starts from the list, not from the screen the last one left open.
        showList();
      },
    }),
    [refresh, adopt, client, showList],
  );
  const session = useMemo<Session | null>(() => (status ? { status, ...actions } : null), [status, actions]);

  if (!status) {
    return (
      <div className="session-screen" aria-busy={loadError ? undefined : "true"}>
        <div className="panel session-card">
          <h1 className="session-brand">{t("app.name")}</h1>
          {loadError ? (
            <div className="banner banner-error" role="alert" data-testid="session-error">
              <p>{t("session.loadFailed")}</p>
              <p className="small">{errorMessage(t, loadError)}</p>
              <button type="button" className="button" onClick={() => void refresh()}>
                {t("app.retry")}
              </button>
            </div>
          ) : (
            <p className="muted">{t("app.loading")}</p>
          )}
        </div>
      </div>
    );
  }

  const signInNeeded = status.has_users && !status.user;
  return (
    <SessionContext.Provider value={session}>
      {signInNeeded ? <SignInScreen sessionEnded={sessionEnded} /> : <Fragment key={generation}>{children}</Fragment>}
    </SessionContext.Provider>
  );
}

import { I18nextProvider } from "react-i18next";
import type { Transport } from "../api/client";
import { ApiProvider } from "../api/ApiProvider";
import { i18n } from "../i18n";
import { SessionGate } from "../modules/session/components/SessionGate";
import { AppFrame } from "./AppFrame";
import { NavigationProvider, type Route } from "./navigation";

/** The whole window; the transport is injected (Tauri in the app, a fake in tests). */
export function App({ transport, initialRoute }: { transport: Transport; initialRoute?: Route }) {
  return (
    <I18nextProvider i18n={i18n}>
      <ApiProvider transport={transport}>
        <NavigationProvider initial={initialRoute}>
          <SessionGate>
            <AppFrame />
          </SessionGate>
        </NavigationProvider>
      </ApiProvider>
    </I18nextProvider>
  );
}

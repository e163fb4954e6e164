import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import "vazirmatn/Vazirmatn-Variable-font-face.css";
import "./styles.css";
import { tauriTransport } from "./api/transport";
import { App } from "./app/App";
import "./i18n";

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <App transport={tauriTransport} />
  </StrictMode>,
);

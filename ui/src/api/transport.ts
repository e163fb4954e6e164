// The desktop shell's single command: `api` resolves with the operation's output or rejects
// with the core's ApiError object.

import { invoke } from "@tauri-apps/api/core";
import type { Transport } from "./client";

export const tauriTransport: Transport = (op, input) => invoke("api", { op, input });

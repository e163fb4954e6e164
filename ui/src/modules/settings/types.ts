// TEMPORARY mirror of the settings operations until `accord codegen` adds them to
// api/generated.ts; then this file goes and the generated types are used directly.

export type ConnectionMode = "embedded" | "server";

export type ConnectionSettings = {
  mode: ConnectionMode;
  database_path: string | null;
  server_url: string | null;
  server_user: string | null;
};

export type ConnectServerInput = { url: string; user: string; password: string };

export interface SettingsOperations {
  "settings.get_connection": { input: Record<string, never>; output: ConnectionSettings };
  "settings.connect_server": { input: ConnectServerInput; output: ConnectionSettings };
  "settings.use_embedded": { input: Record<string, never>; output: ConnectionSettings };
}

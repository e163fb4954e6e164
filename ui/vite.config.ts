/// <reference types="vitest/config" />
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// The Tauri shell loads `ui/dist` (tauri.conf.json `frontendDist`) and, in development,
// the dev server on port 1420.
export default defineConfig({
  base: "./",
  plugins: [react()],
  clearScreen: false,
  server: { port: 1420, strictPort: true },
  // The bundle is read from the app's own files, not a network: one ~550 kB chunk (the phone
  // metadata is ~80 kB of it) costs nothing to fetch, so the web-page warning limit is raised.
  build: { outDir: "dist", target: "es2022", emptyOutDir: true, chunkSizeWarningLimit: 800 },
  test: {
    environment: "jsdom",
    setupFiles: ["./src/test/setup.ts"],
    css: false,
    restoreMocks: true,
  },
});

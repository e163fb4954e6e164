// Starts the real Accord window through tauri-driver (which drives WebKitWebDriver) with a
// fresh, empty app-data folder, and gives back a WebdriverIO browser for it.
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import net from "node:net";
import { remote } from "webdriverio";

const PORT = Number(process.env.ACCORD_E2E_DRIVER_PORT ?? 4444);

function waitForPort(port, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const socket = net.connect(port, "127.0.0.1");
      socket.once("connect", () => {
        socket.end();
        resolve();
      });
      socket.once("error", () => {
        socket.destroy();
        if (Date.now() > deadline) reject(new Error(`tauri-driver did not listen on ${port}`));
        else setTimeout(attempt, 100);
      });
    };
    attempt();
  });
}

/**
 * Launches the app on an empty home of its own (XDG folders), so each run is a first start.
 * Returns { browser, home, dataDir, stop }.
 */
export async function launch({ application, tauriDriver, home = mkdtempSync(join(tmpdir(), "accord-e2e-")) }) {
  const env = {
    ...process.env,
    XDG_DATA_HOME: join(home, "data"),
    XDG_CONFIG_HOME: join(home, "config"),
    XDG_CACHE_HOME: join(home, "cache"),
    // Blank screenshots otherwise (PLATFORM.md).
    WEBKIT_DISABLE_DMABUF_RENDERER: "1",
  };
  // The native port is explicit: tauri-driver's default (4445) collides with a second driver.
  const args = ["--port", String(PORT), "--native-port", String(PORT + 100), "--native-driver", "/usr/bin/WebKitWebDriver"];
  const driver = spawn(tauriDriver, args, {
    env,
    stdio: ["ignore", "inherit", "inherit"],
  });
  let browser;
  try {
    await waitForPort(PORT, 20_000);
    browser = await remote({
      hostname: "127.0.0.1",
      port: PORT,
      logLevel: "warn",
      connectionRetryCount: 0,
      capabilities: {
        "tauri:options": { application },
        "wdio:enforceWebDriverClassic": true,
      },
    });
  } catch (error) {
    driver.kill("SIGTERM");
    throw error;
  }
  await browser.setTimeout({ implicit: 0 });
  const stop = async () => {
    try {
      await browser.deleteSession();
    } finally {
      driver.kill("SIGTERM");
    }
  };
  return { browser, home, dataDir: join(home, "data", "accord"), stop };
}

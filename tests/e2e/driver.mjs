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
        if (Date.now() > deadline) reject(new Error(`nothing listened on ${port} (tauri-driver or WebKitWebDriver)`));
        else setTimeout(attempt, 100);
      });
    };
    attempt();
  });
}

function portIsFree(port) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/** A previous run's driver may still be shutting down: wait for its ports. */
async function waitForFreePorts(ports, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (const port of ports) {
    while (!(await portIsFree(port))) {
      if (Date.now() > deadline) throw new Error(`port ${port} stays in use (another WebDriver running?)`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

/** Stops the driver and everything it started (WebKitWebDriver, the app), and waits for it. */
function stopDriver(driver) {
  if (driver.exitCode !== null || driver.signalCode !== null) return Promise.resolve();
  const exited = new Promise((resolve) => driver.once("exit", resolve));
  try {
    process.kill(-driver.pid, "SIGTERM");
  } catch {
    driver.kill("SIGTERM");
  }
  return exited;
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
  const nativePort = PORT + 100;
  await waitForFreePorts([PORT, nativePort], 30_000);
  // Its own process group, so stopping it also stops WebKitWebDriver and the app.
  const driver = spawn(tauriDriver, args, {
    env,
    detached: true,
    stdio: ["ignore", "inherit", "inherit"],
  });
  let browser;
  try {
    await waitForPort(PORT, 20_000);
    // tauri-driver listens before the WebKitWebDriver it starts does; a session asked for in
    // between fails with "connection refused" (seen in CI), so wait for both.
    await waitForPort(nativePort, 20_000);
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
    await stopDriver(driver);
    throw error;
  }
  await browser.setTimeout({ implicit: 0 });
  const stop = async () => {
    try {
      await browser.deleteSession();
    } finally {
      await stopDriver(driver);
    }
  };
  return { browser, home, dataDir: join(home, "data", "accord"), stop };
}

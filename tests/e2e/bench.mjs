// Benchmark of the real desktop window over 100,000 seeded organisations:
//  1. start → usable list: process start of accord-desktop (/proc) → the list's first page
//     rendered (data-ready-at, or an in-page MutationObserver on data-ready when absent);
//  2. keystroke → results: search prefixes typed key by key with WebDriver; last keydown
//     (captured in the page) → data-results-for = the text (data-results-at when present),
//     split at the moment the search request leaves the page (after the debounce);
//  3. memory: RSS of accord-desktop and all its descendants (WebKit web/network processes)
//     right after start and after scrolling the whole list; time of the full scroll.
// Prints a table and one JSON line (prefix "BENCH_JSON "). Targets are reported, not asserted.
//
// Env: ACCORD_APP (default release accord-desktop if built, else debug), ACCORD_CLI,
// ACCORD_BENCH_RUNS (launches, default 5), ACCORD_BENCH_HOME (seeded home, cached),
// ACCORD_BENCH_ORGS (100000), ACCORD_BENCH_QUERIES (24), ACCORD_BENCH_KEY_DELAY_MS (90),
// ACCORD_E2E_DRIVER_PORT (default 4447 here; WebKitWebDriver on that + 100), TAURI_DRIVER.
// Run inside Xvfb + dbus-run-session + unlocked keyring: see README.md.
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

// tauri-driver on 4444 (WebKitWebDriver on 4544) belongs to the e2e run.
process.env.ACCORD_E2E_DRIVER_PORT ??= "4447";
const { launch } = await import("./driver.mjs");

const HOME = process.env.HOME;
const targetDir = process.env.CARGO_TARGET_DIR ?? join(HOME, ".cache/accord/target");
const release = join(targetDir, "release/accord-desktop");
const application = process.env.ACCORD_APP ?? (existsSync(release) ? release : join(targetDir, "debug/accord-desktop"));
const cliNextToApp = join(dirname(application), "accord");
const cli = process.env.ACCORD_CLI ?? (existsSync(cliNextToApp) ? cliNextToApp : join(targetDir, "debug/accord"));
const cargoDriver = join(HOME, ".cargo/bin/tauri-driver");
const tauriDriver = process.env.TAURI_DRIVER ?? (existsSync(cargoDriver) ? cargoDriver : "tauri-driver");
const RUNS = Number(process.env.ACCORD_BENCH_RUNS ?? 5);
const ORGS = Number(process.env.ACCORD_BENCH_ORGS ?? 100_000);
const QUERIES = Number(process.env.ACCORD_BENCH_QUERIES ?? 24);
const KEY_DELAY = Number(process.env.ACCORD_BENCH_KEY_DELAY_MS ?? 90);
const benchHome = process.env.ACCORD_BENCH_HOME ?? join(HOME, ".cache/accord/bench-home");
const PAGE = 200;
const ROW_HEIGHT = 32; // ui OrganisationList ROW_HEIGHT: the spacer is rows × 32 px high
const WAIT = 60_000;

const CLK_TCK = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim());
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (xs) => quantile(xs, 0.5);
function quantile(xs, q) {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  return s[lo] + (s[Math.min(lo + 1, s.length - 1)] - s[lo]) * (pos - lo);
}
const ms = (x) => (Number.isFinite(x) ? `${x.toFixed(1)} ms` : "n/a");
const mb = (kb) => `${(kb / 1024).toFixed(1)} MB`;

// ---------------------------------------------------------------- seeded database (cached)
const dbOf = (home) => `sqlite:${join(home, "data/accord/accord.sqlite3")}`;
function ensureSeeded() {
  const marker = join(benchHome, `.seeded-orgs-${ORGS}-contacts-0-seed-42`);
  if (existsSync(marker)) return;
  console.log(`seeding ${ORGS} organisations into ${benchHome} …`);
  rmSync(benchHome, { recursive: true, force: true });
  mkdirSync(join(benchHome, "data/accord"), { recursive: true });
  const out = execFileSync(cli, ["--db", dbOf(benchHome), "seed", "--orgs", String(ORGS), "--contacts", "0"], { encoding: "utf8" });
  console.log(out.trim());
  writeFileSync(marker, `${new Date().toISOString()} ${cli}\n`);
}
function accord(op, input) {
  return JSON.parse(execFileSync(cli, ["--db", dbOf(benchHome), "op", op, "--json", JSON.stringify(input)], { encoding: "utf8", maxBuffer: 64 << 20 }));
}

/** Search prefixes drawn from names in the database: Latin, Cyrillic and Persian, 3–5 letters. */
function queries() {
  // Pages that start at a given name: the keyset cursor is hex JSON {key, id} (the CLI's own
  // format); if that ever changes, fall back to the first page each way.
  const cursor = (key) => Buffer.from(JSON.stringify({ key, id: "00000000-0000-0000-0000-000000000000" })).toString("hex");
  const names = (starts, extra) => {
    const out = [];
    for (const key of starts) {
      try {
        out.push(...accord("customers.list_organisations", { limit: 100, after: cursor(key) }).items.map((o) => o.name));
      } catch {
        out.push(...accord("customers.list_organisations", { limit: 500, ...extra }).items.map((o) => o.name));
      }
    }
    return out;
  };
  const scripts = [
    { re: /^\p{Script=Latin}+$/u, names: names(["A", "G", "M", "S"], {}) },
    { re: /^\p{Script=Cyrillic}+$/u, names: names(["А", "Г", "М", "С"], {}) },
    { re: /^\p{Script=Arabic}+$/u, names: names(["ا", "ب", "ش", "م"], { direction: "desc" }) },
  ];
  const perScript = Math.ceil(QUERIES / scripts.length);
  const picked = scripts.map(({ re, names: list }) => {
    const words = [...new Set(list.flatMap((n) => n.split(/[^\p{L}]+/u)).filter((w) => w.length >= 4 && re.test(w)))];
    const prefixes = [];
    for (let i = 0; prefixes.length < perScript && i < words.length * 3; i++) {
      const word = words[i % words.length];
      const p = word.slice(0, 3 + (Math.floor(i / words.length) % 3)).toLowerCase();
      if (!prefixes.includes(p)) prefixes.push(p);
    }
    return prefixes;
  });
  const out = [];
  for (let i = 0; out.length < QUERIES && i < perScript; i++) for (const p of picked) if (p[i] && out.length < QUERIES) out.push(p[i]);
  return out;
}

// ---------------------------------------------------------------- processes
function children() {
  const map = new Map();
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, "utf8");
      const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      const ppid = Number(rest[1]);
      if (!map.has(ppid)) map.set(ppid, []);
      map.get(ppid).push({ pid: Number(d), comm, starttime: Number(rest[19]) });
    } catch {
      // gone meanwhile
    }
  }
  return map;
}
function descendants(pid, map = children()) {
  const out = [];
  const walk = (p) => {
    for (const c of map.get(p) ?? []) {
      out.push(c);
      walk(c.pid);
    }
  };
  walk(pid);
  return out;
}
/** Our accord-desktop: the one under this node process (wrapper → tauri-driver → WebKitWebDriver). */
function appProcess() {
  const apps = descendants(process.pid).filter((p) => p.comm === "accord-desktop");
  if (apps.length !== 1) throw new Error(`expected one accord-desktop under this process, found ${apps.length}`);
  return apps[0];
}
/** Process start as epoch ms: boot time from /proc/uptime (10 ms) rather than btime (whole s). */
function startEpoch(proc) {
  const before = Date.now();
  const uptime = Number(readFileSync("/proc/uptime", "utf8").split(" ")[0]);
  const boot = (before + Date.now()) / 2 - uptime * 1000;
  return boot + (proc.starttime * 1000) / CLK_TCK;
}
function rssKb(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}
function treeRss(app) {
  const procs = [app, ...descendants(app.pid)];
  const parts = procs.map((p) => ({ comm: p.comm, pid: p.pid, kb: rssKb(p.pid) }));
  return { kb: parts.reduce((s, p) => s + p.kb, 0), parts };
}

// ---------------------------------------------------------------- in-page instrumentation
/** Installed once the list exists: timestamps (epoch ms, performance clock) of data-ready and
 *  data-results-for changes, capturing keydowns, and each IPC call (the Tauri callback map's
 *  `set` is called by invoke() right before the message is posted; the callback runs on reply). */
function instrument() {
  const now = () => performance.timeOrigin + performance.now();
  const find = () => document.querySelector('[data-testid="customers-list"]');
  const b = (window.__accordBench = { installedAt: now(), timeOrigin: performance.timeOrigin, readyAt: null, results: [], keys: [], ipc: [] });
  b.readyAtInstall = find()?.getAttribute("data-ready") === "true";
  const seen = () => {
    const list = find();
    if (!list) return;
    if (b.readyAt === null && list.getAttribute("data-ready") === "true") b.readyAt = now();
    const text = list.getAttribute("data-results-for");
    if (text !== null) {
      const last = b.results[b.results.length - 1];
      if (!last || last.text !== text) b.results.push({ text, at: now(), attrAt: Number(list.getAttribute("data-results-at")) || null });
    }
  };
  // On the whole document: the first script may run before the list is even mounted.
  new MutationObserver(seen).observe(document.documentElement, {
    subtree: true,
    attributes: true,
    attributeFilter: ["data-ready", "data-results-for", "data-results-at", "data-ready-at"],
  });
  document.addEventListener("keydown", (e) => b.keys.push({ key: e.key, at: now() }), true);
  const callbacks = window.__TAURI_INTERNALS__?.callbacks;
  if (callbacks && typeof callbacks.set === "function") {
    const set = callbacks.set;
    let pairs = 0;
    callbacks.set = function (id, fn) {
      // invoke() registers two callbacks (resolve, reject) per call: one entry per pair.
      const entry = pairs++ % 2 === 0 ? { sent: now(), replied: null } : null;
      if (entry) b.ipc.push(entry);
      const mine = entry ?? b.ipc[b.ipc.length - 1];
      return set.call(this, id, (data) => {
        if (mine && mine.replied === null) mine.replied = now();
        return fn(data);
      });
    };
    b.ipcHooked = true;
  }
  return { installedAt: b.installedAt, timeOrigin: b.timeOrigin, readyAtInstall: b.readyAtInstall, ipcHooked: !!b.ipcHooked };
}

// ---------------------------------------------------------------- one launch
const portInUse = (port) =>
  new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => (socket.end(), resolve(true)));
    socket.once("error", () => (socket.destroy(), resolve(false)));
  });
/** The previous launch's tauri-driver and WebKitWebDriver must have let go of their ports. */
async function portsFree() {
  const port = Number(process.env.ACCORD_E2E_DRIVER_PORT);
  const ports = [port, port + 100]; // driver.mjs puts WebKitWebDriver on PORT + 100
  for (let i = 0; i < 100; i++) {
    if (!(await Promise.all(ports.map(portInUse))).some(Boolean)) return;
    await sleep(100);
  }
  throw new Error(`ports ${ports.join(", ")} still in use (another bench running?)`);
}
/** launch(), again if the session could not be made: tauri-driver listens before its
 *  WebKitWebDriver does, and then the first session request fails. */
async function launchRetrying(options) {
  for (let attempt = 1; ; attempt++) {
    await portsFree();
    try {
      return await launch(options);
    } catch (error) {
      if (attempt >= 3) throw error;
      console.log(`  (session not created, retrying: ${String(error.message).split("\n")[0]})`);
      await sleep(2000);
    }
  }
}

async function oneRun(index, { search, scroll, prefixes }) {
  const home = mkdtempSync(join(tmpdir(), "accord-bench-"));
  cpSync(benchHome, home, { recursive: true });
  const result = { run: index + 1 };
  const sessionAt = Date.now();
  const app = await launchRetrying({ application, tauriDriver, home });
  const { browser } = app;
  try {
    const proc = appProcess();
    result.pid = proc.pid;
    const started = startEpoch(proc);
    const inst = await browser.execute(instrument); // as early as WebDriver allows (after load)
    await browser.waitUntil(async () => (await browser.execute(() => document.querySelector('[data-testid="customers-list"]').getAttribute("data-ready"))) === "true", {
      timeout: WAIT,
      interval: 10,
      timeoutMsg: "the list never became ready",
    });
    const page = await browser.execute(() => {
      const b = window.__accordBench;
      const list = document.querySelector('[data-testid="customers-list"]');
      return { readyAt: b.readyAt, readyAtAttr: Number(list.getAttribute("data-ready-at")) || null, rows: list.firstElementChild.offsetHeight / 32 };
    });
    let readyAt;
    if (page.readyAtAttr) [readyAt, result.readySource] = [page.readyAtAttr, "data-ready-at"];
    else if (!inst.readyAtInstall && page.readyAt) [readyAt, result.readySource] = [page.readyAt, "observer"];
    else [readyAt, result.readySource] = [inst.installedAt, "ready before first script (upper bound)"];
    result.startToReady = readyAt - started;
    result.startToNavigation = inst.timeOrigin - started;
    result.navigationToReady = readyAt - inst.timeOrigin;
    result.sessionToStart = started - sessionAt;
    result.firstPageRows = page.rows;
    await sleep(300);
    result.rssAfterStart = treeRss(proc);

    if (search) result.search = await measureSearch(browser, prefixes, inst.ipcHooked);
    if (scroll) {
      result.scroll = await scrollToEnd(browser);
      await sleep(1000);
      result.rssAfterScroll = treeRss(proc);
    }
  } finally {
    await app.stop().catch(() => {});
    await sleep(500);
    rmSync(home, { recursive: true, force: true });
  }
  return result;
}

async function measureSearch(browser, prefixes, ipcHooked) {
  const box = await browser.$('[data-testid="customers-search"]');
  const out = [];
  for (const text of prefixes) {
    // Empty box, back to the plain list, then type the prefix like a person (one key at a time).
    await browser.execute(() => {
      const b = window.__accordBench;
      b.keys.length = 0;
      b.results.length = 0;
      b.ipc.length = 0;
    });
    await box.click();
    for (const ch of text) {
      await box.addValue(ch);
      await sleep(KEY_DELAY);
    }
    await browser.waitUntil(async () => (await browser.execute(() => window.__accordBench.results.map((r) => r.text))).includes(text), {
      timeout: WAIT,
      interval: 20,
      timeoutMsg: `no results for "${text}"`,
    });
    await sleep(50); // let the reply callback and late entries settle
    const b = await browser.execute(() => window.__accordBench);
    const lastKey = b.keys[b.keys.length - 1].at;
    const hit = b.results.find((r) => r.text === text);
    const shown = hit.attrAt ?? hit.at;
    const sent = b.ipc.filter((c) => c.sent >= lastKey && c.sent <= shown);
    const call = sent[sent.length - 1];
    const hits = await browser.execute(() => document.querySelectorAll('[data-testid="org-row"]').length);
    out.push({
      text,
      keys: b.keys.length,
      typed: Array.from(text).length,
      total: shown - lastKey,
      debounce: ipcHooked && call ? call.sent - lastKey : NaN,
      afterDebounce: ipcHooked && call ? shown - call.sent : NaN,
      ipc: ipcHooked && call && call.replied ? call.replied - call.sent : NaN,
      render: ipcHooked && call && call.replied ? shown - call.replied : NaN,
      source: hit.attrAt ? "data-results-at" : "observer",
      rowsShown: hits,
    });
    // Erase with real keys (clearValue does not reach React's onChange; browser.keys, i.e.
    // W3C actions, takes the app down under WebKitWebDriver here), back to the plain list.
    await box.addValue("\uE003".repeat(Array.from(text).length)); // Backspace
    await browser.waitUntil(
      async () => browser.execute(() => {
        const list = document.querySelector('[data-testid="customers-list"]');
        const box = document.querySelector('[data-testid="customers-search"]');
        return box.value === "" && !list.hasAttribute("data-results-for") && list.firstElementChild.offsetHeight / 32 >= 200;
      }),
      { timeout: WAIT, timeoutMsg: `the search box did not go back to the plain list after "${text}"` },
    );
    await sleep(250);
  }
  return out;
}

async function scrollToEnd(browser) {
  await browser.setTimeout({ script: 20 * 60_000 });
  return browser.executeAsync((expected, done) => {
    const list = document.querySelector('[data-testid="customers-list"]');
    const rows = () => Math.round(list.firstElementChild.offsetHeight / 32);
    const t0 = performance.now();
    let last = rows();
    let lastGrowth = t0;
    const step = () => {
      list.scrollTop = list.scrollHeight;
      const n = rows();
      const t = performance.now();
      if (n !== last) [last, lastGrowth] = [n, t];
      if (n >= expected || t - lastGrowth > 5000) {
        const lastRow = [...document.querySelectorAll('[data-testid="org-row"]')].pop();
        done({ rows: n, ms: (n >= expected ? t : lastGrowth) - t0, stalled: n < expected, lastName: lastRow?.querySelector(".cell-strong")?.textContent ?? null });
      } else requestAnimationFrame(step);
    };
    step();
  }, ORGS);
}

// ---------------------------------------------------------------- main
ensureSeeded();
const prefixes = queries();
const kind = application.includes("/release/") ? "release" : application.includes("/debug/") ? "debug" : "custom";
console.log(`app: ${application} (${kind})\ncli: ${cli}\nseeded home: ${benchHome} (${ORGS} organisations)\nruns: ${RUNS}, queries: ${prefixes.length} (${KEY_DELAY} ms between keys)`);
console.log(`queries: ${prefixes.join(" ")}`);

const runs = [];
for (let i = 0; i < RUNS; i++) {
  const r = await oneRun(i, { search: i === 0, scroll: i === 0, prefixes });
  runs.push(r);
  console.log(
    `run ${r.run}: start→ready ${ms(r.startToReady)} (start→navigation ${ms(r.startToNavigation)}, navigation→ready ${ms(r.navigationToReady)}; ${r.readySource}), rss ${mb(r.rssAfterStart.kb)}`,
  );
}

const starts = runs.map((r) => r.startToReady);
const first = runs[0];
const s = first.search;
const col = (k) => s.map((q) => q[k]).filter(Number.isFinite);
const lastScroll = first.scroll;
const rows = [
  ["start → usable list, median", ms(median(starts)), "≤ 1000 ms", median(starts) <= 1000 ? "met" : "NOT met"],
  ["  each run", starts.map((x) => x.toFixed(0)).join(", ") + " ms", "", ""],
  ["  process start → page navigation, median", ms(median(runs.map((r) => r.startToNavigation))), "", ""],
  ["  navigation → list ready, median", ms(median(runs.map((r) => r.navigationToReady))), "", ""],
  ["keystroke → results, median (incl. debounce)", ms(median(col("total"))), "≤ 100 ms", median(col("total")) <= 100 ? "met" : "NOT met"],
  ["keystroke → results, p95 (incl. debounce)", ms(quantile(col("total"), 0.95)), "", ""],
  ["  last key → request sent (debounce), median", ms(median(col("debounce"))), "", ""],
  ["  request sent → results shown, median / p95", `${ms(median(col("afterDebounce")))} / ${ms(quantile(col("afterDebounce"), 0.95))}`, "", ""],
  ["    of which IPC round trip, median / p95", `${ms(median(col("ipc")))} / ${ms(quantile(col("ipc"), 0.95))}`, "", ""],
  ["    of which reply → rendered, median / p95", `${ms(median(col("render")))} / ${ms(quantile(col("render"), 0.95))}`, "", ""],
  ["RSS right after start (run 1)", mb(first.rssAfterStart.kb), "", ""],
  ["RSS after scrolling the whole list", mb(first.rssAfterScroll.kb), "≤ 250 MB", first.rssAfterScroll.kb <= 250 * 1024 ? "met" : "NOT met"],
  ["  by process", first.rssAfterScroll.parts.map((p) => `${p.comm} ${mb(p.kb)}`).join(", "), "", ""],
  ["full scroll", `${ms(lastScroll.ms)} for ${lastScroll.rows} rows (${Math.ceil(lastScroll.rows / PAGE)} pages)${lastScroll.stalled ? " — STALLED" : ""}`, "", ""],
];
const w = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i].length)));
console.log(`\n${"measure".padEnd(w[0])} | ${"value".padEnd(w[1])} | ${"target".padEnd(w[2])} | verdict`);
console.log(`${"-".repeat(w[0])}-|-${"-".repeat(w[1])}-|-${"-".repeat(w[2])}-|--------`);
for (const r of rows) console.log(`${r[0].padEnd(w[0])} | ${r[1].padEnd(w[1])} | ${r[2].padEnd(w[2])} | ${r[3]}`);
console.log("\nper query (ms): text total = debounce + after (ipc + render), rows");
for (const q of s) console.log(`  ${q.text.padEnd(6)} ${q.total.toFixed(1).padStart(7)} = ${q.debounce.toFixed(1).padStart(6)} + ${q.afterDebounce.toFixed(1).padStart(6)} (${q.ipc.toFixed(1)} + ${q.render.toFixed(1)}), ${q.rowsShown} rows, ${q.source}`);

const json = {
  app: application,
  build: kind,
  orgs: ORGS,
  runs: runs.length,
  readySources: [...new Set(runs.map((r) => r.readySource))],
  startToReadyMs: { median: median(starts), each: starts },
  startToNavigationMs: runs.map((r) => r.startToNavigation),
  keystrokeToResultsMs: {
    median: median(col("total")),
    p95: quantile(col("total"), 0.95),
    afterDebounceMedian: median(col("afterDebounce")),
    afterDebounceP95: quantile(col("afterDebounce"), 0.95),
    ipcMedian: median(col("ipc")),
    queries: s,
  },
  keyDelayMs: KEY_DELAY,
  rssAfterStartMb: first.rssAfterStart.kb / 1024,
  rssAfterScrollMb: first.rssAfterScroll.kb / 1024,
  rssAfterScrollByProcess: first.rssAfterScroll.parts,
  fullScroll: lastScroll,
};
console.log(`\nBENCH_JSON ${JSON.stringify(json)}`);
process.exit(0);

// Benchmark of the real desktop window over 100,000 seeded organisations:
//  1. start → usable list: process start of accord-desktop (/proc) → the list's first page
//     rendered (data-ready-at, or an in-page MutationObserver on data-ready when absent);
//  2. keystroke → results: search prefixes typed key by key with WebDriver; last keydown
//     (captured in the page) → data-results-for = the text (data-results-at when present),
//     split at the moment the search request leaves the page (after the debounce);
//  3. memory: PSS (/proc/<pid>/smaps_rollup, shared pages split between the processes that map
//     them) and RSS of accord-desktop and all its descendants (WebKit web/network processes),
//     right after start and after reading the whole list; the growth between the two;
//  4. the full scroll: the list read from top to bottom like a person would, a viewport per
//     animation frame, only while no placeholder is in the viewport (waiting for the rows
//     otherwise), until the bottom shows the list's last organisation (from the CLI); a stall
//     (no progress for 10 s) ends it. Every row's id is checked against the CLI's order.
// Prints a table and one JSON line (prefix "BENCH_JSON "). Targets are reported, not asserted.
//
// Env: ACCORD_APP (default release accord-desktop if built, else debug), ACCORD_CLI,
// ACCORD_BENCH_RUNS (launches, default 5), ACCORD_BENCH_HOME (seeded home, cached),
// ACCORD_BENCH_ORGS (100000), ACCORD_BENCH_QUERIES (24), ACCORD_BENCH_KEY_DELAY_MS (90),
// ACCORD_BENCH_SCROLL_ROWS (rows per step, default one viewport), ACCORD_BENCH_STALL_MS (10000),
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
/** Rows per scroll step (one animation frame); 0 = one viewport. */
const SCROLL_ROWS = Number(process.env.ACCORD_BENCH_SCROLL_ROWS ?? 0);
/** No progress for this long ends the full scroll as stalled. */
const STALL_MS = Number(process.env.ACCORD_BENCH_STALL_MS ?? 10_000);
/** Memory targets: the whole app after the full scroll (PSS), and its growth since start. */
const MEMORY_TARGET_MB = 250;
const GROWTH_TARGET_MB = 30;

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
const signedMb = (kb) => `${kb >= 0 ? "+" : "−"}${mb(Math.abs(kb))}`;
const met = (ok) => (ok ? "met" : "NOT met");

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

/** FNV-1a (32 bit) over ids, one newline after each: the same in the page (see scrollToEnd). */
function fnv(hash, id) {
  for (let i = 0; i < id.length; i++) hash = Math.imul(hash ^ id.charCodeAt(i), 16777619) >>> 0;
  return Math.imul(hash ^ 10, 16777619) >>> 0;
}
const FNV_SEED = 2166136261;

/**
 * The plain list as the window shows it (name order, active organisations), read whole with the
 * CLI: its length, its last organisation, and a hash of the ids of every block of PAGE rows, so
 * the full scroll can tell whether each row was shown at its place. The last organisation is
 * also asked for directly (`direction: desc`, `limit: 1`), as a check of the walk. The names, in
 * order, are kept for the search prefixes.
 */
function expectedList() {
  const base = { sort: "name", direction: "asc", archived: false, limit: 500 };
  const blocks = [];
  let count = 0;
  let hash = FNV_SEED;
  let last = null;
  let estimated = null;
  const names = [];
  for (let after = undefined; ; ) {
    const page = accord("customers.list_organisations", after ? { ...base, after } : base);
    estimated ??= page.estimated_total ?? null;
    for (const row of page.items) {
      names.push(row.name);
      hash = fnv(hash, row.id);
      if (++count % PAGE === 0) [blocks[blocks.length], hash] = [hash, FNV_SEED];
      last = row;
    }
    if (!page.next_cursor) break;
    after = page.next_cursor;
  }
  if (count % PAGE !== 0) blocks.push(hash);
  const desc = accord("customers.list_organisations", { ...base, direction: "desc", limit: 1 }).items[0] ?? null;
  if ((desc?.id ?? null) !== (last?.id ?? null)) throw new Error(`the CLI's last organisation differs: walk ${last?.name}, desc ${desc?.name}`);
  return { count, estimated, lastId: last?.id ?? null, lastName: last?.name ?? null, blocks, names };
}

/**
 * Search prefixes drawn from names in the database: Latin, Cyrillic and Persian, 3–5 letters.
 * The names are those of the CLI's walk of the list (`expectedList`): for each script, 100 names
 * from each quarter of that script's run, so the prefixes are spread over the alphabet. (Keyset
 * cursors hold a hex collation key, so a page cannot be started at a letter.)
 */
function queries(names) {
  const scripts = [/^\p{Script=Latin}+$/u, /^\p{Script=Cyrillic}+$/u, /^\p{Script=Arabic}+$/u].map((re) => {
    const own = names.filter((n) => n.split(/[^\p{L}]+/u).some((w) => w.length >= 4 && re.test(w)));
    const sample = [0, 1, 2, 3].flatMap((q) => own.slice(Math.floor((own.length * q) / 4), Math.floor((own.length * q) / 4) + 100));
    return { re, names: sample };
  });
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
  if (out.length === 0) throw new Error("no search prefixes could be drawn from the names in the database");
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
/** Proportional set size: each shared page counts 1/n in each of the n processes mapping it. */
function pssKb(pid) {
  try {
    const m = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, "utf8"));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}
/** RSS (`kb`, as before) and PSS (`pssKb`) of the app and all its descendants, and per process. */
function treeMemory(app) {
  const procs = [app, ...descendants(app.pid)];
  const parts = procs.map((p) => ({ comm: p.comm, pid: p.pid, kb: rssKb(p.pid), pssKb: pssKb(p.pid) }));
  return { kb: parts.reduce((s, p) => s + p.kb, 0), pssKb: parts.reduce((s, p) => s + p.pssKb, 0), parts };
}
/** With ACCORD_BENCH_SMAPS_DIR set, each process's full smaps is saved there (`<label>-<comm>-<pid>.smaps`),
 *  to see which mappings grow (JS heap, malloc arenas, GPU buffers…). */
function saveSmaps(app, label) {
  const dir = process.env.ACCORD_BENCH_SMAPS_DIR;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  for (const p of [app, ...descendants(app.pid)]) {
    try {
      writeFileSync(join(dir, `${label}-${p.comm}-${p.pid}.smaps`), readFileSync(`/proc/${p.pid}/smaps`, "utf8"));
    } catch {
      // the process ended meanwhile
    }
  }
}
/** After − before, per process (matched by pid; one started or gone in between counts whole). */
function memoryGrowth(before, after) {
  const pids = [...new Set([...before.parts, ...after.parts].map((p) => p.pid))];
  const parts = pids.map((pid) => {
    const [b, a] = [before.parts.find((p) => p.pid === pid), after.parts.find((p) => p.pid === pid)];
    return { comm: (a ?? b).comm, pid, kb: (a?.kb ?? 0) - (b?.kb ?? 0), pssKb: (a?.pssKb ?? 0) - (b?.pssKb ?? 0) };
  });
  return { kb: after.kb - before.kb, pssKb: after.pssKb - before.pssKb, parts };
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

async function oneRun(index, { search, scroll, prefixes, expected }) {
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
    await browser.waitUntil(async () => (await browser.execute(() => document.querySelector('[data-testid="customers-list"]')?.getAttribute("data-ready"))) === "true", {
      timeout: WAIT,
      interval: 10,
      timeoutMsg: "the list never became ready",
    });
    const page = await browser.execute(() => {
      const b = window.__accordBench;
      const list = document.querySelector('[data-testid="customers-list"]');
      return {
        readyAt: b.readyAt,
        readyAtAttr: Number(list.getAttribute("data-ready-at")) || null,
        sizedRows: list.firstElementChild.offsetHeight / 32, // the estimate from the first page on
        renderedRows: list.querySelectorAll('[data-testid="org-row"]').length,
        status: document.querySelector(".table-status")?.textContent ?? null,
      };
    });
    let readyAt;
    if (page.readyAtAttr) [readyAt, result.readySource] = [page.readyAtAttr, "data-ready-at"];
    else if (!inst.readyAtInstall && page.readyAt) [readyAt, result.readySource] = [page.readyAt, "observer"];
    else [readyAt, result.readySource] = [inst.installedAt, "ready before first script (upper bound)"];
    result.startToReady = readyAt - started;
    result.startToNavigation = inst.timeOrigin - started;
    result.navigationToReady = readyAt - inst.timeOrigin;
    result.sessionToStart = started - sessionAt;
    result.sizedRows = page.sizedRows;
    result.renderedRows = page.renderedRows;
    result.statusAtReady = page.status;
    await sleep(300);
    result.memoryAfterStart = treeMemory(proc);
    saveSmaps(proc, `run${result.run}-start`);

    if (search) result.search = await measureSearch(browser, prefixes, inst.ipcHooked);
    if (scroll) {
      result.scroll = await scrollToEnd(browser, expected);
      await sleep(1000);
      result.memoryAfterScroll = treeMemory(proc);
      saveSmaps(proc, `run${result.run}-scrolled`);
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

/**
 * Reads the whole list from the top like a person scrolling through it: one step (a viewport,
 * or ACCORD_BENCH_SCROLL_ROWS rows) per animation frame, taken only while the viewport shows no
 * placeholder and every row in it is rendered; otherwise it waits for the rows to arrive. Done
 * when the viewport is at the bottom, shows no placeholder, and its last row is the list's last
 * organisation (`expected`, from the CLI); no progress for STALL_MS ends it as stalled.
 *
 * Runs in the page (a requestAnimationFrame loop); this side only polls it once a second, so the
 * WebDriver round trips are not part of the scroll. On the way it checks what a reader would
 * notice: each row's id against the CLI's order (hash per block of PAGE rows), a row's element
 * at another place than its index, a row replaced by another one or by a placeholder while on
 * screen, and the scroll position moved by something else than the scroller.
 */
async function scrollToEnd(browser, expected) {
  await browser.execute(
    (expected, rowHeight, stepRows, stallMs, block, seed) => {
      const list = document.querySelector('[data-testid="customers-list"]');
      const spacer = list.firstElementChild;
      const now = () => performance.now();
      const fnv = (hash, id) => {
        for (let i = 0; i < id.length; i++) hash = Math.imul(hash ^ id.charCodeAt(i), 16777619) >>> 0;
        return Math.imul(hash ^ 10, 16777619) >>> 0;
      };
      const MAX_EVENTS = 20;
      const s = (window.__accordScroll = {
        done: false,
        stalled: false,
        t0: now(),
        ms: null,
        frames: 0,
        steps: 0,
        next: 0, // rows 0 … next-1 were shown, in order, as real rows
        hash: seed,
        blocks: [],
        waitFrames: 0, // frames with a placeholder in the viewport
        waits: 0, // times the scroller had to stop for placeholders
        waitMs: 0,
        longestWaitMs: 0,
        unrenderedFrames: 0, // frames where part of the viewport had no element at all yet
        misplaced: [], // an element whose translateY is not its index (id suffix)
        changed: [], // an index on screen showing another organisation than a frame before
        lostRows: [], // an index on screen that was a real row and became a placeholder
        jumps: [], // scrollTop not where the scroller put it (and not clamped by the height)
        events: { misplaced: 0, changed: 0, lostRows: 0, jumps: 0 },
        lastProgress: now(),
        lastRow: null,
        lastIndex: -1,
        size: null,
        status: null,
        atBottom: false,
        visiblePlaceholders: 0,
      });
      const note = (kind, entry) => {
        s.events[kind]++;
        if (s[kind].length < MAX_EVENTS) s[kind].push({ ...entry, atMs: Math.round(now() - s.t0), scrollTop: list.scrollTop });
      };
      let previous = new Map(); // index → id of the real rows in the viewport, last frame
      let waitingSince = null;
      let wanted = null; // the scrollTop the last step asked for
      list.scrollTop = 0;

      const frame = () => {
        if (s.done) return;
        s.frames++;
        const t = now();
        const top = list.scrollTop;
        const height = list.clientHeight;
        const size = Math.round(spacer.offsetHeight / rowHeight);
        if (wanted !== null && Math.abs(top - Math.min(wanted, list.scrollHeight - height)) > 1) note("jumps", { wanted, got: top });
        wanted = null;
        // What is rendered, by index: real rows (id) and placeholders.
        const real = new Map();
        const holes = new Set();
        for (const el of spacer.children) {
          const m = /translateY\((-?[\d.]+)px\)/.exec(el.style.transform);
          if (!m) continue;
          const index = Math.round(Number(m[1]) / rowHeight);
          const testid = el.getAttribute("data-testid");
          if (testid === "org-row") {
            const own = Number(el.id.slice(el.id.lastIndexOf("-") + 1));
            if (own !== index) note("misplaced", { index, own, id: el.getAttribute("data-id") });
            real.set(index, { id: el.getAttribute("data-id"), el });
          } else if (testid === "org-row-placeholder") holes.add(index);
        }
        const first = Math.floor(top / rowHeight);
        const last = Math.min(Math.ceil((top + height) / rowHeight) - 1, size - 1);
        let placeholders = 0;
        let unrendered = 0;
        const shown = new Map();
        for (let i = first; i <= last; i++) {
          const row = real.get(i);
          if (row) {
            shown.set(i, row.id);
            const before = previous.get(i);
            if (before !== undefined && before !== row.id) note("changed", { index: i, before, after: row.id });
          } else if (holes.has(i)) {
            placeholders++;
            if (previous.has(i)) note("lostRows", { index: i, id: previous.get(i) });
          } else unrendered++;
        }
        previous = shown;
        // Rows read in order, overscan included: fold each into its block's hash.
        const next0 = s.next;
        while (real.has(s.next)) {
          s.hash = fnv(s.hash, real.get(s.next).id);
          if (++s.next % block === 0) [s.blocks[s.blocks.length], s.hash] = [s.hash, seed];
        }
        const lastRow = real.get(last);
        Object.assign(s, {
          size,
          lastIndex: last,
          lastRow: lastRow ? { id: lastRow.id, name: lastRow.el.querySelector(".cell-strong")?.textContent ?? null } : null,
          atBottom: top + height >= list.scrollHeight - 1,
          visiblePlaceholders: placeholders,
        });
        if (placeholders > 0) s.waitFrames++;
        if (unrendered > 0) s.unrenderedFrames++;
        const clear = placeholders === 0 && unrendered === 0;
        if (clear && waitingSince !== null) {
          const waited = t - waitingSince;
          s.waitMs += waited;
          s.longestWaitMs = Math.max(s.longestWaitMs, waited);
          waitingSince = null;
        } else if (!clear && placeholders > 0 && waitingSince === null) {
          s.waits++;
          waitingSince = t;
        }
        if (s.next > next0) s.lastProgress = t;
        const finished = clear && s.atBottom && last === expected.count - 1 && lastRow?.id === expected.lastId;
        if (finished || t - s.lastProgress > stallMs) {
          if (s.next % block !== 0) s.blocks.push(s.hash);
          s.ms = (finished ? t : s.lastProgress) - s.t0;
          s.stalled = !finished;
          s.status = document.querySelector(".table-status")?.textContent ?? null;
          s.done = true;
          return;
        }
        if (clear && !s.atBottom) {
          const step = stepRows > 0 ? Math.min(stepRows * rowHeight, height) : height;
          wanted = top + step;
          list.scrollTop = wanted;
          s.steps++;
          s.lastProgress = t;
        }
        requestAnimationFrame(frame);
      };
      requestAnimationFrame(frame);
    },
    { count: expected.count, lastId: expected.lastId },
    ROW_HEIGHT,
    SCROLL_ROWS,
    STALL_MS,
    PAGE,
    FNV_SEED,
  );

  // Poll the page once a second; a progress line every 15 s.
  const started = Date.now();
  const hardLimit = started + 60 * 60_000;
  let said = started;
  let s;
  for (;;) {
    await sleep(1000);
    s = await browser.execute(() => {
      const { misplaced, changed, lostRows, jumps, blocks, ...rest } = window.__accordScroll;
      return rest.done ? window.__accordScroll : rest;
    });
    if (s.done) break;
    if (Date.now() > hardLimit) {
      s = await browser.execute(() => Object.assign(window.__accordScroll, { done: true, stalled: true }));
      break;
    }
    if (Date.now() - said >= 15_000) {
      said = Date.now();
      console.log(`  scroll: ${s.next} of ${expected.count} rows after ${Math.round((said - started) / 1000)} s, ${s.waits} waits for placeholders`);
    }
  }
  await browser.execute(() => delete window.__accordScroll);
  // Which blocks of PAGE rows showed other organisations (or in another order) than the CLI lists.
  const wrongBlocks = [];
  for (let i = 0; i < Math.min(s.blocks.length, expected.blocks.length); i++) if (s.blocks[i] !== expected.blocks[i]) wrongBlocks.push(i);
  const complete = Math.floor(s.next / PAGE); // blocks fully read (the last one may be partial)
  return {
    rows: s.next,
    expectedRows: expected.count,
    ms: s.ms,
    stalled: s.stalled,
    lastName: s.lastRow?.name ?? null,
    lastId: s.lastRow?.id ?? null,
    lastIndex: s.lastIndex,
    expectedLastName: expected.lastName,
    reachedLast: !s.stalled && s.lastRow?.id === expected.lastId,
    sizeAtEnd: s.size,
    statusAtEnd: s.status,
    atBottom: s.atBottom,
    visiblePlaceholdersAtEnd: s.visiblePlaceholders,
    frames: s.frames,
    steps: s.steps,
    waits: s.waits,
    waitFrames: s.waitFrames,
    waitMs: s.waitMs,
    longestWaitMs: s.longestWaitMs,
    unrenderedFrames: s.unrenderedFrames,
    orderChecked: s.next === expected.count ? "all" : `${complete * PAGE} rows (${complete} blocks)`,
    wrongBlocks: wrongBlocks.filter((i) => i < complete || s.next === expected.count).map((i) => ({ block: i, rows: `${i * PAGE}–${Math.min((i + 1) * PAGE, expected.count) - 1}` })),
    events: s.events,
    misplaced: s.misplaced,
    changed: s.changed,
    lostRows: s.lostRows,
    jumps: s.jumps,
  };
}

// ---------------------------------------------------------------- main
ensureSeeded();
const { names: listNames, ...expected } = expectedList();
const prefixes = queries(listNames);
const kind = application.includes("/release/") ? "release" : application.includes("/debug/") ? "debug" : "custom";
console.log(`app: ${application} (${kind})\ncli: ${cli}\nseeded home: ${benchHome} (${ORGS} organisations)\nruns: ${RUNS}, queries: ${prefixes.length} (${KEY_DELAY} ms between keys)`);
console.log(`queries: ${prefixes.join(" ")}`);
console.log(`list (CLI): ${expected.count} organisations (estimated ${expected.estimated}), last "${expected.lastName}"`);

const runs = [];
for (let i = 0; i < RUNS; i++) {
  const r = await oneRun(i, { search: i === 0, scroll: i === 0, prefixes, expected });
  runs.push(r);
  console.log(
    `run ${r.run}: start→ready ${ms(r.startToReady)} (start→navigation ${ms(r.startToNavigation)}, navigation→ready ${ms(r.navigationToReady)}; ${r.readySource}), pss ${mb(r.memoryAfterStart.pssKb)}, rss ${mb(r.memoryAfterStart.kb)}`,
  );
}

const starts = runs.map((r) => r.startToReady);
const first = runs[0];
const s = first.search;
const col = (k) => s.map((q) => q[k]).filter(Number.isFinite);
const lastScroll = first.scroll;
const memStart = first.memoryAfterStart;
const memEnd = first.memoryAfterScroll;
const growth = memoryGrowth(memStart, memEnd);
const memoryOk = memEnd.pssKb <= MEMORY_TARGET_MB * 1024;
const growthOk = growth.pssKb <= GROWTH_TARGET_MB * 1024;
const byProcess = (m) => m.parts.map((p) => `${p.comm} ${mb(p.pssKb)} / ${mb(p.kb)}`).join(", ");
function memoryRows() {
  return [
    ["memory right after start (run 1), PSS / RSS", `${mb(memStart.pssKb)} / ${mb(memStart.kb)}`, "", ""],
    ["memory after the full scroll, PSS (whole app)", mb(memEnd.pssKb), `≤ ${MEMORY_TARGET_MB} MB`, met(memoryOk)],
    ["  RSS beside it (shared pages in every process)", mb(memEnd.kb), "", ""],
    ["growth start → after the full scroll, PSS", signedMb(growth.pssKb), `≤ ${GROWTH_TARGET_MB} MB`, met(growthOk)],
    ["  RSS growth beside it", signedMb(growth.kb), "", `(${met(growth.kb <= GROWTH_TARGET_MB * 1024)} on RSS)`],
    ["  after start by process, PSS / RSS", byProcess(memStart), "", ""],
    ["  after the scroll by process, PSS / RSS", byProcess(memEnd), "", ""],
    ["  growth by process, PSS / RSS", growth.parts.map((p) => `${p.comm} ${signedMb(p.pssKb)} / ${signedMb(p.kb)}`).join(", "), "", ""],
  ];
}
function scrollRows(sc) {
  const ev = sc.events;
  return [
    [
      "full scroll (a viewport per frame, waits for rows)",
      `${ms(sc.ms)} for ${sc.rows} of ${sc.expectedRows} rows (${Math.ceil(sc.rows / PAGE)} pages)` +
        (sc.stalled
          ? ` — STALLED: no progress for ${STALL_MS / 1000} s at index ${sc.lastIndex}, ${sc.visiblePlaceholdersAtEnd} placeholders in view, ${sc.atBottom ? "at" : "not at"} the bottom, list sized ${sc.sizeAtEnd} rows`
          : ""),
      "",
      sc.reachedLast ? "reached the end" : "did NOT reach the end",
    ],
    ["  last row shown / the list's last (CLI)", `"${sc.lastName}" (index ${sc.lastIndex}) / "${sc.expectedLastName}"`, "", ""],
    ["  status line at the end", `${sc.statusAtEnd}`, "", ""],
    [
      "  waits for placeholders",
      `${sc.waits} (${ms(sc.waitMs)} in all, longest ${ms(sc.longestWaitMs)}); ${sc.steps} steps, ${sc.frames} frames`,
      "",
      "",
    ],
    [
      "  rows at their place (ids vs the CLI's order)",
      sc.wrongBlocks.length === 0 ? `${sc.orderChecked} rows checked` : `${sc.wrongBlocks.length} wrong blocks, first rows ${sc.wrongBlocks[0].rows}`,
      "",
      sc.wrongBlocks.length === 0 ? "ok" : "WRONG",
    ],
    [
      "  misplaced / replaced on screen / lost to placeholder / scroll jumps",
      `${ev.misplaced} / ${ev.changed} / ${ev.lostRows} / ${ev.jumps}`,
      "",
      ev.misplaced + ev.changed + ev.lostRows + ev.jumps === 0 ? "ok" : "SEE JSON",
    ],
  ];
}
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
  ...memoryRows(),
  ...scrollRows(lastScroll),
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
  rssAfterStartMb: memStart.kb / 1024,
  rssAfterScrollMb: memEnd.kb / 1024,
  rssAfterScrollByProcess: memEnd.parts.map(({ comm, pid, kb }) => ({ comm, pid, kb })),
  memory: {
    targets: { pssAfterScrollMb: MEMORY_TARGET_MB, growthMb: GROWTH_TARGET_MB },
    pssAfterStartMb: memStart.pssKb / 1024,
    pssAfterScrollMb: memEnd.pssKb / 1024,
    rssAfterStartMb: memStart.kb / 1024,
    rssAfterScrollMb: memEnd.kb / 1024,
    pssGrowthMb: growth.pssKb / 1024,
    rssGrowthMb: growth.kb / 1024,
    pssAfterScrollMet: memoryOk,
    pssGrowthMet: growthOk,
    rssGrowthMet: growth.kb <= GROWTH_TARGET_MB * 1024,
    afterStartByProcess: memStart.parts,
    afterScrollByProcess: memEnd.parts,
    growthByProcess: growth.parts,
  },
  fullScroll: lastScroll,
};
console.log(`\nBENCH_JSON ${JSON.stringify(json)}`);
process.exit(0);

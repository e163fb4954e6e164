// The customers scenario in the real window, once per language (English, Russian, Persian):
// first start on an empty app-data folder → create an organisation and a contact → find it
// by search as you type → open the card → edit with a bad email (error by the field, nothing
// saved) → fix and save → archive. What the window claims is checked against the database
// with the `accord` CLI. Screenshots of every main screen go to ARTIFACTS/<language>/.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { launch } from "./driver.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../..");
const targetDir = process.env.CARGO_TARGET_DIR ?? join(process.env.HOME, ".cache/accord/target");
const application = process.env.ACCORD_APP ?? join(targetDir, "debug/accord-desktop");
const cli = process.env.ACCORD_CLI ?? join(targetDir, "debug/accord");
const tauriDriver = process.env.TAURI_DRIVER ?? "tauri-driver";
const artifacts = process.env.ACCORD_E2E_ARTIFACTS ?? join(root, "tests/e2e/artifacts");
const languages = (process.env.ACCORD_E2E_LANGUAGES ?? "en,ru,fa").split(",");

const WAIT = 15_000;

/** What each language types: names in its own script, so search is exercised per script. */
const DATA = {
  en: { org: "Northwind Trading", query: "northw", first: "Anna", last: "Smith", email: "orders@northwind.example" },
  ru: { org: "Ромашка Снабжение", query: "ромаш", first: "Анна", last: "Иванова", email: "zakaz@romashka.example" },
  fa: { org: "بازرگانی آریا", query: "آری", first: "سارا", last: "احمدی", email: "sales@arya.example" },
};
const BAD_EMAIL = "orders(at)example";

const locale = (lang) => JSON.parse(readFileSync(join(root, `ui/src/i18n/locales/${lang}.json`), "utf8"));
const flatten = (obj, prefix = "") =>
  Object.entries(obj).flatMap(([k, v]) =>
    typeof v === "object" ? flatten(v, `${prefix}${k}.`) : [[`${prefix}${k}`, String(v)]],
  );

/** English UI texts that the other language translates differently: none may be on screen. */
function untranslatedTexts(lang) {
  if (lang === "en") return new Set();
  const target = new Map(flatten(locale(lang)));
  return new Set(
    flatten(locale("en"))
      .filter(([key, text]) => /[A-Za-z]{3}/.test(text) && target.get(key) !== text && !text.includes("{{"))
      .map(([, text]) => text),
  );
}

function accord(dataDir, op, input) {
  const out = execFileSync(cli, ["--db", `sqlite:${join(dataDir, "accord.sqlite3")}`, "op", op, "--json", JSON.stringify(input)], {
    encoding: "utf8",
  });
  return JSON.parse(out);
}

async function scenario(lang) {
  const data = DATA[lang];
  const shots = join(artifacts, lang);
  mkdirSync(shots, { recursive: true });
  const app = await launch({ application, tauriDriver });
  const { browser } = app;
  const $ = (testid) => browser.$(`[data-testid="${testid}"]`);
  // WebKitWebDriver's screenshot hangs under Xvfb here; X's own capture of the window is exact.
  const shot = async (name) => {
    await browser.pause(150); // let the last frame paint
    execFileSync("import", ["-window", "Accord", join(shots, `${name}.png`)]);
  };
  const noEnglishLeft = async (screen) => {
    const forbidden = untranslatedTexts(lang);
    const texts = await browser.execute(() => {
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      const seen = [];
      while (walker.nextNode()) {
        const el = walker.currentNode.parentElement;
        if (el && el.offsetParent !== null) seen.push(walker.currentNode.textContent.trim());
      }
      return seen;
    });
    const leftovers = texts.filter((t) => forbidden.has(t));
    assert.deepEqual(leftovers, [], `untranslated English on the ${screen} screen in ${lang}`);
  };

  try {
    // First start: the embedded database is created with no questions asked.
    const list = await $("customers-list");
    await browser.waitUntil(async () => (await list.getAttribute("data-ready")) === "true", {
      timeout: WAIT,
      timeoutMsg: "the customer list never became ready on first start",
    });
    assert.equal((await browser.$$('[data-testid="org-row"]')).length, 0, "a first start shows an empty list");

    // Language, chosen in settings and applied to the whole window.
    await (await $("nav-settings")).click();
    await (await $("language-select")).selectByAttribute("value", lang);
    const dir = await browser.execute(() => document.documentElement.dir);
    assert.equal(dir, lang === "fa" ? "rtl" : "ltr", "text direction follows the language");
    await noEnglishLeft("settings");
    await shot("05-settings");
    await (await $("nav-customers")).click();
    if (lang === "fa") {
      // Mirrored: the sidebar sits at the right edge.
      const nav = await (await $("nav-customers")).getLocation();
      const width = await browser.execute(() => window.innerWidth);
      assert.ok(nav.x > width / 2, `the Persian sidebar is on the right (x=${nav.x} of ${width})`);
    }
    await noEnglishLeft("customers");
    await shot("01-customers-empty");

    // Create an organisation.
    await (await $("new-organisation")).click();
    await (await $("org-field-name")).setValue(data.org);
    await (await $("org-field-phone")).setValue("+44 20 7946 0958");
    await noEnglishLeft("new organisation");
    await shot("02-new-organisation");
    await (await $("org-save")).click();
    const cardName = await $("org-card-name");
    await cardName.waitForDisplayed({ timeout: WAIT });
    assert.equal(await cardName.getText(), data.org);

    // Add a contact on the card.
    await (await $("card-tab-contacts")).click();
    await (await $("add-contact")).click();
    await (await $("contact-field-first_name")).setValue(data.first);
    await (await $("contact-field-last_name")).setValue(data.last);
    await (await $("contact-save")).click();
    const contactRow = await $("contact-row");
    await contactRow.waitForDisplayed({ timeout: WAIT });
    assert.match(await contactRow.getText(), new RegExp(data.last));
    await shot("04-card-contacts");

    // Find it by search as you type.
    await (await $("nav-customers")).click();
    const search = await $("customers-search");
    await search.setValue(data.query);
    await browser.waitUntil(async () => (await list.getAttribute("data-results-for")) === data.query, {
      timeout: WAIT,
      timeoutMsg: `no search results shown for "${data.query}"`,
    });
    // The list re-renders as hits arrive: read the rows once they have settled.
    let rowTexts = [];
    await browser.waitUntil(
      async () => {
        rowTexts = await browser.execute(() =>
          [...document.querySelectorAll('[data-testid="org-row"]')].map((row) => row.textContent),
        );
        return rowTexts.length === 1 && rowTexts[0].includes(data.org);
      },
      { timeout: WAIT, timeoutMsg: `search did not list exactly "${data.org}": ${JSON.stringify(rowTexts)}` },
    );
    const rows = await browser.$$('[data-testid="org-row"]');
    await shot("01-customers-search");

    // Open the card.
    await rows[0].click();
    await cardName.waitForDisplayed({ timeout: WAIT });
    await noEnglishLeft("card");
    await shot("03-card-details");
    const [{ id }] = accord(app.dataDir, "customers.list_organisations", {}).items;

    // Edit with a bad email: the error is shown by the field, what was typed is kept, nothing saved.
    await (await $("org-edit")).click();
    const email = await $("org-field-email");
    await email.setValue(BAD_EMAIL);
    await (await $("org-save")).click();
    const emailError = await $("org-field-error-email");
    await emailError.waitForDisplayed({ timeout: WAIT });
    assert.equal(await emailError.getText(), locale(lang).errors.field.invalid_email);
    assert.equal(await email.getValue(), BAD_EMAIL, "the bad email stays in the box to be fixed");
    assert.equal(await email.getAttribute("aria-invalid"), "true");
    await noEnglishLeft("form with an error");
    await shot("02-edit-bad-email");
    assert.equal(accord(app.dataDir, "customers.get_organisation", { id }).organisation.email, null, "nothing saved");

    // Fix and save.
    await email.clearValue();
    await email.setValue(data.email);
    await (await $("org-save")).click();
    await cardName.waitForDisplayed({ timeout: WAIT });
    const saved = accord(app.dataDir, "customers.get_organisation", { id });
    assert.equal(saved.organisation.email, data.email);
    assert.equal(saved.contacts.length, 1);

    // History, newest first: the email change is on top.
    await (await $("card-tab-history")).click();
    const firstEntry = await $("history-entry");
    await firstEntry.waitForDisplayed({ timeout: WAIT });
    assert.match(await firstEntry.getText(), new RegExp(data.email.replace(/[.]/g, "\\.")));
    await noEnglishLeft("history");
    await shot("03-card-history");

    // Archive, with confirmation.
    await (await $("org-archive")).click();
    await (await $("confirm-ok")).click();
    await (await $("archived-badge")).waitForDisplayed({ timeout: WAIT });
    await shot("03-card-archived");
    assert.notEqual(accord(app.dataDir, "customers.get_organisation", { id }).organisation.archived_at, null);
    if (lang === languages[0] && process.env.ACCORD_TEST_PG_URL) await teamServer(app, $, shot);
    console.log(`e2e ${lang}: passed (screenshots in ${shots})`);
  } catch (error) {
    await shot("failure").catch(() => {});
    throw error;
  } finally {
    await app.stop();
  }
}

/**
 * Settings → switch to a real PostgreSQL server and back. The password must reach the OS
 * keyring (gnome-keyring in this D-Bus session) and no file.
 */
async function teamServer(app, $, shot) {
  const admin = new URL(process.env.ACCORD_TEST_PG_URL);
  const database = `accord_e2e_${Date.now()}`;
  const psql = (sql) => execFileSync("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", admin.href, "-c", sql]);
  psql(`CREATE DATABASE ${database}`);
  const password = decodeURIComponent(admin.password) || "e2e-keyring-only-5b1d";
  try {
    await (await $("nav-settings")).click();
    await (await $("connection-url")).setValue(`postgres://${admin.host}/${database}`);
    await (await $("connection-user")).setValue(decodeURIComponent(admin.username));
    await (await $("connection-password")).setValue(password);
    await (await $("connect-server")).click();
    const mode = await $("connection-mode");
    await browser(app).waitUntil(async () => (await mode.getAttribute("data-mode")) === "server", {
      timeout: 20_000,
      timeoutMsg: "the window did not switch to the team server",
    });
    await shot("05-settings-server");
    const profile = readFileSync(join(app.home, "config/accord/connection.json"), "utf8");
    assert.ok(!profile.includes(password), "the password is not in the profile file");
    const kept = execFileSync("secret-tool", ["search", "--all", "service", "org.accord.app"], { encoding: "utf8" });
    assert.match(kept, new RegExp(`secret = ${password}`), "the password is in the OS keyring");

    // Work now happens on the server: an organisation saved in the window lands there.
    await (await $("nav-customers")).click();
    await (await $("new-organisation")).click();
    await (await $("org-field-name")).setValue("Team server customer");
    await (await $("org-save")).click();
    await (await $("org-card-name")).waitForDisplayed({ timeout: WAIT });
    const onServer = execFileSync(
      "psql",
      ["-X", "-At", new URL(`/${database}`, admin).href, "-c", "SELECT name FROM organisations"],
      { encoding: "utf8" },
    );
    assert.equal(onServer.trim(), "Team server customer");

    await (await $("nav-settings")).click();
    await (await $("use-embedded")).click();
    await browser(app).waitUntil(async () => (await mode.getAttribute("data-mode")) === "embedded", {
      timeout: WAIT,
      timeoutMsg: "the window did not switch back to the embedded database",
    });
    const left = execFileSync("secret-tool", ["search", "--all", "service", "org.accord.app"], { encoding: "utf8" });
    assert.doesNotMatch(left, /secret = /, "switching back forgets the password");
  } finally {
    psql(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  }
}

const browser = (app) => app.browser;

let failed = false;
for (const lang of languages) {
  try {
    await scenario(lang);
  } catch (error) {
    failed = true;
    console.error(`e2e ${lang}: FAILED\n`, error);
  }
}
process.exit(failed ? 1 : 0);

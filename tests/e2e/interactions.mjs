// Interactions, scheduled contacts and reminders in the real window (COMM-1…COMM-4), a step of
// each language's scenario: a call logged from the keyboard; a weekly call scheduled in the
// window, seen in the calendar's week; its reminder arrives as a native notification with the
// window hidden in the tray, at its time, in the window's language; clicking it brings the
// window back with the scheduled contact open, and marking it done logs the call on the
// customer's history; the window comes back when the app is started again. What the
// notification service received is read from the session bus (python3-dbusmock), what the
// database holds with the `accord` CLI.
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const WAIT = 15_000;

/** Each language's person plans in their own time zone; the topic is the administrator's. */
export const INTERACTIONS = {
  en: {
    org: "Blue Harbour Logistics", first: "Oliver", last: "Grant",
    zone: "Europe/London", topic: "Delivery follow-up", topicTyped: "deliv", call: "Call",
    note: "Confirm the delivery date", summary: "Asked about the delivery date; sending the schedule today",
    done: "Confirmed Thursday's delivery",
  },
  ru: {
    org: "ООО «Балтийский берег»", first: "Ольга", last: "Смирнова",
    zone: "Europe/Moscow", topic: "Уточнение поставки", topicTyped: "уточ", call: "Звонок",
    note: "Подтвердить дату поставки", summary: "Спросила о сроке поставки; отправим график сегодня",
    done: "Поставку на четверг подтвердили",
  },
  fa: {
    org: "شرکت ساحل آبی", first: "مریم", last: "کاظمی",
    zone: "Asia/Tehran", topic: "پیگیری تحویل", topicTyped: "پیگ", call: "تماس تلفنی",
    note: "تأیید تاریخ تحویل", summary: "درباره زمان تحویل پرسید؛ برنامه امروز ارسال می‌شود",
    done: "تحویل پنجشنبه تأیید شد",
  },
};

const CTRL = "\uE009";
const ENTER = "\uE007";

/** Keys typed into whatever has the focus, as a person at the keyboard does. */
async function type(browser, text) {
  const keys = browser.action("key");
  for (const ch of text) keys.down(ch).up(ch);
  await keys.perform();
}

async function chord(browser, modifier, key) {
  await browser.action("key").down(modifier).down(key).up(key).up(modifier).perform();
}

/**
 * With someone signed in (who may log interactions): a customer made by a script, a call
 * logged about it from the keyboard, seen on its card; then a planned call's reminder with
 * the window hidden. Ends with the window shown, on the card.
 */
export async function interactionsInTheWindow({ lang, app, $, accord, application, shot, noEnglishLeft, responsibleId }) {
  const { browser } = app;
  const data = INTERACTIONS[lang];
  const organisation = accord(app.dataDir, "customers.create_organisation", { name: data.org }).organisation;
  accord(app.dataDir, "customers.create_contact", { first_name: data.first, last_name: data.last, organisation_id: organisation.id });
  const contactName = `${data.first} ${data.last}`;
  const call = await logACallFromTheKeyboard({
    lang, app, browser, $, accord, shot, noEnglishLeft, orgId: organisation.id, orgName: data.org,
    contactTyped: `${data.first} ${data.last.slice(0, 3)}`, contactName,
  });
  console.log(`e2e ${lang}: a call logged from the keyboard in ${call.seconds} s (typing ${call.typedIn} ms)`);
  await filesOfTheCall({ app, $, accord, shot, noEnglishLeft, call: call.logged });
  const planned = await scheduleAWeeklyCall({ lang, app, browser, $, accord, shot, noEnglishLeft, orgId: organisation.id, contactName, responsibleId });
  const reminder = await reminderWithTheWindowHidden({
    lang, app, browser, $, accord, application, shot, noEnglishLeft, planned, orgName: data.org, contactName,
  });
  console.log(`e2e ${lang}: the reminder was shown ${reminder.lateBy} ms after its time, the window hidden`);
  const rule = await aRuleNotifiesWithTheWindowHidden({ lang, app, accord, shot, responsibleId });
  console.log(`e2e ${lang}: a workflow rule's notice was shown ${rule.after} ms after the record was created, the window hidden`);
  await aTaskHandedInAndTheRules({ lang, app, $, accord, shot, noEnglishLeft, responsibleId, ruleName: RULES[lang].name });
}

/** Each language's task. */
const TASKS = {
  en: { title: "Send the delivery schedule to Northside Clinic", result: "Sent on Monday with the price list" },
  ru: { title: "Отправить график поставок клинике", result: "Отправлен в понедельник вместе с прайсом" },
  fa: { title: "ارسال برنامه تحویل برای درمانگاه", result: "دوشنبه همراه با فهرست قیمت ارسال شد" },
};

/**
 * COMM-5 and COMM-6 on screen: a task a script gave the person is in their list; they open it
 * and hand in the result, which finishes it (it has no controller); the administrator's
 * Workflow rules tab describes the rule that notified them, in words, with how often it fired.
 */
async function aTaskHandedInAndTheRules({ lang, app, $, accord, shot, noEnglishLeft, responsibleId, ruleName }) {
  const data = TASKS[lang];
  const deadline = new Date(Date.now() + 3 * 3_600_000).toISOString();
  const task = accord(app.dataDir, "tasks.create", { title: data.title, responsible_id: responsibleId, deadline });
  await (await $("nav-tasks")).click();
  const row = await $(`task-row-${task.id}`);
  await row.waitForDisplayed({ timeout: WAIT });
  assert.match(await row.getText(), new RegExp(data.title.slice(0, 12)));
  await noEnglishLeft("the tasks screen", [data.title]);
  await shot("15-tasks");
  // A table row has no box of its own to click in WebKit's driver: its first cell does.
  await (await app.browser.$(`[data-testid="task-row-${task.id}"] td`)).click();
  await (await $("task-action-submit")).click();
  const result = await $("task-result-input");
  await result.waitForDisplayed({ timeout: WAIT });
  await fill(app.browser, "task-result-input", data.result);
  await shot("15-task-hand-in");
  await (await $("task-form-send")).click();
  await until(() => accord(app.dataDir, "tasks.get", { id: task.id }).status === "done", "handing in finishes the task");
  assert.equal(accord(app.dataDir, "tasks.get", { id: task.id }).result, data.result);

  await (await $("nav-admin")).click();
  await (await $("admin-tab-workflow")).click();
  const ruleRow = await $("rule-row");
  await ruleRow.waitForDisplayed({ timeout: WAIT });
  assert.match(await ruleRow.getText(), new RegExp(ruleName));
  await noEnglishLeft("the workflow rules", [ruleName]);
  await shot("15-workflow-rules");
  await (await $("rule-edit")).click();
  await (await $("rule-name")).waitForDisplayed({ timeout: WAIT });
  await shot("15-rule-editor");
  await (await $("rule-cancel")).click();
}

/** Each language's rule: a new customer in an industry is reported to the person at once. */
const RULES = {
  en: { name: "New medical customer", industry: "Medical", org: "Northside Clinic", city: "Leeds" },
  ru: { name: "Новый клиент-медик", industry: "Медицина", org: "Клиника «Здоровье»", city: "Казань" },
  fa: { name: "مشتری پزشکی جدید", industry: "پزشکی", org: "درمانگاه شفا", city: "اصفهان" },
};

/**
 * COMM-6's promise, with the window hidden: an administrator's rule ("when an organisation is
 * created, only if its industry is X, notify this person"), defined by a script; a script creates
 * such an organisation in another process; the person's Accord shows the rule's notice as a
 * native notification (within its minute), once; clicking it brings the window back on the
 * organisation's card.
 */
async function aRuleNotifiesWithTheWindowHidden({ lang, app, accord, shot, responsibleId }) {
  const rule = RULES[lang];
  accord(app.dataDir, "workflow.define", {
    rule: {
      name: rule.name, record_table: "organisations", trigger: { type: "created" },
      condition: { type: "condition", field: "industry", op: "is", value: rule.industry },
      action: { type: "notify", recipients: [responsibleId], message: "{record} — {city}" },
    },
  });
  await hideTheWindow();
  const created = Date.now();
  const organisation = accord(app.dataDir, "customers.create_organisation", { name: rule.org, industry: rule.industry, city: rule.city }).organisation;
  accord(app.dataDir, "customers.create_organisation", { name: `${rule.org} 2`, industry: "Steel", city: rule.city });
  const shownAs = () => JSON.parse(desktop("notifications")).filter((n) => n.summary === rule.name);
  const [notification] = await until(() => (shownAs().length ? shownAs() : null), `the rule's notice "${rule.name}" is shown`, 90_000, 500);
  const after = notification.at * 1000 - created;
  assert.equal(notification.app, "Accord");
  assert.equal(notification.body, `${rule.org} — ${rule.city}`);
  await new Promise((r) => setTimeout(r, 2000));
  assert.equal(shownAs().length, 1, "shown once; the other industry notifies nobody");
  desktop("click-notification", String(notification.id));
  await until(() => desktop("mapped", "Accord") === "true", "clicking the notice shows the window", 30_000);
  await until(
    async () => (await app.browser.$("body").getText()).includes(rule.org),
    "the notice opens the organisation's card",
  );
  assert.ok(organisation.id);
  await shot("14-rule-notice-opened");
  return { after };
}

/** Sets a form control's value as typing would (date and time controls differ by engine). */
async function fill(browser, testid, value) {
  await browser.execute(
    (id, text) => {
      const control = document.querySelector(`[data-testid="${id}"]`);
      const prototype = control instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
      Object.getOwnPropertyDescriptor(prototype, "value").set.call(control, text);
      control.dispatchEvent(new Event("input", { bubbles: true }));
    },
    testid,
    value,
  );
}

/**
 * A salesperson schedules a weekly call with the card's contact in the window: from the
 * contact's row, a topic, today's date at a time two to three minutes ahead in their own time
 * zone, weekly, reminded at its start, with a note. The core holds it as a weekly RRULE in that
 * zone; the calendar's week view shows it.
 */
async function scheduleAWeeklyCall({ lang, app, browser, $, accord, shot, noEnglishLeft, orgId, contactName, responsibleId }) {
  const data = INTERACTIONS[lang];
  const contact = accord(app.dataDir, "customers.list_contacts", { organisation_id: orgId }).items[0];
  // On the minute, two to three minutes ahead: the scheduler sleeps towards it exactly.
  const start = new Date(Math.ceil((Date.now() + 120_000) / 60_000) * 60_000);
  const local = wallClock(start, data.zone);

  await (await $("card-tab-contacts")).click();
  await (await $("contact-schedule")).click();
  await (await $("schedule-dialog")).waitForDisplayed({ timeout: WAIT });
  await type(browser, data.topicTyped);
  await browser.waitUntil(
    async () => (await browser.execute(() => document.querySelector('[data-testid="interaction-topic-option"]')?.textContent ?? "")).includes(data.topic),
    { timeout: WAIT, timeoutMsg: `the topic ${data.topic} is offered` },
  );
  await type(browser, ENTER);
  await (await $("schedule-zone")).click();
  await fill(browser, "schedule-zone", data.zone);
  const zoneOption = await browser.$(`[data-testid="schedule-zone-option"]`);
  await zoneOption.waitForDisplayed({ timeout: WAIT });
  await zoneOption.click();
  await fill(browser, "schedule-date", local.slice(0, 10));
  await fill(browser, "schedule-time", local.slice(11, 16));
  await (await $("schedule-repeat-weekly")).click();
  await (await $("schedule-lead-0")).click();
  await fill(browser, "schedule-note", data.note);
  await noEnglishLeft("the schedule dialog", [data.note, data.zone]);
  await shot("12-schedule-weekly-call");
  await chord(browser, CTRL, ENTER);
  await (await $("schedule-notice")).waitForDisplayed({ timeout: WAIT });

  const [planned] = accord(app.dataDir, "interactions.list_scheduled", { contact_id: contact.id }).items;
  assert.ok(planned, "the call is stored");
  assert.equal(planned.time_zone, data.zone, "in the person's zone");
  assert.equal(Date.parse(planned.due_at), start.getTime(), `at ${local} ${data.zone}`);
  assert.match(planned.recurrence ?? "", /^FREQ=WEEKLY/, "weekly");
  assert.equal(planned.remind_at, planned.due_at, "reminded at its start");
  assert.equal(planned.responsible_id, responsibleId);
  assert.equal(planned.note, data.note);

  // The week view shows it.
  await (await $("nav-calendar")).click();
  const weekView = await $("calendar-view-week");
  await weekView.waitForDisplayed({ timeout: WAIT });
  await weekView.click();
  const event = await browser.$(`[data-testid="calendar-event"][data-id="${planned.id}"]`);
  await event.waitForDisplayed({ timeout: WAIT });
  const eventText = await browser.execute((id) => document.querySelector(`[data-testid="calendar-event"][data-id="${id}"]`).textContent, planned.id);
  assert.match(eventText, new RegExp(`${data.topic} — ${contactName}`), "titled by its topic and whom");
  await noEnglishLeft("the calendar's week", [data.topic, contactName, data.org]);
  await shot("12-calendar-week");
  // The month (Solar Hijri in Persian, weeks from Saturday) holds it too.
  await (await $("calendar-view-month")).click();
  await browser.$(`[data-testid="calendar-event"][data-id="${planned.id}"]`).waitForDisplayed({ timeout: WAIT });
  await noEnglishLeft("the calendar's month", [data.topic, contactName, data.org]);
  await shot("12-calendar-month");
  return { ...planned, start };
}

/**
 * A service-desk operator logs a call from the keyboard, without the mouse: Ctrl+L, a few
 * letters of the contact's name, Enter, a few of the topic's, Enter, the summary, Ctrl+Enter.
 * Timed from the shortcut to the confirmation (COMM-1: under ten seconds). The call is then
 * on the card's Interactions tab and in the database.
 */
async function logACallFromTheKeyboard({ lang, app, browser, $, accord, shot, noEnglishLeft, orgId, orgName, contactTyped, contactName }) {
  const data = INTERACTIONS[lang];
  const topic = accord(app.dataDir, "interactions.define_topic", { name: data.topic });
  const contact = accord(app.dataDir, "customers.list_contacts", { organisation_id: orgId }).items[0];
  const option = async (testid, text) => {
    await browser.waitUntil(
      async () => {
        const options = await browser.$$(`[data-testid="${testid}"]`);
        return options.length > 0 && (await options[0].getText()).includes(text);
      },
      { timeout: WAIT, timeoutMsg: `${testid} offers ${text}` },
    );
  };

  const started = Date.now();
  await chord(browser, CTRL, "l");
  await (await $("log-interaction-dialog")).waitForDisplayed({ timeout: WAIT });
  await type(browser, contactTyped);
  await option("interaction-with-option", contactName);
  await type(browser, ENTER);
  await type(browser, data.topicTyped);
  await option("interaction-topic-option", data.topic);
  await type(browser, ENTER);
  await type(browser, data.summary);
  const typedIn = Date.now() - started;
  const shooting = Date.now();
  await shot("11-log-call-keyboard");
  const shotTook = Date.now() - shooting;
  await chord(browser, CTRL, ENTER);
  await (await $("interaction-saved")).waitForDisplayed({ timeout: WAIT });
  const seconds = (Date.now() - started - shotTook) / 1000;
  assert.ok(seconds < 10, `a call is logged from the keyboard in under 10 s: ${seconds} s`);

  const logged = accord(app.dataDir, "interactions.list", { contact_id: contact.id }).items;
  assert.equal(logged.length, 1, "the call is stored once");
  assert.equal(logged[0].summary, data.summary);
  assert.equal(logged[0].topic_id, topic.id);
  assert.equal(logged[0].channel, "phone", "a call by default");
  assert.equal(logged[0].form, "oral");
  assert.equal(logged[0].organisation_id, orgId, "with the contact's organisation");

  // The call on the customer's card.
  await (await $("nav-customers")).click();
  await (await $("customers-search")).setValue(orgName);
  // The list re-renders as hits arrive: read its rows in one go rather than element by element.
  await browser.waitUntil(
    async () => {
      const rows = await browser.execute(() =>
        [...document.querySelectorAll('[data-testid="org-row"]')].map((row) => row.textContent),
      );
      return rows.length === 1 && rows[0].includes(orgName);
    },
    { timeout: WAIT, timeoutMsg: `the list finds ${orgName}` },
  );
  await (await browser.$('[data-testid="org-row"]')).click();
  await (await $("card-tab-interactions")).click();
  const row = await $("interaction-row");
  await row.waitForDisplayed({ timeout: WAIT });
  assert.match(await row.getText(), new RegExp(data.topic));
  await noEnglishLeft("interactions on the card", [data.summary]);
  await shot("11-card-interactions");
  return { seconds, typedIn, topic, logged: logged[0] };
}

/**
 * COMM-1: a file attached to the call from its row on the card — the system's Open dialog
 * returns the file the script named (ACCORD_TEST_CHOSEN_FILE) — kept with its SHA-256, then
 * saved back out through the Save dialog byte for byte.
 */
async function filesOfTheCall({ app, $, accord, shot, noEnglishLeft, call }) {
  const chosen = process.env.ACCORD_TEST_CHOSEN_FILE;
  const name = basename(chosen);
  await (await $("interaction-files")).click();
  await (await $("attachments-panel")).waitForDisplayed({ timeout: WAIT });
  await (await $("attachments-add")).click();
  const file = await $("attachment-row");
  await file.waitForDisplayed({ timeout: WAIT });
  assert.ok((await file.getText()).includes(name), `the call lists ${name}`);
  const kept = accord(app.dataDir, "attachments.list", { table: "interactions", record_id: call.id }).attachments;
  assert.equal(kept.length, 1, "the file is attached once");
  assert.equal(kept[0].sha256, createHash("sha256").update(readFileSync(chosen)).digest("hex"), "kept with its hash");

  await (await $("attachment-save")).click();
  await (await $("attachments-saved")).waitForDisplayed({ timeout: WAIT });
  const saved = join(process.env.ACCORD_TEST_SAVE_FOLDER, name);
  assert.ok(readFileSync(saved).equals(readFileSync(chosen)), "saved back byte for byte");
  await noEnglishLeft("the call's files", [name]);
  // The "logged" notice fades after five seconds; the files' row is under it until then.
  await (await $("interaction-saved")).waitForDisplayed({ timeout: WAIT, reverse: true });
  await shot("11-call-files");
}

/** Runs tests/e2e/desktop.py with Debian's python3 (it has dbus and Xlib). */
function desktop(...args) {
  return execFileSync("/usr/bin/python3", [join(here, "desktop.py"), ...args], { encoding: "utf8" }).trim();
}

/** `date` as the wall clock in `zone` shows it: `2026-12-07T15:04:05`. */
function wallClock(date, zone) {
  const format = new Intl.DateTimeFormat("sv-SE", {
    timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit",
    hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23",
  });
  return format.format(date).replace(" ", "T");
}

/** `HH:MM` in `zone`, with Persian digits in Persian, as the notification writes it. */
function shownTime(date, zone, lang) {
  const text = wallClock(date, zone).slice(11, 16);
  return lang === "fa" ? text.replace(/\d/g, (d) => String.fromCharCode(0x06f0 + Number(d))) : text;
}

async function until(check, what, timeout = WAIT, interval = 250) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, interval));
  }
}

/**
 * Hides the window as its close button does and waits for the planned call's reminder: title
 * and body in the window's language, at its time, once. Clicking the notification brings the
 * window back with the scheduled contact open; marking it done logs the call on the
 * customer's history and moves the series a week on. Then, hidden again, a second start of
 * the app brings the window back.
 */
async function reminderWithTheWindowHidden({ lang, app, browser, $, accord, application, shot, noEnglishLeft, planned, orgName, contactName }) {
  const data = INTERACTIONS[lang];
  const remindAt = Date.parse(planned.remind_at);
  await hideTheWindow();

  const title = `${data.call}: ${contactName} (${orgName})`;
  const shownAs = () => JSON.parse(desktop("notifications")).filter((n) => n.summary === title);
  const [notification] = await until(
    () => (shownAs().length ? shownAs() : null),
    `the reminder "${title}" is shown`,
    remindAt - Date.now() + 20_000,
    500,
  );
  assert.equal(notification.app, "Accord");
  assert.equal(notification.body, `${shownTime(planned.start, data.zone, lang)} · ${data.topic}\n${data.note}`);
  const lateBy = notification.at * 1000 - remindAt;
  assert.ok(lateBy > -1000 && lateBy < 5000, `shown at its time: ${lateBy} ms after the reminder time`);
  await new Promise((r) => setTimeout(r, 3000));
  assert.equal(shownAs().length, 1, "shown once");
  assert.equal(accord(app.dataDir, "interactions.get_scheduled", { id: planned.id }).remind_at, null, "taken");

  // The person clicks it: the window comes back with the scheduled contact open.
  desktop("click-notification", String(notification.id));
  await until(() => desktop("mapped", "Accord") === "true", "clicking the reminder shows the window", 30_000);
  const panel = await $("scheduled-panel");
  await panel.waitForDisplayed({ timeout: WAIT });
  assert.match(await (await $("scheduled-with")).getText(), new RegExp(data.first));
  await (await $("scheduled-done")).click();
  await (await $("scheduled-summary")).waitForDisplayed({ timeout: WAIT });
  await type(browser, data.done);
  await noEnglishLeft("the reminder's scheduled contact", [data.done, data.note, data.zone]);
  await shot("13-reminder-opened-done");
  await chord(browser, CTRL, ENTER);
  await (await $("schedule-notice")).waitForDisplayed({ timeout: WAIT });
  const logged = accord(app.dataDir, "interactions.list", { contact_id: planned.contact_id }).items;
  assert.equal(logged[0].summary, data.done, "done logs the call on the customer's history");
  assert.equal(logged[0].channel, "phone");
  const moved = accord(app.dataDir, "interactions.get_scheduled", { id: planned.id });
  assert.equal(wallClock(new Date(moved.due_at), data.zone).slice(11), wallClock(planned.start, data.zone).slice(11), "the same time");
  assert.equal(Date.parse(moved.due_at) - planned.start.getTime(), 7 * 24 * 3_600_000, "a week on");

  // Hidden again, starting the app again hands over to the running one, which shows its window.
  await hideTheWindow();
  const again = spawn(application, [], {
    env: {
      ...process.env,
      XDG_DATA_HOME: join(app.home, "data"),
      XDG_CONFIG_HOME: join(app.home, "config"),
      XDG_CACHE_HOME: join(app.home, "cache"),
    },
    stdio: "ignore",
  });
  await until(() => desktop("mapped", "Accord") === "true", "a second start shows the hidden window", 30_000);
  await new Promise((resolve) => (again.exitCode !== null ? resolve() : again.on("exit", resolve)));
  await shot("11-reminder-window-back");
  return { lateBy };
}

/** As its close button does; asked again should the first request come before GTK listens. */
async function hideTheWindow() {
  await until(() => {
    if (desktop("mapped", "Accord") === "false") return true;
    desktop("close-window", "Accord");
    return false;
  }, "the window hides to the tray", WAIT, 2000);
}

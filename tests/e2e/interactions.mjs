// Interactions and reminders in the real window (COMM-1…COMM-3), a step of each language's
// scenario: a scheduled call's reminder arrives as a native notification with the window
// hidden in the tray, at its time, in the window's language; the window comes back when the
// app is started again. What the notification service received is read from the session
// bus (python3-dbusmock), what the database holds with the `accord` CLI.
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const WAIT = 15_000;

/** Each language's person plans in their own time zone; the topic is the administrator's. */
export const INTERACTIONS = {
  en: { zone: "Europe/London", topic: "Delivery follow-up", call: "Call", note: "Confirm the delivery date" },
  ru: { zone: "Europe/Moscow", topic: "Уточнение поставки", call: "Звонок", note: "Подтвердить дату поставки" },
  fa: { zone: "Asia/Tehran", topic: "پیگیری تحویل", call: "تماس تلفنی", note: "تأیید تاریخ تحویل" },
};

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
 * Plans a call with the card's contact (with the CLI, as a script beside the window would),
 * hides the window as its close button does, and waits for the reminder's notification:
 * title and body in the window's language, at the start less the lead, once. Then starts
 * the app again, which brings the hidden window back.
 */
export async function reminderWithTheWindowHidden({ lang, app, accord, application, orgId, orgName, contactName }) {
  const data = INTERACTIONS[lang];
  const topic = accord(app.dataDir, "interactions.define_topic", { name: data.topic });
  const contact = accord(app.dataDir, "customers.list_contacts", { organisation_id: orgId }).items[0];
  // The scheduler looks at least once a minute; a reminder further ahead is slept towards exactly.
  const start = new Date(Date.now() + 150_000);
  start.setMilliseconds(0);
  const planned = accord(app.dataDir, "interactions.schedule", {
    topic_id: topic.id, channel: "phone", contact_id: contact.id, note: data.note,
    starts_at: wallClock(start, data.zone), time_zone: data.zone, lead_minutes: 1,
  });
  const remindAt = Date.parse(planned.remind_at);
  assert.equal(remindAt, start.getTime() - 60_000, "reminded a minute before, in the planner's zone");

  desktop("close-window", "Accord");
  await until(() => desktop("mapped", "Accord") === "false", "the window hides to the tray");

  const title = `${data.call}: ${contactName} (${orgName})`;
  const shownAs = () => JSON.parse(desktop("notifications")).filter((n) => n.summary === title);
  const [notification] = await until(
    () => (shownAs().length ? shownAs() : null),
    `the reminder "${title}" is shown`,
    remindAt - Date.now() + 20_000,
    500,
  );
  assert.equal(notification.app, "Accord");
  assert.equal(notification.body, `${shownTime(start, data.zone, lang)} · ${data.topic}\n${data.note}`);
  const lateBy = notification.at * 1000 - remindAt;
  assert.ok(lateBy > -1000 && lateBy < 5000, `shown at its time: ${lateBy} ms after the reminder time`);
  await new Promise((r) => setTimeout(r, 3000));
  assert.equal(shownAs().length, 1, "shown once");
  assert.equal(accord(app.dataDir, "interactions.get_scheduled", { id: planned.id }).remind_at, null, "taken");

  // Starting the app again hands over to the running one, which shows its window.
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
  return { lateBy };
}

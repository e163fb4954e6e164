import { describe, expect, it } from "vitest";
import { i18n } from "../../../../i18n";
import { buildRule, parseRule, type Repeat } from "../recurrence";
import { describeRepeat } from "../words";
import { instantOf, untilDate, untilOf, wallAt, wallOf } from "../zones";

const weekly = (overrides: Partial<Repeat> = {}): Repeat => ({ freq: "weekly", interval: 1, byDay: ["MO", "WE"], end: { kind: "never" }, ...overrides });

describe("wall clocks in time zones", () => {
  it("reads a wall clock in a zone as its UTC instant, across daylight saving", () => {
    expect(instantOf(wallOf("2026-12-08", "10:00")!, "Asia/Tehran").toISOString()).toBe("2026-12-08T06:30:00.000Z");
    expect(instantOf(wallOf("2026-07-08", "10:00")!, "Europe/Berlin").toISOString()).toBe("2026-07-08T08:00:00.000Z");
    expect(instantOf(wallOf("2026-12-08", "10:00")!, "Europe/Berlin").toISOString()).toBe("2026-12-08T09:00:00.000Z");
    // 02:30 does not happen in Berlin on 29 March 2026: it is taken after the change.
    expect(instantOf(wallOf("2026-03-29", "02:30")!, "Europe/Berlin").toISOString()).toBe("2026-03-29T01:30:00.000Z");
    expect(wallAt(new Date("2026-12-08T06:30:00Z"), "Asia/Tehran")).toEqual({ year: 2026, month: 12, day: 8, hour: 10, minute: 0, second: 0 });
  });

  it("refuses dates and times that are none", () => {
    expect(wallOf("2026-02-30", "10:00")).toBeNull();
    expect(wallOf("2026-12-08", "24:00")).toBeNull();
    expect(wallOf("", "10:00")).toBeNull();
  });

  it("ends a series at the end of the chosen day in the contact's zone, in UTC", () => {
    expect(untilOf("2027-06-01", "Asia/Tehran")).toBe("20270601T202959Z");
    expect(untilOf("2027-06-01", "Europe/Moscow")).toBe("20270601T205959Z");
    expect(untilOf("2027-06-01", "UTC")).toBe("20270601T235959Z");
    expect(untilDate("20270601T202959Z", "Asia/Tehran")).toBe("2027-06-01");
    expect(untilDate("20270601", "Asia/Tehran")).toBe("2027-06-01");
  });
});

describe("building a rule from the dialog's choices", () => {
  it("writes a weekly rule on the chosen days, Monday first, with its interval", () => {
    expect(buildRule(weekly({ byDay: ["WE", "MO"] }), "UTC")).toBe("FREQ=WEEKLY;INTERVAL=1;BYDAY=MO,WE");
    expect(buildRule(weekly({ interval: 2, byDay: ["SA"] }), "UTC")).toBe("FREQ=WEEKLY;INTERVAL=2;BYDAY=SA");
  });

  it("writes daily, monthly and yearly rules without days", () => {
    expect(buildRule({ freq: "daily", interval: 3, byDay: ["MO"], end: { kind: "never" } }, "UTC")).toBe("FREQ=DAILY;INTERVAL=3");
    expect(buildRule({ freq: "monthly", interval: 1, byDay: [], end: { kind: "count", count: 10 } }, "UTC")).toBe("FREQ=MONTHLY;INTERVAL=1;COUNT=10");
    expect(buildRule({ freq: "yearly", interval: 1, byDay: [], end: { kind: "never" } }, "UTC")).toBe("FREQ=YEARLY;INTERVAL=1");
  });

  it("ends on a date as UNTIL at the end of that day in the zone, in UTC", () => {
    expect(buildRule(weekly({ end: { kind: "until", date: "2027-06-01" } }), "Asia/Tehran")).toBe("FREQ=WEEKLY;INTERVAL=1;BYDAY=MO,WE;UNTIL=20270601T202959Z");
  });

  it("writes nothing it cannot: no weekday, no end date, a count or interval below one", () => {
    expect(buildRule(weekly({ byDay: [] }), "UTC")).toBeNull();
    expect(buildRule(weekly({ end: { kind: "until", date: "" } }), "UTC")).toBeNull();
    expect(buildRule(weekly({ end: { kind: "count", count: 0 } }), "UTC")).toBeNull();
    expect(buildRule(weekly({ interval: 0 }), "UTC")).toBeNull();
  });
});

describe("reading a rule back for editing", () => {
  it("reads what it built", () => {
    const repeats: Repeat[] = [
      weekly(),
      weekly({ interval: 3, byDay: ["TU", "FR", "SU"], end: { kind: "count", count: 7 } }),
      weekly({ end: { kind: "until", date: "2027-06-01" } }),
      { freq: "daily", interval: 2, byDay: [], end: { kind: "never" } },
      { freq: "monthly", interval: 1, byDay: [], end: { kind: "until", date: "2027-01-31" } },
      { freq: "yearly", interval: 1, byDay: [], end: { kind: "count", count: 3 } },
    ];
    for (const zone of ["UTC", "Asia/Tehran", "Europe/Moscow", "America/New_York"])
      for (const repeat of repeats) expect(parseRule(buildRule(repeat, zone)!, zone, "MO"), `${zone} ${JSON.stringify(repeat)}`).toEqual(repeat);
  });

  it("reads rules written elsewhere: no INTERVAL, RRULE: prefix, a weekly rule on its start's day", () => {
    expect(parseRule("RRULE:FREQ=WEEKLY;UNTIL=20270601T000000Z", "UTC", "TH")).toEqual(weekly({ byDay: ["TH"], end: { kind: "until", date: "2027-06-01" } }));
    expect(parseRule("freq=daily;count=5", "UTC", "MO")).toEqual({ freq: "daily", interval: 1, byDay: [], end: { kind: "count", count: 5 } });
  });

  it("does not read a rule it cannot show as choices (it is kept as text)", () => {
    for (const rule of [
      "FREQ=MONTHLY;BYDAY=1MO",
      "FREQ=MONTHLY;BYMONTHDAY=-1",
      "FREQ=HOURLY;INTERVAL=4",
      "FREQ=WEEKLY;BYDAY=MO;BYSETPOS=1",
      "FREQ=DAILY;COUNT=3;UNTIL=20270101T000000Z",
      "FREQ=DAILY;INTERVAL=0",
      "FREQ=DAILY;FREQ=WEEKLY",
      "nonsense",
    ])
      expect(parseRule(rule, "UTC", "MO"), rule).toBeNull();
  });
});

describe("a repeat in words", () => {
  it("says it in English, Russian and Persian, with the language's digits and week order", () => {
    const repeat = weekly({ interval: 2, byDay: ["MO", "SA"], end: { kind: "count", count: 5 } });
    expect(describeRepeat(i18n.getFixedT("en"), "en", repeat)).toBe("Every 2 weeks on Monday and Saturday, 5 times");
    expect(describeRepeat(i18n.getFixedT("ru"), "ru", repeat)).toBe("Каждые 2 недели: понедельник и суббота, 5 раз");
    // Persian: the week starts on Saturday, and digits are Persian.
    expect(describeRepeat(i18n.getFixedT("fa"), "fa", repeat)).toBe("هر ۲ هفته، شنبه و دوشنبه، ۵ بار");
    expect(describeRepeat(i18n.getFixedT("en"), "en", { freq: "daily", interval: 1, byDay: [], end: { kind: "never" } })).toBe("Every day");
    expect(describeRepeat(i18n.getFixedT("en"), "en", null)).toBe("Does not repeat");
  });

  it("names the last day in the reader's calendar", () => {
    const repeat: Repeat = { freq: "monthly", interval: 1, byDay: [], end: { kind: "until", date: "2026-12-22" } };
    expect(describeRepeat(i18n.getFixedT("en"), "en", repeat)).toBe("Every month, until 22 Dec 2026");
    expect(describeRepeat(i18n.getFixedT("fa"), "fa", repeat)).toContain("دی ۱۴۰۵");
  });
});

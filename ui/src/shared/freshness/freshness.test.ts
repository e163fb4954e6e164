import { describe, expect, it } from "vitest";
import { isStale, lastCurrent, monthsBefore, monthsFor } from "./freshness";

describe("freshness as the window reckons it", () => {
  it("counts from the confirmation, else from the creation", () => {
    expect(lastCurrent({ confirmed_at: "2026-05-01T10:00:00Z", created_at: "2020-01-01T00:00:00Z" })).toBe("2026-05-01T10:00:00Z");
    expect(lastCurrent({ confirmed_at: null, created_at: "2020-01-01T00:00:00Z" })).toBe("2020-01-01T00:00:00Z");
  });

  it("goes back calendar months, a day the earlier month lacks becoming its last", () => {
    expect(monthsBefore(new Date("2026-03-31T12:00:00Z"), 1).toISOString()).toBe("2026-02-28T12:00:00.000Z");
    expect(monthsBefore(new Date("2028-03-31T12:00:00Z"), 1).toISOString()).toBe("2028-02-29T12:00:00.000Z");
    expect(monthsBefore(new Date("2026-01-15T08:30:00Z"), 12).toISOString()).toBe("2025-01-15T08:30:00.000Z");
    expect(monthsBefore(new Date("2026-02-10T00:00:00Z"), 14).toISOString()).toBe("2024-12-10T00:00:00.000Z");
  });

  it("calls stale what was last current longer ago than the months", () => {
    const now = new Date("2026-12-10T12:00:00Z");
    expect(isStale({ confirmed_at: null, created_at: "2025-12-10T11:59:59Z" }, 12, now)).toBe(true);
    expect(isStale({ confirmed_at: null, created_at: "2025-12-10T12:00:00Z" }, 12, now)).toBe(false);
    expect(isStale({ confirmed_at: "2026-11-01T00:00:00Z", created_at: "2020-01-01T00:00:00Z" }, 12, now)).toBe(false);
    expect(isStale({ confirmed_at: "2026-06-09T00:00:00Z", created_at: "2020-01-01T00:00:00Z" }, 6, now)).toBe(true);
  });

  it("knows a kind's months only once the rules are read", () => {
    const rules = [
      { table: "organisations", months: 6, set: true },
      { table: "contacts", months: 12, set: false },
    ];
    expect(monthsFor(rules, "contacts")).toBe(12);
    expect(monthsFor(rules, "deals")).toBeUndefined();
    expect(monthsFor(undefined, "organisations")).toBeUndefined();
  });
});

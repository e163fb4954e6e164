import { describe, expect, it } from "vitest";
import { formatCalendarDate, formatDecimal, formatFileSize, formatPhone, formatSerial, isStoredPhone, roughCount } from "./format";

describe("formatPhone", () => {
  it("writes a stored E.164 number in its international format", () => {
    expect(formatPhone("+74951234567", "en")).toBe("+7 495 123 45 67");
    expect(formatPhone("+982112345678", "en")).toBe("+98 21 1234 5678");
    expect(formatPhone("+989121234567", "en")).toBe("+98 912 123 4567");
    expect(formatPhone("+442079460000", "en")).toBe("+44 20 7946 0000");
  });

  it("keeps Latin digits in every language: the number is dialled as written", () => {
    expect(formatPhone("+982112345678", "fa")).toBe("+98 21 1234 5678");
    expect(formatPhone("+74951234567", "ru")).toBe("+7 495 123 45 67");
  });

  it("names the extension in the language shown, the Persian word isolated so its digits stay after it", () => {
    expect(formatPhone("+74951234567;ext=12", "en")).toBe("+7 495 123 45 67 ext. 12");
    expect(formatPhone("+74951234567;ext=12", "ru")).toBe("+7 495 123 45 67 доб. 12");
    expect(formatPhone("+982112345678;ext=305", "fa")).toBe("+98 21 1234 5678 \u2068داخلی\u2069 305");
  });

  it("gives back what it cannot read as it is", () => {
    for (const raw of ["", "12", "+999", "+1", "not a phone", "+7 495 123-45-67", "+74951234567;ext=", "+74951234567;ext=12;x=1"]) {
      expect(formatPhone(raw, "en"), raw).toBe(raw);
    }
  });
});

describe("isStoredPhone", () => {
  it("tells the core's stored form from other text (a search hit's subtitle)", () => {
    expect(isStoredPhone("+74951234567")).toBe(true);
    expect(isStoredPhone("+74951234567;ext=12")).toBe(true);
    expect(isStoredPhone("Moscow")).toBe(false);
    expect(isStoredPhone("info@acme.example")).toBe(false);
    expect(isStoredPhone("74951234567")).toBe(false);
  });
});

describe("roughCount", () => {
  it("rounds to two significant digits, as 'about' says it", () => {
    expect(roughCount(0)).toBe(0);
    expect(roughCount(37)).toBe(37);
    expect(roughCount(600)).toBe(600);
    expect(roughCount(1234)).toBe(1200);
    expect(roughCount(99_999)).toBe(100_000);
    expect(roughCount(123_456)).toBe(120_000);
  });
});

describe("formatSerial", () => {
  it("writes a number that names something in the language's digits, without thousands separators", () => {
    expect(formatSerial(12345, "en")).toBe("12345");
    expect(formatSerial(12345, "ru")).toBe("12345");
    expect(formatSerial(12345, "fa")).toBe("۱۲۳۴۵");
  });
});

describe("formatCalendarDate", () => {
  it("writes a stored day as that day, whatever the time zone, in the language's calendar", () => {
    expect(formatCalendarDate("2026-12-07", "en")).toBe("7 Dec 2026");
    expect(formatCalendarDate("2026-12-07", "fa")).toBe("۱۶ آذر ۱۴۰۵");
    expect(formatCalendarDate("not a date", "en")).toBe("not a date");
  });
});

describe("formatDecimal", () => {
  it("keeps every decimal the value has, in the language's digits and separators", () => {
    expect(formatDecimal("1250.50", "en")).toBe("1,250.50");
    expect(formatDecimal("1250.50", "ru")).toBe("1\u00a0250,50");
    expect(formatDecimal("1250.50", "fa")).toBe("۱٬۲۵۰٫۵۰");
    expect(formatDecimal("-3", "en")).toBe("-3");
    expect(formatDecimal("12345678901234567.89", "en")).toBe("12,345,678,901,234,567.89");
    expect(formatDecimal("n/a", "en")).toBe("n/a");
  });
});

describe("formatFileSize", () => {
  it("says a file's size in the largest unit under 1024 of it, one decimal below ten", () => {
    expect(formatFileSize(0, "en")).toBe("0 bytes");
    expect(formatFileSize(1, "en")).toBe("1 byte");
    expect(formatFileSize(512, "en")).toBe("512 bytes");
    expect(formatFileSize(2048, "en")).toBe("2 kB");
    expect(formatFileSize(2.4 * 1024 * 1024, "en")).toBe("2.4 MB");
    expect(formatFileSize(25 * 1024 * 1024, "en")).toBe("25 MB");
    expect(formatFileSize(1024 * 1024 - 1, "en")).toBe("1 MB");
    expect(formatFileSize(3 * 1024 ** 3, "en")).toBe("3 GB");
  });

  it("writes the language's digits, separators and unit words", () => {
    expect(formatFileSize(2.4 * 1024 * 1024, "ru")).toBe("2,4 МБ");
    expect(formatFileSize(5, "ru")).toBe("5 байт");
    expect(formatFileSize(2.4 * 1024 * 1024, "fa")).toMatch(/^۲٫۴/);
    expect(formatFileSize(512, "fa")).toBe("۵۱۲ بایت");
  });
});

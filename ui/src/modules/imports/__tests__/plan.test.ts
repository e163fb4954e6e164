import { describe, expect, it } from "vitest";
import type { InspectedFile } from "../../../api/generated";
import { i18n } from "../../../i18n";
import { defaultCountryFor, formatDescription, noticeText, problemText, readDate } from "../labels";
import {
  firstSampleDate,
  mappingErrorsByColumn,
  mappingOf,
  missingRequired,
  mustAskDateOrder,
  planOf,
  sameFieldAs,
  selectionOf,
  shownDateOrder,
} from "../plan";

function file(overrides: Partial<InspectedFile> = {}): InspectedFile {
  return {
    file_name: "f.csv",
    format: { format: "csv", encoding: "utf8", delimiter: "," } as unknown as InspectedFile["format"],
    headers: ["Name", "Signed", "Renewed", "Size"],
    sample: [["A", "", "13/02/2026", "5"], ["B", "03/04/2026", "", "6"]],
    estimated_rows: 2,
    targets: [
      { field: "name", label: null, required: true, kind: "text" },
      { field: "custom.signed", label: "Signed", required: false, kind: "date" },
      { field: "custom.renewed", label: "Renewed", required: false, kind: "date" },
      { field: "custom.size", label: "Size", required: false, kind: "number" },
    ],
    mapping: [
      { column: 0, field: "name" },
      { column: 1, field: "custom.signed" },
      // A field no longer offered (retired since it was remembered) is dropped.
      { column: 3, field: "custom.gone" },
    ],
    remembered: true,
    date_order: null,
    date_columns: [
      { column: 1, reading: { reading: "ambiguous" } },
      { column: 2, reading: { reading: "shows", order: "day_month_year" } },
    ],
    ...overrides,
  };
}

describe("the plan sent", () => {
  it("maps the columns chosen, in the file's order, with only what was said", () => {
    const selection = selectionOf(file());
    expect(selection).toEqual(["name", "custom.signed", "", ""]);
    expect(mappingOf(["", "email", "", "name"])).toEqual([
      { column: 1, field: "email" },
      { column: 3, field: "name" },
    ]);
    expect(planOf({ path: "/f.csv", table: "contacts", selection, dateOrder: "", country: "  " })).toEqual({
      path: "/f.csv",
      table: "contacts",
      mapping: [
        { column: 0, field: "name" },
        { column: 1, field: "custom.signed" },
      ],
    });
    expect(planOf({ path: "/f.csv", table: "contacts", selection, dateOrder: "month_day_year", country: " ir" })).toMatchObject({
      date_order: "month_day_year",
      defaults: { country: "IR" },
    });
  });

  it("finds a required field left out, and two columns filling one field", () => {
    const { targets } = file();
    expect(missingRequired(targets, ["", "custom.signed", "", ""]).map((t) => t.field)).toEqual(["name"]);
    expect(missingRequired(targets, ["name", "", "", ""])).toEqual([]);
    expect(sameFieldAs(["name", "", "name", ""], 2)).toBe(0);
    expect(sameFieldAs(["name", "", "name", ""], 1)).toBeNull();
  });

  it("puts the core's mapping.N problems at the file column the Nth column sent is", () => {
    const sent = mappingOf(["", "email", "", "name"]);
    const error = { code: "invalid_input" as const, message: "", fields: { "mapping.1.field": { code: "unknown_field" as const, message: "" }, mapping: { code: "required" as const, message: "" } } };
    expect([...mappingErrorsByColumn(error, sent)]).toEqual([[3, { code: "unknown_field", message: "" }]]);
    expect(mappingErrorsByColumn(null, sent).size).toBe(0);
  });
});

describe("the order of day and month", () => {
  it("is asked when a date field is filled from a column whose dates read either way, never guessed", () => {
    const f = file();
    expect(mustAskDateOrder(f, ["name", "custom.signed", "", ""])).toBe(true);
    expect(shownDateOrder(f, ["name", "custom.signed", "", ""])).toBeNull();
    // The column whose dates show the order: nothing to ask, the order is shown.
    expect(mustAskDateOrder(f, ["name", "", "custom.renewed", ""])).toBe(false);
    expect(shownDateOrder(f, ["name", "", "custom.renewed", ""])).toBe("day_month_year");
    // Dates into a text field, or not imported: nothing to ask.
    expect(mustAskDateOrder(f, ["name", "", "", ""])).toBe(false);
    // Columns that show different orders: asked.
    const disagreeing = file({
      date_columns: [
        { column: 1, reading: { reading: "shows", order: "month_day_year" } },
        { column: 2, reading: { reading: "shows", order: "day_month_year" } },
      ],
    });
    expect(mustAskDateOrder(disagreeing, ["name", "custom.signed", "custom.renewed", ""])).toBe(true);
  });

  it("shows how the first sample date of the mapped ambiguous column reads each way", () => {
    expect(firstSampleDate(file(), ["name", "custom.signed", "", ""])).toBe("03/04/2026");
    expect(readDate("03/04/2026", "day_month_year")).toBe("2026-04-03");
    expect(readDate("03/04/2026", "month_day_year")).toBe("2026-03-04");
    expect(readDate("13.02.2026", "month_day_year")).toBeNull();
    expect(readDate("۱۳/۰۲/۲۰۲۶", "day_month_year")).toBe("2026-02-13");
    expect(readDate("2026-02-13", "day_month_year")).toBeNull();
  });
});

describe("words", () => {
  it("say what the file is, and suggest a default country by the window's language", () => {
    const t = i18n.getFixedT("en");
    expect(formatDescription(t, { format: "csv", encoding: "utf16_le", delimiter: "\t" })).toBe("CSV, UTF-16 LE, separated by tabs");
    expect(formatDescription(t, { format: "xlsx", sheet: "Clients" })).toBe("Excel workbook, sheet “Clients”");
    expect(formatDescription(i18n.getFixedT("fa"), { format: "xlsx", sheet: "Clients" })).toBe("کارپوشهٔ اکسل، برگهٔ «Clients»");
    expect([defaultCountryFor("en"), defaultCountryFor("ru"), defaultCountryFor("fa")]).toEqual(["", "RU", "IR"]);
  });

  it("name the country a phone was read in, in the window's language; an unknown notice as the core wrote it", () => {
    const notice = { field: "phone", message: "The phone number has no country code; it was read as a number in RU, the import's default country." };
    expect(noticeText(i18n.getFixedT("ru"), notice, "ru")).toBe("Телефон: кода страны не было, номер прочитан по стране по умолчанию — Россия (RU).");
    expect(noticeText(i18n.getFixedT("en"), { field: "email", message: "Lower-cased." }, "en")).toBe("Email: Lower-cased.");
  });

  it("say why a value is not valid in the core's own words in English, and in the window's words otherwise", async () => {
    const problem = { code: "invalid_value" as const, message: "\"35.13.1990\" is not a date in the order chosen (day 35, month 13)." };
    await i18n.changeLanguage("en");
    expect(problemText(i18n.getFixedT("en"), problem)).toBe(problem.message);
    await i18n.changeLanguage("ru");
    expect(problemText(i18n.getFixedT("ru"), problem)).not.toBe(problem.message);
    expect(problemText(i18n.getFixedT("ru"), problem)).toMatch(/[А-я]/);
    await i18n.changeLanguage("en");
    expect(problemText(i18n.getFixedT("en"), { code: "invalid_email", message: "not an email" })).toBe("This is not a valid email address.");
  });
});

import { describe, expect, it } from "vitest";
import { csvField, recordsCsv, toCsv } from "./csv";

describe("toCsv", () => {
  it("starts with a UTF-8 byte order mark and ends every row with CRLF", () => {
    const csv = toCsv([["seq", "detail"], [1, "ok"]]);
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(csv.slice(1)).toBe("seq,detail\r\n1,ok\r\n");
    // Encoded, the mark is the three bytes Excel looks for.
    expect([...new TextEncoder().encode(csv).slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  });

  it("quotes a field holding a comma, a quote or a line break, doubling its quotes (RFC 4180)", () => {
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField("two\nlines")).toBe('"two\nlines"');
    expect(csvField("two\r\nlines")).toBe('"two\r\nlines"');
    expect(csvField("plain")).toBe("plain");
  });

  it("writes nothing for a missing value and numbers as they are", () => {
    expect(toCsv([[null, undefined, "", 42, 0]]).slice(1)).toBe(",,,42,0\r\n");
  });

  it("neutralises what a spreadsheet would run as a formula with a leading apostrophe", () => {
    expect(csvField("=HYPERLINK(\"http://evil\")")).toBe("\"'=HYPERLINK(\"\"http://evil\"\")\"");
    expect(csvField("+1+1")).toBe("'+1+1");
    expect(csvField("-2+3")).toBe("'-2+3");
    expect(csvField("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvField("\t=1")).toBe("'\t=1");
    // A carriage return needs the quotes as well.
    expect(csvField("\r=1")).toBe("\"'\r=1\"");
    // Only the start counts: the same characters inside text are harmless.
    expect(csvField("a=b-c+d@e")).toBe("a=b-c+d@e");
  });

  it("keeps Cyrillic and Persian text exactly as it is", () => {
    // The Persian comma (U+060C) is not the field separator: it needs no quotes.
    const persian = "مشتری «آکورد»، تهران";
    const russian = "ООО «Ромашка», Москва";
    expect(toCsv([[persian, russian]]).slice(1)).toBe(`${persian},"${russian}"\r\n`);
    expect(new TextDecoder().decode(new TextEncoder().encode(toCsv([[persian]])))).toBe(`${persian}\r\n`);
  });
});

describe("recordsCsv", () => {
  it("writes the columns as the header, then each record's values in their order, a missing one empty", () => {
    const records = [{ seq: 2, title: "=1+1", note: "kept out" }, { seq: 1 }];
    expect(recordsCsv(["title", "seq"], records).slice(1)).toBe("title,seq\r\n'=1+1,2\r\n,1\r\n");
  });
});

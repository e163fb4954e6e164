import { describe, expect, it } from "vitest";
import en from "./locales/en.json";
import fa from "./locales/fa.json";
import ru from "./locales/ru.json";
import type { ErrorCode, FieldCode, OrganisationKind } from "../api/generated";

function flatten(value: unknown, prefix = ""): Map<string, unknown> {
  const out = new Map<string, unknown>();
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) {
      for (const [kk, vv] of flatten(v, prefix ? `${prefix}.${k}` : k)) out.set(kk, vv);
    }
  } else {
    out.set(prefix, value);
  }
  return out;
}

const locales = { en: flatten(en), ru: flatten(ru), fa: flatten(fa) };

describe("locale files", () => {
  it("have exactly the same keys", () => {
    const enKeys = [...locales.en.keys()].sort();
    expect(enKeys.length).toBeGreaterThan(100);
    expect([...locales.ru.keys()].sort()).toEqual(enKeys);
    expect([...locales.fa.keys()].sort()).toEqual(enKeys);
  });

  it("have no empty or non-string values", () => {
    for (const [name, map] of Object.entries(locales)) {
      for (const [key, value] of map) {
        expect(typeof value, `${name}:${key}`).toBe("string");
        expect((value as string).trim(), `${name}:${key}`).not.toBe("");
      }
    }
  });

  it("use the same interpolation placeholders in every language", () => {
    const placeholders = (s: unknown) => [...String(s).matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
    for (const [key, value] of locales.en) {
      expect(placeholders(locales.ru.get(key)), `ru:${key}`).toEqual(placeholders(value));
      expect(placeholders(locales.fa.get(key)), `fa:${key}`).toEqual(placeholders(value));
    }
  });

  it("translate every error code, field code and kind of the core", () => {
    const errorCodes: Record<ErrorCode, true> = {
      invalid_input: true, unknown_operation: true, permission_denied: true, not_found: true, archived: true,
      conflict: true, schema_too_new: true, database_unavailable: true, busy: true, internal: true,
    };
    const fieldCodes: Record<FieldCode, true> = {
      unknown_field: true, wrong_type: true, required: true, too_long: true, invalid_email: true,
      invalid_phone: true, invalid_value: true, unknown_id: true, archived: true, stale_version: true,
    };
    const kinds: Record<OrganisationKind, true> = { customer: true, prospect: true, supplier: true, partner: true };
    for (const code of Object.keys(errorCodes)) expect(locales.en.has(`errors.code.${code}`), code).toBe(true);
    for (const code of Object.keys(fieldCodes)) expect(locales.en.has(`errors.field.${code}`), code).toBe(true);
    for (const kind of Object.keys(kinds)) expect(locales.en.has(`kinds.${kind}`), kind).toBe(true);
  });

  it("are really translated", () => {
    expect(locales.ru.get("nav.customers")).toBe("Клиенты");
    expect(locales.fa.get("nav.customers")).toBe("مشتریان");
    expect(locales.fa.get("form.save")).toBe("ذخیره");
    const same = [...locales.en].filter(([k, v]) => locales.fa.get(k) === v && !k.startsWith("languages.") && !/shortcut|Shortcut|none|urlPlaceholder/.test(k));
    expect(same.map(([k]) => k)).toEqual([]);
  });
});

import { describe, expect, it } from "vitest";
import en from "./locales/en.json";
import fa from "./locales/fa.json";
import ru from "./locales/ru.json";
import { i18n } from ".";
import type { BuiltInRole, ErrorCode, FieldCode, OrganisationKind, Permission } from "../api/generated";
import { permissionKey } from "../modules/admin/labels";

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

const PLURAL_SUFFIX = /_(zero|one|two|few|many|other)$/;
/** A key without its i18next plural suffix ("customers.countAbout_few" → "customers.countAbout"). */
const baseKey = (key: string) => key.replace(PLURAL_SUFFIX, "");
const baseKeys = (map: Map<string, unknown>) => [...new Set([...map.keys()].map(baseKey))].sort();

describe("locale files", () => {
  it("have exactly the same keys, plural forms aside", () => {
    const enKeys = baseKeys(locales.en);
    expect(enKeys.length).toBeGreaterThan(100);
    expect(baseKeys(locales.ru)).toEqual(enKeys);
    expect(baseKeys(locales.fa)).toEqual(enKeys);
  });

  it("give every plural exactly the forms its language has (Russian one/few/many, Persian one/other)", () => {
    for (const [name, map] of Object.entries(locales)) {
      const categories = new Intl.PluralRules(name).resolvedOptions().pluralCategories;
      const plurals = new Set([...map.keys()].filter((k) => PLURAL_SUFFIX.test(k)).map(baseKey));
      expect(plurals.size, name).toBeGreaterThan(0);
      for (const key of plurals) {
        const forms = [...map.keys()].filter((k) => baseKey(k) === key && k !== key).map((k) => k.slice(key.length + 1));
        expect(forms.sort(), `${name}:${key}`).toEqual([...categories].sort());
      }
    }
  });

  it("have no empty or non-string values", () => {
    for (const [name, map] of Object.entries(locales)) {
      for (const [key, value] of map) {
        expect(typeof value, `${name}:${key}`).toBe("string");
        expect((value as string).trim(), `${name}:${key}`).not.toBe("");
      }
    }
  });

  it("pick the plural form of the number in each language", () => {
    const organisations = (lng: string, n: number) => i18n.t("customers.countExact", { lng, count: n, total: String(n) });
    expect([1, 2].map((n) => organisations("en", n))).toEqual(["1 organisation", "2 organisations"]);
    expect([1, 3, 5, 11, 21, 24].map((n) => organisations("ru", n))).toEqual([
      "1 организация", "3 организации", "5 организаций", "11 организаций", "21 организация", "24 организации",
    ]);
    expect([1, 2].map((n) => organisations("fa", n))).toEqual(["1 سازمان", "2 سازمان"]);
  });

  it("use the same interpolation placeholders in every language", () => {
    const placeholders = (s: unknown) => [...String(s).matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
    // A plural form English lacks (Russian "few", "many") is held to English "other".
    const english = (key: string) => locales.en.get(key) ?? locales.en.get(`${baseKey(key)}_other`);
    for (const [name, map] of Object.entries({ ru: locales.ru, fa: locales.fa })) {
      for (const [key, value] of map) expect(placeholders(value), `${name}:${key}`).toEqual(placeholders(english(key)));
    }
  });

  it("translate every error code, field code and kind of the core", () => {
    const errorCodes: Record<ErrorCode, true> = {
      invalid_input: true, unknown_operation: true, permission_denied: true, not_found: true, archived: true,
      conflict: true, schema_too_new: true, database_unavailable: true, schema_outdated: true, busy: true, internal: true,
      sign_in_failed: true, account_locked: true, signed_out: true, second_factor_required: true, second_factor_wrong: true,
      second_factor_replayed: true, cancelled: true, storage_full: true,
    };
    const fieldCodes: Record<FieldCode, true> = {
      unknown_field: true, wrong_type: true, required: true, too_short: true, too_long: true, invalid_email: true,
      invalid_phone: true, invalid_value: true, unknown_id: true, archived: true, stale_version: true, file_not_found: true,
    };
    const kinds: Record<OrganisationKind, true> = { customer: true, prospect: true, supplier: true, partner: true };
    for (const code of Object.keys(errorCodes)) expect(locales.en.has(`errors.code.${code}`), code).toBe(true);
    for (const code of Object.keys(fieldCodes)) expect(locales.en.has(`errors.field.${code}`), code).toBe(true);
    for (const kind of Object.keys(kinds)) expect(locales.en.has(`kinds.${kind}`), kind).toBe(true);
  });

  it("name every permission and built-in role of the core", () => {
    // Records over the generated unions: a permission or role added in Rust fails to compile here
    // until it is listed, and then fails below until it has a label.
    const permissions: Record<Permission, true> = {
      "attachments.read": true, "attachments.write": true,
      "audit.read": true, "customers.archive": true, "customers.read": true, "customers.write": true, "duplicates.find": true, "duplicates.merge": true, "fields.manage": true, "fields.read": true, "freshness.manage": true, "history.read": true, "imports.run": true,
      "interactions.archive": true, "interactions.manage_topics": true, "interactions.read": true, "interactions.write": true,
      "preferences.own": true, "roles.manage": true, "search.query": true, "security.directory": true, "security.own_account": true, "segments.manage": true, "segments.read": true, "session.use": true, "settings.manage": true,
      "sync.replicate": true, "sync.resolve": true, "tasks.read": true, "tasks.write": true, "users.manage": true, "workflow.manage": true, "workflow.read": true,
    };
    const roles: Record<BuiltInRole, true> = {
      administrator: true, manager: true, sales: true, service_desk: true, quality: true, auditor: true, newcomer: true,
    };
    for (const permission of Object.keys(permissions)) expect(locales.en.has(permissionKey(permission)), permission).toBe(true);
    for (const role of Object.keys(roles)) expect(locales.en.has(`roles.${role}`), role).toBe(true);
    expect(permissionKey("customers.read")).toBe("permissions.customers_read");
  });

  it("are really translated", () => {
    expect(locales.ru.get("nav.customers")).toBe("Клиенты");
    expect(locales.fa.get("nav.customers")).toBe("مشتریان");
    expect(locales.fa.get("form.save")).toBe("ذخیره");
    const same = [...locales.en].filter(([k, v]) => locales.fa.get(k) === v && !k.startsWith("languages.") && !/shortcut|Shortcut|none|urlPlaceholder/.test(k));
    expect(same.map(([k]) => k)).toEqual([]);
  });

  it("never show an English text that the same language translates elsewhere (the end-to-end check for English left on screen)", () => {
    // A Russian "Email" column is fine, unless another English "Email" is translated as "Письмо":
    // then the end-to-end run would read the column as English left untranslated.
    for (const lang of ["ru", "fa"] as const) {
      const target = locales[lang];
      const untranslated = new Set(
        [...locales.en]
          .filter(([key, text]) => typeof text === "string" && /[A-Za-z]{3}/.test(text) && target.get(key) !== text && !text.includes("{{"))
          .map(([, text]) => text),
      );
      const clashing = [...target].filter(([, text]) => untranslated.has(text)).map(([key]) => key);
      expect(clashing, lang).toEqual([]);
    }
  });
});

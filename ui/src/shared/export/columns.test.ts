import { describe, expect, it } from "vitest";
import type { Colleagues } from "../../api/generated";
import { i18n } from "../../i18n";
import { customField } from "../../test/fakeTransport";
import { exportColumns, exportValueLabels, MAX_EXPORT_COLUMNS } from "./columns";

const t = i18n.t.bind(i18n);

const DIRECTORY: Colleagues = {
  users: [
    { id: "user-anna", display_name: "Anna Petrova", department_id: null, active: true },
    { id: "user-boris", display_name: "Boris Ivanov", department_id: null, active: false },
  ],
  departments: [],
};

describe("an export's columns", () => {
  it("are the kind's own, then its active custom fields in their order, at most 50", () => {
    const many = Array.from({ length: 60 }, (_, i) => customField({ key: `f${i}`, label: `Field ${i}` }));
    const columns = exportColumns(t, "organisations", many);
    expect(columns).toHaveLength(MAX_EXPORT_COLUMNS);
    expect(columns.slice(6, 9)).toEqual([
      { field: "phone", label: "Phone" },
      { field: "custom.f0", label: "Field 0" },
      { field: "custom.f1", label: "Field 1" },
    ]);
    expect(columns.at(-1)).toEqual({ field: "custom.f42", label: "Field 42" });
  });

  it("leave out retired fields and another kind's", () => {
    const fields = [
      customField({ key: "old", retired_at: "2026-11-21T09:00:00Z" }),
      customField({ key: "vip", label: "VIP", kind: "yes_no", record_table: "contacts" }),
    ];
    expect(exportColumns(t, "contacts", fields).map((c) => c.field)).toEqual([
      "full_name",
      "organisation_id",
      "role",
      "email",
      "phone",
      "custom.vip",
    ]);
  });
});

describe("an export's words for stored values", () => {
  it("name owners by the colleagues when they are known, and give nothing for them otherwise", () => {
    const columns = [{ field: "owner_id", label: "Owner" }];
    expect(exportValueLabels(t, columns, [], DIRECTORY)).toStrictEqual({ owner_id: { "user-anna": "Anna Petrova", "user-boris": "Boris Ivanov" } });
    expect(exportValueLabels(t, columns, [], undefined)).toStrictEqual({});
  });

  it("are given for yes/no and choices only among custom fields, and only for the columns exported", () => {
    const fields = [
      customField({ key: "vip", kind: "yes_no" }),
      customField({ key: "size", kind: "number" }),
      customField({ key: "parent", kind: "link", link_table: "organisations" }),
      customField({ key: "tier", kind: "choice", choices: [{ key: "a", label: "Tier A", retired: false }] }),
    ];
    const columns = ["custom.vip", "custom.size", "custom.parent", "city"].map((field) => ({ field, label: field }));
    expect(exportValueLabels(t, columns, fields, DIRECTORY)).toStrictEqual({ "custom.vip": { true: "Yes", false: "No" } });
  });

  it("are in the window's language", async () => {
    await i18n.changeLanguage("ru");
    const columns = [
      { field: "kind", label: "Тип" },
      { field: "custom.vip", label: "VIP" },
    ];
    expect(exportValueLabels(t, columns, [customField({ key: "vip", kind: "yes_no" })])).toStrictEqual({
      kind: { customer: "Клиент", prospect: "Лид", supplier: "Поставщик", partner: "Партнёр" },
      "custom.vip": { true: "Да", false: "Нет" },
    });
  });
});

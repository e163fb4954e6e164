// Tests only: a fake core behind the same Transport the app injects.

import type { Transport } from "../api/client";
import type {
  ApiError,
  CustomField,
  CustomFieldTarget,
  FieldList,
  InputOf,
  ListFieldsInput,
  ListOrganisationsInput,
  OperationName,
  Organisation,
  OrganisationPage,
  OrganisationRow,
  OutputOf,
  SessionStatus,
  SessionUser,
} from "../api/generated";

type Handlers = {
  [K in OperationName]?: (input: InputOf<K>) => OutputOf<K> | Promise<OutputOf<K>>;
} & { [op: string]: ((input: never) => unknown) | undefined };

export type Call = { op: string; input: unknown };

/** A database without users, as on first start: the window needs no sign-in. */
export const NO_USERS: SessionStatus = { has_users: false, user: null, can_remember: true };
/** A database with users, nobody signed in: the sign-in screen. */
export const SIGNED_OUT: SessionStatus = { has_users: true, user: null, can_remember: true };

export function sessionUser(overrides: Partial<SessionUser> = {}): SessionUser {
  return {
    id: "user-1",
    display_name: "Anna Petrova",
    all_permissions: false,
    permissions: [],
    sees_colleagues: overrides.all_permissions ?? false,
    ...overrides,
  };
}

/** Signed in as `user` (an administrator unless told otherwise). */
export function signedIn(user: Partial<SessionUser> = { all_permissions: true }): SessionStatus {
  return { has_users: true, user: sessionUser(user), can_remember: true };
}

/**
 * The app asks the shell who is signed in before it shows anything; unless a test fakes
 * `session.get` itself, the answer is a database without users (NO_USERS).
 */
export function fakeTransport(handlers: Handlers) {
  handlers = { "session.get": () => NO_USERS, ...handlers };
  const calls: Call[] = [];
  const transport: Transport = async (op, input) => {
    calls.push({ op, input });
    const handler = handlers[op] as ((input: unknown) => unknown) | undefined;
    if (!handler) {
      const error: ApiError = { code: "unknown_operation", message: `no fake for ${op}`, fields: {} };
      throw error;
    }
    return handler(input);
  };
  return {
    transport,
    calls,
    callsOf: <K extends OperationName>(op: K) => calls.filter((c) => c.op === op).map((c) => c.input as InputOf<K>),
  };
}

export function apiError(code: ApiError["code"], fields: ApiError["fields"] = {}, message = "core message"): ApiError {
  return { code, message, fields };
}

/**
 * A keyset page as the core returns it: the items, the cursors to its neighbours and, for
 * organisations, the estimated total (null, as the core says for a page after or before a cursor).
 */
export function page<T>(items: T[], next_cursor: string | null = null, prev_cursor: string | null = null, estimated_total: number | null = null) {
  return { items, next_cursor, prev_cursor, estimated_total };
}

/** The empty list (no organisations, no contacts). */
export const emptyPage = page<never>([]);

/**
 * A fake core over `total` organisations sorted by name, with the real paging contract: a page
 * after a cursor or before one (in list order), `next_cursor` and `prev_cursor` naming its last
 * and first rows, and no `prev_cursor` on the first page. Cursors are `c-<index>`. The first page
 * (no cursor) says about how many there are: `estimate`, the real total unless told otherwise.
 */
export function listCore(total: number, { estimate = total }: { estimate?: number } = {}) {
  const all = Array.from({ length: total }, (_, i) => row(i));
  return (input: ListOrganisationsInput): OrganisationPage => {
    const limit = input.limit ?? 50;
    let from: number;
    let to: number;
    if (input.before !== undefined) {
      to = Number(input.before.slice(2));
      from = Math.max(0, to - limit);
    } else {
      from = input.after !== undefined ? Number(input.after.slice(2)) + 1 : 0;
      to = Math.min(total, from + limit);
    }
    const firstPage = input.after === undefined && input.before === undefined;
    return page(all.slice(from, to), to < total ? `c-${to - 1}` : null, from > 0 ? `c-${from}` : null, firstPage ? estimate : null);
  };
}

export function row(i: number, overrides: Partial<OrganisationRow> = {}): OrganisationRow {
  return {
    id: `org-${i}`,
    kind: "customer",
    name: `Organisation ${String(i).padStart(4, "0")}`,
    tax_id: null,
    email: `info${i}@example.com`,
    phone: null,
    city: "Moscow",
    custom: {},
    updated_at: "2026-11-23T10:00:00Z",
    ...overrides,
  };
}

export function organisation(overrides: Partial<Organisation> = {}): Organisation {
  return {
    id: "org-1",
    kind: "customer",
    name: "Acme Ltd",
    legal_name: null,
    tax_id: "7701234567",
    email: "info@acme.example",
    phone: "+74951234567",
    website: null,
    industry: null,
    country: "RU",
    city: "Moscow",
    address: null,
    notes: null,
    custom: {},
    version: 3,
    created_at: "2026-11-20T09:00:00Z",
    updated_at: "2026-11-22T09:00:00Z",
    created_by: "user-1",
    updated_by: "user-1",
    archived_at: null,
    owner_id: "user-1",
    department_id: null,
    confirmed_at: null,
    ...overrides,
  };
}

export function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A custom field as `fields.list` returns it: an active text field of organisations unless told otherwise. */
export function customField(overrides: Partial<CustomField> & Pick<CustomField, "key">): CustomField {
  return {
    id: `field-${overrides.key}`,
    record_table: "organisations",
    label: overrides.key,
    kind: "text",
    choices: [],
    link_table: null,
    position: 0,
    version: 1,
    created_at: "2026-11-20T09:00:00Z",
    updated_at: "2026-11-20T09:00:00Z",
    created_by: "user-1",
    updated_by: "user-1",
    retired_at: null,
    owner_id: "user-1",
    department_id: null,
    ...overrides,
  };
}

/** Organisations and contacts: the kinds that take custom fields and that a link may point to. */
export const FIELD_TARGETS: CustomFieldTarget[] = [
  { table: "organisations", label: "organisation", search_entity: "organisation" },
  { table: "contacts", label: "contact", search_entity: "contact" },
];

/** A fake `fields.list` over `fields` (a function: the fields as they are at each call), with the real filters. */
export function listFields(fields: CustomField[] | (() => CustomField[])) {
  return (input: ListFieldsInput): FieldList => {
    const all = typeof fields === "function" ? fields() : fields;
    const chosen = all.filter(
      (f) => (input.record_table === undefined || f.record_table === input.record_table) && (input.include_retired || f.retired_at === null),
    );
    return { targets: FIELD_TARGETS, link_targets: FIELD_TARGETS, fields: chosen };
  };
}

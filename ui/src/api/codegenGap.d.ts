// STOPGAP, to delete once `accord codegen` emits these two types.
//
// generated.ts names `FieldTaken` and `MovedReference` in `RecordMerge` (through
// `#[ts(type = "Array<FieldTaken>")]` on `accord_kernel::merge::Merge`) but does not declare
// them: a `#[ts(type = …)]` override is a string, so ts-rs does not export what it names. The fix
// belongs in Rust (e.g. `#[ts(as = "Vec<FieldTaken>")]`, then `accord codegen`); generated.ts is
// never edited by hand. Until then they are declared here, globally, as the Rust structs are
// (accord-kernel/src/merge/merges.rs). Once generated.ts exports its own, its module-scoped
// declarations take precedence over these and this file can go.

export {};

declare global {
  /** A field the survivor took from the merged record, with its value before and after. */
  type FieldTaken = { field: string; before: unknown; after: unknown };
  /** A record that named the merged record and was moved to the survivor. */
  type MovedReference = { table: string; row_id: string; field: string };
}
